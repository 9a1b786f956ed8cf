"""One deployment for a whole province (issue 16): each regency's own billing settings (UMK
wage, JKK risk class, paying OPDs), default funding sources and APBD allocation — dated,
audited, edited by that regency's admin — and APBD invoices per kabupaten."""

from __future__ import annotations

import datetime as dt
import json
import tomllib

import pytest
from django.test import Client
from django.urls import reverse

from jamsos.audit.models import AuditEvent
from jamsos.audit.selectors import visible_to
from jamsos.core.errors import ErrorCode
from jamsos.premiums import params, selectors
from jamsos.premiums.models import BillingRun, BillingSetting, Invoice, InvoiceLine
from jamsos.premiums.params import MissingBillingSettings
from jamsos.premiums.selectors import apbd_by_kabupaten, budget
from jamsos.premiums.services import (
    PremiumError,
    add_billing_settings,
    run_billing,
    set_allocation,
)
from jamsos.registry.models import Enrolment
from jamsos.registry.services import RegistryError, add_funding_defaults
from jamsos.rules import MissingParameterError
from tests.api.test_domain_api import bearer
from tests.factories import HEADER, PASSWORD, PEOPLE, TEBING_SULUH, import_rows, user

from .conftest import AHMAD

pytestmark = pytest.mark.django_db

SEP = dt.date(2025, 9, 1)
OKI, OKU = "16.02", "16.01"
OKU_DESA = "16.01.07.2001"
OKU_RT = f"1601071708850004;Ani Oku;P;17-08-1985;{OKU_DESA};d;Ketua RT"
OKU_PERANGKAT = f"1601071708800005;Bambang Oku;L;17-08-1980;{OKU_DESA};b;Perangkat desa"
OKU_UMK = 3_500_000
OKI_UMK_2025 = 3_681_571  # billing.toml: UMK OKI = UMP Sumsel 2025


def oku_settings(user=None, **overrides):
    values = {"pu_wage": OKU_UMK, "risk_class": 1,
              "paying_opd": {"non_asn": "BKD", "perangkat_desa": "PMD", "rt_rw": "PMD",
                             "kelembagaan_desa": "PMD", "pekerja_rentan": "DINSOS"},
              "opd_names": {"BKD": "Badan Kepegawaian Daerah",
                            "PMD": "Dinas PMD Kabupaten OKU", "DINSOS": "Dinas Sosial"}}
    values.update(overrides)
    return add_billing_settings(kabupaten=OKU, valid_from=dt.date(2025, 1, 1),
                                citation="SK Gubernur Sumsel UMK 2025 (uji)", user=user,
                                **values)


@pytest.fixture
def province(settings):
    """A province deployment: OKI's Budi, Siti and Ahmad (no wage: OKI's UMK), OKU's Ani (RT)
    and Bambang (perangkat desa, no wage: OKU's UMK)."""
    settings.JAMSOS_AREA = "16"
    import_rows(*PEOPLE, OKU_RT, OKU_PERANGKAT)
    Enrolment.objects.update(start_date=dt.date(2025, 1, 1), wage=None)
    return settings


def lines_by_nik(period=SEP):
    return {x.person.nik: x for x in InvoiceLine.objects.filter(period=period)
            .select_related("person")}


# --- the seed ----------------------------------------------------------------------------


def test_oki_settings_are_seeded_from_billing_toml_with_their_citations():
    data = tomllib.loads((params.DATA_DIR / "billing.toml").read_text(encoding="utf-8"))
    oki = params.regency(OKI)
    for v in data["default_wage"]["pu"]["versions"]:
        got = oki.version("default_wage.pu", v["from"])
        assert (got.value, got.citation) == (v["value"], v["citation"])
    risk = oki.version("jkk_risk_class", SEP)
    assert risk.value == 1 and risk.unconfirmed and "asumsi" in risk.note
    assert oki.paying_opd(SEP)["pekerja_rentan"] == "DINSOS"
    assert oki.opd_names(SEP)["DPMD"] == "Dinas Pemberdayaan Masyarakat dan Desa"
    # Before OKI's first UMK version there is no default PU wage: refused, not guessed.
    assert oki.version("default_wage.pu", dt.date(2022, 12, 1)) is None
    with pytest.raises(MissingBillingSettings):
        oki.default_wage(dt.date(2022, 12, 1))
    # The BPU default income is national and stays in the file.
    assert params.default_wage("BPU", SEP) == 1_000_000
    assert not BillingSetting.objects.filter(name="default_wage.bpu").exists()
    assert not BillingSetting.objects.exclude(kabupaten=OKI).exists()


