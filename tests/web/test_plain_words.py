"""Plain Bahasa Indonesia everywhere: no internal code in the visible text of any page.

Every role signs in, opens every page of its menu and every page those link to (one level deep,
same site, GET only, no downloads, no logout), with data in every state: santunan cases in each
status, claims of each kind, reconciliation rows of each class, audit events of each action, an
import with errors. The visible text (no ``<script>``/``<style>``, no attribute values, so no
form field names) must hold no snake_case word, no raw choice value of a model and no English
status word."""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from jamsos.accounts.models import Role
from tests.factories import HEADER, PASSWORD, TEBING_SULUH, import_rows
from tests.web import homes_demo

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
#: English words a status, class or kind would leak as (also when a label is forgotten).
ENGLISH = {"draft", "submitted", "forwarded", "verified", "approved", "paid", "closed",
           "rejected", "pending", "active", "ended", "suspended", "queued", "running", "done",
           "failed", "unpaid", "partial", "matched", "open", "filed", "declined", "sent",
           "duplicate", "reported", "create", "update", "delete", "login", "logout", "export",
           "death", "married", "working", "completed", "died", "age", "true", "false", "none"}
#: Words allowed in visible text although they look like codes, each with its reason.
ALLOWED = {
    # Indonesian words that are also choice values; their labels are the same word.
    "anak": "Indonesian 'child' (relationship label 'Anak', also '6 anak')",
    "saudara": "Indonesian 'sibling' ('Saudara kandung')",
    "janda": "Indonesian word, label 'Janda'",
    "duda": "Indonesian word, label 'Duda'",
    "cucu": "Indonesian word, label 'Cucu / kakek-nenek'",
    "mertua": "Indonesian word, label 'Mertua'",
    "lainnya": "Indonesian 'other'",
    "peserta": "Indonesian 'participant'",
    "pasangan": "Indonesian 'spouse/pair'",
    "desa": "Indonesian 'village' (region level)",
    "kecamatan": "Indonesian 'district' (region level)",
    "kabupaten": "Indonesian 'regency' (region level)",
    "kota": "Indonesian 'city'",
    "provinsi": "Indonesian 'province'",
    "kelurahan": "Indonesian 'urban village'",
    "admin": "the role name shown to people as 'admin' is also a username in the demo",
    "pimpinan": "Indonesian 'leaders' (a role's Indonesian name)",
    "operator": "Indonesian loanword, the role's own name",
    "verifikator": "Indonesian loanword, the role's own name",
    "camat": "Indonesian title",
    "bpjs": "the agency's name in lower case in usernames ('bpjs')",
    "auditor": "Indonesian loanword",
    "dinsos": "a demo username",
    "APBD": "official acronym (regional budget), how every regency document names it",
    "BPU": "official acronym (bukan penerima upah) of BPJS Ketenagakerjaan",
}


def choice_values() -> set[str]:
    """Raw values of every model field's choices whose label is not the same word."""
    values = set()
    for model in apps.get_models():
        if not model.__module__.startswith("jamsos."):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and value.lower() != str(label).lower():
                    values.add(value)
    from jamsos.claims.models import EVENTS

    values |= {code for events in EVENTS.values() for code, _label in events}
    return {v for v in values if len(v) > 2 and v not in ALLOWED}


