"""``jamsos demo``: the launch figures come out of the records through the product's own code."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def jamsos(env, *args) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "jamsos.cli", *args], env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    return run


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JAMSOS_DATA_DIR"] = str(data)
    run = jamsos(env, "demo", "--no-serve")
    env["DATABASE_URL"] = f"sqlite:///{data}/demo.sqlite3"
    return env, run.stdout


def test_coverage_shows_the_launch_figures(demo):
    env, out = demo
    rows = {r["code"]: r for r in json.loads(
        jamsos(env, "coverage", "--by", "category", "--format", "json").stdout)}
    assert rows["non_asn"]["covered"] == rows["non_asn"]["target"] == 4798
    assert rows["perangkat_desa"]["covered"] == rows["perangkat_desa"]["target"] == 5302
    assert rows["kelembagaan_desa"]["covered"] == 29161
    assert rows["rt_rw"]["covered"] == rows["rt_rw"]["target"] == 5232
    assert 0 < rows["pekerja_rentan"]["percent"] < 100  # partly covered
    by_kec = json.loads(jamsos(env, "coverage", "--by", "kecamatan", "--format", "json").stdout)
    assert len(by_kec) == 18
    assert "admin" in out and "kades.tebingsuluh" in out and "http://127.0.0.1:8000/" in out


def test_claims_report_reproduces_january_to_august_2025(demo):
    env, _ = demo
    report = json.loads(jamsos(env, "claims", "report", "--from", "2025-01-01", "--to",
                               "2025-08-31", "--format", "json").stdout)
    assert report["claims"] == 660
    assert round(report["amount"] / 1e9, 2) == 8.33
    assert (report["scholarship_children"], report["scholarship_amount"]) == (6, 522_000_000)


def test_santunan_cases_in_every_state_some_overdue(demo):
    env, _ = demo
    sla = json.loads(jamsos(env, "santunan", "sla", "--from", "2025-09-01", "--to",
                            "2030-12-31", "--format", "json").stdout)
    # cases counts files whose 7-day clock has started (verified); the demo has 27 in all
    assert sla["cases"] >= 10 and sla["paid"] >= 1 and sla["overdue"] >= 1


def test_audit_chain_of_the_demo_is_intact(demo):
    env, _ = demo
    assert "utuh" in jamsos(env, "audit", "verify").stdout
