"""Masking personal identifiers for viewers without personal-data rights, and for logs."""

from __future__ import annotations

import re

_LONG_DIGITS = re.compile(r"(?<!\d)(\d{4})\d{8,}(\d{4})(?!\d)")
#: Keys of a change record whose values identify or reach a person.
_NIK_KEY = re.compile(r"(^|_)(nik|no_kk|kk)$")
_CONTACT_KEY = re.compile(r"(^|_)(phone|hp|kpj|account_number|rekening)$")


def mask_text(text: str) -> str:
    """NIK-like and account-like digit runs (16 or more digits) keep their ends only."""
    return _LONG_DIGITS.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 8) + m.group(2),
                            text)


def mask_identifier(value: str) -> str:
    """``1602131708450001`` → ``160213******0001`` (region and serial stay, as on every page)."""
    value = str(value)
    if len(value) > 10:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    return mask_contact(value)


def mask_contact(value: str) -> str:
    """Phone, KPJ and account numbers keep their last three characters."""
    value = str(value)
    return "*" * max(len(value) - 3, 0) + value[-3:]


def _mask(key: str, value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dict):
        return {k: _mask(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(key, v) for v in value]
    if _NIK_KEY.search(key.lower()) and value != "":
        return mask_identifier(str(value))
    if _CONTACT_KEY.search(key.lower()) and value != "":
        return mask_contact(str(value))
    return mask_text(value) if isinstance(value, str) else value


def mask_changes(changes: dict) -> dict:
    """A change record (``{"field": [before, after]}``) as a viewer without personal-data
    rights sees it: identifiers masked by field name, long digit runs masked anywhere."""
    return {key: _mask(key, value) for key, value in (changes or {}).items()}
