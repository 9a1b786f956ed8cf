"""The regulation engine must never import Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import jamsos.rules

BLOCK_DJANGO = r"""
import importlib.abc, pkgutil, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError(f"django import blocked: {name}")
        return None

sys.meta_path.insert(0, Block())
import jamsos.rules
for m in pkgutil.walk_packages(jamsos.rules.__path__, "jamsos.rules."):
    __import__(m.name)
from jamsos.rules.cli import benefit_main
assert benefit_main(["--program", "jkm", "--event", "death", "--event-date", "2025-09-15",
                     "--wage", "1000000", "--format", "json"]) == 0
bad = [m for m in sys.modules if m == "django" or m.startswith("django.")]
assert not bad, bad
print("OK")
"""


def test_importing_every_module_with_django_blocked():
    out = subprocess.run(
        [sys.executable, "-c", BLOCK_DJANGO], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("OK")


def test_no_django_in_source():
    root = Path(jamsos.rules.__path__[0])
    for f in root.rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, f


def test_all_modules_listed():
    names = {m.name for m in pkgutil.walk_packages(jamsos.rules.__path__, "jamsos.rules.")}
    assert {"jamsos.rules.cli", "jamsos.rules.batch", "jamsos.rules.engine"} <= names
