"""Finding people (issue 13 item 6; issue 14 "search and lists"): filters, NIK-prefix and name
search, capped counts, page numbers, sorting, the audited export, the API."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from jamsos.audit.models import AuditEvent
from jamsos.registry import selectors
from jamsos.registry.models import Enrolment, Person
from jamsos.registry.selectors import (
    PeopleFilter,
    PeoplePage,
    capped_count,
    list_people,
    nik_prefix_range,
    people_page,
)
from tests.factories import PASSWORD, PEOPLE, TEBING_SULUH, ULAK_KAPAL, import_rows, user

#: A third desa, in Lempuing like Tebing Suluh.
LEMPUING = "16.02.13"


def names(people) -> list[str]:
    return [p.name for p in people]


# ---- pure rules (no database) ----------------------------------------------------------


@given(prefix=st.text("0123456789", min_size=1, max_size=16),
       nik=st.text("0123456789", min_size=16, max_size=16))
def test_the_nik_prefix_range_holds_exactly_the_niks_starting_with_the_prefix(prefix, nik):
    bounds = nik_prefix_range(prefix)
    if "nik" in bounds:
        inside = nik == bounds["nik"]
    else:
        inside = nik >= bounds["nik__gte"] and ("nik__lt" not in bounds
                                                or nik < bounds["nik__lt"])
    assert inside == nik.startswith(prefix)


@given(count=st.integers(0, 20_000), number=st.integers(1, 500))
def test_page_numbers_show_first_last_and_neighbours_in_order(count, number):
    pages = -(-count // 50) or 1
    page = PeoplePage([], min(number, pages), count, True, 50, "nama")
    shown = page.page_numbers()
    numbers = [n for n in shown if n is not None]
    assert numbers == sorted(set(numbers))
    assert {1, pages, page.number} <= set(numbers) and max(numbers) == pages
    for a, b in itertools.pairwise(shown):  # a gap mark only where numbers are skipped
        assert a is not None or b is not None
    for i, n in enumerate(shown):
        if n is None:
            assert shown[i + 1] - shown[i - 1] > 1
    assert len(shown) <= 9


def test_filters_survive_a_round_trip_through_the_query_string():
    f = PeopleFilter.from_params({"q": " siti ", "kecamatan": LEMPUING, "kategori": "rt_rw",
                                  "status": "belum", "dana": "APBD", "urut": "-nik"})
    assert f == PeopleFilter.from_params(f.params())
    assert f.q == "siti" and f.sort == "-nik"
    junk = PeopleFilter.from_params({"kategori": "x", "status": "x", "dana": "x", "urut": "x"})
    assert junk == PeopleFilter()


# ---- the selector --------------------------------------------------------------------

@pytest.fixture
def people(db):
    import_rows(*PEOPLE)
    return {p.name.split()[0].lower(): p for p in Person.objects.all()}


@pytest.mark.django_db
def test_the_area_limits_every_filter(people):
    everyone = names(list_people("16.02", PeopleFilter()))
    assert everyone == ["Ahmad Fauzi", "Budi Santoso", "Siti Aminah"]
    assert names(list_people("16.02", PeopleFilter(kecamatan=LEMPUING))) == [
        "Budi Santoso", "Siti Aminah"]
    assert names(list_people("16.02", PeopleFilter(desa=ULAK_KAPAL))) == ["Ahmad Fauzi"]
    # A kepala desa sees only their desa, whatever the query string names.
    assert names(list_people(TEBING_SULUH, PeopleFilter())) == ["Budi Santoso", "Siti Aminah"]
    for outside in (PeopleFilter(desa=ULAK_KAPAL), PeopleFilter(kecamatan="16.02.02"),
                    PeopleFilter(kecamatan="16.02")):
        assert list(list_people(TEBING_SULUH, outside)) == []
    assert list(list_people("16.02.02", PeopleFilter(desa=TEBING_SULUH))) == []


@pytest.mark.django_db
def test_a_role_in_the_area_brings_a_person_living_elsewhere_into_it(people):
    ahmad = people["ahmad"]
    Enrolment.objects.filter(person=ahmad).update(desa_id=TEBING_SULUH)
    assert "Ahmad Fauzi" in names(list_people(TEBING_SULUH, PeopleFilter()))
    assert "Ahmad Fauzi" in names(list_people(LEMPUING, PeopleFilter()))
    # …and is still found from the desa he lives in.
    assert names(list_people(ULAK_KAPAL, PeopleFilter())) == ["Ahmad Fauzi"]


@pytest.mark.django_db
def test_category_funding_and_status_filters(people):
    assert names(list_people("16.02", PeopleFilter(category="rt_rw"))) == ["Budi Santoso"]
    assert names(list_people("16.02", PeopleFilter(category="rt_rw", desa=ULAK_KAPAL))) == []
    assert len(list_people("16.02", PeopleFilter(funding="APBD"))) == 3
    assert list(list_people("16.02", PeopleFilter(funding="MANDIRI"))) == []
    today = dt.date.today()
    assert len(list_people("16.02", PeopleFilter(status="dijamin"))) == 3
    assert list(list_people("16.02", PeopleFilter(status="belum"))) == []
    budi = people["budi"]
    Enrolment.objects.filter(person=budi).update(end_date=today - dt.timedelta(days=1),
                                                 status="ended")
    assert names(list_people("16.02", PeopleFilter(status="belum"))) == ["Budi Santoso"]
    assert names(list_people("16.02", PeopleFilter(status="berakhir"))) == ["Budi Santoso"]
    assert "Budi Santoso" not in names(list_people("16.02", PeopleFilter(status="dijamin")))
    assert names(list_people(TEBING_SULUH, PeopleFilter(status="berakhir",
                                                        category="rt_rw"))) == ["Budi Santoso"]


@pytest.mark.django_db
def test_name_part_nik_prefix_and_kpj_search(people):
    assert names(list_people("16.02", PeopleFilter(q="MINA"))) == ["Siti Aminah"]
    assert names(list_people("16.02", PeopleFilter(q="a"))) == [
        "Ahmad Fauzi", "Budi Santoso", "Siti Aminah"]
    assert names(list_people("16.02", PeopleFilter(q="160213"))) == [
        "Budi Santoso", "Siti Aminah"]
    assert names(list_people("16.02", PeopleFilter(q="1602 1357"))) == ["Siti Aminah"]
    assert names(list_people("16.02", PeopleFilter(q="1602021708800003"))) == ["Ahmad Fauzi"]
    assert list(list_people("16.02", PeopleFilter(q="1699"))) == []
    # The area still applies to a search.
    assert list(list_people(ULAK_KAPAL, PeopleFilter(q="160213"))) == []


@pytest.mark.django_db
def test_sorting_by_nik_desa_and_category(people):
    assert names(list_people("16.02", PeopleFilter(sort="nik"))) == [
        "Ahmad Fauzi", "Budi Santoso", "Siti Aminah"]
    assert names(list_people("16.02", PeopleFilter(sort="-nik"))) == [
        "Siti Aminah", "Budi Santoso", "Ahmad Fauzi"]
    assert names(list_people("16.02", PeopleFilter(sort="-desa")))[0] in {"Budi Santoso",
                                                                          "Siti Aminah"}
    # kelembagaan_desa < perangkat_desa < rt_rw
    assert names(list_people("16.02", PeopleFilter(sort="kategori"))) == [
        "Siti Aminah", "Ahmad Fauzi", "Budi Santoso"]


@pytest.mark.django_db
def test_the_count_stops_at_the_cap_and_large_sets_refuse_small_set_sorts(people):
    assert capped_count(list_people("16.02", PeopleFilter())) == (3, True)
    assert capped_count(list_people("16.02", PeopleFilter()), cap=2) == (2, False)
    page = people_page("16.02", PeopleFilter(sort="kategori"), 1, per_page=1, cap=2)
    assert not page.exact and page.sort_refused and page.sort == "nama"
    assert names(page.rows) == ["Ahmad Fauzi"] and page.num_pages == 2
    # A page past the counted ones is the last counted page.
    assert people_page("16.02", PeopleFilter(), 99, per_page=1, cap=2).number == 2
    assert people_page("16.02", PeopleFilter(), "x", per_page=1).number == 1


@pytest.mark.django_db
def test_the_count_query_is_limited(people, django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        capped_count(list_people("16.02", PeopleFilter()), cap=7)
    [sql] = [q["sql"] for q in seen.captured_queries]
    assert "LIMIT 8" in sql.upper()


@pytest.mark.django_db
@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_search_and_area_use_indexes(people):
    """EXPLAIN of every query a list runs (with sequential scans discouraged: the test table is
    tiny) never scans the person or role table: the trigram index for a part of a name, the
    unique NIK index for a prefix, the desa indexes for a desa."""
    from django.test.utils import CaptureQueriesContext

    def plans(f: PeopleFilter, area: str = "16.02", *, walk: bool = False) -> str:
        with CaptureQueriesContext(connection) as seen:
            qs = list_people(area, f)
            list(qs[:50])
            capped_count(qs)
        out = []
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            for q in seen.captured_queries:
                if q["sql"].lstrip("(").startswith("SELECT"):
                    cur.execute("EXPLAIN " + q["sql"])
                    out.append("\n".join(r[0] for r in cur.fetchall()))
        text = "\n".join(out)
        if not walk:  # the whole kabupaten: a walk that stops after a page (or the cap)
            assert "Seq Scan on registry_person" not in text, (f, text)
        assert "Seq Scan on registry_enrolment" not in text, (f, text)
        return text

    assert "registry_person_name_trgm" in plans(PeopleFilter(q="siti"))
    assert "registry_person_nik_unique" in plans(PeopleFilter(q="16021357"))
    desa = plans(PeopleFilter(), TEBING_SULUH)
    assert "registry_person_desa_name" in desa and "registry_enrolment_desa_cat" in desa
    assert "registry_person_name" in plans(PeopleFilter(), walk=True)
    plans(PeopleFilter(kecamatan=LEMPUING, category="rt_rw", status="dijamin"))


# ---- the page, its audit and its export ------------------------------------------------


def login(client, username, role, area):
    user(username, role, area)
    assert client.login(username=username, password=PASSWORD)


def many(n: int, desa: str = TEBING_SULUH) -> None:
    """``n`` people in one desa (valid NIKs: Lempuing, born 17-08-1985)."""
    import_rows(*(f"16021317088{5:01d}{i:04d};Warga {i:04d};L;17-08-1985;{desa};d;Ketua RT"
                  for i in range(1, n + 1)))


@pytest.mark.django_db
def test_the_page_keeps_filters_in_links_and_formats_counts(client):
    many(120)
    login(client, "op", "operator", "16.02")
    page = client.get(reverse("registry:people"), {"kecamatan": LEMPUING, "status": "dijamin",
                                                   "urut": "-nama", "hal": 2})
    html = page.content.decode()
    assert page.status_code == 200
    assert "120 orang" in html and "menampilkan 51–100" in html
    assert "Warga 0070" in html and "Warga 0120" not in html  # descending names
    for link in ("hal=1", "hal=3"):
        assert f"?kecamatan=16.02.13&amp;status=dijamin&amp;urut=-nama&amp;{link}" in html
    assert 'href="/registri/orang/unduh.xlsx?kecamatan=16.02.13&amp;status=dijamin' in html
    assert "Tebing Suluh" in html  # the desa options of the chosen kecamatan


@pytest.mark.django_db
def test_a_large_list_says_more_than_the_cap(client, monkeypatch):
    many(60)
    monkeypatch.setattr(selectors, "COUNT_CAP", 50)
    login(client, "op", "operator", "16.02")
    html = client.get(reverse("registry:people")).content.decode()
    assert "lebih dari 50 orang" in html and "60" not in html.split("lebih dari")[0][-30:]
    export = client.get(reverse("registry:people_export"))
    assert export.status_code == 302
    follow = client.get(export["Location"]).content.decode()
    assert "terlalu besar untuk diunduh" in follow


@pytest.mark.django_db
def test_thousands_are_grouped_the_indonesian_way(client, monkeypatch):
    many(3)
    monkeypatch.setattr(selectors, "capped_count", lambda qs, cap=None: (75_693, True))
    login(client, "op", "operator", "16.02")
    assert "75.693 orang" in client.get(reverse("registry:people")).content.decode()


@pytest.mark.django_db
def test_each_unmasked_page_is_audited_with_its_filters(client, people):
    login(client, "op", "operator", "16.02")
    client.get(reverse("registry:people"), {"q": "a", "kecamatan": LEMPUING, "status": "dijamin"})
    [event] = AuditEvent.objects.filter(action="view_personal_list")
    filters = event.changes["filters"][1]
    assert filters == {"q": "a", "kecamatan": LEMPUING, "status": "dijamin", "page": "1"}
    assert event.changes["count"] == [None, 2]


@pytest.mark.django_db
def test_the_export_is_audited_area_scoped_and_keeps_numbers_as_text(client, people):
    Person.objects.filter(name="Siti Aminah").update(phone="081234567890", kpj="00123456789")
    login(client, "kades", "kepala_desa", TEBING_SULUH)
    reply = client.get(reverse("registry:people_export"), {"desa": ULAK_KAPAL})
    assert reply.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(reply.content)).active
    assert sheet.max_row == 1  # another desa: nothing, not Ahmad
    reply = client.get(reverse("registry:people_export"), {"q": "siti"})
    sheet = openpyxl.load_workbook(io.BytesIO(reply.content)).active
    row = [c for c in sheet[2]]
    assert row[0].value == "1602135708900002" and row[0].data_type == "s"
    assert row[0].number_format == "@"
    assert row[5].value == "081234567890" and row[5].number_format == "@"
    assert row[6].value == "00123456789" and row[6].data_type == "s"
    assert row[1].value == "Siti Aminah" and row[8].value == "Terlindungi"
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", row[3].value)  # one date format
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.object_type == "person_list" and event.changes["rows"] == [None, 1]
    assert event.changes["filters"] == [None, {"q": "siti"}]


@pytest.mark.django_db
def test_the_export_masks_numbers_for_roles_without_personal_data_rights(client, people):
    login(client, "aud", "auditor", "16.02")
    reply = client.get(reverse("registry:people_export"))
    text = " ".join(str(c) for row in openpyxl.load_workbook(io.BytesIO(reply.content))
                    .active.iter_rows(values_only=True) for c in row)
    assert "1602135708900002" not in text and "160213******0002" in text


@pytest.mark.django_db
def test_the_rejected_rows_file_keeps_personal_numbers_as_text(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jamsos.registry.models import ImportBatch
    from jamsos.registry.tasks import run_import
    from tests.factories import HEADER

    login(client, "op", "operator", "16.02")
    body = "\n".join([HEADER + ";No HP;KPJ",
                      f"1602135708910004;Rina;P;17-08-1991;{TEBING_SULUH};z;PKK;"
                      "081234567890;00012345678"])
    client.post(reverse("registry:imports"), {"file": SimpleUploadedFile("d.csv", body.encode())})
    batch = ImportBatch.objects.latest("id")
    run_import.call(batch.pk)
    reply = client.get(reverse("registry:import_rejected", args=[batch.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(reply.content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    for column, value in (("NIK", "1602135708910004"), ("No HP", "081234567890"),
                          ("KPJ", "00012345678")):
        assert row[column].value == value and row[column].data_type == "s", column
        assert row[column].number_format == "@", column
    assert row["Nama"].number_format != "@"
    # The reader keeps only the import's columns; a family-card number would stay text too.
    from jamsos.registry.views import _is_number_text

    assert _is_number_text("No. KK") and _is_number_text("Nomor KK")
    assert not _is_number_text("Nama")


# ---- the API -------------------------------------------------------------------------


def token(client, username, role, area) -> dict:
    user(username, role, area)
    reply = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                        content_type="application/json")
    return {"HTTP_AUTHORIZATION": f"Bearer {reply.json()['token']}"}


@pytest.mark.django_db
def test_the_api_filters_counts_up_to_the_cap_and_audits(client, people, monkeypatch):
    auth = token(client, "op", "operator", "16.02")
    reply = client.get("/api/v1/people", {"kecamatan": LEMPUING, "sort": "-nik"}, **auth)
    body = reply.json()
    assert reply.status_code == 200 and body["count"] == 2 and body["count_exact"] is True
    assert [p["name"] for p in body["items"]] == ["Siti Aminah", "Budi Santoso"]
    assert client.get("/api/v1/people", {"q": "1602 02"}, **auth).json()["count"] == 1
    assert client.get("/api/v1/people", {"category": "rt_rw"}, **auth).json()["count"] == 1
    assert client.get("/api/v1/people", {"funding_source": "MANDIRI"},
                      **auth).json()["count"] == 0
    assert client.get("/api/v1/people", {"status": "nope"}, **auth).status_code == 422
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    capped = client.get("/api/v1/people", {"limit": 1, "offset": 2}, **auth).json()
    assert capped["count"] == 2 and capped["count_exact"] is False
    assert [p["name"] for p in capped["items"]] == ["Siti Aminah"]
    event = AuditEvent.objects.filter(action="view_personal_list").order_by("id").first()
    assert event.changes["filters"][1]["kecamatan"] == LEMPUING


@pytest.mark.django_db
def test_the_api_keeps_a_kepala_desa_in_their_desa(client, people):
    auth = token(client, "kades", "kepala_desa", ULAK_KAPAL)
    assert client.get("/api/v1/people", **auth).json()["count"] == 1
    outside = client.get("/api/v1/people", {"desa": TEBING_SULUH}, **auth).json()
    assert outside == {"items": [], "count": 0, "count_exact": True}