# --- billing a province --------------------------------------------------------------------


def bill_both(period=SEP):
    """Each regency of the province bills its own month (issue 16)."""
    return run_billing(period, kabupaten=OKI), run_billing(period, kabupaten=OKU)


def test_a_province_bills_each_regency_with_its_own_wage_and_opds(province):
    oku_settings()
    oki_run, oku_run = (r.run for r in bill_both())
    got = lines_by_nik()
    assert got[AHMAD].wage == OKI_UMK_2025
    assert got["1601071708800005"].wage == OKU_UMK
    # PU, risk class I: JKK 0,24 % + JKM 0,30 % of each regency's own UMK.
    assert got["1601071708800005"].total == round(OKU_UMK * 0.0024) + round(OKU_UMK * 0.003)
    invoices = {i.payer_key: i for i in Invoice.objects.all()}
    assert set(invoices) == {"APBD:16.02:DPMD", "APBD:16.01:PMD"}
    oki, oku = invoices["APBD:16.02:DPMD"], invoices["APBD:16.01:PMD"]
    assert (oki.area_code, oki.lines, oku.area_code, oku.lines) == (OKI, 3, OKU, 2)
    assert oki.payer_name == ("APBD Kabupaten Ogan Komering Ilir — Dinas Pemberdayaan "
                              "Masyarakat dan Desa")
    assert oku.payer_name == "APBD Kabupaten Ogan Komering Ulu — Dinas PMD Kabupaten OKU"
    assert (oki.run_id, oku.run_id) == (oki_run.pk, oku_run.pk)
    assert (oki.billed, oku.billed) == (oki_run.total, oku_run.total)
    assert (oki_run.kabupaten, oku_run.kabupaten) == (OKI, OKU)
    assert oku.billed == sum(x.total for x in got.values() if x.desa_code.startswith("16.01."))
    # Each regency numbers its own run's invoices.
    assert (oki.number, oku.number) == ("202509-1602-00001", "202509-1601-00001")
    # Each run records what it assumed, for its regency.
    for run, kab, umk in ((oki_run, OKI, OKI_UMK_2025), (oku_run, OKU, OKU_UMK)):
        assumed = {(a.get("kabupaten"), a["parameter"]): a["value"] for a in run.assumptions}
        assert assumed[(kab, "default_wage.pu")] == umk
        assert {a.get("kabupaten") for a in run.assumptions} == {None, kab}
    # The province ranking's APBD per kabupaten adds up to the invoices.
    ranking = apbd_by_kabupaten(2025, "16")
    assert ranking[OKI]["due"] == oki.billed and ranking[OKU]["due"] == oku.billed


def test_a_regency_sees_only_its_invoices_and_the_province_sees_all(province):
    oku_settings()
    oki_run, oku_run = (r.run for r in bill_both())
    oki_inv = Invoice.objects.get(payer_key="APBD:16.02:DPMD")
    oku_inv = Invoice.objects.get(payer_key="APBD:16.01:PMD")
    assert selectors.month_runs(OKU, SEP) == [oku_run]
    assert selectors.month_runs(OKI, SEP) == [oki_run]
    assert [r.invoice.pk for r in selectors.invoices_in_area(oku_run, OKU)] == [oku_inv.pk]
    assert [r.invoice.pk for r in selectors.invoices_in_area(oki_run, OKI)] == [oki_inv.pk]
    assert len(selectors.month_invoices(selectors.month_runs("16", SEP), "16")) == 2
    assert selectors.visible_invoice(OKU, oki_inv.pk) is None
    assert selectors.can_write_invoice(OKU, oku_inv) and not selectors.can_write_invoice(
        OKU, oki_inv)
    # Each regency's summary adds up to its own invoice; the province's to both.
    oku_sum = selectors.run_summaries(OKU)[0]
    assert (oku_sum.lines, oku_sum.due) == (2, oku_inv.billed)
    assert [s.run.kabupaten for s in selectors.run_summaries(OKU)] == [OKU]
    assert sum(s.due for s in selectors.run_summaries("16")) == oki_inv.billed + oku_inv.billed
    client = Client()
    user("op.oku", "operator", OKU)
    assert client.login(username="op.oku", password=PASSWORD)
    assert client.get(reverse("premiums:invoice", args=[oki_inv.pk])).status_code == 404
    assert client.get(reverse("premiums:invoice", args=[oku_inv.pk])).status_code == 200


