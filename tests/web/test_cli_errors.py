"""Issue 18, finding 7: a failing command prints one line on stderr (and, with --format json,
a JSON error object on stdout) — never a 100-line traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "jamsos.cli", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def test_an_unreachable_database_is_one_line_and_json_on_stdout(tmp_path):
    unreachable = {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
                   "JAMSOS_DATA_DIR": str(tmp_path)}
    done = run("coverage", "--by", "category", "--format", "json", env=unreachable)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("jamsos: database_unavailable:")
    assert json.loads(done.stdout)["error"] == "database_unavailable"


def test_without_json_stdout_stays_empty(tmp_path):
    done = run("billing", "run", "--period", "2025-09", env={
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "JAMSOS_DATA_DIR": str(tmp_path)})
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
