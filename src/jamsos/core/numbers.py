"""Numbers and rupiah the Indonesian way, for pages, exports, messages and CLI text (issue 13
item 4; issue 12: one home instead of a copy per app). Integer arithmetic only.

``grouped(75575)`` → ``75.575``; ``rupiah(8330000000)`` → ``Rp 8.330.000.000``;
``rupiah_short(8330000000)`` → ``Rp 8,33 miliar``. The regulation engine (pure Python, no
part of jamsos) keeps its own ``rules.money.rp``."""

from __future__ import annotations

#: (size, name) from the largest; below a million the exact amount is short enough.
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def grouped(n: int) -> str:
    """A whole number with ``.`` between thousands (``-1234`` → ``-1.234``)."""
    return f"{int(n):,}".replace(",", ".")


def rupiah(value: int) -> str:
    """Whole rupiah: ``8330000000`` → ``Rp 8.330.000.000``; negative ``−Rp 5.000``."""
    n = int(value)
    return f"{'−' if n < 0 else ''}Rp {grouped(abs(n))}"


def rupiah_short(value: int) -> str:
    """``8330000000`` → ``Rp 8,33 miliar``; ``522000000`` → ``Rp 522 juta`` (two decimals at
    most, rounded half up, trailing zeros dropped); below a million the exact amount."""
    n = int(value)
    sign, n = ("−" if n < 0 else ""), abs(n)
    for size, name in _SCALES:
        hundredths = (n * 100 + size // 2) // size
        if n >= size or (size > 10**6 and hundredths >= 100):  # 999.996.000 → 1 miliar
            whole, frac = divmod(hundredths, 100)
            text = grouped(whole) + (f",{frac:02d}".rstrip("0") if frac else "")
            return f"{sign}Rp {text} {name}"
    return f"{sign}Rp {grouped(n)}"


def megabytes(n_bytes: int) -> str:
    """A file size in whole MB (``52428800`` → ``50 MB``)."""
    return f"{grouped(round(n_bytes / 1024 / 1024))} MB"


def file_size(n_bytes: int) -> str:
    """A file size as people read it: whole KB below one MB (rounded up: a non-empty file is
    never "0 KB"), whole MB from there (``2048`` → ``2 KB``, ``52428800`` → ``50 MB``)."""
    n = max(int(n_bytes), 0)
    if n < 1024 * 1024:
        return f"{grouped(-(-n // 1024))} KB"
    return megabytes(n)
