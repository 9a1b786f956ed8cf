"""Writes to the worker registry."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import polars as pl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos.audit import services as audit
from jamsos.core.dates import date_text
from jamsos.core.errors import DomainError
from jamsos.core.importing.issues import ISSUE_SCHEMA
from jamsos.core.importing.issues import ImportReport as KitReport
from jamsos.core.importing.reader import ROW
from jamsos.regions.kpj import validate_kpj
from jamsos.regions.models import Region
from jamsos.regions.nik import validate_nik
from jamsos.regions.selectors import deployment_area, kabupaten_code_of, subtree_q, villages_in
from jamsos.registry import categories
from jamsos.registry.importing import reader, validate, writer
from jamsos.registry.importing.columns import BY_KEY
from jamsos.registry.models import (
    Enrolment,
    EnrolmentStatus,
    FundingDefault,
    ImportBatch,
    ImportStatus,
    Person,
    Target,
)
from jamsos.registry.selectors import funding_defaults_frame
from jamsos.registry.signals import announce_roles_changed, person_died


@dataclass(kw_only=True)
class ImportReport(KitReport):
    created: int = 0
    updated: int = 0
    enrolments_created: int = 0
    enrolments_updated: int = 0
    batch_id: int | None = None
    rejected_frame: pl.DataFrame | None = None

    def counts(self) -> dict:
        return {"created": self.created, "updated": self.updated,
                "enrolments_created": self.enrolments_created,
                "enrolments_updated": self.enrolments_updated, "batch": self.batch_id}

    def as_json(self) -> dict:
        # The batch summary keeps the warnings' count under "warnings", the list apart.
        return {**super().as_json(), "warnings": len(self.warnings),
                "warning_details": self.warnings}


def villages_frame(area_code: str) -> pl.DataFrame:
    """The area's desa/kelurahan with their kecamatan names, for name matching."""
    kab_code = kabupaten_code_of(area_code)
    kec = dict(Region.objects.filter(subtree_q(kab_code), level="kecamatan")
               .values_list("code", "name"))
    rows = list(villages_in(area_code).values_list("code", "name", "parent_id"))
    return pl.DataFrame(
        [(c, n, kec.get(p, "")) for c, n, p in rows],
        schema={"code": pl.String, "name": pl.String, "kecamatan_name": pl.String},
        orient="row",
    )


def outside_villages(area_code: str) -> dict[str, str]:
    """Desa/kelurahan of the deployment outside the uploader's area, each with where it lies
    (its kabupaten/kota, or its kecamatan inside the uploader's own kabupaten/kota), so that
    a row of another regency is refused by name (issue 16). {} for the whole deployment."""
    deployment = deployment_area()
    if area_code == deployment:
        return {}
    own = kabupaten_code_of(area_code)
    names = dict(Region.objects.filter(subtree_q(deployment), level__in=[
        "kabupaten", "kota", "kecamatan"]).values_list("code", "name"))
    out = {}
    for code, parent in (villages_in(deployment).exclude(subtree_q(area_code))
                         .values_list("code", "parent_id")):
        kab = kabupaten_code_of(code)
        out[code] = (names.get(kab, kab) if kab != own
                     else _("Kecamatan %(k)s") % {"k": names.get(parent, parent)})
    return out


