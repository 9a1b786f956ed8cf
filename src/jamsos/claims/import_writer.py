"""Store the valid rows of a BPJS claim report with set-based SQL (the write side of
:mod:`jamsos.claims.importing`).

Modelled on the worker import (:mod:`jamsos.registry.importing.writer`): the rows are staged in
a temporary table (``COPY`` on PostgreSQL, one ``executemany`` on SQLite) and then written with a
few ``INSERT … SELECT`` / ``UPDATE … FROM`` statements — never a query per row. The caller holds
one transaction around everything, so a report lands whole or not at all.

Steps:

1. the file's NIKs, KPJs and claim numbers are staged (``KEYS``) to find the area's people, the
   claims already known by number and the claims entered by hand for those people (three
   queries, whatever the number of rows);
2. matching and the decision per row (new / changed / unchanged / other person) are polars
   joins and expressions;
3. new claims get the enrolment live on the event date (a join) and the regulation engine's
   entitlement (pure Python, CPU only: one call per distinct set of facts, memoised);
4. deaths go through :func:`jamsos.registry.services.record_death` — the registry's single
   path, which ends the roles and sends ``person_died`` — once per *new* death (not per row);
5. the new and changed claims are staged (``STAGE``), then: audit events of the changes, ladder
   steps of the changes, ``UPDATE … FROM``, ``INSERT … SELECT`` of the new claims, their ladder
   steps and their audit events; the audit rows are chained by
   :func:`jamsos.audit.services.seal_pending`;
6. the heirs' follow-up of each new death claim is filed (per death, like step 4).

SQL is assembled only from this module's constants (table and column names, the status ladder);
every value from the file or the user is a query parameter or goes through the staging table.
"""

# ruff: noqa: S608  (see the last paragraph above; pyproject exempts the worker writer likewise)

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl
from django.db import connection
from django.utils.translation import gettext as _

from jamsos import db
from jamsos.audit import services as audit
from jamsos.audit.services import seal_pending
from jamsos.claims import entitlements as ent
from jamsos.claims.models import DEATH_EVENTS, PATH, ClaimStatus
from jamsos.core.numbers import rupiah
from jamsos.registry import sql as registry_sql
from jamsos.registry.models import Person
from jamsos.registry.services import RegistryError, record_death

KEYS = "claims_import_keys"
PEOPLE = "claims_import_people"
STAGE = "claims_import_stage"
KEY_COLUMNS = {"nik": "varchar(40)", "kpj": "varchar(40)", "ref": "varchar(40)"}
PEOPLE_COLUMNS = {"person_id": "bigint"}
STAGE_COLUMNS: dict[str, str] = {
    "line": "integer",
    "kind": "varchar(6)",  # new | update
    "claim_id": "bigint",
    "person_id": "bigint",
    "bpjs_reference": "varchar(40)",
    "program": "varchar(3)",
    "event": "varchar(30)",
    "event_date": "date",
    "reported_on": "date",
    "status": "varchar(20)",
    "status_on": "date",
    "paid_amount": "bigint",
    "paid_on": "date",
    "rejection_reason": "varchar(300)",  # update: NULL keeps the stored reason
    "enrolment_id": "bigint",
    "category": "varchar(20)",
    "segment": "varchar(3)",
    "wage": "bigint",
    "facts": "text",
    "eligible": "boolean",
    "reasons": "text",
    "notes": "text",
    "items": "text",
    "entitlement": "bigint",
    "scholarship_entitlement": "bigint",
    "entitlement_estimated": "boolean",
}
STAGE_SCHEMA = {
    "line": pl.Int64, "kind": pl.String, "claim_id": pl.Int64, "person_id": pl.Int64,
    "bpjs_reference": pl.String, "program": pl.String, "event": pl.String,
    "event_date": pl.Date, "reported_on": pl.Date, "status": pl.String, "status_on": pl.Date,
    "paid_amount": pl.Int64, "paid_on": pl.Date, "rejection_reason": pl.String,
    "enrolment_id": pl.Int64, "category": pl.String, "segment": pl.String, "wage": pl.Int64,
    "facts": pl.String, "eligible": pl.Boolean, "reasons": pl.String, "notes": pl.String,
    "items": pl.String, "entitlement": pl.Int64, "scholarship_entitlement": pl.Int64,
    "entitlement_estimated": pl.Boolean,
}
NO_ENROLMENT_NOTE = "tidak ada kepesertaan di registri pada tanggal kejadian"
DEATH_KEYS = [f"{p}|{e}" for p, e in DEATH_EVENTS]


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deaths: int = 0
    #: issues found while writing: (row, column, code, message, severity)
    extra: list[tuple] = field(default_factory=list)


