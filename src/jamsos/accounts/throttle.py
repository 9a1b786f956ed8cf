"""Sign-in throttling.

- **Per username**: after ``MAX_PER_USERNAME`` failures in ``WINDOW`` the username is locked,
  even for the right password, until the oldest failure leaves the window (or an
  administrator runs ``jamsos users unlock USERNAME``).
- **Per address**: after ``MAX_PER_IP`` failures from one address in ``WINDOW`` its further
  *wrong* passwords are answered "too many attempts", but a right password for a username
  that is not locked still signs in: many village operators share one office (NAT) address,
  and one of them mistyping must not lock out the rest. Guessing stays bounded by the
  per-username lock. ``jamsos users unlock --address IP`` clears an address.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from jamsos.accounts.models import FailedLogin

WINDOW = dt.timedelta(minutes=getattr(settings, "JAMSOS_LOGIN_WINDOW_MINUTES", 15))
MAX_PER_USERNAME = getattr(settings, "JAMSOS_LOGIN_MAX_FAILURES", 5)
MAX_PER_IP = getattr(settings, "JAMSOS_LOGIN_MAX_FAILURES_PER_IP", 20)


def window_minutes() -> int:
    return int(WINDOW.total_seconds() // 60)


def username_locked(username: str) -> bool:
    since = timezone.now() - WINDOW
    return FailedLogin.objects.filter(username__iexact=username, at__gte=since).count() >= (
        MAX_PER_USERNAME)


def address_locked(ip: str | None) -> bool:
    since = timezone.now() - WINDOW
    return bool(ip) and FailedLogin.objects.filter(ip=ip, at__gte=since).count() >= MAX_PER_IP


def note_failure(username: str, ip: str | None) -> None:
    FailedLogin.objects.create(username=username[:150], ip=ip, at=timezone.now())


def unlock(*, username: str | None = None, ip: str | None = None) -> int:
    """Forget the failures of a username (case-insensitive) or an address; how many."""
    failures = FailedLogin.objects.all()
    if username is not None:
        failures = failures.filter(username__iexact=username)
    if ip is not None:
        failures = failures.filter(ip=ip)
    count, _ = failures.delete()
    return count
