"""``jamsos import workers``: one JSON object, exit status 0 when the file was read."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.factories import HEADER, PEOPLE


@pytest.fixture
def env(tmp_path):
    environment = {**os.environ, "JAMSOS_DATA_DIR": str(tmp_path),
                   "DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3"}
    subprocess.run([sys.executable, "-m", "jamsos.cli", "migrate", "-v0"], env=environment,
                   check=True)
    return environment


def jamsos(env, *args):
    return subprocess.run([sys.executable, "-m", "jamsos.cli", *args], env=env,
                          capture_output=True, text=True)


def test_json_report_and_exit_codes(env, tmp_path):
    good = tmp_path / "daftar.csv"
    good.write_text("\n".join([HEADER, *PEOPLE, PEOPLE[0].replace(";d;", ";z;")]))
    dry = jamsos(env, "import", "workers", str(good), "--dry-run", "--format", "json")
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert {k: report[k] for k in ("rows", "created", "updated", "rejected", "warnings")} == {
        "rows": 4, "created": 3, "updated": 0, "rejected": 1, "warnings": 0}
    assert report["errors"] == [{"row": 5, "column": "Kategori", "code": "category_unknown",
                                 "message": report["errors"][0]["message"]}]
    real = json.loads(jamsos(env, "import", "workers", str(good), "--format", "json").stdout)
    assert real["created"] == 3
    again = json.loads(jamsos(env, "import", "workers", str(good), "--format", "json").stdout)
    assert (again["created"], again["updated"]) == (0, 0)
    missing = jamsos(env, "import", "workers", str(tmp_path / "nope.csv"), "--format", "json")
    assert missing.returncode != 0
    headless = tmp_path / "rusak.csv"
    headless.write_text("a;b\n1;2\n")
    broken = jamsos(env, "import", "workers", str(headless), "--format", "json")
    assert broken.returncode != 0 and "Kolom wajib" in json.loads(broken.stdout)["error"]
