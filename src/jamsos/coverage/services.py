"""Rebuild the coverage summary from the registry (set-based)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from jamsos.accounts.selectors import can_edit_registry, in_area
from jamsos.coverage.models import ALL
from jamsos.dtsen.models import DtsenRecord
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

#: Above this many announced desa (or NIKs), finding the desa concerned costs about as much as
#: recounting them all.
FULL_RECOUNT_DESA = 60
FULL_RECOUNT_NIKS = 20_000
_CHUNK = 500


def _chunks(values: list[str]):
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


def _candidate_desa(cur, c, desa_codes: list[str], niks: list[str]) -> set[str]:
    """The extract's desa whose candidates a change can have changed: those of the extract
    rows of every person with a role in ``desa_codes`` (who is covered is decided per NIK,
    wherever the role is) and of ``niks``."""
    table = DtsenRecord._meta.db_table
    out: set[str] = set()
    for part in _chunks(sorted(set(desa_codes))):
        cur.execute(
            f"SELECT DISTINCT r.desa_code FROM {table} r "
            f"JOIN {registry_sql.PEOPLE} p ON p.nik = r.nik "
            f"JOIN {registry_sql.ENROLMENTS} e ON e.person_id = p.id "
            f"WHERE r.extract_id = %s AND e.desa_code IN ({', '.join(['%s'] * len(part))})",
            [c.extract_id, *part])
        out.update(code for (code,) in cur.fetchall())
    for part in _chunks(sorted(set(niks))):
        cur.execute(f"SELECT DISTINCT desa_code FROM {table} "
                    f"WHERE extract_id = %s AND nik IN ({', '.join(['%s'] * len(part))})",
                    [c.extract_id, *part])
        out.update(code for (code,) in cur.fetchall())
    return out


def refresh_candidates(*, today: dt.date | None = None, desa_codes=None, niks=None,
                       c=None, if_stale: bool = False) -> bool:
    """Keep the stored candidate counts per desa equal to the live match (issue 17).

    With ``desa_codes`` (desa whose roles changed) and/or ``niks`` (people whose exclusion,
    death or NIK changed), only the extract's desa concerned are recounted, provided the stored
    counts hold for today's criteria; otherwise (another day, a newer extract in force,
    another setting) or without either, every desa is recounted. ``if_stale``: recount only
    when the criteria changed (a reader's check; the periodic job's daily recount). One
    transaction; concurrent callers wait for each other. Returns whether anything was
    recounted.
    """
    from jamsos.coverage.candidates import count_sql, criteria, criteria_key
    from jamsos.coverage.models import CandidateCount, CandidateCountState

    c = c or criteria(today)
    key = criteria_key(c)
    if if_stale and CandidateCountState.objects.filter(pk=1, key=key).exists():
        return False  # a reader's check of fresh counts takes no lock (writers may hold it)
    with transaction.atomic():
        CandidateCountState.objects.get_or_create(
            pk=1, defaults={"key": "", "as_of": c.today, "counted_at": timezone.now()})
        state = CandidateCountState.objects.select_for_update().get(pk=1)
        fresh = state.key == key
        if if_stale and fresh:
            return False
        scope: list[str] | None = None
        if fresh and not if_stale and (desa_codes is not None or niks is not None):
            desa_codes, niks = list(desa_codes or []), list(niks or [])
            if len(set(desa_codes)) <= FULL_RECOUNT_DESA and len(niks) <= FULL_RECOUNT_NIKS:
                if c.extract_id is None:
                    return False
                with connection.cursor() as cur:
                    scope = sorted(_candidate_desa(cur, c, desa_codes, niks))
                if not scope:
                    return False
        table = CandidateCount._meta.db_table
        with connection.cursor() as cur:
            if scope is None:
                cur.execute(f"DELETE FROM {table}")
            else:
                for part in _chunks(scope):
                    cur.execute(f"DELETE FROM {table} "
                                f"WHERE desa_code IN ({', '.join(['%s'] * len(part))})", part)
            if c.extract_id is not None:
                rows = []
                for part in ([None] if scope is None else list(_chunks(scope))):
                    # SELECT, then insert its few hundred rows: PostgreSQL runs a plain SELECT
                    # with parallel workers, never an INSERT … SELECT.
                    cur.execute(*count_sql(c, part))
                    rows += cur.fetchall()
                if rows:
                    cur.executemany(f"INSERT INTO {table} (desa_code, candidates, "
                                    "annual_premium) VALUES (%s, %s, %s)", rows)
        state.key, state.as_of, state.counted_at = key, c.today, timezone.now()
        state.save()
    return True


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
