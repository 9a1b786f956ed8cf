"""Pages, area scoping (404), document serving, notifications and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client

from jamsos.santunan.models import Case, Notification, OutboxEmail
from tests.factories import PASSWORD
from tests.santunan.conftest import PDF, TODAY, advance, make_case

pytestmark = pytest.mark.django_db


def client_for(username):
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_pages_render_for_every_role(people, users, extract):
    case = make_case(users)
    for name in ("kades", "camat", "dinsos", "auditor"):
        c = client_for(name)
        for url in ("/santunan/", "/santunan/terlambat/", "/santunan/laporan/",
                    "/santunan/notifikasi/", f"/santunan/{case.pk}/"):
            assert c.get(url).status_code == 200, (name, url)
    bupati = client_for("bupati")  # aggregates only: the report, not the named cases
    assert bupati.get("/santunan/laporan/").status_code == 200
    for url in ("/santunan/", "/santunan/terlambat/", f"/santunan/{case.pk}/"):
        assert bupati.get(url).status_code == 403, url
    assert client_for("dinsos").get("/santunan/pembayaran/").status_code == 200
    assert client_for("dinsos").get("/santunan/dtsen/").status_code == 200
    assert client_for("kades").get("/santunan/baru/").status_code == 200
    assert client_for("bupati").get("/santunan/baru/").status_code == 403


def test_out_of_area_case_and_document_are_404(people, users):
    case = make_case(users)
    doc = case.documents.first()
    c = client_for("kades2")
    assert c.get(f"/santunan/{case.pk}/").status_code == 404
    assert c.get(f"/santunan/{case.pk}/dokumen/{doc.pk}/").status_code == 404
    assert c.get("/santunan/999999/").status_code == 404
    ok = client_for("camat").get(f"/santunan/{case.pk}/dokumen/{doc.pk}/")
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf"
    assert b"".join(ok.streaming_content) == PDF
    assert client_for("bupati").get(f"/santunan/{case.pk}/dokumen/{doc.pk}/").status_code == 403


def test_stale_form_post_shows_a_message(people, users, extract):
    case = advance(make_case(users), users, "forwarded")
    c1, c2 = client_for("dinsos"), client_for("dinsos2")
    c1.post(f"/santunan/{case.pk}/tindakan/", {"action": "verify", "expected": "forwarded"})
    r = c2.post(f"/santunan/{case.pk}/tindakan/", {"action": "reject", "expected": "forwarded",
                                                    "reason": "x"}, follow=True)
    assert "sudah diproses orang lain" in r.content.decode()
    assert Case.objects.get(pk=case.pk).status == "verified"


def test_day_five_notice_once_and_by_email(people, users, extract, settings, tmp_path):
    settings.JAMSOS_SANTUNAN_HEADS = ["dinsos"]  # the head of Dinas Sosial
    users["dinsos"].email = "kadinsos@example.org"
    users["dinsos"].save()
    advance(make_case(users), users, "verified", today=TODAY)
    from jamsos.santunan.services import day_notices

    assert day_notices(today=TODAY + dt.timedelta(days=4))["notifications"] == 0
    assert day_notices(today=TODAY + dt.timedelta(days=5))["notifications"] == 1
    assert day_notices(today=TODAY + dt.timedelta(days=6))["notifications"] == 0
    n = Notification.objects.get(user=users["dinsos"], message__contains="5 hari")
    assert "5 hari" in n.message and "sisa 2 hari" in n.message
    mail = OutboxEmail.objects.get(to="kadinsos@example.org", body__contains="5 hari")
    assert mail.sent_at is not None, mail.error
    from django.core import mail as djmail

    assert len([m for m in djmail.outbox if "5 hari" in m.body]) == 1
    page = client_for("dinsos").get("/santunan/").content.decode()
    unread = Notification.objects.filter(user=users["dinsos"], read_at__isnull=True).count()
    assert f'id="unread-count">{unread}<' in page


def test_sla_cli_json(people, users, extract, capsys):
    case = advance(make_case(users), users, "approved", today=TODAY)
    Case.objects.filter(pk=case.pk).update(status="paid", paid_on=TODAY + dt.timedelta(days=3))
    other = advance(make_case(users, deceased_nik="1602135708900002", heir_nik="1602131708850001",
                              heir_name="Budi Santoso", account_holder="Budi Santoso"),
                    users, "verified", today=TODAY)
    assert other.sla_start == TODAY
    call_command("santunan_sla", date_from="2025-09-01", date_to="2025-09-30",
                 today="2025-09-30", format="json")
    out = json.loads(capsys.readouterr().out)
    assert {k: out[k] for k in ("cases", "paid", "paid_within_sla", "percent_within_sla",
                                "median_days", "overdue")} == {
        "cases": 2, "paid": 1, "paid_within_sla": 1, "percent_within_sla": 100.0,
        "median_days": 3.0, "overdue": 1}
    assert out["by_kecamatan"][0]["name"] == "Lempuing"


def test_dtsen_cli_json(tmp_path, capsys):
    path = tmp_path / "dtsen.csv"
    path.write_text("NIK;No KK;Desil\n1602131708850001;1602130101090001;3\nx;y;z\n")
    call_command("santunan_dtsen", str(path), valid_from="2025-01-01", dry_run=True,
                 format="json")
    out = json.loads(capsys.readouterr().out)
    assert out["stored"] == 1 and out["rejected"] == 1 and out["dry_run"] is True
    assert {e["code"] for e in out["errors"]} >= {"kk_invalid", "decile_invalid"}


def test_case_history_reads_in_words(people, users, extract):
    case = advance(make_case(users), users, "forwarded")
    page = client_for("camat").get(f"/santunan/{case.pk}/").content.decode()
    assert "Usulan dibuat" in page and "Teruskan ke Dinas Sosial" in page
    assert ">propose<" not in page


def test_viewing_a_case_unmasked_is_audited(people, users, extract):
    from jamsos.audit.models import AuditEvent

    case = make_case(users)
    client_for("camat").get(f"/santunan/{case.pk}/")
    client_for("auditor").get(f"/santunan/{case.pk}/")  # masked: not a personal-data view
    views = AuditEvent.objects.filter(action="view_personal", object_type="santunan_case")
    assert list(views.values_list("actor_name", flat=True)) == ["camat"]


def test_downloading_the_transfer_file_is_an_audited_export(people, users, extract):
    from jamsos.audit.models import AuditEvent
    from jamsos.santunan import payments

    advance(make_case(users), users, "approved")
    batch = payments.create_batch(user=users["dinsos"], area_code="16.02")
    reply = client_for("dinsos").get(f"/santunan/pembayaran/{batch.pk}/transfer.csv")
    assert reply.status_code == 200 and reply["Content-Type"].startswith("text/csv")
    event = AuditEvent.objects.get(action="export", object_type="santunan_batch")
    assert (event.actor_name, event.object_id) == ("dinsos", str(batch.pk))