def test_arrears_and_payments_stay_within_each_regency(province):
    from jamsos.premiums.services import record_payment

    oku_settings()
    bill_both()
    oki_inv = Invoice.objects.get(payer_key="APBD:16.02:DPMD")
    record_payment(oki_inv, amount=oki_inv.billed, paid_on=dt.date(2025, 10, 10),
                   reference="SP2D OKI")
    month = SEP
    rows = {r["nik"]: r["months"] for r in selectors.arrears_list("16", month, limit=None)}
    assert set(rows) == {"1601071708850004", "1601071708800005"}  # OKI paid, OKU did not
    assert selectors.arrears_counts(OKU, month)[0] == 2
    assert selectors.arrears_counts(OKI, month)[0] == 0
    assert selectors.apbd_billed(2025, OKU)["paid"] == 0
    assert selectors.apbd_billed(2025, OKI)["paid"] == oki_inv.billed


def test_a_regency_without_settings_refuses_its_run_naming_what_is_missing(province):
    with pytest.raises(MissingBillingSettings) as exc:
        run_billing(SEP, kabupaten=OKU)
    assert exc.value.code == ErrorCode.NO_RULE
    message = exc.value.message
    assert "Kabupaten Ogan Komering Ulu" in message and "Ilir" not in message
    assert "upah dasar PU (UMK)" in message and "OPD pembayar" in message
    assert not BillingRun.objects.exists() and not InvoiceLine.objects.exists()
    # OKI bills its month anyway: OKU's lines are not on it.
    run_billing(SEP, kabupaten=OKI)
    assert {x.desa_code[:5] for x in InvoiceLine.objects.all()} == {OKI}
    # The API answers 422 with the same words; the page shows them.
    client = Client()
    user("op.prov", "operator", "16")
    auth = bearer(client, "op.prov")
    answer = client.post("/api/v1/premiums/runs", json.dumps({"period": "2025-09",
                                                              "kabupaten": OKU}),
                         content_type="application/json", **auth)
    assert answer.status_code == 422 and "Ogan Komering Ulu" in answer.json()["detail"]
    # A province user names the regency.
    answer = client.post("/api/v1/premiums/runs", json.dumps({"period": "2025-09"}),
                         content_type="application/json", **auth)
    assert answer.status_code == 422 and answer.json()["field"] == "kabupaten"
    assert client.login(username="op.prov", password=PASSWORD)
    page = client.post(reverse("premiums:run"), {"period": "2025-09", "kabupaten": OKU},
                       follow=True)
    assert "Ogan Komering Ulu" in page.content.decode()
    assert list(BillingRun.objects.values_list("kabupaten", flat=True)) == [OKI]


def test_a_regency_whose_lines_need_nothing_missing_is_billed(province):
    """OKU's BPU RT member with APBDes funding needs no OKU setting: the run goes ahead."""
    Enrolment.objects.filter(person__nik="1601071708800005").delete()
    Enrolment.objects.filter(desa_id=OKU_DESA).update(funding_source="APBDES")
    run_billing(SEP, kabupaten=OKU)
    assert Invoice.objects.filter(payer_key=f"APBDES:{OKU_DESA}", area_code=OKU_DESA).exists()


def test_a_new_dated_umk_bills_from_its_month(people):
    Enrolment.objects.filter(person__nik=AHMAD).update(wage=None)
    admin = user("admin.oki", "admin", OKI)
    add_billing_settings(kabupaten=OKI, valid_from=dt.date(2026, 1, 1), pu_wage=4_000_000,
                         citation="SK Gubernur Sumsel UMK 2026 (uji)", user=admin)
    run_billing(dt.date(2025, 12, 1))
    run_billing(dt.date(2026, 1, 1))
    assert lines_by_nik(dt.date(2025, 12, 1))[AHMAD].wage == OKI_UMK_2025
    assert lines_by_nik(dt.date(2026, 1, 1))[AHMAD].wage == 4_000_000
    # A one-regency deployment keeps its invoices as before issue 16.
    inv = Invoice.objects.get(period=dt.date(2026, 1, 1))
    assert (inv.payer_key, inv.area_code) == ("APBD:DPMD", OKI)
    assert inv.payer_name == "APBD — Dinas Pemberdayaan Masyarakat dan Desa"


