"""Issue 15 (low): the auditor's person page masks phone and KPJ, as the API does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jamsos.registry.models import Person
from tests.factories import PASSWORD, TEBING_SULUH, user

pytestmark = pytest.mark.django_db
HEADER_EXTRA = "NIK;Nama;Jenis Kelamin;Tanggal Lahir;Kode Desa;Kategori;Sub Kategori;No HP;KPJ"


@pytest.mark.parametrize(("role", "shown"), [("auditor", False), ("operator", True)])
def test_phone_and_kpj_on_the_person_page_follow_personal_data_rights(client, role, shown):
    from jamsos.registry.services import import_workers

    import_workers("\n".join([
        HEADER_EXTRA,
        f"1602131708850001;Budi Santoso;L;17-08-1985;{TEBING_SULUH};d;Ketua RT;081234567890;"
        "25012345678"]).encode(), "t.csv")
    person = Person.objects.get(nik="1602131708850001")
    assert person.phone == "081234567890" and person.kpj == "25012345678"
    user("u", role, "16.02")
    assert client.login(username="u", password=PASSWORD)
    text = client.get(reverse("registry:person", args=[person.pk])).content.decode()
    assert ("081234567890" in text) is shown and ("25012345678" in text) is shown
    assert "*********890" in text or shown
