"""The calculator page shows the engine's itemised result with citations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, user

pytestmark = pytest.mark.django_db
JKM_DEATH = {"program": "jkm", "event": "death", "event_date": "2025-06-01", "wage": "3.000.000",
             "segment": "pu", "membership_start": "2020-01-01", "arrears_months": "0"}


@pytest.fixture
def operator(client):
    user("op", "operator", "16.02")
    client.login(username="op", password=PASSWORD)
    return client


def test_jkm_death_items_and_total(operator):
    page = operator.get(reverse("benefits:calculator"), JKM_DEATH)
    result = page.context["result"]
    assert result.eligible and result.amounts() == {
        "death_lump_sum": 20_000_000, "periodic_benefit": 12_000_000, "funeral": 10_000_000}
    text = page.content.decode()
    assert "42.000.000" in text and "PP 44/2015 Pasal 34" in text


def test_a_bpu_member_three_months_in_arrears_is_not_payable(operator):
    page = operator.get(reverse("benefits:calculator"),
                        {**JKM_DEATH, "segment": "bpu", "wage": "1000000", "arrears_months": "3"})
    result = page.context["result"]
    assert not result.eligible
    assert "menunggak 3 bulan" in " ".join(result.reasons)
    assert 'id="not-payable"' in page.content.decode()


def test_bpu_contribution_package(operator):
    page = operator.get(reverse("benefits:calculator"),
                        {"mode": "iuran", "month": "2025-09", "c_wage": "1000000",
                         "c_segment": "bpu", "c_jkk": "1", "c_jkm": "1"})
    assert page.context["contribution"].total == 16_800


@pytest.mark.parametrize(("params", "field"), [
    ({**JKM_DEATH, "event_date": ""}, "event_date"),
    ({**JKM_DEATH, "wage": "3,5 juta"}, "wage"),
    ({**JKM_DEATH, "event": "job_loss"}, "event"),
])
def test_bad_input_names_the_field(operator, params, field):
    page = operator.get(reverse("benefits:calculator"), params)
    assert page.context["result"] is None and list(page.context["form"].errors) == [field]
    assert f'href="#b-{field}"' in page.content.decode()  # the summary links to the field


def test_every_wrong_field_is_reported_at_once_with_the_input_kept(operator):
    """Issue 13 item 5: the calculator no longer stops at the first error."""
    page = operator.get(reverse("benefits:calculator"), {
        **JKM_DEATH, "event_date": "", "wage": "3,5 juta", "arrears_months": "banyak",
        "disability_percent": "x", "balance": "9" * 40, "child1_level": "kuliah"})
    errors = page.context["form"].errors
    assert set(errors) == {"event_date", "wage", "arrears_months", "disability_percent",
                           "balance", "child1_level"}
    html = page.content.decode()
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert summary.count("<li>") == 6
    for field in errors:
        assert f'href="#b-{field}"' in summary and f'id="err-b-{field}"' in html
    assert 'value="3,5 juta"' in html and 'value="banyak"' in html  # input kept
    assert page.context["result"] is None


def test_a_refusal_that_needs_every_fact_lands_on_its_field(operator):
    page = operator.get(reverse("benefits:calculator"), {
        **JKM_DEATH, "birth_date": "2026-01-01", "claim_date": "2024-01-01"})
    assert "birth_date" in page.context["form"].errors
    page = operator.get(reverse("benefits:calculator"), {
        **JKM_DEATH, "program": "jp", "event": "retirement", "membership_start": "2016-01-01",
        "consecutive_months": "700"})
    message = " ".join(page.context["form"].errors["consecutive_months"])
    assert "tidak mungkin" in message and "1 Jun 2025" in message  # the one date format


def test_contribution_errors_together(operator):
    page = operator.get(reverse("benefits:calculator"), {
        "mode": "iuran", "month": "bulan lalu", "c_wage": "x", "c_segment": "pu",
        "risk_class": "9"})
    assert set(page.context["form"].errors) == {"month", "c_wage", "risk_class", "programs"}
    assert 'href="#c-programs"' in page.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_operator_computes_a_jkm_entitlement_in_the_browser(page, live_server, oki_regions):
    user("op2", "operator", "16.02")
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("op2")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Kalkulator").click()
    form = page.locator("#benefit-form")
    form.get_by_label("Program").select_option("jkm")
    form.get_by_label("Peristiwa").select_option("death")
    form.get_by_label("Tanggal kejadian", exact=True).fill("2025-06-01")
    form.get_by_label("Upah / penghasilan sebulan (Rp)").fill("3000000")
    form.get_by_label("Mulai kepesertaan").fill("2020-01-01")
    form.get_by_role("button", name="Hitung manfaat").click()
    assert page.locator("#calc-total").inner_text() == "42.000.000"
    assert "PP 44/2015" in page.locator("#calc-result").inner_text()


# --- issue 11: one set of bounds, a clear error, never a 500 --------------------------------

@pytest.mark.parametrize(("field", "value"), [
    ("wage", "1000000000000000"), ("wage", "1" + "0" * 27), ("wage", "²"), ("wage", "٣"),
    ("arrears_months", "99999999"), ("incapacity_months", "99999999"),
    ("incapacity_months", "¹²"), ("balance", "9" * 40), ("months_paid_24", "9" * 30),
    ("registration_age", "500"), ("event_date", "9999-12-31"), ("disability_percent", "1e999"),
    ("disability_percent", "NaN"), ("treatment_cost", "10000000000000"),
])
def test_out_of_bound_input_is_a_clear_error(operator, field, value):
    data = {**JKM_DEATH, "program": "jkk", "event": "temporary_incapacity",
            "incapacity_months": "2", field: value}
    page = operator.get(reverse("benefits:calculator"), data)
    assert page.status_code == 200
    assert page.context["result"] is None
    assert list(page.context["form"].errors) == [field]


def test_the_issue_wage_is_refused_with_the_engine_bound(operator):
    page = operator.get(reverse("benefits:calculator"),
                        {**JKM_DEATH, "program": "jkk", "event": "work_accident_death",
                         "wage": "1.000.000.000.000.000"})
    assert list(page.context["form"].errors) == ["wage"]
    assert "batas wajar" in page.context["form"].errors["wage"][0]


@pytest.mark.parametrize(("field", "value"), [
    ("c_wage", "1000000000000000"), ("c_wage", "²"), ("risk_class", "x"), ("risk_class", "9"),
    ("month", "9999-12"),
])
def test_contribution_out_of_bound_input_is_a_clear_error(operator, field, value):
    data = {"mode": "iuran", "month": "2025-06", "c_segment": "pu", "c_wage": "3000000",
            "c_jkk": "1", "risk_class": "1", field: value}
    page = operator.get(reverse("benefits:calculator"), data)
    assert page.status_code == 200
    assert page.context["contribution"] is None
    assert list(page.context["form"].errors) == [field]