def import_workers(
    data: bytes,
    filename: str,
    *,
    user=None,
    dry_run: bool = False,
    area_code: str | None = None,
    batch: ImportBatch | None = None,
    today: dt.date | None = None,
    progress=lambda stage, pct: None,
) -> ImportReport:
    """Validate a worker file and store its valid rows; all or nothing.

    ``area_code`` limits the rows to the uploader's area (a desa, kecamatan, kabupaten/kota,
    or in a province deployment the province): rows for other desa are rejected, naming the
    regency or kecamatan they lie in. Raises
    :class:`~jamsos.core.importing.reader.UnreadableFile` when the file cannot be read at all.
    """
    today = today or timezone.localdate()
    kabupaten = Region.objects.get(code=area_code or deployment_area())
    progress("read", 5)
    table = reader.read_table(data, filename)
    progress("validate", 20)
    checked = validate.validate(
        table.frame, villages=villages_frame(kabupaten.code), kabupaten_name=kabupaten.name,
        today=today, outside=outside_villages(kabupaten.code),
        funding_defaults=funding_defaults_frame(today),
    )
    progress("write", 50)
    report = ImportReport(rows=checked.rows, dry_run=dry_run,
                          ignored_headers=table.ignored_headers)
    issues = checked.issues
    actor = audit.actor_fields(user)
    now = timezone.now()
    with transaction.atomic():
        own_batch = batch is None  # started here (CLI, demo): this call also ends it
        if own_batch:
            batch = ImportBatch.objects.create(
                filename=filename[:255], sha256=hashlib.sha256(data).hexdigest(),
                size=len(data), dry_run=dry_run, uploaded_by=actor["actor"],
                status=ImportStatus.RUNNING,
            )
        result = writer.write(
            checked.valid, batch_id=batch.pk, actor_id=getattr(actor["actor"], "pk", None),
            actor_name=actor["actor_name"], now=now, scope=area_code, progress=progress,
        )
        if result.kpj_conflicts.height:
            issues = pl.concat([issues, _kpj_conflict_issues(result.kpj_conflicts)])
        if result.outside.height:
            issues = pl.concat([issues, _outside_issues(result.outside)])
        report.created, report.updated = result.created, result.updated
        report.enrolments_created = result.enrolments_created
        report.enrolments_updated = result.enrolments_updated
        audit.record(
            user=user, action="import", obj_type="import_batch", obj_id=batch.pk,
            source=f"import:{batch.pk}",
            changes={"file": [None, filename], "sha256": [None, batch.sha256],
                     "created": [None, result.created], "updated": [None, result.updated],
                     "dry_run": [None, dry_run]},
        )
        if own_batch:
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportStatus.DONE, progress=100, stage="done", finished_at=timezone.now(),
                summary={"rows": checked.rows, "created": result.created,
                         "updated": result.updated})
        if dry_run:
            transaction.set_rollback(True)
        else:
            # In the same transaction, and only for the desa the file can change: a desa's
            # upload of 50 rows does not recount a registry of millions.
            progress("coverage", 96)
            announce_roles_changed(result.desa_codes, today=today)
    if result.outside.height:  # after the import's transaction: kept also for a dry run
        _audit_outside_attempts(result.outside, user=user, filename=filename, dry_run=dry_run)
    report.take_issues(issues)
    report.rejected_frame = _rejected_frame(table.frame, report.errors) if report.errors else None
    report.batch_id = None if dry_run else batch.pk
    progress("done", 100)
    return report


def _kpj_conflict_issues(conflicts: pl.DataFrame) -> pl.DataFrame:
    return conflicts.select(
        pl.col("row"), pl.lit("KPJ").alias("column"), pl.lit("kpj_taken").alias("code"),
        pl.format("KPJ {} sudah terdaftar atas NIK lain.", pl.col("kpj")).alias("message"),
        pl.lit("error").alias("severity"),
    ).cast(ISSUE_SCHEMA)


def _outside_issues(outside: pl.DataFrame) -> pl.DataFrame:
    """Rows for people registered in another area: refused, saying nothing of that area."""
    return outside.select(
        pl.col("row"), pl.lit("NIK").alias("column"), pl.lit("outside_area").alias("code"),
        pl.lit("NIK ini terdaftar di luar wilayah Anda; baris ini tidak mengubah apa pun. "
               "Perubahan data orang ini (misalnya pindah domisili) dilakukan oleh operator "
               "yang wilayahnya mencakup kedua wilayah.").alias("message"),
        pl.lit("error").alias("severity"),
    ).cast(ISSUE_SCHEMA)


def _audit_outside_attempts(outside: pl.DataFrame, *, user, filename: str,
                            dry_run: bool) -> None:
    """One event per person an import tried to change from outside their area, filed under
    the person (so the auditors of the person's own area see the attempt)."""
    per_person = outside.group_by("person_id", "desa_code").agg(pl.col("row").sort())
    audit.record_many(user=user, action="import_refused", events=[
        {"obj_type": "person", "obj_id": person_id, "area": desa_code,
         "changes": {"file": [None, filename], "rows": [None, rows], "dry_run": [None, dry_run],
                     "reason": [None, "outside_area"]}}
        for person_id, desa_code, rows in per_person.sort("person_id").iter_rows()])