class _Text(HTMLParser):
    """Visible text: data outside <script>, <style> and <template>; no attribute values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skip += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href and "download" not in dict(attrs):
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def parse(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts), parser.links


def code_tokens(text: str, values: set[str]) -> set[str]:
    found = {t for t in SNAKE.findall(text) if t not in ALLOWED}
    words = set(re.findall(r"[A-Za-z_]+", text))
    found |= {w for w in words if w in values}
    found |= {w for w in words if w.lower() in ENGLISH}
    return found


def with_every_state() -> dict[str, str]:
    """The homes' demo plus premiums (every reconciliation class), an import with errors and
    a refused import row; returns username → role."""
    from django.contrib.auth import get_user_model

    from jamsos.audit.models import AuditEvent
    from jamsos.claims.models import Claim
    from jamsos.premiums.demo import build_demo as premiums_demo
    from jamsos.premiums.models import RecClass, ReconciliationRow
    from jamsos.registry.models import ImportBatch, ImportStatus, Person
    from jamsos.registry.tasks import run_import
    from jamsos.santunan.models import Case, Status

    today = dt.date.today()
    users = homes_demo.build(today)
    premiums_demo(today=today, stdout=io.StringIO())
    operator = get_user_model().objects.get(username="operator")
    path = Path(tempfile.mkdtemp()) / "rusak.csv"
    path.write_text("\n".join([HEADER, "12345;Tanpa NIK Benar;L;17-08-1985;16.02.13.2005;d;RT",
                               "1602131708850099;Tanggal Salah;X;31-02-1985;16.02.99.9999;z;"]))
    batch = ImportBatch.objects.create(filename="rusak.csv", stored_path=str(path), sha256="x",
                                       size=1, uploaded_by=operator, area_id="16.02",
                                       status=ImportStatus.QUEUED)
    run_import.call(batch.pk)
    # A village import touching someone registered elsewhere: refused and audited.
    elsewhere = Person.objects.exclude(desa_id=TEBING_SULUH).order_by("id").first()
    kades = get_user_model().objects.get(username="kades.tebingsuluh")
    row = (f"{elsewhere.nik};{elsewhere.name};{elsewhere.sex};"
           f"{elsewhere.birth_date:%d-%m-%Y};{TEBING_SULUH};d;Ketua RT")
    assert import_rows(row, user=kades, area_code=TEBING_SULUH, today=today).rejected == 1
    # Data in every state the pages can show.
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(ReconciliationRow.objects.values_list("cls", flat=True)) == set(RecClass.values)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"import_refused", "permission_change", "create", "update"} <= actions
    assert len(set(Claim.objects.values_list("program", flat=True))) >= 3
    return users


def is_page(client: Client, href: str) -> str | None:
    """The HTML of a same-site page (None for downloads, redirects and other content)."""
    response = client.get(href)
    assert response.status_code < 500, href
    if response.status_code != 200 or "attachment" in response.get("Content-Disposition", ""):
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    return response.content.decode()


SKIP = ("/keluar", "/logout", "/i18n/", "/static/", "/api/")


def reachable(client: Client, base: str, links: list[str], seen: set[str]) -> list[str]:
    """Same-site GET links not seen yet, a few per URL pattern (details in every state)."""
    per_name: dict[str, int] = {}
    out = []
    for href in links:
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or href.startswith(("#", "mailto:")):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen or path.startswith(SKIP):
            continue
        try:
            name = resolve(parts.path).view_name
        except Resolver404:
            continue
        key = f"{name}:{bool(parts.query)}"
        if per_name.get(key, 0) >= 12:
            continue
        per_name[key] = per_name.get(key, 0) + 1
        seen.add(path)
        out.append(path)
    return out


def crawl(username: str, values: set[str]) -> dict[str, set[str]]:
    """url → code-like tokens, for every page the user reaches from the menu, one level deep."""
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    home = reverse("web:home")
    html = is_page(client, home)
    nav = re.search(r'<nav class="menu-wide".*?</nav>', html, re.S).group(0)
    seen = {home}
    menu = reachable(client, home, re.findall(r'<a href="([^"]+)"', nav), seen)
    found: dict[str, set[str]] = {}
    pages = [(home, html)]
    for href in menu:
        page = is_page(client, href)
        if page is not None:
            pages.append((href, page))
    for href, page in list(pages):
        _text, links = parse(page)
        for link in reachable(client, href, links, seen):
            linked = is_page(client, link)
            if linked is not None:
                pages.append((link, linked))
    if username == "auditor":  # the trail with events of every action
        from jamsos.audit.models import AuditEvent

        for action in AuditEvent.objects.order_by().values_list("action", flat=True).distinct():
            url = f"{reverse('audit:trail')}?q={action}"
            pages.append((url, is_page(client, url)))
    for href, page in pages:
        tokens = code_tokens(parse(page)[0], values)
        if tokens:
            found[href] = tokens
    return found


@pytest.fixture(scope="module")
def every_state(module_transaction) -> dict[str, str]:
    """:func:`with_every_state`, built once for the module's two crawls."""
    return with_every_state()


def test_no_page_of_any_role_shows_an_internal_code(every_state):
    users = every_state
    values = choice_values()
    assert {"amount_differs", "after_death", "forwarded", "work_accident"} & values
    roles = {}
    for username, role in users.items():
        roles.setdefault(role, username)  # one user per role
    assert set(roles) == set(Role)
    problems = {}
    # The auditor last: the trail then holds the sign-ins and views of every other role too.
    for role, username in sorted(roles.items(), key=lambda ru: ru[0] == Role.AUDITOR):
        for url, tokens in crawl(username, values).items():
            problems[f"{role} {url}"] = sorted(tokens)
    assert not problems, "\n".join(f"{k}: {v}" for k, v in sorted(problems.items()))


def test_the_checker_finds_codes_and_ignores_what_is_not_visible():
    values = {"amount_differs", "forwarded"}
    text, _links = parse('<p title="heir_nik">Jumlah berbeda</p><script>var a_b=1</script>'
                         '<input name="heir_nik"><style>.x_y{}</style><p>amount_differs</p>'
                         '<td>ended</td><td>Menunggu verifikasi</td>')
    assert code_tokens(text, values) == {"amount_differs", "ended"}


