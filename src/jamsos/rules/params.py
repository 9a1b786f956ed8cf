"""Dated regulatory parameters loaded from TOML data files (no Django).

Every regulatory figure the engine uses lives in ``data/*.toml``.  A parameter is a
TOML table with a ``versions`` array; each version is a one-line inline table::

    [jp.wage_cap]
    unit = "rupiah"
    versions = [
      { from = 2025-03-01, value = 10_547_400, citation = "PP 45/2015 Pasal 29; SE B/726/022025" },
    ]

Keys of a version:

``from``            first day the version is in force (required).
``to``              last day in force (optional).  Without it a version runs until the day
                    before the next version's ``from``; the last one is open-ended.
``value``           int, Decimal (TOML floats are read as :class:`decimal.Decimal`), str,
                    bool, list or table.
``citation``        regulation and article / attachment (required).
``unconfirmed``     ``true`` when the research notes mark the value UNCONFIRMED.
``uncertain_from``  ``[d1, d2]``: the true start date is not confirmed and lies in this
                    window; any lookup for a date inside it is flagged unconfirmed.
``note``            free text.

Table-level keys besides ``versions`` are metadata (``description``, ``unit``, ``labels``…).
``max_months = 12`` marks a yearly series (JP wage cap, JP minimum/maximum benefit,
indexation): a version is never used more than 12 months after its ``from``, so a
missing new value is reported instead of silently reusing last year's.

Versions of one parameter may come from several files; they are merged and must not
overlap.  Contribution parameters are looked up by the first day of the contribution
month, benefit parameters by the event date.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "DataError",
    "MissingParameterError",
    "ParamValue",
    "ParameterSet",
    "default_parameters",
]

_VERSION_KEYS = {"from", "to", "value", "citation", "unconfirmed", "uncertain_from", "note"}


class DataError(ValueError):
    """A data file is malformed or inconsistent (e.g. overlapping periods)."""


class MissingParameterError(LookupError):
    """No version of a parameter is in force on the requested date."""

    def __init__(self, name: str, on: dt.date, known: str) -> None:
        self.name = name
        self.on = on
        super().__init__(
            f"parameter {name!r} has no version in force on {on.isoformat()} "
            f"(tidak ada ketentuan yang berlaku pada tanggal tersebut; versions: {known})"
        )


@dataclass(frozen=True, slots=True)
class Version:
    name: str
    start: dt.date
    end: dt.date | None  # explicit ``to``
    value: Any
    citation: str
    unconfirmed: bool = False
    uncertain_from: tuple[dt.date, dt.date] | None = None
    note: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class ParamValue:
    """The value of a parameter on a date, with its provenance."""

    name: str
    value: Any
    citation: str
    unconfirmed: bool
    valid_from: dt.date
    valid_to: dt.date | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class _Param:
    name: str
    versions: tuple[Version, ...]  # sorted by start
    ends: tuple[dt.date | None, ...]  # effective last day of each version
    meta: Mapping[str, Any] = field(default_factory=dict)


def _as_date(v: Any, where: str) -> dt.date:
    if isinstance(v, dt.datetime):
        raise DataError(f"{where}: expected a date, got a datetime {v!r}")
    if isinstance(v, dt.date):
        return v
    raise DataError(f"{where}: expected a TOML date (YYYY-MM-DD), got {v!r}")


def _parse_version(name: str, raw: Any, source: str, idx: int) -> Version:
    where = f"{source}: {name}.versions[{idx}]"
    if not isinstance(raw, dict):
        raise DataError(f"{where}: each version must be a table")
    unknown = set(raw) - _VERSION_KEYS
    if unknown:
        raise DataError(f"{where}: unknown key(s) {sorted(unknown)}")
    for key in ("from", "value", "citation"):
        if key not in raw:
            raise DataError(f"{where}: missing required key {key!r}")
    if isinstance(raw["value"], float):  # pragma: no cover - parse_float=Decimal
        raise DataError(f"{where}: float values are not allowed")
    citation = raw["citation"]
    if not isinstance(citation, str) or not citation.strip():
        raise DataError(f"{where}: citation must be a non-empty string")
    start = _as_date(raw["from"], f"{where}.from")
    end = _as_date(raw["to"], f"{where}.to") if "to" in raw else None
    if end is not None and end < start:
        raise DataError(f"{where}: 'to' {end} is before 'from' {start}")
    window = None
    if "uncertain_from" in raw:
        w = raw["uncertain_from"]
        if not (isinstance(w, list) and len(w) == 2):
            raise DataError(f"{where}: uncertain_from must be [date, date]")
        window = (_as_date(w[0], where), _as_date(w[1], where))
    return Version(
        name=name,
        start=start,
        end=end,
        value=raw["value"],
        citation=citation.strip(),
        unconfirmed=bool(raw.get("unconfirmed", False)),
        uncertain_from=window,
        note=str(raw.get("note", "")),
        source=source,
    )


def _walk(table: Mapping[str, Any], prefix: str, source: str, out: dict, meta: dict) -> None:
    for key, val in table.items():
        if not isinstance(val, dict):
            if prefix == "":
                raise DataError(f"{source}: top-level key {key!r} is not a parameter table")
            continue
        name = f"{prefix}{key}"
        if "versions" in val:
            versions = val["versions"]
            if not isinstance(versions, list) or not versions:
                raise DataError(f"{source}: {name}.versions must be a non-empty array")
            out.setdefault(name, []).extend(
                _parse_version(name, v, source, i) for i, v in enumerate(versions)
            )
            meta.setdefault(name, {}).update({k: v for k, v in val.items() if k != "versions"})
        else:
            _walk(val, f"{name}.", source, out, meta)


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    day = min(d.day, 28) if d.day > 28 else d.day
    return dt.date(d.year + y, m + 1, day)


def _build(name: str, versions: list[Version], meta: Mapping[str, Any]) -> _Param:
    vs = sorted(versions, key=lambda v: v.start)
    max_months = meta.get("max_months")
    if max_months is not None and (not isinstance(max_months, int) or max_months <= 0):
        raise DataError(f"{name}: max_months must be a positive integer")
    ends: list[dt.date | None] = []
    for i, v in enumerate(vs):
        nxt = vs[i + 1] if i + 1 < len(vs) else None
        if nxt is not None:
            last_possible = nxt.start - dt.timedelta(days=1)
            if (v.end is not None and v.end > last_possible) or nxt.start == v.start:
                raise DataError(
                    f"overlapping effective periods for parameter {name!r}: "
                    f"{v.start}–{v.end or 'open'} ({v.source}) and "
                    f"{nxt.start}–{nxt.end or 'open'} ({nxt.source})"
                )
            ends.append(v.end if v.end is not None else last_possible)
        else:
            ends.append(v.end)
    if max_months is not None:
        # a yearly series: no version may be reused past ``max_months`` after its start
        ends = [
            min(e, lim) if e is not None else lim
            for e, lim in (
                (e, _add_months(v.start, max_months) - dt.timedelta(days=1))
                for v, e in zip(vs, ends, strict=True)
            )
        ]
    return _Param(name, tuple(vs), tuple(ends), dict(meta))


class ParameterSet:
    """All parameters, validated; look values up by date."""

    def __init__(self, params: Mapping[str, _Param]) -> None:
        self._params = dict(params)

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_documents(cls, docs: Iterable[tuple[str, Mapping[str, Any]]]) -> ParameterSet:
        collected: dict[str, list[Version]] = {}
        meta: dict[str, dict] = {}
        for source, doc in docs:
            _walk(doc, "", source, collected, meta)
        return cls({n: _build(n, vs, meta.get(n, {})) for n, vs in collected.items()})

    @classmethod
    def from_texts(cls, texts: Mapping[str, str]) -> ParameterSet:
        docs = []
        for source, text in texts.items():
            try:
                docs.append((source, tomllib.loads(text, parse_float=Decimal)))
            except tomllib.TOMLDecodeError as exc:
                raise DataError(f"{source}: {exc}") from exc
        return cls.from_documents(docs)

    @classmethod
    def from_directory(cls, path: str | Path) -> ParameterSet:
        p = Path(path)
        files = sorted(p.glob("*.toml"))
        if not files:
            raise DataError(f"no *.toml data files in {p}")
        return cls.from_texts({f.name: f.read_text(encoding="utf-8") for f in files})

    # -- lookup -------------------------------------------------------------------
    def names(self) -> list[str]:
        return sorted(self._params)

    def meta(self, name: str) -> Mapping[str, Any]:
        return self._param(name).meta

    def versions(self, name: str) -> tuple[Version, ...]:
        return self._param(name).versions

    def _param(self, name: str) -> _Param:
        try:
            return self._params[name]
        except KeyError:
            raise MissingParameterError(name, dt.date.min, "parameter not defined") from None

    def get_optional(self, name: str, on: dt.date) -> ParamValue | None:
        p = self._param(name)
        for v, end in zip(p.versions, p.ends, strict=True):
            if v.start <= on and (end is None or on <= end):
                unconfirmed = v.unconfirmed
                # A start date that is itself uncertain taints lookups near it,
                # for this version and for the neighbour it may replace.
                for other in p.versions:
                    w = other.uncertain_from
                    if w is not None and w[0] <= on <= w[1]:
                        unconfirmed = True
                return ParamValue(name, v.value, v.citation, unconfirmed, v.start, end, v.note)
        return None

    def last_known(self, name: str, on: dt.date) -> ParamValue | None:
        """The latest version that started on or before ``on``, even if it is no longer in
        force (e.g. a yearly series past ``max_months``), flagged unconfirmed.  Only for
        the stated-value policy of docs/rules.md ("Extrapolation policy")."""
        p = self._param(name)
        chosen = None
        for v, end in zip(p.versions, p.ends, strict=True):
            if v.start <= on:
                chosen = (v, end)
        if chosen is None:
            return None
        v, end = chosen
        return ParamValue(name, v.value, v.citation, True, v.start, end, v.note)

    def get(self, name: str, on: dt.date) -> ParamValue:
        pv = self.get_optional(name, on)
        if pv is None:
            p = self._param(name)
            known = ", ".join(
                f"{v.start}–{e or 'open'}" for v, e in zip(p.versions, p.ends, strict=True)
            )
            raise MissingParameterError(name, on, known)
        return pv


def _packaged_texts() -> dict[str, str]:
    root = resources.files("jamsos.rules").joinpath("data")
    return {
        f.name: f.read_text(encoding="utf-8")
        for f in sorted(root.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".toml")
    }


@cache
def default_parameters() -> ParameterSet:
    """The parameters shipped in ``jamsos/rules/data`` (cached)."""
    return ParameterSet.from_texts(_packaged_texts())