# --- editing: rules, audit, isolation ------------------------------------------------------


def test_settings_errors_are_reported_at_once():
    admin = user("admin.oki", "admin", OKI)
    with pytest.raises(PremiumError) as exc:
        add_billing_settings(kabupaten=OKI, valid_from=None, citation=" ", pu_wage=-5,
                             risk_class=9, paying_opd={"bukan": "X"},
                             opd_names={"dpmd lama": "x"}, user=admin)
    assert set(exc.value.errors) == {"pu_wage", "risk_class", "paying_opd", "opd_names",
                                     "valid_from", "citation"}
    with pytest.raises(PremiumError) as exc:  # the seeded 2025 UMK version is taken
        add_billing_settings(kabupaten=OKI, valid_from=dt.date(2025, 1, 1), pu_wage=1,
                             citation="x", user=admin)
    assert set(exc.value.errors) == {"valid_from"}
    with pytest.raises(RegistryError) as exc:
        add_funding_defaults(kabupaten=OKI, valid_from=None, sources={"rt_rw": "KAS"},
                             citation="", user=admin)
    assert {"valid_from", "citation", "funding_rt_rw", "funding_non_asn"} <= set(
        exc.value.errors)
    with pytest.raises(PremiumError) as exc:
        set_allocation(kabupaten=OKI, year=1999, amount=-1, source="", user=admin)
    assert set(exc.value.errors) == {"year", "amount", "source"}


def test_edits_are_audited_under_their_regency(province):
    prov = user("admin.prov", "admin", "16")
    oku_settings(user=prov)
    add_funding_defaults(kabupaten=OKU, valid_from=dt.date(2025, 1, 1),
                         sources={"non_asn": "APBD", "perangkat_desa": "APBD",
                                  "kelembagaan_desa": "APBDES", "rt_rw": "APBDES",
                                  "pekerja_rentan": "APBD"}, citation="DPA uji", user=prov)
    set_allocation(kabupaten=OKU, year=2025, amount=500_000_000, source="DPA 1.01/2025",
                   user=prov)
    set_allocation(kabupaten=OKU, year=2025, amount=650_000_000, source="DPA-P 1.01/2025",
                   user=prov)
    events = AuditEvent.objects.filter(object_type__in=[
        "billing_setting", "funding_default", "allocation"]).order_by("id")
    assert [e.object_type for e in events] == ["billing_setting"] * 4 + [
        "funding_default", "allocation", "allocation"]
    assert {e.area for e in events} == {OKU}
    last = events.last()
    assert last.action == "update" and last.changes["amount"] == [500_000_000, 650_000_000]
    # OKU's events are OKU's: OKI's auditor does not see them; OKU's does.
    assert not visible_to(OKI).filter(pk__in=events).exists()
    assert visible_to(OKU).filter(pk__in=events).count() == 7


def test_another_regency_is_refused_and_answered_404(province):
    oku_admin = user("admin.oku", "admin", OKU)
    with pytest.raises(PremiumError) as exc:
        set_allocation(kabupaten=OKI, year=2025, amount=1, source="x", user=oku_admin)
    assert exc.value.code == ErrorCode.OUTSIDE_AREA
    with pytest.raises(RegistryError):
        add_funding_defaults(kabupaten=OKI, valid_from=dt.date(2026, 1, 1),
                             sources={}, citation="x", user=oku_admin)
    client = Client()
    assert client.login(username="admin.oku", password=PASSWORD)
    page = reverse("premiums:settings")
    assert client.get(page, {"kabupaten": OKI}).status_code == 404
    assert client.post(page, {"kabupaten": OKI, "form": "allocation", "year": "2025",
                              "amount": "1", "source": "x"}).status_code == 404
    auth = bearer(client, "admin.oku")
    assert client.get("/api/v1/premiums/settings", {"kabupaten": OKI},
                      **auth).status_code == 404
    answer = client.put("/api/v1/premiums/allocations", json.dumps(
        {"kabupaten": OKI, "year": 2025, "amount": 1, "source": "x"}),
        content_type="application/json", **auth)
    assert answer.status_code == 404
    assert not AuditEvent.objects.filter(object_type="allocation").exists()
    # Its own regency opens, without OKI's data.
    own = client.get(page).content.decode()
    assert "Ogan Komering Ulu" in own and "Ogan Komering Ilir" not in own
    # A desa-level admin reads its regency's settings but may not change them.
    kades_admin = user("admin.desa", "admin", TEBING_SULUH)
    assert client.login(username=kades_admin.username, password=PASSWORD)
    assert client.get(page).status_code == 200
    assert client.post(page, {"form": "allocation", "year": "2025", "amount": "1",
                              "source": "x"}).status_code == 403
    # An operator has no settings page.
    user("op.oki", "operator", OKI)
    assert client.login(username="op.oki", password=PASSWORD)
    assert client.get(page).status_code == 403