# --- the result pages behind forms (issue 13 item 3): GET crawling never reaches them -------

#: One case per engine event, with every fact an event may read (the results then hold every
#: item, reason and note the engine writes).
CASE = {"event_date": "2025-06-02", "wage": "3.000.000", "segment": "pu",
        "membership_start": "2015-01-01", "arrears_months": "0", "birth_date": "1968-01-01",
        "child1_birth": "2012-01-01", "child1_level": "sd", "incapacity_months": "3",
        "disability_percent": "40", "treatment_cost": "2.500.000", "home_care_cost": "0",
        "claim_date": "2025-06-10", "balance": "40.000.000", "registration_age": "30",
        "months_paid_24": "20", "consecutive_months": "12"}


def _upload(name: str, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def result_pages(users: dict[str, str]) -> list[tuple[str, str]]:
    """(label, html) of every result page a role reaches through a form: the calculator's
    results (every event, payable or not, every contribution package) and its refusals, a
    claims-import trial with refused rows, the DTSEN import trial, refused uploads and forms."""
    from jamsos.rules import EVENTS

    by_role = {}
    for username, role in users.items():
        by_role.setdefault(role, username)

    def client(role):
        c = Client()
        assert c.login(username=by_role[role], password=PASSWORD)
        return c

    pages = []

    def keep(label, response):
        assert response.status_code == 200, (label, response.status_code)
        pages.append((label, response.content.decode()))
        return response

    op = client(Role.OPERATOR)
    calc = reverse("benefits:calculator")
    for program, events in EVENTS.items():
        for event in events:
            page = keep(f"calculator {program}:{event}",
                        op.get(calc, {**CASE, "program": program, "event": event}))
            assert page.context["result"] is not None, (program, event)
    keep("calculator not payable", op.get(calc, {**CASE, "program": "jkm", "event": "death",
                                                  "segment": "bpu", "arrears_months": "4"}))
    keep("calculator refused", op.get(calc, {**CASE, "program": "jp", "event": "retirement",
                                              "wage": "x", "consecutive_months": "900",
                                              "event_date": "2025-02-30"}))
    keep("calculator engine refusal", op.get(calc, {**CASE, "program": "jp",
                                                     "event": "retirement",
                                                     "months_paid_24": "30"}))
    for segment, programs in (("pu", "jkk jkm jht jp jkp"), ("bpu", "jkk jkm jht")):
        keep(f"contribution {segment}", op.get(calc, {
            "mode": "iuran", "month": "2025-09", "c_wage": "3.000.000", "c_segment": segment,
            "risk_class": "2", **{f"c_{p}": "1" for p in programs.split()}}))
    keep("contribution refused", op.get(calc, {"mode": "iuran", "month": "x", "c_wage": "y"}))
    rows = "\n".join([
        "No Klaim;NIK atau KPJ;Program;Jenis Kasus;Tanggal Kejadian;Tanggal Lapor;Status;"
        "Tanggal Bayar;Jumlah Dibayar",
        "K-1;1602139999999999;JKM;Meninggal dunia;01-05-2025;02-05-2025;Dibayar;"
        "10-05-2025;42000000",
        "K-2;123;XYZ;Entah;31-02-2025;;Aneh;;-5",
        "K-3;;JKK;Kecelakaan kerja;01-13-2025;;Dilaporkan;;"])
    keep("claims import trial", op.post(reverse("claims:import"), {
        "file": _upload("klaim.csv", rows), "dry_run": "1"}))
    keep("claims import refused", op.post(reverse("claims:import"), {}))
    keep("reconciliation refused", op.post(reverse("premiums:reconciliations"),
                                           {"period": "bulan lalu"}))

    ver = client(Role.VERIFIKATOR)
    keep("dtsen trial", ver.post(reverse("santunan:dtsen"), {
        "file": _upload("dtsen.csv", "NIK;No KK;Desil\n123;456;11\n"),
        "valid_from": "2025-01-01", "dry_run": "1"}))
    keep("dtsen refused", ver.post(reverse("santunan:dtsen"), {}))

    kades = client(Role.KEPALA_DESA)
    keep("santunan proposal refused", kades.post(reverse("santunan:new"), {
        "deceased_nik": "12", "died_on": "2999-01-01", "heir_relationship": "x"}))
    return pages


def test_no_result_page_behind_a_form_shows_an_internal_code(every_state):
    users = every_state
    values = choice_values()
    pages = result_pages(users)
    assert len(pages) > 30
    problems = {label: sorted(tokens) for label, html in pages
                if (tokens := code_tokens(parse(html)[0], values))}
    assert not problems, "\n".join(f"{k}: {v}" for k, v in sorted(problems.items()))
