"""The santunan regulation versions and holiday list (TOML data, no Django models).

Every figure (amount, decile limit, documents, SLA days) comes from ``data/scheme.toml`` with
its citation and dates; the version in force on the date of death applies to a case.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

_REQUIRED = {"from", "citation", "amount", "max_decile", "sla_days", "notify_day", "documents"}
_OPTIONAL = {"to", "exclusions", "max_days_after_death", "min_age_years", "unconfirmed", "note",
             "unconfirmed_parts"}
#: A citation names regulations only; each ";"-separated part starts with a regulation type.
_REGULATION = re.compile(
    r"^(Perbup|Perwali|Perda|Pergub|Peraturan|Keputusan|Kepbup|Kepgub|SK|PP|UU|Perpres|"
    r"Inpres|Permen\w*|Permenaker|Permensos|Kepmen\w*|Surat Edaran|SE)\b")


class DataError(ValueError):
    """The TOML data are broken."""


@dataclass(frozen=True)
class SchemeVersion:
    valid_from: dt.date
    valid_to: dt.date | None
    citation: str
    amount: int
    max_decile: int
    sla_days: int
    notify_day: int
    documents: tuple[str, ...]
    exclusions: tuple[str, ...] = ()
    max_days_after_death: int | None = None
    min_age_years: int | None = None
    unconfirmed: bool = False
    note: str = ""
    unconfirmed_parts: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Stored on a case: which version decided it."""
        return self.valid_from.isoformat()


@dataclass(frozen=True)
class Scheme:
    versions: tuple[SchemeVersion, ...]
    documents: dict[str, str]  # code → label (Indonesian)

    def in_force(self, day: dt.date) -> SchemeVersion | None:
        for v in self.versions:
            if v.valid_from <= day and (v.valid_to is None or day <= v.valid_to):
                return v
        return None

    def by_key(self, key: str) -> SchemeVersion | None:
        return next((v for v in self.versions if v.key == key), None)


def parse_scheme(doc: dict) -> Scheme:
    documents = {str(k): str(v) for k, v in doc.get("documents", {}).items()}
    raw = doc.get("scheme", {}).get("versions", [])
    if not raw:
        raise DataError("scheme.versions kosong")
    versions = []
    for item in raw:
        missing = _REQUIRED - set(item)
        unknown = set(item) - _REQUIRED - _OPTIONAL
        if missing or unknown:
            raise DataError(f"versi santunan {item.get('from')}: kurang {sorted(missing)}, "
                            f"tidak dikenal {sorted(unknown)}")
        for d in item["documents"]:
            if d not in documents:
                raise DataError(f"dokumen {d!r} tidak ada di [documents]")
        if not isinstance(item["amount"], int) or item["amount"] <= 0:
            raise DataError(f"amount harus bilangan bulat rupiah > 0: {item['amount']!r}")
        if not 1 <= item["max_decile"] <= 10:
            raise DataError("max_decile harus 1..10")
        if not 1 <= item["notify_day"] <= item["sla_days"]:
            raise DataError("notify_day harus 1..sla_days")
        bad = [part.strip() for part in str(item["citation"]).split(";")
               if not _REGULATION.match(part.strip())]
        if bad:
            raise DataError(f"versi {item['from']}: citation hanya menyebut peraturan; bukan "
                            f"peraturan: {bad} (sumber lain ke docs/santunan.md)")
        if item.get("to") and item["to"] < item["from"]:
            raise DataError(f"versi {item['from']}: to sebelum from")
        versions.append(SchemeVersion(
            valid_from=item["from"], valid_to=item.get("to"), citation=item["citation"],
            amount=item["amount"], max_decile=item["max_decile"], sla_days=item["sla_days"],
            notify_day=item["notify_day"], documents=tuple(item["documents"]),
            exclusions=tuple(item.get("exclusions", ())),
            max_days_after_death=item.get("max_days_after_death"),
            min_age_years=item.get("min_age_years"),
            unconfirmed=bool(item.get("unconfirmed", False)), note=item.get("note", ""),
            unconfirmed_parts=tuple(str(x) for x in item.get("unconfirmed_parts", ())),
        ))
    versions.sort(key=lambda v: v.valid_from)
    # A version without "to" runs until the day before the next one.
    closed = []
    for i, v in enumerate(versions):
        nxt = versions[i + 1].valid_from if i + 1 < len(versions) else None
        end = v.valid_to
        if nxt is not None:
            if end is not None and end >= nxt:
                raise DataError(f"versi {v.valid_from} tumpang tindih dengan {nxt}")
            end = end or nxt - dt.timedelta(days=1)
        closed.append(SchemeVersion(**{**v.__dict__, "valid_to": end}))
    return Scheme(tuple(closed), documents)


@cache
def scheme() -> Scheme:
    with (DATA_DIR / "scheme.toml").open("rb") as fh:
        return parse_scheme(tomllib.load(fh))


@cache
def shipped_holidays() -> frozenset[dt.date]:
    with (DATA_DIR / "holidays.toml").open("rb") as fh:
        doc = tomllib.load(fh)
    out: set[dt.date] = set()
    for year in doc.get("years", []):
        if not year.get("citation"):
            raise DataError(f"libur {year.get('year')}: citation wajib")
        out.update(year["dates"])
    return frozenset(out)
