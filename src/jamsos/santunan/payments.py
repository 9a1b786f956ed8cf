"""Transfer batches: the file for the bank, and the bank's result per case."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos.audit import services as audit
from jamsos.core.downloads import csv_writer
from jamsos.core.importing.parsing import parse_date
from jamsos.core.importing.reader import ROW, read_columns
from jamsos.regions.selectors import subtree_q
from jamsos.santunan import conf
from jamsos.santunan.models import BatchStatus, Case, Status, TransferBatch, Transition
from jamsos.santunan.services import CaseError, mark_paid

HEADERS = ["No", "Referensi", "Bank Tujuan", "Nomor Rekening", "Nama Pemilik Rekening",
           "Jumlah", "Keterangan"]
OK_WORDS = {"BERHASIL", "SUKSES", "SUCCESS", "OK", "PAID", "DIBAYAR"}
FAIL_WORDS = {"GAGAL", "FAILED", "DITOLAK", "REJECT", "RETUR"}
#: The bank's result file: key → (header shown, accepted spellings, required).
RESULT_COLUMNS = {
    "ref": ("Referensi", ("referensi", "reference"), True),
    "status": ("Status", ("status",), True),
    "date": ("Tanggal", ("tanggal", "tanggaltransfer"), False),
    "note": ("Keterangan", ("keterangan",), False),
}


def ready_for_transfer(area_code: str):
    return Case.objects.filter(subtree_q(area_code, "desa__code"), status=Status.APPROVED,
                               batch__isnull=True)


@transaction.atomic
def create_batch(*, user, area_code: str, case_ids=None, now=None) -> TransferBatch:
    """Every approved case of the area not yet in a batch (or those of ``case_ids``) goes
    into a new batch."""
    now = now or timezone.now()
    ready = ready_for_transfer(area_code)
    if case_ids is not None:
        ready = ready.filter(pk__in=case_ids)
    cases = list(ready.select_for_update().order_by("id"))
    if not cases:
        raise CaseError("form", _("Tidak ada berkas yang disetujui dan menunggu transfer."))
    batch = TransferBatch.objects.create(created_by=user, area_id=area_code, count=len(cases),
                                         total=sum(c.amount for c in cases))
    for c in cases:
        c.batch = batch
        c.transfer_reference = f"SKM{c.pk:07d}B{batch.pk}"
        c.transfer_note = ""
    Case.objects.bulk_update(cases, ["batch", "transfer_reference", "transfer_note"])
    Transition.objects.bulk_create(Transition(
        case=c, action="batch", from_status=Status.APPROVED, to_status=Status.APPROVED,
        reason=str(batch), user=user, user_name=user.get_username(), at=now) for c in cases)
    audit.record(user=user, action="create", obj_type="santunan_batch", obj_id=batch.pk,
                 changes={"cases": [None, [c.pk for c in cases]], "total": [None, batch.total]})
    return batch


def batch_csv(batch: TransferBatch) -> bytes:
    """The transfer file (CSV, ';', UTF-8 with BOM so Excel opens it)."""
    buf = io.StringIO()
    w = csv_writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(HEADERS)
    for i, c in enumerate(batch.cases.order_by("id"), start=1):
        w.writerow([i, c.transfer_reference, c.bank_name, c.account_number, c.account_holder,
                    c.amount, f"Santunan kematian {c.deceased_name} ({conf.paying_bank()})"])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _result_frame(data: bytes, filename: str) -> pl.DataFrame:
    """The bank's result: ``row`` (as the spreadsheet numbers it), ``ref``, ``status`` (upper
    case), ``date``, ``note``; empty rows left out."""
    frame = read_columns(data, filename, RESULT_COLUMNS).frame
    return frame.filter(pl.any_horizontal(pl.col(k) != "" for k in RESULT_COLUMNS)).select(
        pl.col(ROW).alias("row"), "ref", pl.col("status").str.to_uppercase(), "date", "note")


def apply_bank_result(batch: TransferBatch, data: bytes, filename: str, *, user,
                      today: dt.date | None = None, now=None) -> dict:
    """Record the bank's result; all or nothing. Errors name row, column, code, message."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    frame = _result_frame(data, filename)
    parsed, _impossible, _fmt = parse_date("date")
    frame = frame.with_columns(paid_on=parsed)
    refs = dict(batch.cases.values_list("transfer_reference", "pk"))
    errors = []
    seen = set()
    for r in frame.iter_rows(named=True):
        def err(col, code, msg, r=r):
            errors.append({"row": r["row"], "column": col, "code": code, "message": msg})
        if r["ref"] not in refs:
            err("Referensi", "unknown_reference",
                _("Referensi '%(r)s' tidak ada di %(b)s.") % {"r": r["ref"], "b": batch})
        elif r["ref"] in seen:
            err("Referensi", "duplicate_reference", _("Referensi '%(r)s' muncul dua kali.")
                % {"r": r["ref"]})
        seen.add(r["ref"])
        if r["status"] not in OK_WORDS | FAIL_WORDS:
            err("Status", "status_invalid",
                _("Status '%(s)s' tidak dikenal; isi BERHASIL atau GAGAL.") % {"s": r["status"]})
        elif r["status"] in OK_WORDS:
            if r["paid_on"] is None:
                err("Tanggal", "date_invalid", _("Tanggal transfer '%(d)s' tidak valid.")
                    % {"d": r["date"]})
            elif r["paid_on"] > today:
                err("Tanggal", "date_future", _("Tanggal transfer di masa depan."))
    if errors:
        return {"applied": False, "paid": 0, "failed": 0, "errors": errors}
    with transaction.atomic():
        batch = TransferBatch.objects.select_for_update().get(pk=batch.pk)
        ok = {refs[r["ref"]]: r["paid_on"] for r in frame.iter_rows(named=True)
              if r["status"] in OK_WORDS}
        failed = {refs[r["ref"]]: r["note"] or r["status"] for r in frame.iter_rows(named=True)
                  if r["status"] in FAIL_WORDS}
        paid = mark_paid(ok, user=user, now=now)
        bad = list(Case.objects.select_for_update().filter(pk__in=failed, status=Status.APPROVED,
                                                           batch=batch))
        for c in bad:
            c.batch, c.transfer_note = None, failed[c.pk][:255]
        Case.objects.bulk_update(bad, ["batch", "transfer_note"])
        Transition.objects.bulk_create(Transition(
            case=c, action="transfer_failed", from_status=Status.APPROVED,
            to_status=Status.APPROVED, reason=c.transfer_note, user=user,
            user_name=user.get_username(), at=now) for c in bad)
        if not batch.cases.filter(status=Status.APPROVED).exists():
            batch.status = BatchStatus.DONE
        batch.result_filename, batch.result_at = filename[:255], now
        batch.save()
        audit.record(user=user, action="update", obj_type="santunan_batch", obj_id=batch.pk,
                     changes={"result": [None, filename], "paid": [None, sorted(ok)],
                              "failed": [None, sorted(failed)]})
    return {"applied": True, "paid": paid, "failed": len(bad), "errors": []}
