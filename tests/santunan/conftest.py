"""Builders for the santunan tests: users, a valid proposal, a DTSEN extract, documents."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import PEOPLE, TEBING_SULUH, import_rows, user

TODAY = dt.date(2025, 9, 15)
KK = "1602130101090001"
DTSEN_HEADER = "NIK;No KK;Desil"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def case_data(**over) -> dict:
    data = {
        "desa_id": TEBING_SULUH, "deceased_nik": "1602131708850001",
        "deceased_name": "Budi Santoso", "died_on": "2025-09-10",
        "death_place": "Rumah, Tebing Suluh", "akta_number": "1602-KM-10092025-0001",
        "no_kk": KK, "heir_nik": "1602135708900002", "heir_name": "Siti Aminah",
        "heir_relationship": "pasangan", "heir_phone": "081234567890",
        "bank_name": "Bank SumselBabel", "account_number": "1234567890",
        "account_holder": "SITI AMINAH",
    }
    return {**data, **over}


def dtsen_csv(*rows: str) -> bytes:
    return "\n".join([DTSEN_HEADER, *rows]).encode()


@pytest.fixture
def people():
    import_rows(*PEOPLE)


@pytest.fixture
def users():
    return {
        "desa": user("kades", "kepala_desa", TEBING_SULUH),
        "camat": user("camat", "camat", "16.02.13"),
        "dinsos": user("dinsos", "verifikator", "16.02"),
        "dinsos2": user("dinsos2", "verifikator", "16.02"),
        "bupati": user("bupati", "pimpinan", "16.02"),
        "other_desa": user("kades2", "kepala_desa", "16.02.02.2001"),
        "auditor": user("auditor", "auditor", "16.02"),
    }


@pytest.fixture
def extract():
    from jamsos.dtsen.importing import import_extract

    report = import_extract(dtsen_csv(f"1602131708850001;{KK};3", f"1602135708900002;{KK};3"),
                            "dtsen.csv", valid_from=dt.date(2025, 1, 1), today=TODAY)
    assert report.errors == []
    return report


def make_case(users, **over):
    from jamsos.santunan import services

    case = services.propose(user=users["desa"], data=case_data(**over), today=TODAY)
    for kind in ("sktm", "akta_kematian"):
        services.upload_document(case, user=users["desa"], kind=kind, filename=f"{kind}.pdf",
                                 data=PDF)
    return case


def advance(case, users, until: str, *, today=TODAY, now=None):
    """Walk a case along the normal path up to the state ``until`` (a second verifikator,
    ``dinsos2``, approves: the one who verified may not)."""
    from jamsos.santunan import services

    steps = [("submit", "draft", "desa"), ("forward", "submitted", "camat"),
             ("verify", "forwarded", "dinsos"), ("approve", "verified", "dinsos2")]
    for action, expected, who in steps:
        if case.status == until:
            break
        # A case failing a check is forwarded only with a note (issue 13 item 5).
        note = "Diteruskan untuk diputuskan Dinas Sosial" if action == "forward" and \
            services.failed_checks(case, today=today) else ""
        case = services.transition(case.pk, action=action, user=users[who], expected=expected,
                                   reason=note, today=today, now=now)
    return case
