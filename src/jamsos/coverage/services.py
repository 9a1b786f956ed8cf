"""Rebuild the coverage summary from the registry (set-based)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from jamsos.accounts.selectors import can_edit_registry, in_area
from jamsos.coverage.models import ALL
from jamsos.registry import categories
from jamsos.registry import sql as registry_sql
from jamsos.registry.services import RegistryError, enrol_rows


@transaction.atomic
def refresh_coverage(today: dt.date | None = None, desa_codes: list[str] | None = None) -> None:
    """Count covered people per desa and category as of ``today``.

    Covered: an active enrolment that has started and not ended. A person with several roles
    counts once in each of their categories and once in the desa's all-categories total (in
    the desa of their insured enrolment). ``desa_codes`` limits the work to those desa (after
    a single change); by default every desa is recounted.
    """
    today = today or timezone.localdate()
    live = registry_sql.LIVE_ON
    scope, scope_params = "", []
    if desa_codes is not None:
        if not desa_codes:
            return
        scope = f" AND desa_code IN ({', '.join(['%s'] * len(desa_codes))})"
        scope_params = list(desa_codes)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM coverage_coveragecount WHERE 1 = 1{scope}", scope_params)
        cur.execute(
            "INSERT INTO coverage_coveragecount (desa_code, category, covered, as_of) "
            "SELECT desa_code, category, COUNT(DISTINCT person_id), %s "
            f"FROM {registry_sql.ENROLMENTS} e WHERE {live}{scope} GROUP BY desa_code, category",
            [today, today, today, *scope_params],
        )
        cur.execute(
            "INSERT INTO coverage_coveragecount (desa_code, category, covered, as_of) "
            "SELECT desa_code, %s, COUNT(DISTINCT person_id), %s "
            f"FROM {registry_sql.ENROLMENTS} e WHERE is_primary AND {live}{scope} "
            "GROUP BY desa_code",
            [ALL, today, today, today, *scope_params],
        )


# --- pekerja rentan candidates (issue 17) ----------------------------------------------------


class EnrolError(ValueError):
    """The enrol action refused as a whole, with a message for the operator."""


def enrol_candidates(*, user, desa_code: str, niks: list[str], funding_source: str,
                     today: dt.date | None = None):
    """Turn the chosen candidates of one desa into pekerja rentan enrolments (BPU, JKK + JKM
    at the regency's income band, from ``today``) through the registry's import path: all or
    nothing, audited. Every chosen NIK must still be a candidate of the desa and have a name
    in the extract; otherwise nothing is stored."""
    import polars as pl
    from django.utils.translation import gettext as _

    from jamsos.coverage.candidates import criteria, income_band, worklist
    today = today or timezone.localdate()
    if not can_edit_registry(user) or not in_area(user, desa_code):
        raise PermissionError
    if funding_source not in categories.FUNDING_SOURCES:
        raise EnrolError(_("Pilih sumber dana."))
    niks = sorted(set(niks))
    if not niks:
        raise EnrolError(_("Pilih minimal satu orang."))
    with transaction.atomic():
        found, _total = worklist(desa_code, niks=niks, page_size=len(niks),
                                 c=criteria(today))
        if len(found) != len(niks):
            raise EnrolError(_("%(n)d orang yang dipilih bukan lagi calon peserta di desa ini "
                               "(mungkin sudah terdaftar); tidak ada yang disimpan. Muat ulang "
                               "halaman dan pilih lagi.") % {"n": len(niks) - len(found)})
        nameless = [c for c in found if not c.name.strip() or not c.sex or not c.birth_date]
        if nameless:
            raise EnrolError(_("%(n)d orang yang dipilih belum punya nama, jenis kelamin atau "
                               "tanggal lahir di DTSEN; daftarkan lewat impor pekerja. Tidak "
                               "ada yang disimpan.") % {"n": len(nameless)})
        frame = pl.DataFrame({
            "row": list(range(1, len(found) + 1)),
            "nik": [c.nik for c in found], "name": [c.name for c in found],
            "sex": [c.sex for c in found], "birth_date": [c.birth_date for c in found],
            "desa_code": [desa_code] * len(found), "category": ["pekerja_rentan"] * len(found),
            "subcategory": [""] * len(found),
            "occupation": [c.occupation[:100] for c in found], "phone": [""] * len(found),
            "kpj": [None] * len(found), "wage": [income_band()] * len(found),
            "funding_source": [funding_source] * len(found), "segment": ["BPU"] * len(found),
            "start_date": [today] * len(found),
        }, schema_overrides={"kpj": pl.String, "wage": pl.Int64, "birth_date": pl.Date,
                             "start_date": pl.Date})
        try:
            return enrol_rows(frame, user=user, area_code=desa_code, today=today,
                              label=_("Pendaftaran calon peserta DTSEN (%(n)d orang)")
                              % {"n": len(found)})
        except RegistryError as exc:
            raise EnrolError(exc.message) from exc
