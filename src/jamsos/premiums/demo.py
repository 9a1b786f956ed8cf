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


# --- a synthetic regency of the province demo (issue 16) -------------------------------------

#: What the demo says a synthetic regency's figures are.
SYNTHETIC = "Data sintetis demo (bukan angka resmi kabupaten/kota ini)"
#: Paying OPD per category and their names, as a regency might set them (synthetic).
DEMO_OPD = {"non_asn": "BKPSDM", "perangkat_desa": "DPMD", "kelembagaan_desa": "DPMD",
            "rt_rw": "DPMD", "pekerja_rentan": "DINSOS"}
DEMO_OPD_NAMES = {"BKPSDM": "Badan Kepegawaian dan Pengembangan SDM",
                  "DPMD": "Dinas Pemberdayaan Masyarakat dan Desa", "DINSOS": "Dinas Sosial"}
DEMO_FUNDING = {"non_asn": "APBD", "perangkat_desa": "APBD", "kelembagaan_desa": "APBD",
                "rt_rw": "APBD", "pekerja_rentan": "APBD"}


def demo_umk(kabupaten_code: str) -> int:
    """A plausible, deterministic UMK for a South Sumatran regency in 2025 (Rp 3.6–3.9
    million, in thousands; synthetic, not the regency's real figure)."""
    n = int(kabupaten_code.replace(".", ""))
    return 3_600_000 + (n * 7_919) % 300 * 1_000


def demo_periods(today: dt.date) -> list[dt.date]:
    """The months OKI's demo bills (:func:`build_demo`): the last :data:`MONTHS` months."""
    last = billing.add_months(billing.month_start(today), -1)
    return [billing.add_months(last, -i) for i in range(MONTHS - 1, -1, -1)]


def build_regency_demo(*, kabupaten_code: str, today: dt.date, stdout) -> None:
    """A synthetic regency of the province demo (``jamsos demo --area 16``): its own billing
    settings, default funding and the year's allocation (all marked synthetic and
    unconfirmed), the months OKI's demo bills, billed as the regency's own runs, and most of
    them paid (set-based: one batch per month, audited per run)."""
    from jamsos.premiums.services import add_billing_settings, run_billing, set_allocation
    from jamsos.registry.services import add_funding_defaults

    periods = demo_periods(today)
    since = dt.date(periods[0].year, 1, 1)
    add_billing_settings(kabupaten=kabupaten_code, valid_from=since, citation=SYNTHETIC,
                         unconfirmed=True, note="Demo provinsi: angka sintetis",
                         pu_wage=demo_umk(kabupaten_code), risk_class=1,
                         paying_opd=DEMO_OPD, opd_names=DEMO_OPD_NAMES)
    add_funding_defaults(kabupaten=kabupaten_code, valid_from=since, sources=DEMO_FUNDING,
                         citation=SYNTHETIC)
    runs = [run_billing(p, kabupaten=kabupaten_code, today=today).run for p in periods]
    payments = sum(_pay_demo_run(run, last=periods[-1], today=today) for run in runs)
    apbd = sum(Invoice.objects.filter(run__in=runs, funding_source="APBD")
               .values_list("billed", flat=True))
    yearly = -(-apbd * 12 // max(len(runs), 1) * 11 // 10 // 1_000_000) * 1_000_000
    set_allocation(kabupaten=kabupaten_code, year=today.year, amount=max(yearly, 1_000_000),
                   source=f"{SYNTHETIC}: DPA iuran {today.year}")
    from jamsos.premiums.summaries import forget_arrears_from

    forget_arrears_from(periods[0])
    from jamsos.regions.models import Region

    name = Region.objects.filter(code=kabupaten_code).values_list("name", flat=True).first()
    stdout.write(f"  Iuran {name or kabupaten_code}: {len(runs)} bulan ditagih, "
                 f"{grouped(payments)} faktur dibayar — angka sintetis")


def _pay_demo_run(run, *, last: dt.date, today: dt.date) -> int:
    """Pay the run's invoices as OKI's demo does: in full on the 10th of the next month once
    that day has come, except the last month and every third self-paid member's last four
    months. One batch: payments, invoice totals, lines' paid dates, line summaries, one audit
    event."""
    from django.db.models import F

    from jamsos.audit import services as audit
    from jamsos.premiums.models import InvoiceLine, Payment
    from jamsos.premiums.summaries import write_line_summary

    paid_on = billing.add_months(run.period, 1) + dt.timedelta(days=9)
    if run.period == last or paid_on > today:
        return 0
    invoices = []
    for inv in Invoice.objects.filter(run=run).order_by("number"):
        if inv.funding_source == "MANDIRI" and int(inv.payer_key.split(":")[1]) % 3 == 0 \
                and inv.period > billing.add_months(last, -4):
            continue
        if inv.amount_due > 0:
            invoices.append(inv)
    Payment.objects.bulk_create(Payment(invoice=inv, amount=inv.amount_due, paid_on=paid_on,
                                        reference=f"SP2D/{inv.number}") for inv in invoices)
    ids = [inv.pk for inv in invoices]
    Invoice.objects.filter(pk__in=ids).update(paid=F("billed") + F("adjusted"))
    InvoiceLine.objects.filter(invoice_id__in=ids).update(paid_on=paid_on)
    write_line_summary(run_id=run.pk)
    audit.record(user=None, action="update", obj_type="billing_run", obj_id=run.pk,
                 source=f"demo:payments:{run.period:%Y-%m}", area=run.kabupaten,  # province demo
                 changes={"payments": [0, len(ids)],
                          "paid": [0, sum(inv.amount_due for inv in invoices)],
                          "paid_on": [None, paid_on.isoformat()]})
    return len(ids)