# --- staging -------------------------------------------------------------------------------


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _distinct(a: str, b: str) -> str:
    return f"{a} IS DISTINCT FROM {b}" if _pg() else f"{a} IS NOT {b}"


def _json(sql_text: str) -> str:
    """A staged JSON text as the column's type (jsonb on PostgreSQL, text on SQLite)."""
    return f"CAST({sql_text} AS jsonb)" if _pg() else sql_text


def _array(a: str, b: str) -> str:
    return f"jsonb_build_array({a}, {b})" if _pg() else f"json_array({a}, {b})"


def _object(pairs: Iterable[tuple[str, str]], *, strip_nulls: bool) -> str:
    fn = "jsonb_build_object" if _pg() else "json_object"
    body = f"{fn}({', '.join(f"'{k}', {v}" for k, v in pairs)})"
    if not strip_nulls:
        return body
    return f"jsonb_strip_nulls({body})" if _pg() else f"json_patch('{{}}', {body})"


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value)


def create_temp(cur, table: str, columns: dict[str, str]) -> None:
    cols = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    cur.execute(f"DROP TABLE IF EXISTS {table}")
    cur.execute(f"CREATE TEMP TABLE {table} ({cols})" + (" ON COMMIT DROP" if _pg() else ""))


def load_temp(cur, table: str, columns: dict[str, str], frame: pl.DataFrame) -> None:
    """(Re)create a temporary table and fill it from ``frame``: COPY or one executemany."""
    create_temp(cur, table, columns)
    frame = frame.select(list(columns))
    if frame.height == 0:
        return
    db.copy_frame(cur, table, columns, frame)
    if _pg():
        cur.execute(f"ANALYZE {table}")


def drop_temp(cur) -> None:
    for table in (KEYS, PEOPLE, STAGE):
        cur.execute(f"DROP TABLE IF EXISTS {table}")


def _frame(cur, sql: str, params, schema: dict) -> pl.DataFrame:
    cur.execute(sql, params)
    return pl.DataFrame(cur.fetchall(), schema=schema, orient="row")


# --- reads (a fixed number of queries) ----------------------------------------------------


