"""The deployment's area (issue 16): one kabupaten/kota as before, or a whole province."""

from __future__ import annotations

import pytest

from jamsos.regions.selectors import (
    deployment_area,
    deployment_kabupaten,
    in_deployment,
    is_province_deployment,
    kabupaten_code_of,
)


def test_the_area_defaults_to_the_kabupaten_setting(settings):
    settings.JAMSOS_AREA = ""
    settings.JAMSOS_KABUPATEN = "16.71"
    assert deployment_area() == "16.71"
    assert deployment_kabupaten() == ["16.71"]
    assert not is_province_deployment()
    assert in_deployment("16.71.01") and not in_deployment("16.02.13")
    assert not in_deployment("16.710")


def test_a_province_deployment_holds_all_its_kabupaten_and_kota(settings):
    settings.JAMSOS_AREA = "16"
    kab = deployment_kabupaten()
    assert is_province_deployment()
    # Sumatera Selatan: 13 kabupaten and 4 kota in the Kemendagri list.
    assert len(kab) == 17
    assert {"16.01", "16.02", "16.03", "16.71"} <= set(kab)
    assert all(c.startswith("16.") for c in kab)
    assert in_deployment("16.01.01.2001") and not in_deployment("17.01")


@pytest.mark.parametrize(("code", "kab"), [("16.02.13.2005", "16.02"), ("16.02.13", "16.02"),
                                            ("16.71", "16.71"), ("16", "16")])
def test_the_kabupaten_of_a_code_is_its_first_two_segments(code, kab):
    assert kabupaten_code_of(code) == kab
