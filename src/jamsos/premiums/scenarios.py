"""Budget scenarios beside the premiums budget (issue 17): "cover every candidate" — what
the APBD would pay in a year to enrol every DTSEN pekerja rentan candidate as BPU, per
kecamatan. Kept apart from :mod:`jamsos.premiums.selectors` (its budget is being reworked)."""

from __future__ import annotations

from dataclasses import dataclass, field

from jamsos.coverage.candidates import AreaCount, summary


@dataclass
class CandidateScenario:
    total: int
    annual_cost: int
    per_person: int
    unconfirmed_age: bool
    unknown_desa: int
    unknown_desa_cost: int
    rows: list[AreaCount] = field(default_factory=list)  # per kecamatan (or desa)


def cover_every_candidate(area_code: str) -> CandidateScenario:
    s = summary(area_code)
    by_desa = s.area.level == "kecamatan" or s.area.is_village
    return CandidateScenario(s.total, s.annual_premium, s.criteria.premium.amount,
                             s.criteria.age.unconfirmed, s.unknown_desa,
                             s.unknown_desa_premium,
                             s.by_desa if by_desa else s.by_kecamatan)
