"""Store validated worker rows with set-based SQL: stage, then a few bulk statements.

The caller holds one transaction around :func:`write`, so an import either lands whole or
leaves the database exactly as it was (also when the process dies midway). PostgreSQL loads the
staging table with ``COPY``; SQLite with one ``executemany``. Everything after that is
``UPDATE … FROM`` / ``INSERT … SELECT`` over the staging table: never a query per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db import connection

from jamsos import db
from jamsos.audit.services import insert_selected, seal_pending
from jamsos.registry import categories

STAGE = "jamsos_import_stage"
STAGE_COLUMNS: dict[str, str] = {
    "line": "integer",
    "nik": "varchar(16)",
    "name": "varchar(150)",
    "sex": "varchar(1)",
    "birth_date": "date",
    "desa_code": "varchar(13)",
    "category": "varchar(20)",
    "subcategory": "varchar(20)",
    "occupation": "varchar(100)",
    "phone": "varchar(20)",
    "kpj": "varchar(11)",
    "wage": "bigint",
    "funding_source": "varchar(10)",
    "segment": "varchar(3)",
    "start_date": "date",
}
PERSON_FIELDS = ("name", "sex", "birth_date", "desa_code", "phone", "kpj")
ENROLMENT_FIELDS = ("occupation", "desa_code", "wage", "funding_source", "start_date")


@dataclass
class WriteResult:
    created: int  # persons
    updated: int  # persons
    enrolments_created: int
    enrolments_updated: int
    kpj_conflicts: pl.DataFrame  # row, kpj, other_nik
    desa_codes: list[str]  # desa whose coverage the import can change
    outside: pl.DataFrame  # row, person_id, desa_code: rows refused for another area's person


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _distinct(a: str, b: str) -> str:
    return f"{a} IS DISTINCT FROM {b}" if _pg() else f"{a} IS NOT {b}"


def _json_diff(pairs: list[tuple[str, str, str]]) -> str:
    """SQL for ``{"field": [before, after]}`` holding only the fields that differ."""
    if _pg():
        body = ", ".join(
            f"'{k}', CASE WHEN {_distinct(a, b)} THEN jsonb_build_array({a}, {b}) END"
            for k, a, b in pairs
        )
        return f"jsonb_strip_nulls(jsonb_build_object({body}))"
    body = ", ".join(
        f"'{k}', CASE WHEN {_distinct(a, b)} THEN json_array({a}, {b}) END" for k, a, b in pairs
    )
    return f"json_patch('{{}}', json_object({body}))"


def _create_stage(cur) -> None:
    cols = ", ".join(f"{name} {kind}" for name, kind in STAGE_COLUMNS.items())
    cur.execute(f"DROP TABLE IF EXISTS {STAGE}")
    if _pg():
        cur.execute(f"CREATE TEMP TABLE {STAGE} ({cols}) ON COMMIT DROP")
    else:
        cur.execute(f"CREATE TEMP TABLE {STAGE} ({cols})")


def _load_stage(cur, frame: pl.DataFrame) -> None:
    frame = frame.rename({"row": "line"}).select(list(STAGE_COLUMNS))
    db.copy_frame(cur, STAGE, STAGE_COLUMNS, frame)
    if _pg():
        cur.execute(f"ANALYZE {STAGE}")  # hash joins; no index needed
    else:
        cur.execute(f"CREATE INDEX {STAGE}_nik ON {STAGE} (nik)")


def write(valid: pl.DataFrame, *, batch_id: int | None, actor_id: int | None,
          actor_name: str, now: dt.datetime, scope: str | None = None,
          progress=lambda stage, pct: None) -> WriteResult:
    """Upsert persons by NIK and enrolments by (person, category, sub-category).

    ``scope`` is the importer's area: a row whose NIK belongs to a person registered outside
    it (domicile, or the open role the row would update) changes nothing and is returned in
    ``outside``. Registry writers are serialised (one import writes at a time), so two files
    sharing new people both succeed: the later one updates what the earlier one created.
    """
    db.serialise("registry_write")
    with connection.cursor() as cur:
        _create_stage(cur)
        progress("stage", 55)
        _load_stage(cur, valid)
        progress("persons", 65)
        conflicts = _reject_kpj_conflicts(cur)
        known = _any_known(cur)
        outside = _reject_outside_scope(cur, scope) if known and scope else _no_outside()
        desa_codes = _touched_desa(cur, known)
        created, updated = _upsert_persons(cur, now, actor_id, actor_name, batch_id, known)
        progress("enrolments", 80)
        e_created, e_updated = _upsert_enrolments(cur, now, batch_id, known)
        progress("primary", 92)
        recompute_primary(cur, staged=True)
        cur.execute(f"DROP TABLE IF EXISTS {STAGE}")
    if updated:
        seal_pending()  # chain the per-person update events inserted above
    return WriteResult(created, updated, e_created, e_updated, conflicts, desa_codes, outside)


_OUTSIDE_SCHEMA = {"row": pl.Int64, "person_id": pl.Int64, "desa_code": pl.String}


def _no_outside() -> pl.DataFrame:
    return pl.DataFrame(schema=_OUTSIDE_SCHEMA)


def _reject_outside_scope(cur, scope: str) -> pl.DataFrame:
    """Take out of the stage every row of a NIK registered outside ``scope``.

    A person belongs to another area when they live outside it, or when the open role the row
    would update (same category and sub-category) lies outside it: an import of a desa or
    kecamatan must never rename, move or re-role them.
    """
    inside = "{col} = %s OR {col} LIKE %s"
    refused = (
        f"SELECT s.nik FROM {STAGE} s JOIN registry_person p ON p.nik = s.nik "
        f"WHERE NOT ({inside.format(col='p.desa_code')}) "
        f"UNION SELECT s.nik FROM {STAGE} s JOIN registry_person p ON p.nik = s.nik "
        "JOIN registry_enrolment e ON e.person_id = p.id AND e.category = s.category "
        "AND e.subcategory = s.subcategory AND e.end_date IS NULL "
        f"WHERE NOT ({inside.format(col='e.desa_code')})"
    )
    params = [scope, scope + ".%"] * 2
    cur.execute(f"SELECT s.line, p.id, p.desa_code FROM {STAGE} s JOIN registry_person p "
                f"ON p.nik = s.nik WHERE s.nik IN ({refused}) ORDER BY s.line", params)
    found = cur.fetchall()
    if found:  # every row of a refused NIK goes, also the file's repeats of it
        cur.execute(f"DELETE FROM {STAGE} WHERE nik IN ({refused})", params)
    return pl.DataFrame(found, schema=_OUTSIDE_SCHEMA, orient="row")


def _reject_kpj_conflicts(cur) -> pl.DataFrame:
    """Rows whose KPJ already belongs to another person are taken out of the stage."""
    cur.execute(
        f"SELECT s.line, s.kpj, p.nik FROM {STAGE} s JOIN registry_person p ON p.kpj = s.kpj "
        "WHERE p.nik <> s.nik"
    )
    found = cur.fetchall()
    if found:
        cur.execute(
            f"DELETE FROM {STAGE} WHERE nik IN (SELECT s.nik FROM {STAGE} s "
            "JOIN registry_person p ON p.kpj = s.kpj WHERE p.nik <> s.nik)"
        )
    return pl.DataFrame(found, schema={"row": pl.Int64, "kpj": pl.String, "other_nik": pl.String},
                        orient="row")


def _person_source() -> str:
    """One staged row per NIK (the file's first; validation made the others agree)."""
    return (f"(SELECT * FROM {STAGE} WHERE line IN "
            f"(SELECT MIN(line) FROM {STAGE} GROUP BY nik))")


def _any_known(cur) -> bool:
    """Whether any staged NIK is already registered (else there is nothing to update)."""
    cur.execute(f"SELECT EXISTS (SELECT 1 FROM registry_person p JOIN {STAGE} s ON s.nik = p.nik)")
    return bool(cur.fetchone()[0])


def _touched_desa(cur, known: bool) -> list[str]:
    """The desa of the file's rows and, for people already registered, of every enrolment
    they hold now (a person who moves, or whose insured role changes, changes those too)."""
    sql = f"SELECT DISTINCT desa_code FROM {STAGE}"
    if known:
        sql += (f" UNION SELECT DISTINCT e.desa_code FROM registry_enrolment e "
                f"JOIN registry_person p ON p.id = e.person_id JOIN {STAGE} s ON s.nik = p.nik")
    cur.execute(sql)
    return sorted(code for (code,) in cur.fetchall())


def _upsert_persons(cur, now, actor_id, actor_name, batch_id, known) -> tuple[int, int]:
    src = _person_source()
    # What a stored person becomes: empty optional cells never erase stored values.
    new = {
        "name": "s.name", "sex": "s.sex", "birth_date": "s.birth_date",
        "desa_code": "s.desa_code",
        "phone": "COALESCE(NULLIF(s.phone, ''), p.phone)",
        "kpj": "COALESCE(s.kpj, p.kpj)",
    }
    differs = " OR ".join(_distinct(f"p.{f}", new[f]) for f in PERSON_FIELDS)
    source = f"import:{batch_id}" if batch_id else "import"
    updated = 0
    if known:
        updated = _update_persons(cur, src, new, differs, source, now, actor_id, actor_name,
                                  batch_id)
    # People new to the registry: their audit record is the batch's own event (file name,
    # checksum, counts) with the retained file, and each row's import_batch_id. Inserting in
    # NIK order keeps the unique index's pages in cache.
    cur.execute(
        "INSERT INTO registry_person (nik, name, sex, birth_date, desa_code, phone, kpj, "
        "import_batch_id, created_at, updated_at) "
        f"SELECT s.nik, s.name, s.sex, s.birth_date, s.desa_code, s.phone, s.kpj, %s, %s, %s "
        f"FROM {src} s WHERE NOT EXISTS (SELECT 1 FROM registry_person p WHERE p.nik = s.nik) "
        "ORDER BY s.nik",
        [batch_id, now, now],
    )
    return cur.rowcount, updated


def _update_persons(cur, src, new, differs, source, now, actor_id, actor_name,
                    batch_id) -> int:
    """Stored people whose data the file changes: audited field by field, then updated."""
    insert_selected(
        cur,
        f"SELECT %s, %s, %s, %s, 'update', 'person', CAST(p.id AS varchar(20)), s.desa_code, "
        f"{_json_diff([(f, f'p.{f}', new[f]) for f in PERSON_FIELDS])} "
        f"FROM registry_person p JOIN {src} s ON s.nik = p.nik WHERE {differs}",
        [now, actor_id, actor_name, source],
    )
    sets = ", ".join(f"{f} = {new[f].replace('p.', 'registry_person.')}" for f in PERSON_FIELDS)
    cur.execute(
        f"UPDATE registry_person SET {sets}, updated_at = %s, import_batch_id = %s FROM {src} s "
        f"WHERE s.nik = registry_person.nik AND ("
        f"{differs.replace('p.', 'registry_person.')})",
        [now, batch_id],
    )
    return cur.rowcount


def _upsert_enrolments(cur, now, batch_id, known) -> tuple[int, int]:
    open_match = (
        "e.person_id = p.id AND e.category = s.category AND e.subcategory = s.subcategory "
        "AND e.end_date IS NULL"
    )
    new = {
        "occupation": "COALESCE(NULLIF(s.occupation, ''), e.occupation)",
        "desa_code": "s.desa_code",
        "wage": "COALESCE(s.wage, e.wage)",
        "funding_source": "s.funding_source",
        "start_date": "s.start_date",
    }
    differs = " OR ".join(_distinct(f"e.{f}", new[f]) for f in ENROLMENT_FIELDS)
    sets = ", ".join(f"{f} = {new[f]}".replace("e.", "registry_enrolment.")
                     for f in ENROLMENT_FIELDS)
    updated = 0
    if known:
        updated = _update_enrolments(cur, sets, differs, open_match, now, batch_id)
    cur.execute(
        "INSERT INTO registry_enrolment (person_id, category, subcategory, occupation, "
        "desa_code, segment, jkk, jkm, jht, jp, jkp, wage, funding_source, start_date, end_date, "
        "status, is_primary, import_batch_id, created_at, updated_at) "
        "SELECT p.id, s.category, s.subcategory, s.occupation, s.desa_code, s.segment, "
        "%s, %s, %s, %s, %s, s.wage, s.funding_source, s.start_date, NULL, 'active', %s, %s, "
        f"%s, %s FROM {STAGE} s JOIN registry_person p ON p.nik = s.nik "
        f"WHERE NOT EXISTS (SELECT 1 FROM registry_enrolment e WHERE {open_match}) "
        "ORDER BY p.id",
        [*(p in categories.DEFAULT_PROGRAMS for p in categories.PROGRAMS), True, batch_id,
         now, now],
    )
    return cur.rowcount, updated


def _update_enrolments(cur, sets, differs, open_match, now, batch_id) -> int:
    cur.execute(
        f"UPDATE registry_enrolment SET {sets}, updated_at = %s, import_batch_id = %s "
        f"FROM {STAGE} s JOIN registry_person p ON p.nik = s.nik "
        f"WHERE {open_match.replace('e.', 'registry_enrolment.')} AND ("
        f"{differs.replace('e.', 'registry_enrolment.')})",
        [now, batch_id],
    )
    return cur.rowcount


def recompute_primary(cur, *, person_ids: list[int] | None = None,
                      staged: bool = False) -> None:
    """Of a person's open, active enrolments the first by category precedence is insured.

    Only people whose choice can be off are ranked: those with several open enrolments, and
    those whose only open enrolment is not (or no longer) marked insured; and only the people
    a write touched — ``person_ids``, or (``staged``) those of the import's staging table —
    so one person's change costs one person's work. With neither, the whole registry.
    """
    order = " ".join(f"WHEN '{k}' THEN {i}" for k, i in categories.ORDER.items())
    params: list = []
    touched = ""
    if person_ids is not None:
        touched = f" AND person_id IN ({', '.join(['%s'] * len(person_ids))})"
        params = list(person_ids)
        if not person_ids:
            return
    elif staged:
        touched = (f" AND person_id IN (SELECT p.id FROM registry_person p "
                   f"JOIN {STAGE} s ON s.nik = p.nik)")
    ranked = (
        "SELECT id, ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY "
        f"CASE category {order} ELSE 99 END, start_date, id) AS rn "
        "FROM registry_enrolment WHERE status = 'active' AND end_date IS NULL AND person_id IN ("
        "SELECT person_id FROM registry_enrolment WHERE status = 'active' "
        f"AND end_date IS NULL{touched} GROUP BY person_id "
        "HAVING COUNT(*) > 1 OR MIN(CASE WHEN is_primary THEN 1 ELSE 0 END) = 0)"
    )
    cur.execute(
        f"UPDATE registry_enrolment SET is_primary = (r.rn = 1) FROM ({ranked}) r "
        "WHERE r.id = registry_enrolment.id AND registry_enrolment.is_primary <> (r.rn = 1)",
        params,
    )