def people_frame(cur, area_code: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The area's people named in the file (``person_id, nik, kpj, died_on, birth_date``).

    Stages the file's NIKs, KPJs and claim numbers (``KEYS``, also used by :func:`write`)."""
    keys = pl.DataFrame({
        "nik": (frame["nik"].str.replace_all(r"[\s.\-']", "") if "nik" in frame.columns
                else pl.Series([""] * frame.height, dtype=pl.String)).str.slice(0, 40),
        "kpj": (frame["kpj"].str.replace_all(r"[\s.\-']", "").str.to_uppercase()
                if "kpj" in frame.columns
                else pl.Series([""] * frame.height, dtype=pl.String)).str.slice(0, 40),
        "ref": (frame["no_klaim"] if "no_klaim" in frame.columns
                else pl.Series([""] * frame.height, dtype=pl.String)).str.slice(0, 40),
    })
    load_temp(cur, KEYS, KEY_COLUMNS, keys)
    area = "(p.desa_code = %s OR p.desa_code LIKE %s)"
    return _frame(
        cur,
        f"SELECT p.id, p.nik, p.kpj, p.died_on, p.birth_date FROM {registry_sql.PEOPLE} p "
        f"WHERE {area} AND p.nik IN (SELECT nik FROM {KEYS} WHERE nik <> '') "
        "UNION "
        f"SELECT p.id, p.nik, p.kpj, p.died_on, p.birth_date FROM {registry_sql.PEOPLE} p "
        f"WHERE {area} AND p.kpj IN (SELECT kpj FROM {KEYS} WHERE kpj <> '')",
        [area_code, area_code + ".%", area_code, area_code + ".%"],
        {"person_id": pl.Int64, "nik": pl.String, "kpj": pl.String, "died_on": pl.Date,
         "birth_date": pl.Date},
    ).unique("person_id", keep="first").sort("person_id")


CLAIM_SCHEMA = {"claim_id": pl.Int64, "claim_person": pl.Int64, "before_ref": pl.String,
                "before_status": pl.String, "before_status_on": pl.Date,
                "before_paid_amount": pl.Int64, "before_paid_on": pl.Date,
                "before_reason": pl.String}
CLAIM_COLUMNS = ("c.id, c.person_id, c.bpjs_reference, c.status, c.status_on, c.paid_amount, "
                 "c.paid_on, c.rejection_reason")


def _match(cur, valid: pl.DataFrame) -> pl.DataFrame:
    """Each valid row with the stored claim it updates (by number, else a claim entered by hand
    for the same person, programme and event date), or none."""
    by_ref = _frame(cur, f"SELECT {CLAIM_COLUMNS} FROM claims_claim c "
                         f"WHERE c.bpjs_reference IN (SELECT ref FROM {KEYS} WHERE ref <> '')",
                    [], CLAIM_SCHEMA).with_columns(bpjs_reference=pl.col("before_ref"))
    manual = _frame(cur, f"SELECT {CLAIM_COLUMNS}, c.program, c.event_date FROM claims_claim c "
                         f"WHERE c.bpjs_reference IS NULL "
                         f"AND c.person_id IN (SELECT person_id FROM {PEOPLE})", [],
                    {**CLAIM_SCHEMA, "program": pl.String, "event_date": pl.Date})
    rows = valid.join(by_ref, on="bpjs_reference", how="left")
    # Hand-entered claims: one per (person, programme, date) — the oldest — and it goes to the
    # first row of the file with that key that no claim number matched.
    manual = (manual.sort("claim_id").unique(["claim_person", "program", "event_date"],
                                             keep="first")
              .rename({"claim_person": "person_id"}).with_columns(claim_person=pl.col("person_id")))
    free = (rows.filter(pl.col("claim_id").is_null())
            .sort("row").unique(["person_id", "program", "event_date"], keep="first")
            .select("row", "person_id", "program", "event_date")
            .join(manual, on=["person_id", "program", "event_date"], how="inner")
            .drop("person_id", "program", "event_date"))
    rows = rows.join(free, on="row", how="left", suffix="_manual")
    return rows.with_columns(
        [pl.coalesce(c, f"{c}_manual").alias(c) for c in CLAIM_SCHEMA]
    ).drop([f"{c}_manual" for c in CLAIM_SCHEMA]).sort("row")


def _live_enrolments(cur, new: pl.DataFrame) -> pl.DataFrame:
    """The enrolment live on each new claim's event date (the insured one first)."""
    enrolments = _frame(
        cur, "SELECT e.id, e.person_id, e.start_date, e.end_date, e.is_primary, e.segment, "
             f"e.wage, e.category FROM {registry_sql.ENROLMENTS} e "
             f"WHERE e.person_id IN (SELECT person_id FROM {PEOPLE})", [],
        {"enrolment_id": pl.Int64, "person_id": pl.Int64, "e_start": pl.Date,
         "e_end": pl.Date, "e_primary": pl.Boolean, "e_segment": pl.String, "e_wage": pl.Int64,
         "e_category": pl.String})
    live = (new.select("row", "person_id", "event_date")
            .join(enrolments, on="person_id", how="inner")
            .filter((pl.col("e_start") <= pl.col("event_date"))
                    & (pl.col("e_end").is_null() | (pl.col("e_end") >= pl.col("event_date"))))
            .sort(["row", "e_primary", "e_start", "enrolment_id"],
                  descending=[False, True, False, False])
            .unique("row", keep="first")
            .drop("person_id", "event_date"))
    return new.join(live, on="row", how="left")


# --- the regulation engine (CPU only) ------------------------------------------------------


def _entitlements(new: pl.DataFrame) -> pl.DataFrame:
    """The engine's answer for every new claim, memoised on the facts that decide it."""
    cache: dict[tuple, tuple] = {}
    wages: dict[tuple[str, dt.date], tuple[int, str]] = {}
    out: dict[str, list] = {k: [] for k in ("event", "segment", "wage", "eligible", "reasons",
                                            "notes", "items", "entitlement",
                                            "scholarship_entitlement",
                                            "entitlement_estimated")}
    cols = ("program", "event", "event_date", "enrolment_id", "e_segment", "e_wage", "e_start",
            "birth_date", "treatment_cost", "balance")
    dumps = json.dumps
    for program, event, day, enrolment, e_segment, e_wage, e_start, birth, cost, balance in (
            new.select(cols).iter_rows()):
        segment = e_segment.lower() if enrolment is not None else "pu"
        if enrolment is not None and e_wage:
            wage, note = int(e_wage), ""
        else:
            got = wages.get((segment, day))
            if got is None:
                fig = ent.default_wage(segment or "pu", day)
                got = wages[(segment, day)] = (
                    fig.value, f"upah tidak tercatat: dipakai {rupiah(fig.value)} ({fig.citation})"
                    .replace(",", "."))
            wage, note = got
        if program == "jht" and event == "resignation" and segment == "bpu":
            event = "stop_working"
        wage_note = note or ("" if enrolment is not None else NO_ENROLMENT_NOTE)
        key = (program, event, day, wage, segment, e_start, birth, cost, balance, wage_note)
        hit = cache.get(key)
        if hit is None:
            facts = {}
            if cost is not None:
                facts["treatment_cost"] = cost
            if balance is not None:
                facts["balance"] = balance
            c = ent.compute(program=program, event=event, event_date=day, wage=wage,
                            segment=segment, membership_start=e_start, birth_date=birth,
                            facts=facts, wage_note=wage_note)
            hit = cache[key] = (c.eligible, dumps(c.reasons), dumps(c.notes), dumps(c.items),
                                c.entitlement, c.scholarship, c.estimated)
        out["event"].append(event)
        out["segment"].append(segment)
        out["wage"].append(wage)
        for name, value in zip(("eligible", "reasons", "notes", "items", "entitlement",
                                "scholarship_entitlement", "entitlement_estimated"), hit,
                               strict=True):
            out[name].append(value)
    schema = {"event": pl.String, "segment": pl.String, "wage": pl.Int64,
              "eligible": pl.Boolean, "reasons": pl.String, "notes": pl.String,
              "items": pl.String, "entitlement": pl.Int64, "scholarship_entitlement": pl.Int64,
              "entitlement_estimated": pl.Boolean}
    return pl.DataFrame(out, schema=schema)


def _facts_json() -> pl.Expr:
    """``{"_reported_on": "…", "treatment_cost": n, "balance": n}`` (the last two when given)."""
    col = pl.col
    return pl.concat_str(
        pl.lit('{"_reported_on": "'), col("reported_on").dt.to_string("%Y-%m-%d"), pl.lit('"'),
        pl.when(col("treatment_cost").is_not_null())
        .then(pl.format(', "treatment_cost": {}', col("treatment_cost"))).otherwise(pl.lit("")),
        pl.when(col("balance").is_not_null())
        .then(pl.format(', "balance": {}', col("balance"))).otherwise(pl.lit("")),
        pl.lit("}"))


# --- the write -----------------------------------------------------------------------------


def write(valid: pl.DataFrame, people: pl.DataFrame, *, batch_id: int, user, actor: dict,
          today: dt.date, now: dt.datetime, header: dict[str, str]) -> Written:
    """Create new claims and update changed ones with set-based SQL. ``valid`` comes from
    :func:`jamsos.claims.importing.validate`; ``people`` from :func:`people_frame` (same
    connection, same transaction: ``KEYS`` is staged)."""
    result = Written()
    if valid.height == 0:
        return result
    col = pl.col
    rejected = ClaimStatus.REJECTED.value
    paid = ClaimStatus.PAID.value
    with connection.cursor() as cur:
        load_temp(cur, PEOPLE, PEOPLE_COLUMNS, valid.select("person_id").unique())
        rows = _match(cur, valid)
        other = rows.filter(col("claim_id").is_not_null()
                            & (col("claim_person") != col("person_id")))
        result.extra += [(r, header["no_klaim"], "reference_other_person",
                          _("No Klaim %(ref)s sudah tercatat untuk peserta lain.") % {"ref": ref},
                          "error") for r, ref in other.select("row", "bpjs_reference").iter_rows()]
        rows = rows.filter(col("claim_id").is_null() | (col("claim_person") == col("person_id")))
        reason = pl.when(col("status") == rejected).then(col("note").str.slice(0, 300))
        old = rows.filter(col("claim_id").is_not_null()).with_columns(rejection_reason=reason)
        changed = (col("before_ref").ne_missing(col("bpjs_reference"))
                   | col("before_status").ne_missing(col("status"))
                   | col("before_paid_amount").ne_missing(col("paid_amount"))
                   | col("before_paid_on").ne_missing(col("paid_on"))
                   | ((col("status") == rejected)
                      & col("before_reason").ne_missing(col("rejection_reason"))))
        updates = old.filter(changed).with_columns(
            kind=pl.lit("update"),
            status_on=pl.when(col("status") != col("before_status"))
            .then(pl.coalesce("paid_on", pl.lit(today))).otherwise(col("before_status_on")))
        result.unchanged = old.height - updates.height
        new = _new_claims(cur, rows.filter(col("claim_id").is_null()), people)
        new = _record_deaths(new, people, user=user, result=result, header=header)
        new = new.with_columns(
            kind=pl.lit("new"),
            status_on=pl.when((col("status") == paid) & col("paid_on").is_not_null())
            .then(col("paid_on")).otherwise(col("reported_on")),
            paid_amount=pl.when(col("status") == paid).then(col("paid_amount")),
            paid_on=pl.when(col("status") == paid).then(col("paid_on")),
            rejection_reason=pl.when(col("status") == rejected)
            .then(col("note").str.slice(0, 300)).otherwise(pl.lit("")),
            facts=_facts_json())
        stage = pl.concat([_staged(updates), _staged(new)], how="vertical")
        load_temp(cur, STAGE, STAGE_COLUMNS, stage)
        source = f"claims-import:{batch_id}"
        params = {"now": _dt(now), "actor_id": actor["actor"].pk if actor["actor"] else None,
                  "actor_name": actor["actor_name"], "source": source, "batch": batch_id}
        # Take the audit chain's head (locked to the end of the transaction) before inserting
        # unsealed events, so no other writer can chain past them before they are sealed.
        seal_pending()
        if updates.height:
            _write_updates(cur, params)
        if new.height:
            result.created = _insert_new(cur, params)
        result.updated = updates.height
        drop_temp(cur)
    seal_pending()  # chain the per-claim events inserted above, in id order
    _file_follow_ups(batch_id, user=user)
    return result


def _staged(frame: pl.DataFrame) -> pl.DataFrame:
    missing = [pl.lit(None, dtype=t).alias(k) for k, t in STAGE_SCHEMA.items()
               if k not in frame.columns]
    return frame.rename({"row": "line"}).with_columns(missing).select(
        [pl.col(k).cast(t) for k, t in STAGE_SCHEMA.items()])


def _new_claims(cur, new: pl.DataFrame, people: pl.DataFrame) -> pl.DataFrame:
    if new.height == 0:
        return new.with_columns(
            [pl.lit(None, dtype=STAGE_SCHEMA[k]).alias(k) for k in
             ("enrolment_id", "category", "segment", "wage", "eligible", "reasons", "notes",
              "items", "entitlement", "scholarship_entitlement", "entitlement_estimated")])
    new = new.join(people.select("person_id", "birth_date"), on="person_id", how="left")
    new = _live_enrolments(cur, new)
    computed = _entitlements(new)
    return new.drop("event").with_columns(computed).with_columns(
        category=pl.col("e_category").fill_null(""))


def _record_deaths(new: pl.DataFrame, people: pl.DataFrame, *, user, result: Written,
                   header: dict[str, str]) -> pl.DataFrame:
    """``record_death`` once per new death (the registry's single path: ends the roles, opens
    the follow-up through ``person_died``). Rows whose death the registry refuses are taken
    out with a ``death_refused`` error."""
    deaths = (new.join(people.select("person_id", "died_on"), on="person_id", how="left")
              .filter(pl.concat_str("program", pl.lit("|"), "event").is_in(DEATH_KEYS)
                      & pl.col("died_on").is_null())
              .select("row", "person_id", "program", "event_date").sort("row"))
    if deaths.height == 0:
        return new
    persons = Person.objects.in_bulk(deaths["person_id"].unique().to_list())
    refused: list[int] = []
    for row, person_id, program, day in deaths.iter_rows():  # per death, not per claim row
        try:
            if record_death(persons[person_id], died_on=day,
                            source="klaim:jkk" if program == "jkk" else "klaim:jkm", user=user):
                result.deaths += 1
        except RegistryError as exc:
            result.extra.append((row, header["tanggal_kejadian"], "death_refused", exc.message,
                                 "error"))
            refused.append(row)
    return new.filter(~pl.col("row").is_in(refused)) if refused else new


def _path_cte() -> str:
    values = ", ".join(f"('{target}', '{status}', {i})" for target, path in PATH.items()
                       for i, status in enumerate(path))
    return f"WITH path (target, status, pos) AS (VALUES {values}) "


STEP_COLUMNS = 'claim_id, status, "on", by_id, by_name, at, note'


def _write_updates(cur, p: dict) -> None:
    """Changed claims: audit (before → after), the rungs climbed, then the update itself."""
    changes = _object([
        ("bpjs_reference", f"CASE WHEN {_distinct('c.bpjs_reference', 's.bpjs_reference')} "
                           f"THEN {_array('c.bpjs_reference', 's.bpjs_reference')} END"),
        ("status", f"CASE WHEN {_distinct('c.status', 's.status')} "
                   f"THEN {_array('c.status', 's.status')} END"),
        ("paid_amount", f"CASE WHEN {_distinct('c.paid_amount', 's.paid_amount')} "
                        f"THEN {_array('c.paid_amount', 's.paid_amount')} END"),
        ("paid_on", f"CASE WHEN {_distinct('c.paid_on', 's.paid_on')} "
                    f"THEN {_array('c.paid_on', 's.paid_on')} END"),
        ("rejection_reason", f"CASE WHEN s.rejection_reason IS NOT NULL AND "
                             f"{_distinct('c.rejection_reason', 's.rejection_reason')} "
                             f"THEN {_array('c.rejection_reason', 's.rejection_reason')} END"),
    ], strip_nulls=True)
    audit.insert_selected(
        cur,
        f"SELECT %s, %s, %s, %s, 'update', 'claim', CAST(c.id AS varchar(40)), pr.desa_code, "
        f"{changes} FROM claims_claim c JOIN {STAGE} s ON s.claim_id = c.id "
        f"JOIN {registry_sql.PEOPLE} pr ON pr.id = c.person_id "
        "WHERE s.kind = 'update' ORDER BY s.line",
        [p["now"], p["actor_id"], p["actor_name"], p["source"]])
    cur.execute(
        _path_cte()
        + f"INSERT INTO claims_claimstep ({STEP_COLUMNS}) "
        "SELECT c.id, path.status, s.status_on, %s, %s, %s, %s "
        f"FROM claims_claim c JOIN {STAGE} s ON s.claim_id = c.id "
        "JOIN path ON path.target = s.status "
        "WHERE s.kind = 'update' AND NOT EXISTS (SELECT 1 FROM path done "
        "WHERE done.target = c.status AND done.status = path.status) "
        "ORDER BY s.line, path.pos",
        [p["actor_id"], p["actor_name"], p["now"], p["source"]])
    cur.execute(
        "UPDATE claims_claim SET bpjs_reference = s.bpjs_reference, status = s.status, "
        "status_on = s.status_on, paid_amount = s.paid_amount, paid_on = s.paid_on, "
        "rejection_reason = COALESCE(s.rejection_reason, claims_claim.rejection_reason), "
        f"updated_at = %s FROM {STAGE} s "
        "WHERE s.kind = 'update' AND s.claim_id = claims_claim.id",
        [p["now"]])


def _insert_new(cur, p: dict) -> int:
    """New claims (in file order), the ladder up to their status dated by the report, and one
    audit event each."""
    cur.execute(
        "INSERT INTO claims_claim (person_id, program, event, event_date, enrolment_id, "
        "category, segment, wage, facts, eligible, reasons, notes, items, entitlement, "
        "scholarship_entitlement, entitlement_estimated, computed_at, documents, status, "
        "status_on, paid_amount, paid_on, rejection_reason, difference_note, bpjs_reference, "
        "import_batch_id, created_by_id, created_at, updated_at) "
        "SELECT s.person_id, s.program, s.event, s.event_date, s.enrolment_id, s.category, "
        f"s.segment, s.wage, {_json('s.facts')}, s.eligible, {_json('s.reasons')}, "
        f"{_json('s.notes')}, {_json('s.items')}, s.entitlement, s.scholarship_entitlement, "
        f"s.entitlement_estimated, %s, {_json(chr(39) + '{}' + chr(39))}, s.status, "
        "s.status_on, s.paid_amount, s.paid_on, s.rejection_reason, '', s.bpjs_reference, "
        f"%s, NULL, %s, %s FROM {STAGE} s WHERE s.kind = 'new' ORDER BY s.line",
        [p["now"], p["batch"], p["now"], p["now"]])
    created = cur.rowcount
    cur.execute(
        _path_cte()
        + f"INSERT INTO claims_claimstep ({STEP_COLUMNS}) "
        "SELECT c.id, path.status, CASE WHEN path.status = c.status THEN c.status_on "
        "ELSE s.reported_on END, %s, %s, %s, %s "
        f"FROM {STAGE} s JOIN claims_claim c ON c.bpjs_reference = s.bpjs_reference "
        "JOIN path ON path.target = c.status "
        "WHERE s.kind = 'new' AND c.import_batch_id = %s ORDER BY s.line, path.pos",
        [p["actor_id"], p["actor_name"], p["now"], p["source"], p["batch"]])
    changes = _object([("bpjs_reference", _array("NULL", "c.bpjs_reference")),
                       ("program", _array("NULL", "c.program")),
                       ("status", _array("NULL", "c.status")),
                       ("paid_amount", _array("NULL", "c.paid_amount"))], strip_nulls=False)
    audit.insert_selected(
        cur,
        f"SELECT %s, %s, %s, %s, 'create', 'claim', CAST(c.id AS varchar(40)), pr.desa_code, "
        f"{changes} FROM claims_claim c JOIN {registry_sql.PEOPLE} pr ON pr.id = c.person_id "
        "WHERE c.import_batch_id = %s ORDER BY c.id",
        [p["now"], p["actor_id"], p["actor_name"], p["source"], p["batch"]])
    return created


def _file_follow_ups(batch_id: int, *, user) -> None:
    """Each new death claim closes its heirs' follow-up (per death: deaths are few)."""
    from django.db.models import Q

    from jamsos.claims.models import Claim
    from jamsos.claims.services import file_follow_up

    death = Q()
    for program, event in DEATH_EVENTS:
        death |= Q(program=program, event=event)
    for claim in (Claim.objects.filter(death, import_batch_id=batch_id)
                  .select_related("person").order_by("id")):
        file_follow_up(claim, user=user)
