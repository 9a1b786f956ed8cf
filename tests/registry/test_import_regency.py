"""Imports in a province deployment (issue 16): each row goes by its desa code; a regency's
import refuses rows of another regency with a row error naming the row, the field and where the
desa lies; a province operator imports for every regency of the province."""

from __future__ import annotations

import pytest

from jamsos.registry.models import Person
from tests.factories import PEOPLE, TEBING_SULUH, import_rows, user

pytestmark = pytest.mark.django_db

OKU_DESA = "16.01.07.2001"
OKU_ROW = f"1601071708850004;Ani;P;17-08-1985;{OKU_DESA};d;Ketua RT"
ME_ROW = "1603011708850005;Dedi;L;17-08-1985;16.03.01.2011;d;Ketua RT"


@pytest.fixture(autouse=True)
def province(settings):
    settings.JAMSOS_AREA = "16"


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_regency_operator_cannot_import_rows_of_another_regency(dry_run):
    oki = user("op.oki", "operator", "16.02")
    report = import_rows(PEOPLE[0], OKU_ROW, ME_ROW, user=oki, area_code="16.02",
                         dry_run=dry_run)
    assert report.rejected == 2
    errors = {e["row"]: e for e in report.errors}
    assert set(errors) == {3, 4}  # the header is row 1
    assert errors[3]["code"] == "desa_outside_area" and errors[3]["column"] == "Kode Desa"
    assert "Ogan Komering Ulu" in errors[3]["message"]
    assert "Muara Enim" in errors[4]["message"]
    assert "Ogan Komering Ilir" in errors[3]["message"]  # the uploader's own area
    assert not Person.objects.filter(desa__code__startswith="16.01.").exists()
    assert not Person.objects.filter(desa__code__startswith="16.03.").exists()


def test_a_desa_uploader_is_told_the_kecamatan_of_a_desa_of_its_own_regency():
    kades = user("kades", "kepala_desa", TEBING_SULUH)
    report = import_rows(PEOPLE[2], user=kades, area_code=TEBING_SULUH)
    assert report.rejected == 1
    assert report.errors[0]["code"] == "desa_outside_area"
    assert "Kecamatan Tanjung Lubuk" in report.errors[0]["message"]


def test_a_province_operator_imports_for_every_regency():
    prov = user("op.prov", "operator", "16")
    report = import_rows(PEOPLE[0], OKU_ROW, ME_ROW, user=prov, area_code="16")
    assert (report.created, report.rejected) == (3, 0)
    assert sorted(Person.objects.values_list("desa_id", flat=True)) == [
        OKU_DESA, TEBING_SULUH, "16.03.01.2011"]


def test_rows_outside_the_province_stay_unknown():
    prov = user("op.prov", "operator", "16")
    report = import_rows("1701011708850006;Eka;P;17-08-1985;17.01.01.2001;d;Ketua RT",
                         user=prov, area_code="16")
    assert report.errors[0]["code"] == "desa_code_unknown"
