"""Demo records: a year of monthly bills and payments, lapsed self-paid members and a BPJS
bill with discrepancies of every reconciliation class. Deterministic (no randomness)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from jamsos.core.dates import month_text
from jamsos.core.numbers import grouped
from jamsos.premiums import billing
from jamsos.premiums.models import Invoice, RecClass
from jamsos.premiums.services import reconcile, record_payment, run_billing
from jamsos.registry import sql as registry_sql
from jamsos.registry.models import Enrolment, Person
from jamsos.registry.services import record_death

#: One pekerja rentan in this many pays their own contribution (BPU mandiri).
SELF_PAID_EVERY = 997


#: Months billed by the demo (the benchmark may bill fewer).
MONTHS = 12


def build_demo(*, today: dt.date, stdout) -> None:
    last = billing.add_months(billing.month_start(today), -1)
    periods = [billing.add_months(last, -i) for i in range(MONTHS - 1, -1, -1)]
    # A few self-paid workers: their unpaid months show BPU lapse.
    rentan = Enrolment.objects.filter(category="pekerja_rentan", is_primary=True)
    ids = [pk for pk in rentan.values_list("id", flat=True).order_by("id")
           if pk % SELF_PAID_EVERY == 0]
    Enrolment.objects.filter(id__in=ids).update(funding_source="MANDIRI")
    # A death two months ago: the roles end that month; BPJS keeps billing (see below).
    dead = (Person.objects.filter(enrolments__category="pekerja_rentan",
                                  enrolments__is_primary=True)
            .exclude(enrolments__funding_source="MANDIRI").order_by("id").first())
    died_on = billing.add_months(last, -2) + dt.timedelta(days=9)
    if dead is not None and died_on >= dead.birth_date:
        record_death(dead, died_on=died_on, source="demo")
    for period in periods:
        run_billing(period)
    invoices = Invoice.objects.filter(period__in=periods).order_by("period", "number")
    paid = 0
    for inv in invoices:
        due_day = billing.add_months(inv.period, 1) + dt.timedelta(days=9)
        if inv.funding_source == "MANDIRI":
            # Every third self-paid member stops paying for the last four months.
            enrolment_id = int(inv.payer_key.split(":")[1])
            if enrolment_id % 3 == 0 and inv.period > billing.add_months(last, -4):
                continue
        elif inv.period == last:
            if inv.payer_key == "APBD:DPMD":  # last month: DPMD paid half so far
                record_payment(inv, amount=inv.amount_due // 2, paid_on=today,
                               reference=f"SP2D/{inv.number}/1")
                paid += 1
            continue
        if due_day > today:
            continue
        record_payment(inv, amount=inv.amount_due, paid_on=due_day,
                       reference=f"SP2D/{inv.number}")
        paid += 1
    rec = reconcile(bpjs_demo_file(last, dead), f"tagihan-bpjs-{last:%Y-%m}.csv", period=last)
    counts = ", ".join(f"{RecClass(k).label} {grouped(v['count'])}" for k, v in rec.summary.items())
    months = f"{month_text(periods[0])}–{month_text(last)}"
    stdout.write(f"Iuran: {len(periods)} bulan ditagih ({months}), "
                 f"{grouped(paid)} pembayaran; rekonsiliasi BPJS {month_text(last)}: {counts}.")


def bpjs_demo_file(period: dt.date, dead: Person | None) -> bytes:
    """The bill BPJS would send for ``period``: ours, with discrepancies of every class."""
    ours = billing.read_sql_frame(
        "SELECT p.nik, COALESCE(p.kpj, ''), p.name, l.segment, l.total "  # noqa: S608 - identifiers from this module
        "FROM premiums_invoiceline l "
        f"JOIN {registry_sql.PEOPLE} p ON p.id = l.person_id WHERE l.period = %s ORDER BY l.id",
        [period], {"NIK": pl.String, "KPJ": pl.String, "Nama": pl.String, "Segmen": pl.String,
                   "Iuran": pl.Int64})
    n = ours.height
    idx = pl.int_range(0, n, eager=True)
    ours = ours.with_columns(
        pl.when(idx % 1500 == 7).then(pl.col("Iuran") + 1_000).otherwise(pl.col("Iuran"))
        .alias("Iuran"))
    keep = ours.filter(idx % 2000 != 11)  # BPJS missed a few of ours
    twice = ours.filter(idx % 5000 == 3).with_columns(
        pl.lit("99").alias("KPJ") + pl.col("NIK").str.slice(7, 9))  # same NIK, other KPJ
    strangers = pl.DataFrame({
        "NIK": ["1602130101700901", "1602134504800902", "1602021203900903"],
        "KPJ": ["", "", ""], "Nama": ["Bukan Warga Satu", "Bukan Warga Dua", "Bukan Warga Tiga"],
        "Segmen": ["BPU", "BPU", "PU"], "Iuran": [16_800, 16_800, 11_045]})
    extra = [strangers]
    if dead is not None:
        extra.append(pl.DataFrame({"NIK": [dead.nik], "KPJ": [dead.kpj or ""],
                                   "Nama": [dead.name], "Segmen": ["BPU"], "Iuran": [16_800]}))
    out = pl.concat([keep, twice, *extra], how="vertical_relaxed").with_columns(
        pl.when(pl.col("Segmen") == "PU").then(pl.lit("JKK,JKM")).otherwise(pl.lit("JKK,JKM"))
        .alias("Program"), pl.lit(f"{period:%Y-%m}").alias("Periode"))
    return out.select("NIK", "KPJ", "Nama", "Segmen", "Program", "Iuran", "Periode") \
        .write_csv(separator=";").encode()
