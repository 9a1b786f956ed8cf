"""Keep personal data out of logs: NIK-like and account-like digit runs are masked."""

from __future__ import annotations

import logging

from jamsos.core.masking import mask_text


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class NoTracebackForClientErrors(logging.Filter):
    """An ordinary refusal (403, 404 …) is one line in the log: Django logs a
    ``PermissionDenied`` with its traceback, which says nothing about a fault here."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class OneLinePerRequest(logging.Filter):
    """``jamsos.request`` writes the line of every request; Django's own line for a 4xx
    (``Not Found: /path``) would repeat it with the raw path, which can carry a NIK or a
    name. Server errors (5xx) keep Django's record with its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "django.request"
                    and getattr(record, "status_code", 500) < 500)
