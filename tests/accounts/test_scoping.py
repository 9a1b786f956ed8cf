"""Every role, every door: nothing outside the user's area through pages, exports, the API or
background jobs, also by guessing ids."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jamsos.registry.models import ImportBatch, Person
from tests.factories import (
    PASSWORD,
    PEOPLE,
    TEBING_SULUH,
    ULAK_KAPAL,
    import_rows,
    upload_and_run,
    user,
)

pytestmark = pytest.mark.django_db

# (role, area): every role at a desa, a kecamatan or another kabupaten — never Ulak Kapal.
NARROW = [
    ("kepala_desa", TEBING_SULUH), ("camat", "16.02.13"), ("operator", "16.02.13"),
    ("bpjs", "16.02.13"), ("verifikator", "16.02.13"), ("auditor", "16.02.13"),
    ("admin", "16.01"), ("pimpinan", "16.02.13"), ("operator", "16.01"),
]


@pytest.fixture
def outside():
    """Ahmad lives and works in Ulak Kapal (Tanjung Lubuk), outside every NARROW area."""
    import_rows(*PEOPLE)
    batch = import_rows(f"1602021708810005;Joko;L;17-08-1981;{ULAK_KAPAL};d;Ketua RT")
    return {"person": Person.objects.get(nik="1602021708800003"),
            "batch": ImportBatch.objects.get(pk=batch.batch_id)}


@pytest.mark.parametrize(("role", "area"), NARROW)
def test_pages_and_exports_refuse_what_lies_outside(client, outside, role, area):
    user("u", role, area)
    assert client.login(username="u", password=PASSWORD)
    person, batch = outside["person"], outside["batch"]
    not_found = [
        client.get(reverse("coverage:dashboard"), {"wilayah": ULAK_KAPAL}),
        client.get(reverse("coverage:export"), {"wilayah": ULAK_KAPAL}),
        client.get(reverse("registry:targets"), {"wilayah": ULAK_KAPAL}),
    ]
    assert [r.status_code for r in not_found] == [404, 404, 404]
    people_pages = [
        client.get(reverse("registry:person", args=[person.pk])),
        client.get(reverse("coverage:worklist", args=[ULAK_KAPAL])),
        client.get(reverse("coverage:worklist_export", args=[ULAK_KAPAL])),
        client.get(reverse("registry:import_detail", args=[batch.pk])),
        client.get(reverse("registry:import_status", args=[batch.pk])),
    ]
    expected = 403 if role == "pimpinan" else 404
    assert [r.status_code for r in people_pages] == [expected] * 5
    if role != "pimpinan":
        listing = client.get(reverse("registry:people")).content.decode()
        assert "Ahmad" not in listing and "Joko" not in listing
        assert "Ahmad" not in client.get(reverse("registry:findings")).content.decode()
    changed = client.post(reverse("registry:person", args=[person.pk]), {"name": "X"})
    assert changed.status_code in (403, 404)
    assert Person.objects.get(pk=person.pk).name == "Ahmad Fauzi"


@pytest.mark.parametrize(("role", "area"), NARROW)
def test_the_api_refuses_what_lies_outside(client, outside, role, area):
    user("u", role, area)
    token = client.post("/api/v1/auth/token", {"username": "u", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    person, batch = outside["person"], outside["batch"]
    expected = 403 if role == "pimpinan" else 404
    assert client.get(f"/api/v1/people/{person.pk}", **auth).status_code == expected
    assert client.patch(f"/api/v1/people/{person.pk}", {"name": "X"},
                        content_type="application/json", **auth).status_code in (403, 404)
    assert client.get(f"/api/v1/imports/{batch.pk}", **auth).status_code == 404
    assert client.get("/api/v1/coverage", {"area": ULAK_KAPAL}, **auth).status_code == 404
    if role != "pimpinan":
        items = client.get("/api/v1/people", **auth).json()["items"]
        assert "Ahmad Fauzi" not in {p["name"] for p in items}


@pytest.mark.parametrize(("role", "area"), [r for r in NARROW if r[0] in
                                             ("kepala_desa", "camat", "operator", "admin")])
def test_background_import_jobs_cannot_write_outside_the_uploaders_area(client, outside, role,
                                                                         area):
    user("u", role, area)
    assert client.login(username="u", password=PASSWORD)
    batch = upload_and_run(client, f"1602021708810006;Susi;P;17-08-1981;{ULAK_KAPAL};c;PKK")
    assert batch.summary["rejected"] == 1 and batch.summary["created"] == 0
    assert not Person.objects.filter(nik="1602021708810006").exists()
