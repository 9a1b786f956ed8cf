"""The month's bill as a polars frame: one SELECT, the engine's batch run, no loop per person.

:func:`billable_frame` reads the month's billable enrolments; :func:`price` runs
:func:`jamsos.rules.contributions_batch` once per (segment, programmes, payer) group — a handful
of groups — and :func:`assign_payers` decides whose invoice each line goes on.
"""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
from django.db import connection

from jamsos.premiums import params
from jamsos.registry import sql as registry_sql
from jamsos.rules import contributions_batch, default_parameters

PROGRAM_COLUMNS = ("jkk", "jkm", "jht", "jp", "jkp")
SCHEMA = {
    "enrolment_id": pl.Int64, "person_id": pl.Int64, "desa_code": pl.String,
    "category": pl.String, "segment": pl.String, "funding_source": pl.String,
    "wage": pl.Int64, "jkk_on": pl.Boolean, "jkm_on": pl.Boolean, "jht_on": pl.Boolean,
    "jp_on": pl.Boolean, "jkp_on": pl.Boolean,
}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def add_months(day: dt.date, n: int) -> dt.date:
    y, m = divmod(day.month - 1 + n, 12)
    return dt.date(day.year + y, m + 1, 1)


def due_date(period: dt.date) -> dt.date:
    """The day a month's bill falls due: ``contribution.due_day`` (the 15th) of the next
    month, moved past a Saturday or Sunday to the Monday (regulations.md §0 [S41]: "if the
    15th is a holiday, the next working day"; public holidays are not modelled)."""
    nxt = add_months(month_start(period), 1)
    day = int(default_parameters().get("contribution.due_day", period).value)
    due = nxt.replace(day=day)
    while due.weekday() >= 5:
        due += dt.timedelta(days=1)
    return due


def billable_sql() -> str:
    """The month's billable roles (:func:`jamsos.registry.sql.billable_roles`: parameters the
    month's last day, first day, first day) with the columns billing reads."""
    return (
        "SELECT b.id AS enrolment_id, b.person_id, b.desa_code, b.category, b.segment, "  # noqa: S608 - identifiers from this module; values are parameters
        "b.funding_source, b.wage, b.jkk AS jkk_on, b.jkm AS jkm_on, b.jht AS jht_on, "
        f"b.jp AS jp_on, b.jkp AS jkp_on, b.rank FROM ({registry_sql.billable_roles()}) b"
    )


def billable_frame(period: dt.date, kabupaten: str | None = None) -> pl.DataFrame:
    """The month's billable lines; with ``kabupaten`` only that regency's (the people with a
    primary role there are read, each person's line chosen among all their roles, then the
    lines lying in the regency kept: the same lines as the whole deployment's, filtered)."""
    first, last = month_start(period), month_end(period)
    sql, args = billable_sql(), [last, first, first]
    if kabupaten:
        sql += (f" WHERE b.person_id IN (SELECT r.person_id FROM {registry_sql.ENROLMENTS} r "  # noqa: S608 - identifiers from this module; values are parameters
                "WHERE r.is_primary AND r.desa_code LIKE %s)")
        args.append(kabupaten + ".%")
    frame = read_sql_frame(sql, args, {**SCHEMA, "rank": pl.Int64})
    # One line per person and month: the role first by category order, then the oldest.
    frame = (frame.sort(["person_id", "rank", "enrolment_id"])
             .unique("person_id", keep="first", maintain_order=True).drop("rank"))
    if kabupaten:
        frame = frame.filter(KABUPATEN == kabupaten)
    return frame


#: The kabupaten/kota of a line's desa (``16.02.13.2005`` → ``16.02``).
KABUPATEN = pl.col("desa_code").str.split(".").list.slice(0, 2).list.join(".")


def needed_settings(frame: pl.DataFrame, *, payers: bool = True) -> dict[str, list[str]]:
    """Which of its regency's settings each kabupaten's lines need: the PU default wage for a
    PU line without a wage, the JKK risk class for a PU line with JKK, the paying OPD for an
    APBD line (``payers``: the bill, not only its price)."""
    if not frame.height:
        return {}
    pu = pl.col("segment") == "PU"
    needs = frame.with_columns(kabupaten=KABUPATEN).group_by("kabupaten").agg(
        (pu & pl.col("wage").is_null()).any().alias("default_wage.pu"),
        (pu & pl.col("jkk_on")).any().alias("jkk_risk_class"),
        ((pl.col("funding_source") == "APBD") & payers).any().alias("paying_opd"))
    return {r["kabupaten"]: [n for n in ("default_wage.pu", "jkk_risk_class", "paying_opd")
                             if r[n]] for r in needs.iter_rows(named=True)}