def test_the_page_adds_versions_and_reports_every_error(province):
    client = Client()
    user("admin.prov", "admin", "16")
    assert client.login(username="admin.prov", password=PASSWORD)
    page = reverse("premiums:settings")
    html = client.get(page, {"kabupaten": OKU}).content.decode()
    assert 'id="missing"' in html  # OKU has nothing yet
    bad = client.post(page, {"kabupaten": OKU, "form": "settings", "pu_wage": "abc",
                             "risk_class": "7", "citation": ""})
    assert bad.status_code == 422
    text = bad.content.decode()
    for field in ("set-valid_from", "set-pu_wage", "set-risk_class", "set-citation"):
        assert f'href="#{field}"' in text, field
    ok = client.post(page, {"kabupaten": OKU, "form": "settings", "valid_from": "2025-01-01",
                            "pu_wage": "3500000", "risk_class": "1", "opd_rt_rw": "pmd",
                            "opd_perangkat_desa": "PMD",
                            "opd_names": "PMD = Dinas PMD Kabupaten OKU",
                            "citation": "SK UMK OKU 2025"})
    assert ok.status_code == 302
    oku = params.regency(OKU)
    assert oku.default_wage(SEP) == OKU_UMK and oku.paying_opd(SEP) == {
        "perangkat_desa": "PMD", "rt_rw": "PMD"}
    assert client.post(page, {"kabupaten": OKU, "form": "allocation", "year": "2025",
                              "amount": "750000000", "source": "DPA 2025"}).status_code == 302
    html = client.get(page, {"kabupaten": OKU}).content.decode()
    assert "Dinas PMD Kabupaten OKU" in html and "750.000.000" in html


def test_the_api_reads_and_adds_versions(province):
    client = Client()
    user("admin.oku", "admin", OKU)
    auth = bearer(client, "admin.oku")
    got = client.get("/api/v1/premiums/settings", **auth).json()
    assert got["kabupaten"] == OKU and got["can_edit"] and got["settings"] == []
    # A province admin names the kabupaten/kota (422 on the field, not a 404).
    user("admin.sumsel", "admin", "16")
    province_admin = bearer(client, "admin.sumsel")
    unnamed = client.get("/api/v1/premiums/settings", **province_admin)
    assert unnamed.status_code == 422 and unnamed.json()["field"] == "kabupaten"
    named = client.get("/api/v1/premiums/settings", {"kabupaten": OKU}, **province_admin)
    assert named.status_code == 200 and named.json()["kabupaten"] == OKU
    body = {"kabupaten": OKU, "valid_from": "2025-01-01", "citation": "SK UMK OKU 2025",
            "pu_wage": OKU_UMK, "risk_class": 1}
    answer = client.post("/api/v1/premiums/settings", json.dumps(body),
                         content_type="application/json", **auth)
    assert answer.status_code == 201
    assert {s["parameter"]: s["value"] for s in answer.json()["settings"]} == {
        "default_wage.pu": OKU_UMK, "jkk_risk_class": 1}
    again = client.post("/api/v1/premiums/settings", json.dumps(body),
                        content_type="application/json", **auth)
    assert again.status_code == 422 and again.json()["field"] == "valid_from"


# --- import: default funding per regency -----------------------------------------------------


