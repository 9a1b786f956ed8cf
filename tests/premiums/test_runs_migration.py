"""Migration premiums/0005 (issue 16): existing runs get their kabupaten from the settings; a
province-wide run of before is split into one run per regency."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from jamsos.premiums.models import BillingRun, Invoice, Reconciliation

pytestmark = pytest.mark.django_db

forwards = importlib.import_module(
    "jamsos.premiums.migrations.0005_runs_per_regency").forwards
SEP = dt.date(2025, 9, 1)


def old_run(*areas_billed):
    run = BillingRun.objects.create(period=SEP, kabupaten="", lines=9, total=999, assumptions=[
        {"parameter": "default_wage.bpu", "value": 1}, {"kabupaten": "16.01", "parameter": "x",
                                                       "value": 2},
        {"kabupaten": "16.02", "parameter": "x", "value": 3}])
    for i, (area, billed) in enumerate(areas_billed):
        Invoice.objects.create(run=run, period=SEP, number=f"202509-{i:05d}",
                               funding_source="APBD", payer_key=f"K{i}", payer_name="x",
                               area_code=area, lines=i + 1, billed=billed)
    return run


def test_a_one_regency_deployments_runs_are_its_regencys(settings):
    settings.JAMSOS_AREA, settings.JAMSOS_KABUPATEN = "", "16.02"
    run = old_run(("16.02", 100), ("16.02.13.2005", 50))
    rec = Reconciliation.objects.create(period=SEP, filename="b.csv")
    forwards(apps, None)
    run.refresh_from_db()
    rec.refresh_from_db()
    assert (run.kabupaten, run.lines, run.total) == ("16.02", 9, 999)  # untouched otherwise
    assert rec.kabupaten == "16.02"


def test_a_province_wide_run_is_split_per_regency(settings):
    settings.JAMSOS_AREA = "16"
    run = old_run(("16.02", 100), ("16.01", 70), ("16.01.07.2001", 5))
    empty = BillingRun.objects.create(period=dt.date(2025, 10, 1), kabupaten="")
    rec = Reconciliation.objects.create(period=SEP, filename="b.csv")
    forwards(apps, None)
    runs = {r.kabupaten: r for r in BillingRun.objects.filter(period=SEP)}
    assert set(runs) == {"16.01", "16.02"} and runs["16.01"].pk == run.pk
    assert (runs["16.01"].lines, runs["16.01"].total) == (2 + 3, 75)
    assert (runs["16.02"].lines, runs["16.02"].total) == (1, 100)
    assert runs["16.02"].created_at == run.created_at
    assert [a.get("kabupaten") for a in runs["16.02"].assumptions] == [None, "16.02"]
    assert set(Invoice.objects.filter(run=runs["16.02"]).values_list("area_code", flat=True)) \
        == {"16.02"}
    empty.refresh_from_db()
    rec.refresh_from_db()
    assert empty.kabupaten == "16" and rec.kabupaten == ""
