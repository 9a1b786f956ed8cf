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