def test_an_import_takes_each_rows_own_regencys_default_funding(province):
    add_funding_defaults(kabupaten=OKU, valid_from=dt.date(2025, 1, 1),
                         sources={"non_asn": "APBD", "perangkat_desa": "APBD",
                                  "kelembagaan_desa": "APBDES", "rt_rw": "APBDES",
                                  "pekerja_rentan": "APBD"}, citation="DPA uji")
    rows = [f"1601071708700006;Candra Oku;L;17-08-1970;{OKU_DESA};d;Ketua RW;",
            f"1601071708700007;Dedi Oku;L;17-08-1970;{OKU_DESA};d;Ketua RW;Mandiri",
            f"1602131708700008;Eko Oki;L;17-08-1970;{TEBING_SULUH};d;Ketua RW;",
            "1603011708700009;Fajar Muara Enim;L;17-08-1970;16.03.01.2011;d;Ketua RW;"]
    report = import_workers_with_funding(rows)
    funding = dict(Enrolment.objects.filter(person__nik__in=[r[:16] for r in rows])
                   .values_list("person__nik", "funding_source"))
    assert funding == {"1601071708700006": "APBDES",   # OKU's default for RT/RW
                       "1601071708700007": "MANDIRI",  # the file says so
                       "1602131708700008": "APBD",     # OKI's seeded default
                       "1603011708700009": "APBD"}     # no default: category's, flagged
    flagged = [w for w in report.warnings if w["code"] == "funding_default_assumed"]
    assert [w["row"] for w in flagged] == [5]


def import_workers_with_funding(rows):
    from jamsos.registry.services import import_workers

    data = "\n".join([HEADER + ";Sumber Dana", *rows]).encode()
    return import_workers(data, "t.csv", today=dt.date(2025, 9, 2))


# --- the budget: allocation against billed and projected -------------------------------------


def test_the_budget_shows_allocation_billed_and_projected_per_regency(province):
    set_allocation(kabupaten=OKI, year=2025, amount=1_000_000_000, source="DPA 2025")
    oku_settings()
    bill_both()
    b = budget(2025, "16", today=SEP)
    rows = {r.kabupaten: r for r in b.regencies}
    assert len(rows) == 17
    oki = rows[OKI]
    assert (oki.allocation, oki.source) == (1_000_000_000, "DPA 2025")
    assert oki.billed == Invoice.objects.get(payer_key="APBD:16.02:DPMD").billed
    assert oki.projected > 0 and oki.remaining == oki.allocation - oki.projected
    assert rows[OKU].allocation is None and rows[OKU].projected > 0
    assert oki.projected + rows[OKU].projected == b.apbd_current
    mine = budget(2025, OKU, today=SEP)
    assert [r.kabupaten for r in mine.regencies] == [OKU]
    assert mine.regencies[0].projected == rows[OKU].projected


def test_the_budget_flags_a_regency_without_settings(province):
    b = budget(2025, "16", today=SEP)
    rows = {r.kabupaten: r for r in b.regencies}
    assert rows[OKU].projected is None and rows[OKI].projected > 0
    assert any("Ogan Komering Ulu" in n and "belum ada" in n for n in b.notes)


def test_the_budget_prices_each_run_of_alike_months_once_and_equal_to_every_month(province):
    """Issue 14/16: the budget prices a year once per run of months in which no parameter
    changes (the engine's, the billing data's, each regency's), not twelve times — with the
    very same amounts as pricing month by month, here across OKU's UMK changing in July and
    the engine's yearly series."""
    from jamsos.premiums import billing
    from jamsos.premiums.selectors import _priced_year, price_periods

    oku_settings()
    add_billing_settings(kabupaten=OKU, valid_from=dt.date(2025, 7, 1), pu_wage=OKU_UMK + 250_000,
                         citation="SK Gubernur Sumsel UMK 2025 perubahan (uji)", user=None)
    frame = billing.billable_frame(SEP).drop("person_id", "enrolment_id")
    regs = params.regencies([OKI, OKU])
    for year in (2025, 2026):
        periods = price_periods(year, regs)
        months = [m for _first, run in periods for m in run]
        assert months == [dt.date(year, m, 1) for m in range(1, 13)]
        assert 1 <= len(periods) < 12
        notes: list[str] = []
        once = _priced_year(frame, year, notes, regs)["total"].to_list()
        every = [0] * frame.height
        for month in months:
            try:
                priced = billing.price(frame, month, regs)["total"].to_list()
            except MissingParameterError:
                continue  # _priced_year reuses the month before, with a note
            every = [a + b for a, b in zip(every, priced, strict=True)]
        if not notes:
            assert once == every
    assert dt.date(2025, 7, 1) in [first for first, _run in price_periods(2025, regs)]