def missing_settings(frame: pl.DataFrame, month: dt.date,
                     regs: dict[str, params.RegencyBilling], *,
                     payers: bool = True) -> dict[str, list[str]]:
    """Settings the lines need that their regency has no version of in force on ``month``."""
    out = {}
    for kab, names in needed_settings(frame, payers=payers).items():
        reg = regs.get(kab) or params.RegencyBilling(kab)
        lacking = [n for n in names if reg.version(n, month) is None]
        if lacking:
            out[kab] = lacking
    return out


def price(frame: pl.DataFrame, period: dt.date,
          regs: dict[str, params.RegencyBilling] | None = None) -> pl.DataFrame:
    """Add wage (defaults applied), jkk…jkp, worker_share and total in rupiah.

    Each line is priced with its own regency's default PU wage and JKK risk class (``regs``:
    read here when not given); a regency without the setting a line needs is refused
    (:class:`~jamsos.premiums.params.MissingBillingSettings`), never guessed."""
    month = month_start(period)
    bpu_default = params.default_wage("BPU", month)
    frame = frame.with_columns(KABUPATEN.alias("__kab"))
    kabs = frame["__kab"].unique().to_list()
    if regs is None:
        regs = params.regencies(kabs)
    missing = missing_settings(frame, month, regs, payers=False)
    if missing:
        raise params.missing_error(missing, month)
    per_kab = pl.DataFrame(
        [(k, *_wage_and_risk(regs.get(k), month)) for k in kabs],
        schema={"__kab": pl.String, "__pu_default": pl.Int64, "__risk": pl.Int64},
        orient="row")
    frame = frame.join(per_kab, on="__kab", how="left").with_columns(
        pl.when(pl.col("wage").is_not_null()).then(pl.col("wage"))
        .when(pl.col("segment") == "PU").then(pl.col("__pu_default"))
        .otherwise(pl.lit(bpu_default)).cast(pl.Int64).alias("wage"),
        # BPU members have no JP/JKP; the flags are ignored for them.
        (pl.col("jp_on") & (pl.col("segment") == "PU")).alias("jp_on"),
        (pl.col("jkp_on") & (pl.col("segment") == "PU")).alias("jkp_on"),
        (pl.col("funding_source") == "MANDIRI").alias("self_paid"),
        # The risk class matters to PU lines with JKK only: other lines group together.
        pl.when((pl.col("segment") == "PU") & pl.col("jkk_on")).then(pl.col("__risk"))
        .otherwise(None).alias("__risk"),
    ).drop("__kab", "__pu_default")
    keys = ["segment", "self_paid", "__risk", *(f"{p}_on" for p in PROGRAM_COLUMNS)]
    parts = []
    for group_key, group in frame.group_by(keys, maintain_order=True):
        segment, self_paid, risk, *flags = group_key
        group = group.drop("__risk")
        programs = [p for p, on in zip(PROGRAM_COLUMNS, flags, strict=True) if on]
        if not programs:
            parts.append(group.with_columns(
                *(pl.lit(0, pl.Int64).alias(p) for p in PROGRAM_COLUMNS),
                pl.lit(0, pl.Int64).alias("worker_share"), pl.lit(0, pl.Int64).alias("total")))
            continue
        seg = segment.lower()
        amounts = contributions_batch(
            month, seg, group["wage"], risk if seg == "pu" and "jkk" in programs else None,
            programs, bpu_payer="worker" if self_paid else "government")
        parts.append(group.with_columns(_programme_columns(amounts, seg)))
    if not parts:
        return frame.drop("__risk").with_columns(
            *(pl.lit(0, pl.Int64).alias(c) for c in (*PROGRAM_COLUMNS, "worker_share", "total")))
    return pl.concat(parts, how="vertical")


def _wage_and_risk(reg: params.RegencyBilling | None, month: dt.date) -> tuple:
    if reg is None:
        return None, None
    wage, risk = reg.version("default_wage.pu", month), reg.version("jkk_risk_class", month)
    return (int(wage.value) if wage else None), (int(risk.value) if risk else None)


def _programme_columns(amounts: pl.DataFrame, segment: str) -> list[pl.Series]:
    """Engine item columns → per-programme amounts the payer remits to BPJS."""
    def col(name: str) -> pl.Series:
        return amounts[name] if name in amounts.columns else pl.Series(
            name, [0] * amounts.height, pl.Int64)

    if segment == "bpu":
        payer = "worker" if any(c.endswith("_worker") for c in amounts.columns) else "government"
        jkk, jkm, jht = col(f"jkk_{payer}"), col(f"jkm_{payer}"), col(f"jht_{payer}")
        zero = pl.Series([0] * amounts.height, dtype=pl.Int64)
        out = {"jkk": jkk, "jkm": jkm, "jht": jht, "jp": zero, "jkp": zero,
               "worker_share": jht * 0 if payer == "government" else jkk + jkm + jht}
    else:
        jht_w, jp_w = col("jht_worker"), col("jp_worker")
        out = {"jkk": col("jkk_employer"), "jkm": col("jkm_employer"),
               "jht": col("jht_employer") + jht_w, "jp": col("jp_employer") + jp_w,
               "jkp": col("jkp_from_jkk") + col("jkp_from_jkm"), "worker_share": jht_w + jp_w}
    series = [s.cast(pl.Int64).alias(k) for k, s in out.items()]
    total = series[0] + series[1] + series[2] + series[3] + series[4]
    return [*series, total.alias("total")]


