"""Sign-in throttling: too many failures for one username or from one address block it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from jamsos.accounts.models import FailedLogin

WINDOW = dt.timedelta(minutes=getattr(settings, "JAMSOS_LOGIN_WINDOW_MINUTES", 15))
MAX_PER_USERNAME = getattr(settings, "JAMSOS_LOGIN_MAX_FAILURES", 5)
MAX_PER_IP = getattr(settings, "JAMSOS_LOGIN_MAX_FAILURES_PER_IP", 20)


def is_throttled(username: str, ip: str | None) -> bool:
    since = timezone.now() - WINDOW
    if FailedLogin.objects.filter(username__iexact=username, at__gte=since).count() >= (
            MAX_PER_USERNAME):
        return True
    return bool(ip) and FailedLogin.objects.filter(ip=ip, at__gte=since).count() >= MAX_PER_IP


def note_failure(username: str, ip: str | None) -> None:
    FailedLogin.objects.create(username=username[:150], ip=ip, at=timezone.now())
