"""The santunan scheme: the shape and the checks of a dated version, the document catalogue,
the shipped OKI scheme file and the holiday list (no Django models).

What a regency's death grant gives lives in the database, one dated version per regulation and
kabupaten/kota (``santunan.models.GrantVersion``, read by ``selectors.scheme_for``), each
edited by that regency's administrator. ``data/scheme.toml`` stays the cited source of
Ogan Komering Ilir's versions (Perbup OKI 17/2025), which migration 0005 put in the database,
and holds the national catalogue of document kinds. :func:`version_errors` is the one check of
a version: the TOML loader and the service that stores a user's version both use it.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data"

_REQUIRED = {"from", "citation", "amount", "max_decile", "sla_days", "notify_day", "documents"}
_OPTIONAL = {"to", "exclusions", "max_days_after_death", "min_age_years", "unconfirmed", "note",
             "unconfirmed_parts"}
#: A citation names regulations only; each ";"-separated part starts with a regulation type.
_REGULATION = re.compile(
    r"^(Perbup|Perwali|Perda|Pergub|Peraturan|Keputusan|Kepbup|Kepgub|SK|PP|UU|Perpres|"
    r"Inpres|Permen\w*|Permenaker|Permensos|Kepmen\w*|Surat Edaran|SE)\b")

#: The fields of a version, in the order forms and the API show them.
VERSION_FIELDS = ("valid_from", "valid_to", "amount", "max_decile", "sla_days", "notify_day",
                  "documents", "exclusions", "max_days_after_death", "min_age_years",
                  "citation", "unconfirmed", "unconfirmed_parts", "note")


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
    #: The database row (None for a version read from the TOML file).
    pk: int | None = None

    @property
    def key(self) -> str:
        """Stored on a case: which version (of the case's regency) decided it."""
        return self.valid_from.isoformat()


@dataclass(frozen=True)
class Scheme:
    versions: tuple[SchemeVersion, ...]
    documents: dict[str, str]  # code → label (Indonesian)
    kabupaten_code: str = ""

    def in_force(self, day: dt.date) -> SchemeVersion | None:
        for v in self.versions:
            if v.valid_from <= day and (v.valid_to is None or day <= v.valid_to):
                return v
        return None

    def by_key(self, key: str) -> SchemeVersion | None:
        return next((v for v in self.versions if v.key == key), None)


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def version_errors(item: dict, *, documents: dict[str, str] | None = None) -> dict[str, str]:
    """Every fault of one version (field → message in plain Indonesian); empty when valid.

    ``item`` uses the model's names (``valid_from``, ``valid_to``, ``amount``, …). The rules:
    the amount is whole rupiah above zero; the decile limit 1..10; the SLA at least one day and
    the notice day within it; the dates in order; documents from the catalogue; the citation
    names regulations only (news and other sources go in docs/santunan.md)."""
    documents = document_kinds() if documents is None else documents
    errors: dict[str, str] = {}
    start, end = item.get("valid_from"), item.get("valid_to")
    if not isinstance(start, dt.date):
        errors["valid_from"] = _("Isi tanggal mulai berlaku.")
    elif isinstance(end, dt.date) and end < start:
        errors["valid_to"] = _("Tanggal akhir berlaku sebelum tanggal mulai.")
    amount = item.get("amount")
    if not _whole(amount) or amount <= 0:
        errors["amount"] = _("Jumlah santunan harus rupiah bulat lebih dari 0.")
    decile = item.get("max_decile")
    if not _whole(decile) or not 1 <= decile <= 10:
        errors["max_decile"] = _("Batas desil DTSEN harus 1 sampai 10.")
    sla, day = item.get("sla_days"), item.get("notify_day")
    if not _whole(sla) or not 1 <= sla <= 365:
        errors["sla_days"] = _("Batas waktu pembayaran harus 1 sampai 365 hari.")
    if not _whole(day) or day < 1 or (_whole(sla) and day > sla):
        errors["notify_day"] = _("Hari pemberitahuan harus 1 sampai batas waktu pembayaran.")
    docs = item.get("documents")
    if not docs or not isinstance(docs, list | tuple):
        errors["documents"] = _("Pilih paling sedikit satu dokumen wajib.")
    else:
        unknown = [str(d) for d in docs if d not in documents]
        if unknown:
            errors["documents"] = _("Jenis dokumen tidak dikenal: %(d)s.") % {
                "d": ", ".join(unknown)}
    for name in ("max_days_after_death", "min_age_years"):
        value = item.get(name)
        if value is not None and (not _whole(value) or not 0 <= value <= 36_500):
            errors[name] = _("Isi bilangan bulat 0 atau lebih, atau kosongkan.")
    citation = str(item.get("citation") or "").strip()
    bad = [part.strip() for part in citation.split(";") if not _REGULATION.match(part.strip())]
    if not citation:
        errors["citation"] = _("Sebutkan peraturannya (mis. Perbup … tentang Santunan "
                               "Kematian).")
    elif bad:
        errors["citation"] = _("Dasar hukum hanya menyebut peraturan (Perbup, Perwali, Perda, "
                               "PP …); bukan peraturan: %(b)s.") % {"b": "; ".join(bad)}
    return errors


def overlap_errors(versions) -> dict[str, str]:
    """A fault when two versions of one regency are in force on the same day (``versions``:
    objects with ``valid_from`` and ``valid_to``; an open end runs for ever)."""
    ordered = sorted(versions, key=lambda v: v.valid_from)
    for a, b in pairwise(ordered):
        if a.valid_from == b.valid_from or a.valid_to is None or a.valid_to >= b.valid_from:
            return {"valid_from": _("Versi mulai %(a)s tumpang tindih dengan versi mulai "
                                    "%(b)s.") % {"a": a.valid_from.isoformat(),
                                                 "b": b.valid_from.isoformat()}}
    return {}


def version_from_toml(item: dict, documents: dict[str, str]) -> SchemeVersion:
    """One ``versions`` entry of the scheme file, checked by :func:`version_errors`."""
    missing = _REQUIRED - set(item)
    unknown = set(item) - _REQUIRED - _OPTIONAL
    if missing or unknown:
        raise DataError(f"versi santunan {item.get('from')}: kurang {sorted(missing)}, "
                        f"tidak dikenal {sorted(unknown)}")
    fields = {"valid_from": item["from"], "valid_to": item.get("to"),
              "citation": item["citation"], "amount": item["amount"],
              "max_decile": item["max_decile"], "sla_days": item["sla_days"],
              "notify_day": item["notify_day"], "documents": list(item["documents"]),
              "max_days_after_death": item.get("max_days_after_death"),
              "min_age_years": item.get("min_age_years")}
    errors = version_errors(fields, documents=documents)
    if errors:
        raise DataError(f"versi {item['from']}: " + " ".join(errors.values()))
    return SchemeVersion(
        **{**fields, "documents": tuple(item["documents"])},
        exclusions=tuple(item.get("exclusions", ())),
        unconfirmed=bool(item.get("unconfirmed", False)), note=item.get("note", ""),
        unconfirmed_parts=tuple(str(x) for x in item.get("unconfirmed_parts", ())))


def parse_scheme(doc: dict) -> Scheme:
    documents = {str(k): str(v) for k, v in doc.get("documents", {}).items()}
    raw = doc.get("scheme", {}).get("versions", [])
    if not raw:
        raise DataError("scheme.versions kosong")
    versions = sorted((version_from_toml(item, documents) for item in raw),
                      key=lambda v: v.valid_from)
    # A version without "to" runs until the day before the next one.
    closed = []
    for i, v in enumerate(versions):
        nxt = versions[i + 1].valid_from if i + 1 < len(versions) else None
        end = v.valid_to
        if nxt is not None:
            if nxt == v.valid_from or (end is not None and end >= nxt):
                raise DataError(f"versi {v.valid_from} tumpang tindih dengan {nxt}")
            end = end or nxt - dt.timedelta(days=1)
        closed.append(SchemeVersion(**{**v.__dict__, "valid_to": end}))
    return Scheme(tuple(closed), documents,
                  kabupaten_code=str(doc.get("scheme", {}).get("kabupaten", "")))


def _load(name: str) -> dict:
    with (DATA_DIR / name).open("rb") as fh:
        return tomllib.load(fh)


@cache
def shipped_scheme() -> Scheme:
    """Ogan Komering Ilir's versions as cited in ``data/scheme.toml`` (the source of what
    migration 0005 stored; the application reads the database, ``selectors.scheme_for``)."""
    return parse_scheme(_load("scheme.toml"))


@cache
def document_kinds() -> dict[str, str]:
    """The catalogue of document kinds (code → label), the same for every regency."""
    return {str(k): str(v) for k, v in _load("scheme.toml").get("documents", {}).items()}


@cache
def shipped_holidays() -> frozenset[dt.date]:
    doc = _load("holidays.toml")
    out: set[dt.date] = set()
    for year in doc.get("years", []):
        if not year.get("citation"):
            raise DataError(f"libur {year.get('year')}: citation wajib")
        out.update(year["dates"])
    return frozenset(out)