def _rejected_frame(frame: pl.DataFrame, errors: list[dict]) -> pl.DataFrame:
    """The rejected rows as sent, each with its errors, for the operator to fix and resend."""
    reasons = pl.DataFrame(errors, schema={k: v for k, v in ISSUE_SCHEMA.items()
                                           if k != "severity"}).group_by("row").agg(
        pl.format("{}: {}", "column", "message").str.join(" | ").alias("Kesalahan")
    )
    out = frame.join(reasons.rename({"row": ROW}), on=ROW, how="inner").sort(ROW)
    return out.rename({k: BY_KEY[k].header for k in out.columns if k in BY_KEY}).rename(
        {ROW: "Baris"})


@transaction.atomic
def set_target(*, region_code: str, category: str, headcount: int, user=None) -> Target:
    target = Target.objects.filter(region_id=region_code, category=category).first()
    before = {"headcount": target.headcount} if target else None
    if target is None:
        target = Target.objects.create(region_id=region_code, category=category,
                                       headcount=headcount)
    else:
        target.headcount = headcount
        target.save(update_fields=["headcount", "updated_at"])
    audit.record(user=user, action="update" if before else "create", obj_type="target",
                 obj_id=target.pk, changes=audit.diff(before, {"headcount": headcount}))
    return target


class RegistryError(DomainError):
    """A change refused, with the field and reason for the operator (``errors``: every field
    at fault, when several are checked together)."""


def _kabupaten_scope(user) -> str:
    """Where a user may place a person: their own kabupaten/kota; the deployment's area for a
    province-level user (or no user: scripts)."""
    from jamsos.accounts.selectors import area_code_of

    area = area_code_of(user) if user is not None else None
    if area and "." in area:
        return kabupaten_code_of(area)
    return deployment_area()


PERSON_EDITABLE = ("nik", "name", "sex", "birth_date", "desa_id", "phone", "kpj")


