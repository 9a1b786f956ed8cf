"""The suite's ``module_transaction``: data built once per module, each test's changes rolled
back after it (tests run in file order within a module)."""

from __future__ import annotations

import pytest

from jamsos.regions.models import Level, Region

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(module_transaction):
    Region.objects.create(code="99", name="Provinsi Uji Sekali", level=Level.PROVINSI)
    return "99"


def test_a_test_sees_the_module_data_and_changes_it(built):
    assert Region.objects.filter(code=built).exists()
    Region.objects.create(code="98", name="Provinsi Uji Test", level=Level.PROVINSI)
    Region.objects.filter(code=built).update(name="diubah")


def test_the_next_test_sees_the_module_data_as_built(built):
    assert Region.objects.get(code=built).name == "Provinsi Uji Sekali"
    assert not Region.objects.filter(code="98").exists()
