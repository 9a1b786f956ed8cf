"""The e-mail outbox: every message leaves exactly once, also from processes sending at once."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections
from django.utils import timezone

from jamsos.santunan import notify
from jamsos.santunan.models import OutboxEmail


class SlowMailer:
    """A mail server that takes a moment per message and remembers what it got."""

    def __init__(self):
        self.got: list[str] = []
        self.lock = threading.Lock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        time.sleep(0.02)
        with self.lock:
            self.got.extend(m.to[0] for m in messages)
        return len(messages)


@pytest.fixture
def mailer(monkeypatch):
    server = SlowMailer()
    monkeypatch.setattr(notify, "mailers", type("Mailers", (), {"default": server}))
    return server


def rows(n: int):
    now = timezone.now()
    OutboxEmail.objects.bulk_create([
        OutboxEmail(to=f"kepala{i}@example.org", subject="SLA", body="hari ke-5",
                    key=f"t:{i}", created_at=now) for i in range(n)])


@pytest.mark.django_db
def test_the_outbox_is_sent_once_and_failures_stay(mailer):
    rows(3)
    assert notify.send_outbox() == 3 and notify.send_outbox() == 0
    assert sorted(mailer.got) == [f"kepala{i}@example.org" for i in range(3)]
    assert OutboxEmail.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_three_processes_sending_at_once_send_every_message_exactly_once(mailer):
    """Issue 18: 10 messages left for 8 outbox rows (PostgreSQL: the SQLite in-memory test
    database has no busy timeout; on SQLite each claim is an exclusive transaction)."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    rows(8)
    barrier = threading.Barrier(3)
    counts = []

    def send():
        try:
            barrier.wait(timeout=10)
            counts.append(notify.send_outbox())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(mailer.got) == sorted(f"kepala{i}@example.org" for i in range(8))
    assert sum(counts) == 8
