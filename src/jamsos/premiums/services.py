"""Writes: billing runs, payments, adjustments, reconciliations (all audited)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

import polars as pl
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from jamsos import db
from jamsos.accounts.selectors import area_code_of, has_perm
from jamsos.audit import services as audit
from jamsos.core.dates import date_text, month_text
from jamsos.core.errors import DomainError, ErrorCode
from jamsos.core.numbers import rupiah
from jamsos.premiums import billing, params
from jamsos.premiums.models import (
    Adjustment,
    Allocation,
    BillingRun,
    BillingSetting,
    Invoice,
    InvoiceLine,
    Payment,
    Reconciliation,
    ReconciliationRow,
)
from jamsos.regions.models import Region
from jamsos.regions.selectors import is_province_deployment
from jamsos.registry import categories
from jamsos.registry.models import Person

LINE_COLUMNS = ("invoice_id", "period", "enrolment_id", "person_id", "desa_code", "category",
                "segment", "wage", "jkk", "jkm", "jht", "jp", "jkp", "worker_share", "total")


class PremiumError(DomainError):
    """A write refused, with the field and the reason for the operator (Indonesian)."""


#: Largest absolute sum of an invoice's adjustments (Rp 1,000 triliun): a guard against typing
#: errors and against overflowing 64-bit sums, far above any real bill.
MAX_ADJUSTED = 10**15


@dataclass
class RunResult:
    run: BillingRun
    created: bool


def _pg() -> bool:
    return connection.vendor == "postgresql"


def copy_frame(table: str, frame: pl.DataFrame, columns: tuple[str, ...]) -> None:
    """Bulk-load a frame (see :func:`jamsos.db.copy_frame`)."""
    with connection.cursor() as cur:
        db.copy_frame(cur, table, columns, frame)


def _payer_names(invoices: pl.DataFrame, lines: pl.DataFrame, *,
                 province: bool = False) -> dict[str, str]:
    """Each invoice's payer as people say it; in a province deployment an APBD payer names
    its kabupaten/kota (``APBD Kabupaten Ogan Komering Ilir — Dinas Sosial``)."""
    out: dict[str, str] = {}
    desa = [k.split(":", 1)[1] for k in invoices["payer_key"] if k.startswith("APBDES:")]
    kabs = [a for k, a in zip(invoices["payer_key"], invoices["area_code"], strict=True)
            if k.startswith("APBD:") or k == "APBD"]
    desa_names = dict(Region.objects.filter(code__in=desa + kabs).values_list("code", "name"))
    mandiri = lines.filter(pl.col("funding_source") == "MANDIRI").select("payer_key", "person_id")
    person_names = dict(Person.objects.filter(id__in=mandiri["person_id"].to_list())
                        .values_list("id", "name"))
    by_person = dict(zip(mandiri["payer_key"], mandiri["person_id"], strict=True))
    for key, opd, area in zip(invoices["payer_key"], invoices["opd_name"],
                              invoices["area_code"], strict=True):
        apbd = f"APBD {desa_names.get(area, area)}" if province else "APBD"
        if key.startswith("APBDES:"):
            code = key.split(":", 1)[1]
            out[key] = f"APBDes {desa_names.get(code, code)}"
        elif key.startswith("MANDIRI:"):
            out[key] = f"Mandiri — {person_names.get(by_person.get(key), '')}"
        elif opd:
            out[key] = f"{apbd} — {opd}"
        else:
            out[key] = apbd
    return out


def run_kabupaten(user, kabupaten: str | None = None) -> str:
    """The kabupaten/kota a billing run is for: ``kabupaten`` when given; else the
    deployment's one regency, or the user's own regency in a province deployment. A regency's
    run is started by that regency's premium writers or the province's (``user=None``, the
    system: CLI, demo, any regency of the deployment); anyone else is refused."""
    from jamsos.accounts.selectors import may_set_regency
    from jamsos.regions.selectors import deployment_kabupaten, kabupaten_code_of

    if not kabupaten:
        own = deployment_kabupaten()
        area = area_code_of(user) if user is not None else ""
        if len(own) == 1:
            kabupaten = own[0]
        elif area and "." in area:
            kabupaten = kabupaten_code_of(area)
        else:
            raise PremiumError("kabupaten", "Pilih kabupaten/kota yang ditagih.")
    if user is None:
        if kabupaten not in deployment_kabupaten():
            raise PremiumError("kabupaten", "Kabupaten/kota tidak termasuk wilayah aplikasi.")
    elif not may_set_regency(user, kabupaten, "edit_premiums"):
        raise PremiumError("kabupaten", "Penagihan satu kabupaten/kota dijalankan operator atau "
                           "admin kabupaten/kota itu atau provinsi.",
                           code=ErrorCode.OUTSIDE_AREA)
    return kabupaten


def invoice_number(period: dt.date, kabupaten: str, i: int, *, province: bool) -> str:
    """``202509-00001`` in a one-regency deployment (as before issue 16); in a province each
    regency numbers its own run: ``202509-1602-00001``."""
    if not province:
        return f"{period:%Y%m}-{i:05d}"
    return f"{period:%Y%m}-{kabupaten.replace('.', '')}-{i:05d}"


@transaction.atomic
def run_billing(period: dt.date, *, kabupaten: str | None = None, user=None,
                today: dt.date | None = None) -> RunResult:
    """Bill every primary enrolment of one kabupaten/kota in force in the month; once per
    month and regency (issue 16: each regency of a province bills its own months).

    ``kabupaten``: see :func:`run_kabupaten` (default: the deployment's one regency, or the
    user's). Re-running a month the regency has billed returns the stored run and writes
    nothing: corrections are explicit adjustments (:func:`add_adjustment`).
    """
    kabupaten = run_kabupaten(user, kabupaten)
    period = billing.month_start(period)
    # A second run of the same month and regency waits here, then sees the first one's run;
    # runs of two regencies do not wait for each other.
    db.serialise(f"billing_run:{period:%Y-%m}:{kabupaten}")
    existing = BillingRun.objects.filter(period=period, kabupaten=kabupaten).first()
    if existing is not None:
        return RunResult(existing, False)
    latest = billing.add_months(billing.month_start(today or timezone.localdate()), 1)
    if period > latest:  # a typo such as 2205-09 would leave a run nobody can undo
        raise PremiumError("period",
                           f"Bulan iuran paling lambat {month_text(latest)} (bulan depan).")
    province = is_province_deployment()
    # The regency's lines; its settings missing: refused.
    lines = billing.compute(period, province=province, kabupaten=kabupaten)
    actor = audit.actor_fields(user)["actor"]
    run = BillingRun.objects.create(period=period, kabupaten=kabupaten, created_by=actor,
                                    lines=lines.height, total=int(lines["total"].sum() or 0),
                                    assumptions=params.citations(period, [kabupaten]))
    invoices = (lines.group_by("payer_key", maintain_order=True)
                .agg(pl.col("funding_source").first(), pl.col("area_code").first(),
                     pl.col("opd_name").first(), pl.len().alias("n"),
                     pl.col("total").sum().alias("billed"))
                .sort("payer_key"))
    names = _payer_names(invoices, lines, province=province)
    created = Invoice.objects.bulk_create([
        Invoice(run=run, period=period,
                number=invoice_number(period, kabupaten, i, province=province),
                funding_source=r["funding_source"], payer_key=r["payer_key"],
                payer_name=names[r["payer_key"]][:200], area_code=r["area_code"],
                lines=r["n"], billed=r["billed"])
        for i, r in enumerate(invoices.iter_rows(named=True), start=1)
    ])
    ids = {inv.payer_key: inv.pk for inv in created}
    if any(v is None for v in ids.values()):  # backends without RETURNING
        ids = dict(Invoice.objects.filter(run=run).values_list("payer_key", "id"))
    lines = lines.with_columns(
        pl.col("payer_key").replace_strict(ids, return_dtype=pl.Int64).alias("invoice_id"),
        pl.lit(period).alias("period"))
    copy_frame(InvoiceLine._meta.db_table, lines, LINE_COLUMNS)
    from jamsos.premiums.summaries import forget_arrears_from, write_line_summary

    write_line_summary(run_id=run.pk)
    forget_arrears_from(period)  # a late bill of a month already overdue: recount at next read
    # One batch-level audit event for the run (the lines reference the run's invoices).
    audit.record(user=user, action="create", obj_type="billing_run", obj_id=run.pk,
                 source=f"billing:{period:%Y-%m}", area=kabupaten if province else None,
                 changes={"period": [None, f"{period:%Y-%m}"],
                          "kabupaten": [None, kabupaten], "lines": [None, run.lines],
                          "invoices": [None, len(created)], "total": [None, run.total]})
    return RunResult(run, True)


@dataclass
class RegencyRun:
    """One regency's outcome of :func:`run_billing_regencies`: billed now (``created``),
    already billed (``run`` without ``created``) or refused (``refused``: why)."""

    kabupaten: str
    name: str
    run: BillingRun | None = None
    created: bool = False
    refused: str = ""


def run_billing_regencies(period: dt.date, *, kabupaten: list[str] | None = None, user=None,
                          today: dt.date | None = None) -> list[RegencyRun]:
    """Bill the month for several regencies, each in its own transaction (:func:`run_billing`):
    ``kabupaten`` or every regency of the deployment the user may bill. In a province, a
    regency without any billing setting in force is refused (nothing is computed for it: a
    regency not yet live gets no empty run that would close its month), as is one lacking a
    setting its lines need; the others are billed anyway."""
    from jamsos.regions.selectors import deployment_kabupaten

    month = billing.month_start(period)
    codes = kabupaten or deployment_kabupaten()
    if user is not None and not kabupaten:
        from jamsos.accounts.selectors import may_set_regency

        codes = [c for c in codes if may_set_regency(user, c, "edit_premiums")]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    configured, province = params.regencies(codes), is_province_deployment()
    out = []
    for code in codes:
        row = RegencyRun(code, names.get(code, code))
        out.append(row)
        existing = BillingRun.objects.filter(period=month, kabupaten=code).first()
        if existing is not None:
            row.run = existing
            continue
        reg = configured[code]
        if province and not any(reg.version(n, month) for n in params.REGENCY_PARAMETERS):
            row.refused = (f"belum ada pengaturan iuran yang berlaku pada {date_text(month)} "
                           "(halaman Pengaturan iuran)")
            continue
        try:
            result = run_billing(month, kabupaten=code, user=user, today=today)
        except params.MissingBillingSettings as exc:
            row.refused = exc.message
            continue
        row.run, row.created = result.run, result.created
    return out


def _allocate(invoice: Invoice) -> None:
    """Mark the invoice's lines paid first-in first-out by line id (one UPDATE).

    Money available to lines = payments, plus any credit (negative adjustments); positive
    adjustments are settled after the lines. Each newly covered line gets the date of the
    payment that completed its coverage.
    """
    from jamsos.premiums.summaries import refresh_arrears_of_invoice, write_line_summary

    _set_paid_on(invoice)
    write_line_summary(invoice_id=invoice.pk)  # the summaries of the invoice's lines
    refresh_arrears_of_invoice(invoice.pk)


def _set_paid_on(invoice: Invoice) -> None:
    table = InvoiceLine._meta.db_table
    pays = list(invoice.payments.order_by("paid_on", "id").values_list("amount", "paid_on"))
    credit = -min(invoice.adjusted, 0)
    # Cumulative money per payment date: a line is paid on the first date the money covers it.
    steps, running = [], credit
    for amount, day in pays:
        running += amount
        steps.append((running, day))
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET paid_on = NULL WHERE invoice_id = %s "  # noqa: S608 - identifiers from this module; values are parameters
                    "AND paid_on IS NOT NULL", [invoice.pk])
        if not steps:
            return
        day_sql = "CAST(%s AS date)" if _pg() else "%s"  # SQLite: CAST(… AS date) is numeric
        cases = " ".join(f"WHEN w.cum <= %s THEN {day_sql}" for _ in steps)
        args: list = []
        for money, day in steps:
            args += [money, day]
        cur.execute(
            f"UPDATE {table} SET paid_on = c.day FROM (SELECT id, CASE {cases} END AS day "  # noqa: S608 - identifiers from this module; values are parameters
            f"FROM (SELECT id, SUM(total) OVER (ORDER BY id) AS cum FROM {table} "
            f"WHERE invoice_id = %s) w) c WHERE c.id = {table}.id AND c.day IS NOT NULL",
            [*args, invoice.pk],
        )


def may_write_invoice(user, invoice: Invoice) -> bool:
    """Payments and corrections: a premiums writer whose area holds the whole invoice."""
    from jamsos.premiums.selectors import can_write_invoice

    area = area_code_of(user)
    return has_perm(user, "edit_premiums") and bool(area) and can_write_invoice(area, invoice)


def _authorise(user, invoice: Invoice) -> None:
    """The service's own check (web and API check first, for their 403): a signed-in user
    must be allowed to write this invoice; ``user=None`` is the system (demo, CLI)."""
    if user is not None and not may_write_invoice(user, invoice):
        raise PremiumError("form", "Anda tidak boleh mengubah faktur ini.",
                           code=ErrorCode.FORBIDDEN)


@transaction.atomic
def record_payment(invoice: Invoice, *, amount: int | None, paid_on: dt.date | None,
                   reference: str,
                   user=None) -> Payment:
    """A (full or partial) payment of an invoice; refused above what is outstanding."""
    _authorise(user, invoice)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    reference = (reference or "").strip()
    errors = {}
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        errors["amount"] = "Jumlah pembayaran harus bilangan bulat rupiah > 0."
    elif amount > invoice.outstanding:
        errors["amount"] = f"Jumlah melebihi sisa tagihan {rupiah(invoice.outstanding)}."
    if paid_on is None:
        errors["paid_on"] = "Tanggal bayar wajib diisi (hari-bulan-tahun)."
    elif paid_on < invoice.period:
        errors["paid_on"] = "Tanggal bayar sebelum bulan iuran."
    if not reference:
        errors["reference"] = "Nomor referensi (SP2D/bukti transfer) wajib diisi."
    if errors:
        raise PremiumError.collected(errors)
    payment = Payment.objects.create(invoice=invoice, amount=amount, paid_on=paid_on,
                                     reference=reference[:100],
                                     created_by=audit.actor_fields(user)["actor"])
    Invoice.objects.filter(pk=invoice.pk).update(paid=F("paid") + amount)
    invoice.refresh_from_db()
    _allocate(invoice)
    audit.record(user=user, action="create", obj_type="payment", obj_id=payment.pk,
                 changes={"invoice": [None, invoice.number], "amount": [None, amount],
                          "paid_on": [None, paid_on.isoformat()], "reference": [None, reference]})
    return payment


@transaction.atomic
def add_adjustment(invoice: Invoice, *, amount: int, reason: str, enrolment=None,
                   user=None) -> Adjustment:
    """An explicit correction: + more due (e.g. a late enrolment), − credit (e.g. a death)."""
    _authorise(user, invoice)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    reason = (reason or "").strip()
    errors = {}
    if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0:
        errors["amount"] = "Jumlah koreksi harus bilangan bulat rupiah, bukan 0."
    elif abs(invoice.adjusted + amount) > MAX_ADJUSTED:
        errors["amount"] = "Jumlah koreksi terlalu besar."
    elif invoice.amount_due + amount < invoice.paid:
        errors["amount"] = "Koreksi membuat tagihan lebih kecil dari yang sudah dibayar."
    if not reason:
        errors["reason"] = "Alasan koreksi wajib diisi."
    if errors:
        raise PremiumError.collected(errors)
    adj = Adjustment.objects.create(invoice=invoice, amount=amount, reason=reason[:300],
                                    enrolment=enrolment,
                                    created_by=audit.actor_fields(user)["actor"])
    total = invoice.adjustments.aggregate(s=Sum("amount"))["s"] or 0
    Invoice.objects.filter(pk=invoice.pk).update(adjusted=total)
    invoice.refresh_from_db()
    _allocate(invoice)
    audit.record(user=user, action="create", obj_type="adjustment", obj_id=adj.pk,
                 changes={"invoice": [None, invoice.number], "amount": [None, amount],
                          "reason": [None, reason],
                          "enrolment": [None, getattr(enrolment, "pk", None)]})
    return adj


@transaction.atomic
def reconcile(data: bytes, filename: str, *, period: dt.date, kabupaten: str | None = None,
              user=None) -> Reconciliation:
    """Classify every row of a BPJS bill against one regency's bill of the month (its run:
    ``kabupaten`` as for :func:`run_billing`, by default the deployment's one regency or the
    user's) and store the result."""
    from jamsos.premiums import reconcile as rec

    kabupaten = run_kabupaten(user, kabupaten)
    period = billing.month_start(period)
    if not BillingRun.objects.filter(period=period, kabupaten=kabupaten).exists():
        raise PremiumError("period", f"Belum ada penagihan bulan {month_text(period)}; "
                           "jalankan penagihan bulan itu dulu.")
    table = rec.read_bpjs_file(data, filename)
    result = rec.classify(table, period, kabupaten)
    obj = Reconciliation.objects.create(
        period=period, kabupaten=kabupaten, filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=table.rows, summary=result.summary, errors=result.errors[:1000],
        created_by=audit.actor_fields(user)["actor"])
    frame = result.frame.with_columns(pl.lit(obj.pk, pl.Int64).alias("reconciliation_id"))
    copy_frame(ReconciliationRow._meta.db_table, frame, rec.ROW_COLUMNS)
    audit.record(user=user, action="create", obj_type="reconciliation", obj_id=obj.pk,
                 source=f"reconcile:{period:%Y-%m}",
                 area=kabupaten if is_province_deployment() else None,
                 changes={"kabupaten": [None, kabupaten], "file": [None, filename],
                          "sha256": [None, obj.sha256],
                          "rows": [None, table.rows],
                          "summary": [None, {k: v["count"] for k, v in result.summary.items()}]})
    return obj


# --- a regency's own settings (issue 16) ----------------------------------------------------

#: An OPD code as it appears in the invoice's payer key (``APBD:16.02:DPMD``).
OPD_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$")
#: Largest default wage / allocation accepted (a typing-error guard, far above real figures).
MAX_WAGE = 1_000_000_000
MAX_ALLOCATION = 10**15


def _check_values(pu_wage, risk_class, paying_opd, opd_names) -> tuple[dict, dict]:
    """The values to store (parameter → value) and every error (field → message)."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    if pu_wage is not None:
        if not isinstance(pu_wage, int) or isinstance(pu_wage, bool) or not \
                0 < pu_wage <= MAX_WAGE:
            errors["pu_wage"] = "Upah dasar PU harus bilangan bulat rupiah > 0 (contoh 3681571)."
        else:
            values["default_wage.pu"] = pu_wage
    if risk_class is not None:
        if risk_class not in (1, 2, 3, 4, 5) or isinstance(risk_class, bool):
            errors["risk_class"] = "Kelompok risiko JKK harus 1 sampai 5 (PP 44/2015)."
        else:
            values["jkk_risk_class"] = risk_class
    if paying_opd is not None:
        bad = [c for c in paying_opd if c not in categories.BY_KEY]
        wrong = [o for o in paying_opd.values() if not OPD_CODE.match(str(o or ""))]
        if bad:
            errors["paying_opd"] = "Kategori tidak dikenal: " + ", ".join(sorted(bad)) + "."
        elif wrong:
            errors["paying_opd"] = ("Singkatan OPD ditulis huruf besar/angka tanpa spasi, paling "
                                    "panjang 20 (contoh DPMD).")
        else:
            values["paying_opd"] = {c: paying_opd[c] for c in categories.BY_KEY
                                    if c in paying_opd}
    if opd_names is not None:
        wrong = [o for o in opd_names if not OPD_CODE.match(str(o or ""))]
        empty = [o for o, n in opd_names.items() if not str(n or "").strip()
                 or len(str(n)) > 150]
        if wrong:
            errors["opd_names"] = ("Tulis satu OPD per baris: SINGKATAN = Nama lengkap "
                                   "(contoh DPMD = Dinas Pemberdayaan Masyarakat dan Desa).")
        elif empty:
            errors["opd_names"] = "Nama OPD " + ", ".join(empty) + " kosong atau terlalu panjang."
        else:
            values["opd_names"] = {o: str(n).strip() for o, n in opd_names.items()}
    return values, errors


@transaction.atomic
def add_billing_settings(*, kabupaten: str, valid_from: dt.date | None, citation: str,
                         unconfirmed: bool = False, note: str = "", pu_wage: int | None = None,
                         risk_class: int | None = None, paying_opd: dict | None = None,
                         opd_names: dict | None = None, user=None) -> list[BillingSetting]:
    """New dated versions of a kabupaten/kota's billing settings: each value given (the
    default PU wage = its UMK, the JKK risk class, the paying OPD per category, the OPD names)
    becomes a version in force from ``valid_from``, with one citation. Versions are added,
    never changed; all errors are reported at once."""
    from jamsos.registry.services import refuse_other_regency

    refuse_other_regency(user, kabupaten, PremiumError)
    citation, note = (citation or "").strip(), (note or "").strip()
    values, errors = _check_values(pu_wage, risk_class, paying_opd, opd_names)
    if valid_from is None:
        errors["valid_from"] = "Tanggal berlaku wajib diisi (hari-bulan-tahun)."
    else:
        taken = set(BillingSetting.objects.filter(
            kabupaten=kabupaten, valid_from=valid_from, name__in=list(values))
            .values_list("name", flat=True))
        if taken:
            errors["valid_from"] = (
                f"Sudah ada versi yang berlaku mulai {date_text(valid_from)} untuk "
                + ", ".join(params.PARAMETER_WORDS[n] for n in params.REGENCY_PARAMETERS
                            if n in taken) + "; pilih tanggal lain.")
    if not citation:
        errors["citation"] = "Dasar (peraturan, SK UMK, DPA) wajib diisi."
    if not values and not errors:
        errors["form"] = "Isi sedikitnya satu nilai: upah dasar, kelompok risiko atau OPD."
    if errors:
        raise PremiumError.collected(errors)
    actor = audit.actor_fields(user)["actor"]
    created = []
    for name in params.REGENCY_PARAMETERS:
        if name not in values:
            continue
        obj = BillingSetting.objects.create(
            kabupaten=kabupaten, name=name, valid_from=valid_from, value=values[name],
            citation=citation[:500], unconfirmed=bool(unconfirmed), note=note[:300],
            created_by=actor)
        audit.record(user=user, action="create", obj_type="billing_setting", obj_id=obj.pk,
                     changes=audit.diff(None, {
                         "kabupaten": kabupaten, "parameter": name,
                         "valid_from": valid_from.isoformat(), "value": values[name],
                         "citation": citation, "unconfirmed": bool(unconfirmed)}))
        created.append(obj)
    return created


@transaction.atomic
def set_allocation(*, kabupaten: str, year: int | None, amount: int | None, source: str,
                   user=None) -> Allocation:
    """A kabupaten/kota's APBD allocation (pagu) for premiums in a year, with its source (the
    DPA number); a second entry for the year replaces the first (audited, before → after)."""
    from jamsos.registry.services import refuse_other_regency

    refuse_other_regency(user, kabupaten, PremiumError)
    source = (source or "").strip()
    errors: dict[str, str] = {}
    if not isinstance(year, int) or isinstance(year, bool) or not 2015 <= year <= 2100:
        errors["year"] = "Tahun anggaran 2015 sampai 2100."
    if not isinstance(amount, int) or isinstance(amount, bool) or not \
            0 <= amount <= MAX_ALLOCATION:
        errors["amount"] = "Pagu harus bilangan bulat rupiah, 0 atau lebih."
    if not source:
        errors["source"] = "Dasar pagu (nomor DPA) wajib diisi."
    if errors:
        raise PremiumError.collected(errors)
    obj = Allocation.objects.select_for_update().filter(kabupaten=kabupaten, year=year).first()
    before = {"amount": obj.amount, "source": obj.source} if obj else None
    actor = audit.actor_fields(user)["actor"]
    if obj is None:
        obj = Allocation.objects.create(kabupaten=kabupaten, year=year, amount=amount,
                                        source=source[:300], updated_by=actor)
    else:
        obj.amount, obj.source, obj.updated_by = amount, source[:300], actor
        obj.save(update_fields=["amount", "source", "updated_by", "updated_at"])
    audit.record(user=user, action="update" if before else "create", obj_type="allocation",
                 obj_id=obj.pk, changes=audit.diff(
                     before, {"amount": amount, "source": source,
                              **({} if before else {"kabupaten": kabupaten, "year": year})}))
    return obj