@transaction.atomic
def update_person(person, *, user, today: dt.date | None = None, **changes) -> list[str]:
    """Change a person's data (a NIK correction included: links use the internal id).

    Returns the warnings to show the operator; raises :class:`RegistryError` on an error.
    """
    today = today or timezone.localdate()
    unknown = set(changes) - set(PERSON_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = {f: getattr(person, f) for f in PERSON_EDITABLE}
    after = {**before, **changes}
    errors: dict[str, str] = {}
    if not str(after["name"] or "").strip():
        errors["name"] = "Nama wajib diisi."
    check = validate_nik(str(after["nik"]), today=today, declared_birth_date=after["birth_date"],
                         declared_sex=after["sex"])
    if check.errors:
        errors["nik"] = check.errors[0].message
    else:
        after["nik"] = check.nik
        if Person.objects.filter(nik=check.nik).exclude(pk=person.pk).exists():
            errors["nik"] = f"NIK {check.nik} sudah terdaftar atas orang lain."
    warnings = [w.message for w in check.warnings]
    kpj = (after["kpj"] or "").strip() or None
    if kpj:
        kcheck = validate_kpj(kpj)
        if kcheck.errors:
            errors["kpj"] = kcheck.errors[0].message
        else:
            kpj = kcheck.kpj
            warnings += [w.message for w in kcheck.warnings]
            if Person.objects.filter(kpj=kpj).exclude(pk=person.pk).exists():
                errors["kpj"] = f"KPJ {kpj} sudah terdaftar atas orang lain."
    after["kpj"] = kpj
    scope = _kabupaten_scope(user)
    if not villages_in(scope).filter(code=after["desa_id"]).exists():
        errors["desa_id"] = ("Desa domisili harus desa/kelurahan di kabupaten ini." if "." in scope
                             else "Desa domisili harus desa/kelurahan di provinsi ini.")
    if errors:
        raise RegistryError.collected({k: errors[k] for k in PERSON_EDITABLE if k in errors})
    changed = audit.diff(before, after)
    if not changed:
        return warnings
    for name in changed:
        setattr(person, name, after[name])
    person.save()
    audit.record(user=user, action="update", obj_type="person", obj_id=person.pk,
                 changes=changed)
    if "nik" in changed:  # who is covered is matched by NIK (DTSEN candidates)
        announce_roles_changed([], today=today, niks=[before["nik"], after["nik"]])
    return warnings


@transaction.atomic
def end_enrolment(enrolment, *, end_date: dt.date, reason: str, user) -> None:
    """End a role's protection (moved away, resigned, died…); the person's other roles stay."""
    from django.db import connection


    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.end_date is not None:
        raise RegistryError("end_date", "Kepesertaan ini sudah berakhir.")
    errors = {}
    if end_date < enrolment.start_date:
        errors["end_date"] = "Tanggal berakhir sebelum tanggal mulai."
    if not reason.strip():
        errors["reason"] = "Alasan wajib diisi."
    if errors:
        raise RegistryError.collected(errors)
    before = {"status": enrolment.status, "end_date": None}
    enrolment.end_date = end_date
    enrolment.status = EnrolmentStatus.ENDED
    enrolment.save(update_fields=["end_date", "status", "updated_at"])
    audit.record(user=user, action="update", obj_type="enrolment", obj_id=enrolment.pk,
                 changes={**audit.diff(before, {"status": enrolment.status,
                                                "end_date": end_date}),
                          "reason": [None, reason.strip()]})
    with connection.cursor() as cur:
        writer.recompute_primary(cur, person_ids=[enrolment.person_id])
    announce_roles_changed(enrolment.person.enrolments.values_list("desa_id", flat=True))


def last_day_of_month(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


@transaction.atomic
def record_death(person, *, died_on: dt.date, source: str, user=None) -> bool:
    """Record that a person died; returns False when it was already recorded (same date).

    Their open roles end at the end of the month of death (premiums are due up to and including
    that month and stop from the next) and they leave the coverage count at once. Sends
    :data:`jamsos.registry.signals.person_died` once.
    """
    from django.db import connection


    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.died_on == died_on:
        return False
    if person.died_on is not None:
        raise RegistryError("died_on", f"Kematian sudah tercatat pada {date_text(person.died_on)}.")
    if died_on > timezone.localdate():
        raise RegistryError("died_on", "Tanggal meninggal tidak boleh di masa depan.")
    if died_on < person.birth_date:
        raise RegistryError("died_on", "Tanggal meninggal sebelum tanggal lahir.")
    person.died_on = died_on
    person.save(update_fields=["died_on", "updated_at"])
    audit.record(user=user, action="update", obj_type="person", obj_id=person.pk,
                 changes={"died_on": [None, died_on.isoformat()], "source": [None, source]})
    end = last_day_of_month(died_on)
    open_roles = Enrolment.objects.filter(person=person, end_date__isnull=True)
    for enrolment in open_roles.select_for_update():
        audit.record(user=user, action="update", obj_type="enrolment", obj_id=enrolment.pk,
                     changes={"status": [enrolment.status, EnrolmentStatus.ENDED],
                              "end_date": [None, max(end, enrolment.start_date).isoformat()],
                              "reason": [None, "meninggal dunia"]})
    desa = sorted(set(open_roles.values_list("desa_id", flat=True)))
    for enrolment in list(open_roles):
        enrolment.end_date = max(end, enrolment.start_date)
        enrolment.status = EnrolmentStatus.ENDED
        enrolment.save(update_fields=["end_date", "status", "updated_at"])
    with connection.cursor() as cur:
        writer.recompute_primary(cur, person_ids=[person.pk])
    announce_roles_changed(desa)
    person_died.send(sender=Person, person=person, died_on=died_on, source=source, user=user)
    return True


@transaction.atomic
def enrol_rows(valid: pl.DataFrame, *, user, area_code: str, label: str,
               today: dt.date | None = None) -> ImportBatch:
    """Store already-checked rows (the worker import's validated shape: ``row`` and
    :data:`writer.STAGE_COLUMNS`) through the import writer, as one batch of the user's
    area: all or nothing (a row the area may not change, or a KPJ conflict, refuses the
    whole batch with :class:`RegistryError`), audited, coverage recounted. Used by the
    coverage app's "enrol candidates" action (issue 17)."""
    today = today or timezone.localdate()
    actor = audit.actor_fields(user)
    batch = ImportBatch.objects.create(
        filename=label[:255], size=0, uploaded_by=actor["actor"], area_id=area_code,
        status=ImportStatus.RUNNING)
    result = writer.write(valid, batch_id=batch.pk, actor_id=getattr(actor["actor"], "pk", None),
                          actor_name=actor["actor_name"], now=timezone.now(), scope=area_code)
    if result.outside.height or result.kpj_conflicts.height:
        raise RegistryError("nik", _("Sebagian orang yang dipilih sudah tercatat di wilayah "
                                     "lain atau bentrok nomor KPJ; tidak ada yang disimpan."))
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.DONE, progress=100, stage="done", finished_at=timezone.now(),
        summary={"rows": valid.height, "created": result.created, "updated": result.updated})
    audit.record(user=user, action="enrol", obj_type="import_batch", obj_id=batch.pk,
                 source=f"import:{batch.pk}",
                 changes={"label": [None, label], "rows": [None, valid.height],
                          "created": [None, result.created], "updated": [None, result.updated],
                          "enrolments": [None, result.enrolments_created]})
    announce_roles_changed(result.desa_codes, today=today)
    return batch


# --- default funding source per category, per kabupaten/kota (issue 16) ---------------------


def refuse_other_regency(user, kabupaten: str, error_class) -> None:
    """A regency's own settings are changed by its admin or the province's: anyone else is
    refused (``user=None`` is the system: demo, CLI)."""
    from jamsos.accounts.selectors import may_set_regency
    from jamsos.core.errors import ErrorCode
    from jamsos.regions.selectors import deployment_kabupaten

    if user is None:
        if kabupaten not in deployment_kabupaten():
            raise error_class("kabupaten", _("Kabupaten/kota tidak termasuk wilayah aplikasi."))
        return
    if not may_set_regency(user, kabupaten):
        raise error_class("kabupaten", _("Anda tidak boleh mengubah pengaturan kabupaten/kota "
                                         "ini."), code=ErrorCode.OUTSIDE_AREA)


@transaction.atomic
def add_funding_defaults(*, kabupaten: str, valid_from: dt.date | None, sources: dict,
                         citation: str, user=None) -> FundingDefault:
    """A new dated version of a kabupaten/kota's default funding source per category (what an
    imported row without Sumber dana is funded by); every category must be named."""
    refuse_other_regency(user, kabupaten, RegistryError)
    citation = (citation or "").strip()
    errors: dict[str, str] = {}
    if valid_from is None:
        errors["valid_from"] = _("Tanggal berlaku wajib diisi (hari-bulan-tahun).")
    elif FundingDefault.objects.filter(kabupaten=kabupaten, valid_from=valid_from).exists():
        errors["valid_from"] = _("Sudah ada sumber dana bawaan yang berlaku mulai %(d)s; "
                                 "pilih tanggal lain.") % {"d": date_text(valid_from)}
    clean = {}
    for c in categories.CATEGORIES:
        value = (sources or {}).get(c.key) or ""
        if value not in categories.FUNDING_SOURCES:
            errors[f"funding_{c.key}"] = _("Pilih sumber dana bawaan %(c)s.") % {"c": c.label}
        clean[c.key] = value
    unknown = set(sources or {}) - set(categories.BY_KEY)
    if unknown:
        errors["sources"] = _("Kategori tidak dikenal: %(k)s.") % {"k": ", ".join(sorted(unknown))}
    if not citation:
        errors["citation"] = _("Dasar (peraturan, DPA atau keputusan) wajib diisi.")
    if errors:
        raise RegistryError.collected(errors)
    obj = FundingDefault.objects.create(kabupaten=kabupaten, valid_from=valid_from,
                                        sources=clean, citation=citation[:500],
                                        created_by=audit.actor_fields(user)["actor"])
    audit.record(user=user, action="create", obj_type="funding_default", obj_id=obj.pk,
                 changes=audit.diff(None, {"kabupaten": kabupaten,
                                           "valid_from": valid_from.isoformat(),
                                           "sources": clean, "citation": citation}))
    return obj
