"""Background jobs of the registry (Django's task framework): a worker file queued for import
and the import run by the worker."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.tasks import task
from django.utils import timezone

from jamsos.accounts.selectors import area_code_of
from jamsos.core.files import write_private
from jamsos.core.importing.reader import UnreadableFile
from jamsos.registry import services
from jamsos.registry.models import ImportBatch, ImportStatus


def queue_import(upload, *, user, dry_run: bool) -> ImportBatch:
    """Keep an uploaded worker file (readable by this service only, with its checksum) and
    queue its import as a background task in the uploader's area. ``upload`` is a Django
    ``UploadedFile`` whose type and size the caller has checked."""
    suffix = Path(upload.name).suffix.lower()
    path = settings.IMPORT_DIR / f"{uuid.uuid4().hex}{suffix}"
    sha256 = write_private(path, upload.chunks())  # raises StorageFull, keeping nothing
    batch = ImportBatch.objects.create(
        filename=upload.name[:255], stored_path=str(path), sha256=sha256,
        size=upload.size, dry_run=dry_run, uploaded_by=user, area_id=area_code_of(user),
        status=ImportStatus.QUEUED)
    run_import.enqueue(batch.pk)
    return batch


@task()
def run_import(batch_id: int) -> None:
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    if batch.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return  # finished by an earlier run whose worker died before it could say so
    ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.RUNNING, progress=1)

    progress = progress_reporter(batch)

    try:
        data = Path(batch.stored_path).read_bytes()
        report = services.import_workers(data, batch.filename, user=batch.uploaded_by,
                                dry_run=batch.dry_run, batch=batch,
                                area_code=batch.area_id, progress=progress)
    except UnreadableFile as exc:
        progress_path(batch).unlink(missing_ok=True)
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED, summary={"error": str(exc)}, finished_at=timezone.now())
        _forget_dry_run_upload(batch)
        return
    except Exception:
        progress_path(batch).unlink(missing_ok=True)
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(),
            summary={"error": "Terjadi kesalahan sistem; tidak ada data yang berubah."})
        _forget_dry_run_upload(batch)
        raise
    rejected_path = ""
    if report.rejected_frame is not None and report.rejected_frame.height:
        rejected_path = str(Path(batch.stored_path).with_suffix(".ditolak.csv"))
        # names and NIKs, like the upload itself: private from the first byte
        write_private(Path(rejected_path), [report.rejected_frame.write_csv().encode()])
    summary = report.as_json()
    summary["errors"] = summary["errors"][:1000]
    summary["warning_details"] = summary["warning_details"][:1000]
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportStatus.DONE, progress=100, stage="done", summary=summary,
        rejected_path=rejected_path, finished_at=timezone.now())
    progress_path(batch).unlink(missing_ok=True)
    _forget_dry_run_upload(batch)


def _forget_dry_run_upload(batch: ImportBatch) -> None:
    """A dry run keeps nothing: its uploaded file (names, NIKs) goes once it has been read
    (the rejected-rows file stays for the uploader to fix and resend)."""
    if batch.dry_run and batch.stored_path:
        Path(batch.stored_path).unlink(missing_ok=True)
        ImportBatch.objects.filter(pk=batch.pk).update(stored_path="")


#: Shown on the import page when the worker died on an import too often.
WORKER_LOST = ("Impor tidak selesai: proses latar berhenti saat mengerjakannya (dicoba {n} "
               "kali). Silakan unggah ulang berkas ini; bila terulang, hubungi admin.")
#: Shown while an import whose worker died waits for its next attempt.
RETRYING = "Proses latar sempat berhenti; impor ini diulang dari awal."


def recover_import(args, kwargs, *, retried: bool, attempts: int) -> None:
    """The worker running an import died (:mod:`jamsos.web.worker`): the import is queued
    again (it is all or nothing and idempotent, so a second run is safe) or, after too many
    attempts, failed with a message the uploader sees on the import page."""
    batch_id = args[0] if args else kwargs.get("batch_id")
    batch = ImportBatch.objects.filter(
        pk=batch_id, status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)).first()
    if batch is None:
        return
    if batch.stored_path:
        progress_path(batch).unlink(missing_ok=True)
    if retried:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.QUEUED, progress=0, stage="", summary={"note": RETRYING})
    else:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(),
            summary={"error": WORKER_LOST.format(n=attempts)})


def progress_path(batch: ImportBatch) -> Path:
    return Path(batch.stored_path).with_suffix(".progress.json")


def progress_reporter(batch: ImportBatch):
    """A ``progress(stage, pct)`` callback for one import.

    The write phase runs in one transaction, so a progress row updated inside it would stay
    invisible to the status page until the commit (the bar would jump from 50 to 100 %).
    Progress therefore also goes to a small file beside the upload, replaced atomically and
    read by :func:`jamsos.registry.selectors.import_progress`; outside a transaction the
    batch row is updated as well.
    """
    path = progress_path(batch)

    def progress(stage: str, pct: int) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"stage": stage, "progress": pct}))
        os.replace(tmp, path)
        if not connection.in_atomic_block:
            ImportBatch.objects.filter(pk=batch.pk).update(stage=stage, progress=pct)

    return progress
