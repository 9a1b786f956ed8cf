"""Any kabupaten/kota runs jamsos by changing JAMSOS_KABUPATEN (here: Kota Palembang)."""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.coverage.selectors import coverage_by_area, coverage_by_category
from jamsos.regions.models import Region
from jamsos.registry.models import Person
from jamsos.registry.services import import_workers

pytestmark = pytest.mark.django_db
HEADER = "NIK;Nama;Jenis Kelamin;Tanggal Lahir;Kode Desa;Kategori;Sub Kategori"


def test_palembang_imports_its_own_kelurahan_and_refuses_oki_desa(settings):
    settings.JAMSOS_KABUPATEN = "16.71"
    kelurahan = Region.objects.filter(code__startswith="16.71.", level="kelurahan").first()
    rows = [f"1671011708850001;Rudi;L;17-08-1985;{kelurahan.code};d;Ketua RT",
            "1602131708850002;Budi;L;17-08-1985;16.02.13.2005;d;Ketua RT"]
    report = import_workers("\n".join([HEADER, *rows]).encode(), "plg.csv",
                            today=dt.date(2025, 9, 2))
    assert (report.created, report.rejected) == (1, 1)
    assert report.errors[0]["code"] == "desa_code_unknown"
    assert "Kota Palembang" in report.errors[0]["message"]
    assert Person.objects.get().desa_id == kelurahan.code
    kecamatan = coverage_by_area(level="kecamatan")
    assert {r.code[:5] for r in kecamatan} == {"16.71"}
    assert len(kecamatan) == Region.objects.filter(parent_id="16.71").count()
    assert coverage_by_category()[-1].covered == 1
