"""No SQL names another app's table (issue 12): set-based code reads another app's tables
through that app's fragments (e.g. ``jamsos.registry.sql``), never by table name."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from django.apps import apps

import jamsos

SRC = Path(jamsos.__file__).parent


def _strings(path: Path):
    with path.open("rb") as fh:
        for tok in tokenize.tokenize(fh.readline):
            if tok.type in (tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)):
                yield tok.start[0], tok.string


def test_no_module_names_a_table_of_another_app():
    owner = {m._meta.db_table: m._meta.app_config.name for m in apps.get_models()
             if m._meta.app_config.name.startswith("jamsos.")}
    tables = "|".join(sorted(owner, key=len, reverse=True))
    pattern = re.compile(rf"(?i:\b(?:from|join|into|update|table|exists)\s+)({tables})\b")
    found = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        if "migrations" in rel.parts or len(rel.parts) < 2:
            continue
        app = f"jamsos.{rel.parts[0]}"
        for line, text in _strings(path):
            found += [f"{rel}:{line} {t}" for t in pattern.findall(text) if owner[t] != app]
    assert found == [], "\n".join(found)


def test_the_check_sees_a_foreign_table():
    """The scan above would see a table name in a string (guards the pattern itself)."""
    sample = io.BytesIO(b'sql = "SELECT 1 FROM registry_person p JOIN x"\n')
    strings = [t.string for t in tokenize.tokenize(sample.readline)
               if t.type == tokenize.STRING]
    owner = {m._meta.db_table for m in apps.get_models()}
    assert "registry_person" in owner
    assert re.findall(r"(?i:\b(?:from|join)\s+)(registry_person)\b", strings[0]) == [
        "registry_person"]
