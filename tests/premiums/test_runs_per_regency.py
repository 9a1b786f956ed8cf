"""Billing runs per regency (issue 16): in a province deployment each kabupaten/kota bills its
own months — a run belongs to (month, kabupaten) — started by its own operators or the
province's; a regency that gets its settings later bills the months already billed elsewhere."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from jamsos.audit.models import AuditEvent
from jamsos.core.errors import ErrorCode
from jamsos.premiums import selectors
from jamsos.premiums.models import BillingRun, Invoice, InvoiceLine, Reconciliation
from jamsos.premiums.services import (
    PremiumError,
    reconcile,
    run_billing,
    run_billing_regencies,
)
from jamsos.registry.models import Enrolment
from tests.api.test_domain_api import bearer
from tests.factories import PASSWORD, PEOPLE, import_rows, user

from .conftest import hold_first_billing
from .test_regency_settings import OKI, OKU, OKU_PERANGKAT, OKU_RT, SEP, oku_settings

OCT = dt.date(2025, 10, 1)


@pytest.fixture
def province(settings, db):
    settings.JAMSOS_AREA = "16"
    import_rows(*PEOPLE, OKU_RT, OKU_PERANGKAT)
    Enrolment.objects.update(start_date=dt.date(2025, 1, 1), wage=None)
    return settings


def test_oki_bills_and_oku_bills_the_same_month_a_later_day(province):
    oki = run_billing(SEP, kabupaten=OKI, today=SEP)
    assert oki.created and oki.run.kabupaten == OKI
    assert {x.desa_code[:5] for x in InvoiceLine.objects.all()} == {OKI}
    # OKU gets its settings later and bills September then: its own run, its own invoices.
    oku_settings()
    oku = run_billing(SEP, kabupaten=OKU, today=OCT)
    assert oku.created and oku.run.pk != oki.run.pk and oku.run.kabupaten == OKU
    assert oku.run.lines == 2 and oki.run.lines == 3
    assert set(Invoice.objects.filter(run=oku.run).values_list("area_code", flat=True)) == {OKU}
    assert InvoiceLine.objects.filter(period=SEP).count() == 5
    # Once per month and regency: repeats change nothing.
    again = run_billing(SEP, kabupaten=OKU, today=OCT)
    assert not again.created and again.run.pk == oku.run.pk
    assert BillingRun.objects.filter(period=SEP).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        BillingRun.objects.create(period=SEP, kabupaten=OKU)
    # Each run is audited with its regency, under that regency.
    events = {e.changes["kabupaten"][1]: e for e in AuditEvent.objects.filter(
        object_type="billing_run")}
    assert set(events) == {OKI, OKU} and events[OKU].area == OKU
    # Figures per regency; the province's are their sum.
    sums = {s.run.kabupaten: s for s in selectors.run_summaries("16")}
    assert sums[OKU].due == oku.run.total and sums[OKI].due == oki.run.total
    assert [s.run.pk for s in selectors.run_summaries(OKU)] == [oku.run.pk]
    assert [s.run.pk for s in selectors.run_summaries("16.01.07")] == [oku.run.pk]


def test_a_regency_without_settings_is_refused_while_the_others_bill(province):
    rows = {r.kabupaten: r for r in run_billing_regencies(SEP, today=SEP)}
    assert len(rows) == 17
    assert rows[OKI].created and rows[OKI].run.lines == 3
    assert not rows[OKU].run and "pengaturan iuran" in rows[OKU].refused
    # Regencies without any settings get no (empty) run that would close their month.
    assert list(BillingRun.objects.values_list("kabupaten", flat=True)) == [OKI]
    # OKU sets only its UMK: refused naming what its lines still need.
    from jamsos.premiums.services import add_billing_settings

    add_billing_settings(kabupaten=OKU, valid_from=dt.date(2025, 1, 1), pu_wage=3_500_000,
                         citation="uji")
    rows = {r.kabupaten: r for r in run_billing_regencies(SEP, today=SEP)}
    assert rows[OKI].run and not rows[OKI].created
    assert "OPD pembayar" in rows[OKU].refused and "Ogan Komering Ulu" in rows[OKU].refused


def test_a_regency_user_cannot_start_another_regencys_run(province):
    oku_settings()
    op_oku = user("op.oku", "operator", OKU)
    with pytest.raises(PremiumError) as exc:
        run_billing(SEP, kabupaten=OKI, user=op_oku, today=SEP)
    assert exc.value.code == ErrorCode.OUTSIDE_AREA
    assert not BillingRun.objects.exists()
    # Its own regency is the default.
    assert run_billing(SEP, user=op_oku, today=SEP).run.kabupaten == OKU
    client = Client()
    auth = bearer(client, "op.oku")
    answer = client.post("/api/v1/premiums/runs", json.dumps(
        {"period": "2025-09", "kabupaten": OKI}), content_type="application/json", **auth)
    assert answer.status_code == 403
    assert client.login(username="op.oku", password=PASSWORD)
    page = client.post(reverse("premiums:run"), {"period": "2025-09", "kabupaten": OKI})
    assert page.status_code == 403
    assert list(BillingRun.objects.values_list("kabupaten", flat=True)) == [OKU]
    # OKI's month is not OKU's: another regency's run answers 404.
    run_billing(SEP, kabupaten=OKI, today=SEP)
    listed = client.get("/api/v1/premiums/runs/2025-09/invoices", **auth).json()["items"]
    assert {i["number"][7:11] for i in listed} == {"1601"}
    assert client.get("/api/v1/premiums/runs/2025-09/invoices", {"kabupaten": OKI},
                      **auth).status_code == 404
    assert client.get(reverse("premiums:run_detail", args=["2025-09"]),
                      {"kabupaten": OKI}).status_code == 404
    assert [r["kabupaten"] for r in client.get("/api/v1/premiums/runs", **auth).json()] == [OKU]
    # A province operator bills either regency, or all that are due.
    user("op.prov", "operator", "16")
    prov = bearer(client, "op.prov")
    answer = client.post("/api/v1/premiums/runs", json.dumps(
        {"period": "2025-08", "kabupaten": OKI}), content_type="application/json", **prov)
    assert answer.status_code == 201 and answer.json()["kabupaten"] == OKI
    assert client.login(username="op.prov", password=PASSWORD)
    page = client.post(reverse("premiums:run"), {"period": "2025-08"}, follow=True)
    text = page.content.decode()
    assert "Ogan Komering Ulu: tagihan" in text and "dibuat" in text
    assert set(BillingRun.objects.filter(period=dt.date(2025, 8, 1))
               .values_list("kabupaten", flat=True)) == {OKI, OKU}
    listed = client.get("/api/v1/premiums/runs/2025-08/invoices", **prov).json()["items"]
    assert {i["number"][7:11] for i in listed} == {"1601", "1602"}


def test_reconciliation_matches_the_uploading_regencys_run(province):
    oku_settings()
    run_billing(SEP, kabupaten=OKI, today=SEP)
    op_oku = user("op.oku", "operator", OKU)
    # OKU has not billed September: nothing to match with, though OKI has.
    with pytest.raises(PremiumError):
        reconcile(b"NIK;Iuran\n1601071708850004;16800\n", "b.csv", period=SEP, user=op_oku)
    run_billing(SEP, kabupaten=OKU, today=SEP)
    ours = {x.person.nik: x.total for x in InvoiceLine.objects.filter(
        desa_code__startswith="16.01.").select_related("person")}
    data = ("NIK;Iuran\n" + "".join(f"{n};{t}\n" for n, t in ours.items())).encode()
    rec = reconcile(data, "b.csv", period=SEP, user=op_oku)
    assert rec.kabupaten == OKU
    assert rec.summary["matched"]["count"] == 2
    assert rec.summary["not_billed"]["count"] == 0  # OKI's lines are not OKU's bill
    assert selectors.visible_reconciliation(OKI, rec.pk) is None
    assert selectors.visible_reconciliation(OKU, rec.pk) == rec
    assert Reconciliation.objects.count() == 1


def test_the_cli_reports_each_regency(province, capsys):
    oku_settings()
    Enrolment.objects.filter(desa__code__startswith="16.01.").update(
        start_date=dt.date(2025, 10, 1))  # OKU has nobody in September
    call_command("billing_run", period="2025-09", kabupaten=[OKI])
    out = capsys.readouterr().out
    assert "Ogan Komering Ilir: dibuat, 3 peserta" in out
    call_command("billing_run", period="2025-09", format="json")
    got = {r["kabupaten"]: r for r in json.loads(capsys.readouterr().out)["regencies"]}
    assert got[OKI]["state"] == "existing" and got[OKI]["lines"] == 3
    assert got[OKU]["state"] == "created" and got[OKU]["lines"] == 0
    assert got["16.03"]["state"] == "refused" and "pengaturan iuran" in got["16.03"]["reason"]
    call_command("billing_run", period="2025-09")
    out = capsys.readouterr().out
    assert "Ogan Komering Ilir: sudah ada (tidak diubah)" in out
    assert "Ditagih sekarang 0, sudah ada 2, ditolak 15." in out
    with pytest.raises(CommandError, match="ditolak"):
        call_command("billing_run", period="2025-10", kabupaten=["16.03"])
    assert "16.03" not in set(BillingRun.objects.values_list("kabupaten", flat=True))
    with pytest.raises(CommandError, match="tidak termasuk"):
        call_command("billing_run", period="2025-10", kabupaten=["17.01"])


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_regency_month_race_and_two_regencies_proceed(oki_regions, settings,
                                                                       monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises its writers)")
    settings.JAMSOS_AREA = "16"
    import_rows(*PEOPLE, OKU_RT, OKU_PERANGKAT)
    Enrolment.objects.update(start_date=dt.date(2025, 1, 1), wage=None)
    oku_settings()
    inside, release, results, start = hold_first_billing(monkeypatch)
    first = start("first", SEP, kabupaten=OKI, today=SEP)
    assert inside.wait(timeout=20)
    second = start("second", SEP, kabupaten=OKI, today=SEP)
    other = start("other", SEP, kabupaten=OKU, today=SEP)
    other.join(timeout=30)  # another regency does not wait for OKI's run
    assert not other.is_alive() and results["other"].created, results
    time.sleep(0.5)
    assert "second" not in results  # the same regency's month waits
    release.set()
    first.join(timeout=60)
    second.join(timeout=60)
    a, b = results["first"], results["second"]
    assert not isinstance(a, Exception) and not isinstance(b, Exception), results
    assert (a.created, b.created) == (True, False) and a.run.pk == b.run.pk
    assert sorted(BillingRun.objects.values_list("kabupaten", flat=True)) == [OKU, OKI]
