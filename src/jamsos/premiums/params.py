"""Billing parameters: the national ones of ``data/billing.toml`` and each regency's own.

BPJS rates never come from here: they come from :mod:`jamsos.rules`. The BPU default income
(PP 44/2015, lowest bracket) is national and read from ``data/billing.toml`` with the engine's
loader. What a regency decides or must assume — the default PU wage when an enrolment has none
(its UMK), the JKK risk class and which OPD pays for which category — is per-kabupaten dated
data in the database (:class:`~jamsos.premiums.models.BillingSetting`, issue 16), edited by
that regency's admin (:mod:`jamsos.premiums.settings`). ``data/billing.toml`` remains the
cited source of Kabupaten OKI's (16.02) versions, seeded by migration 0004.

A regency without a value in force is never guessed for: :class:`MissingBillingSettings`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jamsos.core.dates import date_text
from jamsos.core.errors import DomainError, ErrorCode
from jamsos.rules import ParameterSet, default_parameters

DATA_DIR = Path(__file__).parent / "data"

#: The regency's own parameters (keys of ``BillingParameter``), in the order pages show them.
REGENCY_PARAMETERS = ("default_wage.pu", "jkk_risk_class", "paying_opd", "opd_names")
#: How pages and messages name them.
PARAMETER_WORDS = {
    "default_wage.pu": "upah dasar PU (UMK)",
    "jkk_risk_class": "kelompok risiko JKK",
    "paying_opd": "OPD pembayar per kategori",
    "opd_names": "nama OPD pembayar",
}


class MissingBillingSettings(DomainError):
    """A regency's billing setting needed for a month is not in force: the bill is refused."""

    default_code = ErrorCode.NO_RULE


@cache
def billing_parameters() -> ParameterSet:
    return ParameterSet.from_directory(DATA_DIR)


def _latest(name: str, on: dt.date):
    """The version in force on ``on``; the latest one when ``on`` lies beyond the data."""
    params = billing_parameters()
    found = params.get_optional(name, on)
    if found is None:
        last = params.versions(name)[-1]
        if on >= last.start:
            return params.get(name, last.start)
        return params.get(name, on)  # raises MissingParameterError with the known periods
    return found


@dataclass(frozen=True)
class Version:
    name: str
    valid_from: dt.date
    value: object
    citation: str
    unconfirmed: bool
    note: str = ""


@dataclass
class RegencyBilling:
    """Every stored version of one kabupaten/kota's billing settings (read once)."""

    kabupaten: str
    versions: dict[str, list[Version]] = field(default_factory=dict)

    def version(self, name: str, month: dt.date) -> Version | None:
        """The version in force on ``month`` (the latest one beyond the data); None when the
        regency has none that early."""
        found = None
        for v in self.versions.get(name, []):  # ordered by valid_from
            if v.valid_from <= month:
                found = v
        return found

    def value(self, name: str, month: dt.date):
        v = self.version(name, month)
        if v is None:
            raise missing_error({self.kabupaten: [name]}, month)
        return v.value

    def default_wage(self, month: dt.date) -> int:
        return int(self.value("default_wage.pu", month))

    def risk_class(self, month: dt.date) -> int:
        return int(self.value("jkk_risk_class", month))

    def paying_opd(self, month: dt.date) -> dict[str, str]:
        return dict(self.value("paying_opd", month))

    def opd_names(self, month: dt.date) -> dict[str, str]:
        v = self.version("opd_names", month)
        return dict(v.value) if v is not None else {}


def regencies(codes) -> dict[str, RegencyBilling]:
    """The billing settings of the kabupaten/kota ``codes`` (one query)."""
    from jamsos.premiums.models import BillingSetting

    out = {code: RegencyBilling(code) for code in codes}
    for s in BillingSetting.objects.filter(kabupaten__in=list(out)).order_by(
            "kabupaten", "name", "valid_from"):
        out[s.kabupaten].versions.setdefault(s.name, []).append(
            Version(s.name, s.valid_from, s.value, s.citation, s.unconfirmed, s.note))
    return out


def regency(kabupaten: str) -> RegencyBilling:
    return regencies([kabupaten])[kabupaten]


def missing_error(missing: dict[str, list[str]], month: dt.date) -> MissingBillingSettings:
    """The refusal naming every regency and what it lacks for ``month``."""
    from jamsos.regions.models import Region

    names = dict(Region.objects.filter(code__in=list(missing)).values_list("code", "name"))
    parts = [f"{names.get(k, k)}: {', '.join(PARAMETER_WORDS[n] for n in v)}"
             for k, v in sorted(missing.items())]
    return MissingBillingSettings(
        "kabupaten",
        f"Pengaturan iuran yang berlaku pada {date_text(month)} belum ada — "
        + "; ".join(parts)
        + ". Admin kabupaten/kota mengisinya di halaman Pengaturan iuran; tagihan tidak "
          "dihitung dengan angka tebakan.")


def default_wage(segment: str, month: dt.date, kabupaten: str | None = None) -> int:
    """PU: the regency's default wage (its UMK); BPU: the national lowest bracket."""
    if segment.upper() == "BPU":
        return int(_latest("default_wage.bpu", month).value)
    if not kabupaten:
        raise ValueError("the PU default wage is the regency's: name the kabupaten")
    return regency(kabupaten).default_wage(month)


def risk_class(month: dt.date, kabupaten: str) -> int:
    return regency(kabupaten).risk_class(month)


def paying_opd(month: dt.date, kabupaten: str) -> dict[str, str]:
    return regency(kabupaten).paying_opd(month)


def opd_names(month: dt.date, kabupaten: str) -> dict[str, str]:
    return regency(kabupaten).opd_names(month)


def bpu_lapse_months(on: dt.date) -> int:
    """Months of arrears after which a BPU member is not active (the engine's parameter)."""
    return int(default_parameters().get("eligibility.bpu_lapse_arrears_months", on).value)


def citations(month: dt.date, kabupaten=()) -> list[dict]:
    """What the billing assumed for a month, for the run's record and the docs: the national
    BPU default income, then each regency's settings in force (``kabupaten`` on each)."""
    bpu = _latest("default_wage.bpu", month)
    out = [{"parameter": "default_wage.bpu", "value": bpu.value, "citation": bpu.citation,
            "unconfirmed": bpu.unconfirmed}]
    for code, reg in regencies(kabupaten).items():
        for name in ("default_wage.pu", "jkk_risk_class", "paying_opd"):
            v = reg.version(name, month)
            if v is not None:
                out.append({"kabupaten": code, "parameter": name, "value": v.value,
                            "citation": v.citation, "unconfirmed": v.unconfirmed})
    return out
