"""Settings of the santunan app, each read with a default (nothing is required).

``JAMSOS_SANTUNAN_SLA_DAYS``      ``"calendar"`` (default) or ``"working"``
``JAMSOS_SANTUNAN_EXTRA_HOLIDAYS`` extra ISO dates (local holidays) for working days
``JAMSOS_SANTUNAN_MAX_DOCUMENT_BYTES`` largest uploaded document (default 5 MiB)
``JAMSOS_SANTUNAN_HEADS``         usernames told on day 5 of the SLA (default: every
                                  ``verifikator`` user of the whole kabupaten, i.e. Dinas Sosial)
``JAMSOS_SANTUNAN_EMAIL_FROM``    sender (default ``DEFAULT_FROM_EMAIL``)
``JAMSOS_SANTUNAN_FOUR_EYES``     the payment is approved by another user than the one who
                                  verified the case (default ``True``)
``JAMSOS_SANTUNAN_PAYING_BANK``   the bank named in the transfer file (default ``Bank SumselBabel``)
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from jamsos.santunan.params import shipped_holidays
from jamsos.santunan.sla import Clock


def clock() -> Clock:
    mode = getattr(settings, "JAMSOS_SANTUNAN_SLA_DAYS", "calendar")
    extra = {dt.date.fromisoformat(str(d)) for d in
             getattr(settings, "JAMSOS_SANTUNAN_EXTRA_HOLIDAYS", ())}
    return Clock(mode=mode, holidays=frozenset(shipped_holidays() | extra))


def max_document_bytes() -> int:
    return int(getattr(settings, "JAMSOS_SANTUNAN_MAX_DOCUMENT_BYTES", 5 * 1024 * 1024))


def head_usernames() -> list[str]:
    return list(getattr(settings, "JAMSOS_SANTUNAN_HEADS", ()))


def email_from() -> str:
    return getattr(settings, "JAMSOS_SANTUNAN_EMAIL_FROM", settings.DEFAULT_FROM_EMAIL)


def paying_bank() -> str:
    return getattr(settings, "JAMSOS_SANTUNAN_PAYING_BANK", "Bank SumselBabel")


def files_dir():
    return settings.DATA_DIR / "files" / "santunan"


def four_eyes() -> bool:
    return bool(getattr(settings, "JAMSOS_SANTUNAN_FOUR_EYES", True))
