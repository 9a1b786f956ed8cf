"""In-app notifications and the e-mail outbox."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.utils import timezone

from jamsos.accounts.models import Role
from jamsos.regions.selectors import ancestors
from jamsos.santunan import conf
from jamsos.santunan.models import Notification, OutboxEmail

log = logging.getLogger(__name__)


def users_with_role(role: str, area_code: str):
    """Active users of ``role`` whose area contains ``area_code``."""
    areas = [*ancestors(area_code), area_code]
    return get_user_model().objects.filter(profile__role=role, profile__area_id__in=areas,
                                           is_active=True)


def heads(kabupaten_code: str | None = None):
    """The head(s) of the agency told on day 5 of the SLA (of the case's kabupaten/kota)."""
    from jamsos.regions.selectors import deployment_kabupaten

    names = conf.head_usernames()
    users = get_user_model().objects.filter(is_active=True)
    if names:
        return users.filter(username__in=names)
    # The head of Dinas Sosial: by default the agency's kabupaten-level verifikator account(s).
    codes = [kabupaten_code] if kabupaten_code else deployment_kabupaten()
    return users.filter(profile__role=Role.VERIFIKATOR, profile__area_id__in=codes)


def notify(users, *, key: str, message: str, case=None, now=None, subject: str = "") -> int:
    """Tell each user once per ``key``; returns how many new notifications were made."""
    now = now or timezone.now()
    users = list(users)
    if not users:
        return 0
    existing = set(Notification.objects.filter(user__in=users, key=key)
                   .values_list("user_id", flat=True))
    new = [u for u in users if u.pk not in existing]
    Notification.objects.bulk_create(
        [Notification(user=u, case=case, key=key, message=message[:500], created_at=now)
         for u in new], ignore_conflicts=True)
    mails = [OutboxEmail(to=u.email, subject=(subject or message)[:200], body=message,
                         key=f"{key}:{u.pk}"[:80], created_at=now) for u in new if u.email]
    if mails:
        OutboxEmail.objects.bulk_create(mails, ignore_conflicts=True)
        transaction.on_commit(send_outbox)
    return len(new)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, ids=None, now=None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=now or timezone.now())


def send_outbox(now=None, limit: int = 500) -> int:
    """Send the e-mails not yet sent; failures stay in the outbox with their error.

    Every message leaves once, also when several processes send at the same time (two
    ``jamsos serve`` on one database, cron's ``jamsos periodic`` beside them): each row is
    claimed in a transaction of its own (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; on
    SQLite the transaction itself is exclusive), sent, and marked sent before it is released.
    A process that dies between sending and marking sends that one message again later.
    """
    now = now or timezone.now()
    if not OutboxEmail.objects.filter(sent_at__isnull=True, error="").exists():
        return 0
    sent = 0
    try:
        connection = mailers.default  # settings.MAILERS (JAMSOS_EMAIL…)
        with connection:
            for _ in range(limit):
                with transaction.atomic():
                    mail = (OutboxEmail.objects.select_for_update(skip_locked=True)
                            .filter(sent_at__isnull=True, error="").order_by("id").first())
                    if mail is None:
                        break
                    try:
                        connection.send_messages([EmailMessage(mail.subject, mail.body,
                                                               conf.email_from(), [mail.to])])
                        mail.sent_at = now
                        sent += 1
                    except Exception as exc:
                        mail.error = str(exc)[:300]
                    mail.save(update_fields=["sent_at", "error"])
    except Exception as exc:
        log.warning("santunan: e-mail tidak terkirim: %s", type(exc).__name__)
    return sent