def assign_payers(frame: pl.DataFrame, period: dt.date,
                  regs: dict[str, params.RegencyBilling], *, province: bool) -> pl.DataFrame:
    """``payer_key``, ``opd_name`` and ``area_code`` of each line's invoice.

    APBD lines go on their kabupaten's invoice of the OPD paying for their category
    (``area_code`` = the kabupaten): ``APBD:<OPD>`` in a one-regency deployment, as before
    issue 16, ``APBD:<kabupaten>:<OPD>`` in a province deployment (``APBD`` / ``APBD:<kab>``
    when no OPD is set for the category). APBDes lines: their desa's; self-paid: the
    worker's."""
    month = month_start(period)
    rows = []
    for kab, reg in regs.items():
        v = reg.version("paying_opd", month)
        names = reg.opd_names(month)
        for category, opd in (dict(v.value) if v else {}).items():
            rows.append((kab, category, opd, names.get(opd)))
    opd = pl.DataFrame(rows, schema={"__kab": pl.String, "category": pl.String,
                                     "__opd": pl.String, "opd_name": pl.String}, orient="row")
    frame = frame.with_columns(KABUPATEN.alias("__kab")).join(
        opd, on=["__kab", "category"], how="left")
    apbd = pl.lit("APBD:") if not province else pl.concat_str(pl.lit("APBD:"), pl.col("__kab"),
                                                              pl.lit(":"))
    apbd_bare = pl.lit("APBD") if not province else pl.concat_str(pl.lit("APBD:"),
                                                                  pl.col("__kab"))
    return frame.with_columns(
        pl.when(pl.col("funding_source") == "APBDES")
        .then(pl.concat_str(pl.lit("APBDES:"), pl.col("desa_code")))
        .when(pl.col("funding_source") == "MANDIRI")
        .then(pl.concat_str(pl.lit("MANDIRI:"), pl.col("enrolment_id").cast(pl.String)))
        .when(pl.col("__opd").is_not_null()).then(pl.concat_str(apbd, pl.col("__opd")))
        .otherwise(apbd_bare).alias("payer_key"),
        pl.when(pl.col("funding_source") == "APBD").then(pl.col("__kab"))
        .otherwise(pl.col("desa_code")).alias("area_code"),
        pl.when(pl.col("funding_source") == "APBD")
        .then(pl.coalesce("opd_name", "__opd")).otherwise(None).alias("opd_name"),
    ).drop("__kab", "__opd")


def compute(period: dt.date, *, province: bool = False,
            kabupaten: str | None = None) -> pl.DataFrame:
    """The month's priced lines (of ``kabupaten`` when given) with their payers; refused when
    a regency with lines lacks a setting they need
    (:class:`~jamsos.premiums.params.MissingBillingSettings`)."""
    frame = billable_frame(period, kabupaten)
    regs = params.regencies(frame.select(KABUPATEN.unique())["desa_code"].to_list())
    missing = missing_settings(frame, month_start(period), regs)
    if missing:
        raise params.missing_error(missing, month_start(period))
    return assign_payers(price(frame, period, regs), period, regs, province=province)


def read_sql_frame(sql: str, args: list, schema: dict) -> pl.DataFrame:
    """One SELECT into a polars frame (COPY … TO STDOUT on PostgreSQL)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            query = cur.cursor.mogrify(sql, args)
            buf = io.BytesIO()
            with cur.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
                for block in copy:
                    buf.write(block)
            if not buf.getbuffer().nbytes:
                return pl.DataFrame(schema=schema)
            buf.seek(0)
            text_schema = {k: (pl.String if v in (pl.Boolean, pl.Date) else v)
                           for k, v in schema.items()}
            frame = pl.read_csv(buf, has_header=False, new_columns=list(schema),
                                schema_overrides=text_schema)
            return frame.with_columns(
                [(pl.col(k) == "t").alias(k) for k, v in schema.items() if v == pl.Boolean]
                + [pl.col(k).str.to_date("%Y-%m-%d") for k, v in schema.items() if v == pl.Date])
        cur.execute(sql, args)
        rows = cur.fetchall()
    # Django's SQLite connection converts declared date columns to datetime.date already.
    return pl.DataFrame(rows, schema=schema, orient="row", strict=False)
