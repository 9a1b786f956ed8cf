"""Writes of the santunan workflow: propose, move a case along, documents, payment."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos.accounts.selectors import in_area
from jamsos.audit import services as audit
from jamsos.core.dates import date_text, moment_text
from jamsos.core.errors import DomainError, ErrorCode
from jamsos.core.numbers import grouped
from jamsos.dtsen.selectors import decile_of, extract_in_force
from jamsos.regions.models import Region
from jamsos.regions.nik import validate_nik
from jamsos.regions.selectors import (
    VILLAGE_LEVELS,
    deployment_area,
    in_deployment,
    kabupaten_code_of,
    subtree_q,
)
from jamsos.registry.models import Person
from jamsos.registry.services import RegistryError, record_death
from jamsos.santunan import conf, documents, notify, permissions
from jamsos.santunan.models import (
    PATH,
    Case,
    Document,
    GrantVersion,
    Relationship,
    Status,
    Transition,
)
from jamsos.santunan.params import (
    VERSION_FIELDS,
    SchemeVersion,
    document_kinds,
    overlap_errors,
    version_errors,
)
from jamsos.santunan.selectors import may_edit_scheme, scheme_for, version_of, versions_used


class CaseError(DomainError):
    """A request refused, with the field (or ``form``) and a message for the user; ``errors``
    holds every field at fault when the data of a case is checked."""

    def __init__(self, field: str, message: str, *, other: Case | None = None,
                 code: ErrorCode | None = None, errors: dict[str, str] | None = None):
        super().__init__(field, message, code=code, errors=errors)
        self.other = other


class StaleState(CaseError):
    """The case moved on since the user loaded it (someone else acted first)."""

    default_code = ErrorCode.STALE


CASE_FIELDS = ("desa_id", "deceased_nik", "deceased_name", "died_on", "death_place",
               "akta_number", "no_kk", "heir_nik", "heir_name", "heir_relationship",
               "heir_phone", "bank_name", "account_number", "account_holder")


def _clean(data: dict, *, today: dt.date) -> dict:
    """Normalise and check the fields of a case; raises one :class:`CaseError` naming every
    field at fault (the web form and the API show the same list)."""
    out = {k: (data.get(k) or "") if k != "died_on" else data.get(k) for k in CASE_FIELDS}
    errors: dict[str, str] = {}
    for k in CASE_FIELDS:
        if isinstance(out[k], str):
            out[k] = re.sub(r"\s+", " ", out[k]).strip()
    for k in ("desa_id", "deceased_name", "death_place", "akta_number", "heir_name",
              "bank_name", "account_number", "account_holder"):
        if not out[k]:
            errors[k] = _("Wajib diisi.")
    died_on = out["died_on"]
    if isinstance(died_on, str) and died_on:
        try:
            died_on = dt.date.fromisoformat(died_on)
        except ValueError:
            errors["died_on"] = _("Tanggal meninggal tidak valid.")
            died_on = None
    elif not died_on:
        died_on = None
        errors["died_on"] = _("Wajib diisi.")
    if died_on is not None and died_on > today:
        errors["died_on"] = _("Tanggal meninggal tidak boleh di masa depan.")
    out["died_on"] = died_on
    for k in ("deceased_nik", "heir_nik"):
        check = validate_nik(out[k], today=today)
        if check.errors:
            errors[k] = check.errors[0].message
        else:
            out[k] = check.nik
    if "heir_nik" not in errors and out["heir_nik"] == out["deceased_nik"]:
        errors["heir_nik"] = _("NIK ahli waris sama dengan NIK almarhum/almarhumah.")
    kk = re.sub(r"[\s.\-']", "", out["no_kk"])
    if not re.fullmatch(r"\d{16}", kk):
        errors["no_kk"] = _("No. KK harus 16 angka.")
    out["no_kk"] = kk
    acct = re.sub(r"[\s.\-]", "", out["account_number"])
    if "account_number" not in errors and not re.fullmatch(r"\d{6,20}", acct):
        errors["account_number"] = _("Nomor rekening harus 6–20 angka.")
    out["account_number"] = acct
    if out["heir_relationship"] not in Relationship.values:
        errors["heir_relationship"] = _("Pilih hubungan ahli waris.")
    if "desa_id" not in errors:
        desa = Region.objects.filter(code=out["desa_id"], level__in=VILLAGE_LEVELS).first()
        if desa is None or not in_deployment(desa.code):
            errors["desa_id"] = _("Desa harus desa/kelurahan di kabupaten ini.")
    if errors:
        raise CaseError.collected({k: errors[k] for k in CASE_FIELDS if k in errors})
    return out


def _duplicate(nik: str, exclude_pk=None) -> Case | None:
    qs = Case.objects.filter(deceased_nik=nik).exclude(status=Status.REJECTED)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("id").first()


def _duplicate_error(other: Case) -> CaseError:
    return CaseError("deceased_nik", _(
        "Santunan untuk NIK ini sudah diusulkan: berkas %(no)s (%(status)s, desa %(desa)s). "
        "Satu orang hanya mendapat satu santunan.") % {
        "no": other.number, "status": other.get_status_display(), "desa": other.desa.name},
        other=other)


def _log(case: Case, *, action: str, before: str, after: str, user, reason: str, now) -> None:
    Transition.objects.create(case=case, action=action, from_status=before, to_status=after,
                              reason=reason, user=user if _real(user) else None,
                              user_name=audit.actor_fields(user)["actor_name"], at=now)


def _real(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def kabupaten_name(code: str) -> str:
    from jamsos.regions.catalog import upper_regions

    region = upper_regions().get(code)
    return region.name if region else code


def version_in_force(desa_code: str, died_on: dt.date) -> SchemeVersion:
    """The version of the desa's regency in force on the date of death; a regency without a
    scheme, or a date no version covers, is refused (never a guessed amount)."""
    kab = kabupaten_code_of(desa_code)
    scheme = scheme_for(kab)
    if scheme is None:
        raise CaseError("desa_id", _("%(k)s belum mempunyai peraturan santunan kematian.")
                        % {"k": kabupaten_name(kab)},
                        code=ErrorCode.NO_RULE)
    version = scheme.in_force(died_on)
    if version is None:
        raise CaseError("died_on", _(
            "Tidak ada ketentuan santunan yang berlaku pada tanggal meninggal %(d)s.")
            % {"d": date_text(died_on)})
    return version


@transaction.atomic
def propose(*, user, data: dict, today: dt.date | None = None, now=None) -> Case:
    """A desa's new proposal (state ``draft`` until the desa sends it to the kecamatan)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    if not permissions.can_propose(user):
        raise CaseError("form", _("Hanya kepala desa/operator desa yang dapat mengusulkan."))
    clean = _clean(data, today=today)
    if not in_area(user, clean["desa_id"]):
        raise CaseError("desa_id", _("Desa di luar wilayah kerja Anda."))
    version = version_in_force(clean["desa_id"], clean["died_on"])
    if version.max_days_after_death is not None and \
            (today - clean["died_on"]).days > version.max_days_after_death:
        raise CaseError("died_on", _("Usulan melewati batas %(n)d hari setelah kematian.")
                        % {"n": version.max_days_after_death})
    other = _duplicate(clean["deceased_nik"])
    if other is not None:
        raise _duplicate_error(other)
    person = Person.objects.filter(nik=clean["deceased_nik"]).first()
    try:
        with transaction.atomic():
            case = Case.objects.create(
                **clean, status=Status.DRAFT, scheme_version=version.key,
                amount=version.amount, person=person, created_by=user if _real(user) else None)
    except IntegrityError:  # a proposal for the same NIK was saved a moment ago
        other = _duplicate(clean["deceased_nik"])
        if other is None:
            raise
        raise _duplicate_error(other) from None
    _log(case, action="propose", before="", after=Status.DRAFT, user=user, reason="", now=now)
    audit.record(user=user, action="create", obj_type="santunan_case", obj_id=case.pk,
                 changes=audit.diff(None, {**clean, "amount": case.amount,
                                           "scheme_version": case.scheme_version}))
    return case


@transaction.atomic
def update_case(case: Case, *, user, data: dict, today: dt.date | None = None) -> Case:
    """Correct a case the desa still holds (draft, also after a return)."""
    today = today or timezone.localdate()
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Status.DRAFT or not permissions.holds(user, case):
        raise CaseError("form", _("Berkas hanya dapat diubah oleh desa selama disiapkan."))
    clean = _clean({**{k: getattr(case, k) for k in CASE_FIELDS}, **data}, today=today)

    if not in_area(user, clean["desa_id"]):
        raise CaseError("desa_id", _("Desa di luar wilayah kerja Anda."))
    other = _duplicate(clean["deceased_nik"], exclude_pk=case.pk)
    if other is not None:
        raise _duplicate_error(other)
    version = version_in_force(clean["desa_id"], clean["died_on"])
    before = {k: getattr(case, k) for k in CASE_FIELDS} | {"amount": case.amount}
    after = clean | {"amount": version.amount}
    changes = audit.diff(before, after)
    if not changes:
        return case
    for k, v in clean.items():
        setattr(case, k, v)
    case.amount, case.scheme_version = version.amount, version.key

    case.person = Person.objects.filter(nik=case.deceased_nik).first()
    case.version = F("version") + 1
    case.save()
    case.refresh_from_db()
    audit.record(user=user, action="update", obj_type="santunan_case", obj_id=case.pk,
                 changes=changes)
    return case


@transaction.atomic
def upload_document(case: Case, *, user, kind: str, filename: str, data: bytes) -> Document:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not permissions.holds(user, case) or case.status not in (
            Status.DRAFT, Status.SUBMITTED, Status.FORWARDED):
        raise CaseError("file", _("Dokumen hanya dapat diunggah oleh pemegang berkas sebelum "
                                  "verifikasi selesai."))
    if kind not in document_kinds():
        raise CaseError("kind", _("Jenis dokumen tidak dikenal."))
    try:
        stored = documents.store(case.pk, data)
    except documents.DocumentRefused as exc:
        raise CaseError("file", exc.message) from exc
    doc = Document.objects.create(
        case=case, kind=kind, original_name=filename[:255], stored_name=stored.stored_name,
        content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
        uploaded_by=user if _real(user) else None)
    audit.record(user=user, action="create", obj_type="santunan_document", obj_id=doc.pk,
                 changes={"case": [None, case.pk], "kind": [None, kind],
                          "sha256": [None, stored.sha256], "size": [None, stored.size]})
    return doc


# --- checks --------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool
    message: str
    blocking: bool = True


def dtsen_lookup(case: Case):
    """(extract in force on the date of death, decile found or None, matched by)."""
    extract = extract_in_force(case.died_on)
    if extract is None:
        return None, None, ""
    decile, by = decile_of(extract, nik=case.deceased_nik, no_kk=case.no_kk)
    return extract, decile, by


def _norm_name(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def checks(case: Case, *, today: dt.date | None = None, detail: bool = True) -> list[Check]:
    """What Dinas Sosial verifies; a case is verified only when every blocking check is ok.

    ``detail=False`` words the DTSEN check without the decile (for the desa and kecamatan)."""
    today = today or timezone.localdate()
    version = version_of(case)
    out: list[Check] = []
    have = set(case.documents.values_list("kind", flat=True))
    kinds = document_kinds()
    missing = [kinds.get(d, d) for d in version.documents if d not in have]
    out.append(Check("documents", not missing, _("Dokumen lengkap.") if not missing else
                     _("Dokumen belum ada: %(d)s.") % {"d": "; ".join(missing)}))
    kab = kabupaten_code_of(case.desa_id)
    out.append(Check("resident", in_deployment(case.desa_id),
                     _("Desa domisili %(desa)s berada di kabupaten ini.")
                     % {"desa": case.desa.name}))
    nik_region = f"{case.deceased_nik[:2]}.{case.deceased_nik[2:4]}"
    if nik_region != kab:
        out.append(Check("nik_region", False, _(
            "NIK diterbitkan di luar kabupaten (%(r)s); pastikan KK beralamat di desa ini.")
            % {"r": nik_region}, blocking=False))
    extract, decile, matched = dtsen_lookup(case)
    if extract is None:
        out.append(Check("dtsen", False, _(
            "Belum ada ekstrak DTSEN yang berlaku pada tanggal meninggal %(d)s.")
            % {"d": date_text(case.died_on)}))
    elif decile is None:
        out.append(Check("dtsen", False, _(
            "NIK dan No. KK tidak ada di ekstrak DTSEN yang berlaku pada tanggal meninggal "
            "(berlaku %(v)s).") % {"v": date_text(extract.valid_from)}))
    elif not detail:
        ok = decile <= version.max_decile
        out.append(Check("dtsen", ok, _("Rumah tangga tercatat di DTSEN dalam desil yang "
                                        "memenuhi syarat.") if ok else _(
            "Rumah tangga tidak memenuhi syarat desil DTSEN (diperiksa Dinas Sosial).")))
    else:
        ok = decile <= version.max_decile
        via = _("NIK") if matched == "nik" else _("No. KK")
        out.append(Check("dtsen", ok, _(
            "Desil DTSEN %(d)d (menurut %(via)s, ekstrak berlaku %(v)s); syarat desil 1–%(m)d.")
            % {"d": decile, "via": via, "v": date_text(extract.valid_from),
               "m": version.max_decile}))
    paid = Case.objects.filter(deceased_nik=case.deceased_nik,
                               status__in=[Status.PAID, Status.CLOSED]).exclude(pk=case.pk)
    out.append(Check("not_paid", not paid.exists(), _("Belum pernah dibayar untuk NIK ini.")
                     if not paid.exists() else _("Santunan untuk NIK ini sudah dibayar.")))
    heir_ok = validate_nik(case.heir_nik, today=today).is_valid and \
        case.heir_nik != case.deceased_nik
    name_ok = _norm_name(case.heir_name) == _norm_name(case.account_holder)
    out.append(Check("heir", heir_ok and name_ok, _(
        "Identitas ahli waris sah dan rekening atas nama ahli waris.") if heir_ok and name_ok
        else _("Rekening harus atas nama ahli waris (%(h)s ≠ %(a)s) dan NIK ahli waris sah.")
        % {"h": case.heir_name, "a": case.account_holder}))
    if version.min_age_years is not None:
        born = validate_nik(case.deceased_nik, today=today).birth_date
        age_ok = born is None or (case.died_on.year - born.year - (
            (case.died_on.month, case.died_on.day) < (born.month, born.day))
            >= version.min_age_years)
        out.append(Check("age", age_ok, _("Usia almarhum minimal %(n)d tahun.")
                         % {"n": version.min_age_years}))
    if case.person_id and case.person.died_on and case.person.died_on != case.died_on:
        out.append(Check("registry_death", False, _(
            "Registri pekerja mencatat tanggal meninggal lain (%(d)s).")
            % {"d": date_text(case.person.died_on)}, blocking=False))
    return out


def failed_checks(case: Case, *, today: dt.date | None = None) -> list[Check]:
    """The blocking checks a case fails now (worded for the desa and kecamatan)."""
    return [c for c in checks(case, today=today, detail=False) if c.blocking and not c.ok]


def forward_note_message(failed: list[Check]) -> str:
    return _("Pemeriksaan belum lolos: %(m)s Kembalikan atau tolak berkas, atau tulis catatan "
             "mengapa tetap diteruskan ke Dinas Sosial.") % {
        "m": " ".join(c.message for c in failed)}


# --- transitions -----------------------------------------------------------------------

#: action → (from state, to state); "return" and "reject" work from several states.
FORWARD = {
    "submit": (Status.DRAFT, Status.SUBMITTED),
    "forward": (Status.SUBMITTED, Status.FORWARDED),
    "verify": (Status.FORWARDED, Status.VERIFIED),
    "approve": (Status.VERIFIED, Status.APPROVED),
    "close": (Status.PAID, Status.CLOSED),
}
RETURNABLE = (Status.SUBMITTED, Status.FORWARDED, Status.VERIFIED, Status.APPROVED)
REJECTABLE = (Status.DRAFT, Status.SUBMITTED, Status.FORWARDED, Status.VERIFIED, Status.APPROVED)


def verified_by(case: Case):
    """The user who made the case's latest verification (None if never verified)."""
    last = case.transitions.filter(action="verify").order_by("-at", "-id").first()
    return last.user_id if last else None


def four_eyes_blocks(user, case: Case) -> bool:
    """Payment is approved by someone other than who verified the case (segregation of
    duties; ``JAMSOS_SANTUNAN_FOUR_EYES``, on by default)."""
    return (conf.four_eyes() and case.status == Status.VERIFIED
            and getattr(user, "pk", None) is not None and verified_by(case) == user.pk)


def allowed_actions(user, case: Case) -> list[str]:
    if not permissions.holds(user, case):
        return []
    out = [a for a, (src, _dst) in FORWARD.items() if src == case.status]
    if "approve" in out and four_eyes_blocks(user, case):
        out.remove("approve")
    in_batch = case.status == Status.APPROVED and case.batch_id is not None
    if case.status in RETURNABLE and not in_batch:
        out.append("return")
    if case.status in REJECTABLE and not in_batch:
        out.append("reject")
    return out


def four_eyes_message() -> str:
    return _("Pembayaran disetujui oleh petugas lain, bukan yang memverifikasi berkas "
             "(prinsip empat mata).")


def _stale(case: Case) -> StaleState:
    last = case.transitions.order_by("-at", "-id").first()
    who = f"{last.user_name}, {moment_text(last.at)}" if last else "-"
    return StaleState("form", _(
        "Berkas %(no)s sudah diproses orang lain (%(who)s); statusnya sekarang \"%(s)s\". "
        "Tindakan Anda tidak dijalankan; muat ulang halaman.")
        % {"no": case.number, "who": who, "s": case.get_status_display()})


def transition(case_pk: int, *, action: str, user, expected: str, reason: str = "",
               today: dt.date | None = None, now=None) -> Case:
    """Move a case one step. ``expected`` is the state the user saw; if the case has moved
    on since (another user acted first), :class:`StaleState` is raised and nothing changes.

    The row is locked (``select_for_update``) and then updated on the condition that it is
    still in ``expected`` with the same version, so of two users acting at once exactly one
    succeeds.
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    reason = (reason or "").strip()
    notices = []
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("desa").get(pk=case_pk)
        if case.status != expected:
            raise _stale(case)
        if action == "approve" and four_eyes_blocks(user, case):
            raise CaseError("form", four_eyes_message())
        if action not in allowed_actions(user, case):
            raise CaseError("form", _("Anda tidak dapat melakukan tindakan ini pada berkas ini."))
        updates: dict = {}
        if action in FORWARD:
            target = FORWARD[action][1]
        elif action == "return":
            if not reason:
                raise CaseError("reason", _("Alasan pengembalian wajib diisi."))
            target = PATH[PATH.index(case.status) - 1]
        elif action == "reject":
            if not reason:
                raise CaseError("reason", _("Alasan penolakan wajib diisi."))
            target = Status.REJECTED
        else:  # pragma: no cover - allowed_actions guards
            raise CaseError("form", action)
        if action == "submit":
            missing = [c for c in checks(case, today=today) if c.code == "documents" and not c.ok]
            if missing:
                raise CaseError("form", missing[0].message)
        if action == "forward" and not reason:
            failed = failed_checks(case, today=today)
            if failed:
                raise CaseError("reason", forward_note_message(failed))
        if action == "verify":
            failed = [c for c in checks(case, today=today) if c.blocking and not c.ok]
            if failed:
                raise CaseError("form", _("Belum dapat diverifikasi: %(m)s")
                                % {"m": " ".join(c.message for c in failed)})
            extract, decile, _by = dtsen_lookup(case)
            version = version_of(case)
            updates.update(dtsen_extract=extract, decile=decile)
            if case.sla_start is None:  # the first verification starts the clock for good
                updates.update(verified_at=now, sla_start=today, sla_days=version.sla_days)
        n = Case.objects.filter(pk=case.pk, status=expected, version=case.version).update(
            status=target, version=F("version") + 1, updated_at=now, **updates)
        if n != 1:
            raise _stale(case)
        _log(case, action=action, before=expected, after=target, user=user, reason=reason,
             now=now)
        audit.record(user=user, action="update", obj_type="santunan_case", obj_id=case.pk,
                     changes={"status": [expected, target],
                              **({"reason": [None, reason]} if reason else {})})
        case.refresh_from_db()
        if action == "verify":
            _record_death(case, user)
        notices = _notices(case, action, reason)
        for users, key, message in notices:
            notify.notify(users, key=key, message=message, case=case, now=now)
    return case


def _record_death(case: Case, user) -> None:
    """An insured worker's death goes to the registry (ends roles, signals the claims app)."""
    if case.person_id is None:
        return
    if case.person.died_on not in (None, case.died_on):
        return  # shown on the case as a warning; the registry keeps its own date
    try:
        record_death(case.person, died_on=case.died_on, source=f"santunan:{case.pk}", user=user)
    except RegistryError:
        pass  # e.g. died before birth in the registry: shown through the checks


def _notices(case: Case, action: str, reason: str):
    label = case.get_status_display()
    desa_users = notify.users_with_role("kepala_desa", case.desa_id)
    kec_users = notify.users_with_role("camat", case.desa_id)
    dinsos = notify.users_with_role("verifikator", case.desa_id)
    base = f"santunan:{case.pk}:{case.version}"
    who = f"{case.number} ({case.deceased_name}, {case.desa.name})"
    if action == "submit":
        return [(kec_users, base, _("Usulan santunan baru %(c)s menunggu pemeriksaan kecamatan.")
                 % {"c": who})]
    if action == "forward":
        return [(dinsos, base, _("Berkas santunan %(c)s diteruskan kecamatan; mohon diverifikasi.")
                 % {"c": who})]
    if action == "return":
        holders = {Status.DRAFT: desa_users, Status.SUBMITTED: kec_users}.get(case.status, dinsos)
        return [(holders, base, _("Berkas santunan %(c)s dikembalikan (%(s)s): %(r)s")
                 % {"c": who, "s": label, "r": reason})]
    if action == "reject":
        return [(list(desa_users) + list(kec_users), base,
                 _("Usulan santunan %(c)s ditolak: %(r)s") % {"c": who, "r": reason})]
    return []


# --- payment ---------------------------------------------------------------------------


def mark_paid(cases_by_pk: dict[int, dt.date], *, user, now) -> int:
    """Approved cases in a batch → paid on the bank's date (set-based, one lock)."""
    cases = list(Case.objects.select_for_update().filter(pk__in=cases_by_pk,
                                                         status=Status.APPROVED))
    for c in cases:
        c.status, c.paid_on = Status.PAID, cases_by_pk[c.pk]
        c.version += 1
        c.updated_at = now
    Case.objects.bulk_update(cases, ["status", "paid_on", "version", "updated_at"])
    name = audit.actor_fields(user)["actor_name"]
    Transition.objects.bulk_create(Transition(
        case=c, action="paid", from_status=Status.APPROVED, to_status=Status.PAID,
        reason=f"{c.transfer_reference} {date_text(c.paid_on)}", user=user if _real(user) else None,
        user_name=name, at=now) for c in cases)
    for c in cases:
        notify.notify(notify.users_with_role("kepala_desa", c.desa_id),
                      key=f"santunan:{c.pk}:paid", case=c, now=now,
                      message=_("Santunan %(no)s untuk ahli waris %(h)s telah ditransfer "
                                "(Rp %(a)s).") % {"no": c.number, "h": c.heir_name,
                                                    "a": grouped(c.amount)})
    return len(cases)


def day_notices(*, today: dt.date | None = None, now=None, area_code: str | None = None) -> dict:
    """Tell the head of the agency about every unpaid verified case on day ``notify_day`` or
    later of its SLA clock, once per case (idempotent: safe to run from a scheduler often)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    clock = conf.clock()
    area = area_code or deployment_area()
    heads_of: dict[str, list] = {}
    made = due = 0
    open_cases = Case.objects.filter(subtree_q(area, "desa__code"),
                                     status__in=[Status.VERIFIED, Status.APPROVED],
                                     sla_start__isnull=False).select_related("desa")
    versions: dict[tuple[str, str], SchemeVersion | None] = {}
    for case in open_cases:
        at = (kabupaten_code_of(case.desa_id), case.scheme_version)
        if at not in versions:
            versions[at] = version_of(case)
        version = versions[at]
        if version is None:
            continue
        elapsed = clock.elapsed(case.sla_start, today)
        if elapsed < version.notify_day:
            continue
        due += 1
        left = clock.days_left(case.sla_start, today, case.sla_days)
        kab = kabupaten_code_of(case.desa_id)
        if kab not in heads_of:
            heads_of[kab] = list(notify.heads(kab))
        heads = heads_of[kab]
        with transaction.atomic():
            made += notify.notify(
                heads, key=f"santunan:{case.pk}:sla-day{version.notify_day}", case=case, now=now,
                subject=_("Santunan %(no)s: hari ke-%(d)d SLA") % {"no": case.number,
                                                                   "d": elapsed},
                message=_("Santunan %(no)s (%(n)s, %(desa)s) sudah %(d)d hari sejak lengkap dan "
                          "terverifikasi dan belum dibayar; sisa %(left)d hari dari batas "
                          "%(sla)d hari.") % {"no": case.number, "n": case.deceased_name,
                                              "desa": case.desa.name, "d": elapsed,
                                              "left": left, "sla": case.sla_days})
    sent = notify.send_outbox(now=now)
    return {"cases_due": due, "notifications": made, "emails_sent": sent,
            "heads": len({u.pk for hs in heads_of.values() for u in hs})
            if heads_of else notify.heads().count()}


# --- each regency's scheme versions (issue 16) ------------------------------------------


class SchemeError(CaseError):
    """A scheme version refused (``errors``: every field at fault)."""


_INTS = ("amount", "max_decile", "sla_days", "notify_day", "max_days_after_death",
         "min_age_years")
_LISTS = ("documents", "exclusions", "unconfirmed_parts")


def _version_fields(data: dict) -> tuple[dict, dict[str, str]]:
    """The version's fields as stored, from typed values (API) or the text of a form: dates
    ``YYYY-MM-DD``, whole numbers (``1.000.000`` too), lists (or one item a line), text
    stripped; with a message for every field that could not be read."""
    out = {k: data.get(k) for k in VERSION_FIELDS}
    errors: dict[str, str] = {}
    for k in ("valid_from", "valid_to"):
        value = out[k]
        if isinstance(value, str):
            try:
                out[k] = dt.date.fromisoformat(value.strip()) if value.strip() else None
            except ValueError:
                errors[k], out[k] = _("Tanggal tidak valid (tttt-bb-hh)."), None
    for k in _INTS:
        value = out[k]
        if isinstance(value, str):
            digits = re.sub(r"[\s.]", "", value)
            if not digits:
                out[k] = None
            elif digits.isdigit():
                out[k] = int(digits)
            else:
                errors[k], out[k] = _("Isi bilangan bulat."), None
    for k in _LISTS:
        value = out[k] or []
        if isinstance(value, str):
            value = value.splitlines()
        out[k] = [str(x).strip() for x in value if str(x).strip()]
    out["citation"] = re.sub(r"\s+", " ", str(out["citation"] or "")).strip()
    out["note"] = str(out["note"] or "").strip()
    out["unconfirmed"] = bool(out["unconfirmed"])
    return out, errors


def _refuse_if(errors: dict[str, str]) -> None:
    if errors:
        raise SchemeError.collected({k: errors[k] for k in VERSION_FIELDS if k in errors})


def _snapshot(row: GrantVersion | None) -> dict | None:
    """A version as the audit trail keeps it (lists as text, documents by their names)."""
    if row is None:
        return None
    out = {"kabupaten_code": row.kabupaten_code, **{k: getattr(row, k) for k in VERSION_FIELDS}}
    kinds = document_kinds()
    out["documents"] = "; ".join(kinds.get(d, d) for d in row.documents)
    for k in ("exclusions", "unconfirmed_parts"):
        out[k] = "; ".join(out[k])
    return out


def _check_editor(user, kabupaten_code: str) -> None:
    if not may_edit_scheme(user, kabupaten_code):
        raise SchemeError("form", _("Hanya administrator kabupaten/kota ini (atau provinsinya) "
                                    "yang dapat mengubah ketentuan santunannya."),
                          code=ErrorCode.FORBIDDEN)


def _faults(fields: dict, read_errors: dict[str, str], others) -> dict[str, str]:
    """Every fault of a version at once: unreadable fields, then the one validator's
    (``params.version_errors``), then an overlap with the regency's other versions."""
    errors = {**version_errors(fields), **read_errors}
    if not errors:
        errors = overlap_errors([*others, SimpleNamespace(valid_from=fields["valid_from"],
                                                          valid_to=fields["valid_to"])])
    return errors


@transaction.atomic
def add_grant_version(*, user, kabupaten_code: str, data: dict) -> GrantVersion:
    """A new dated version of a regency's death grant (a new regulation, or the first one).

    It starts after every existing version has started; the version in force until then is
    ended the day before (audited as a change of that version). Refused when a case already
    uses the version it would cut short on a date of death from the new start on."""
    _check_editor(user, kabupaten_code)
    fields, read_errors = _version_fields(data)
    # Two administrators adding at once queue on the regency's row (also for its first
    # version, when there is no version row to lock yet).
    list(Region.objects.select_for_update().filter(code=kabupaten_code))
    existing = list(GrantVersion.objects.select_for_update()
                    .filter(kabupaten_code=kabupaten_code).order_by("valid_from"))
    start = fields["valid_from"]
    errors = {**version_errors(fields), **read_errors}
    last = existing[-1] if existing else None
    if "valid_from" not in errors and last is not None and start <= last.valid_from:
        errors["valid_from"] = _("Versi baru harus mulai sesudah %(d)s (awal versi terakhir); "
                                 "untuk memperbaiki versi yang ada, pilih Perbaiki.") % {
            "d": date_text(last.valid_from)}
    cut = last if last is not None and not errors and (
        last.valid_to is None or last.valid_to >= start) else None
    if cut is not None:
        late = (Case.objects.filter(subtree_q(kabupaten_code, "desa__code"),
                                    scheme_version=cut.valid_from.isoformat(),
                                    died_on__gte=start).order_by("died_on").first())
        if late is not None:
            errors["valid_from"] = _(
                "Berkas %(no)s (meninggal %(d)s) sudah memakai versi mulai %(v)s; versi baru "
                "harus mulai sesudah tanggal itu.") % {
                "no": late.number, "d": date_text(late.died_on), "v": date_text(cut.valid_from)}
    _refuse_if(errors)
    if cut is not None:
        before = _snapshot(cut)
        cut.valid_to = start - dt.timedelta(days=1)
        cut.updated_by = user if _real(user) else None
        cut.save(update_fields=["valid_to", "updated_by", "updated_at"])
        audit.record(user=user, action="update", obj_type="santunan_grant_version",
                     obj_id=cut.pk, changes=audit.diff(before, _snapshot(cut)))
    _refuse_if(_faults(fields, {}, existing))
    row = GrantVersion.objects.create(kabupaten_code=kabupaten_code, **fields,
                                      created_by=user if _real(user) else None,
                                      updated_by=user if _real(user) else None)
    audit.record(user=user, action="create", obj_type="santunan_grant_version", obj_id=row.pk,
                 changes=audit.diff(None, _snapshot(row)))
    return row


@transaction.atomic
def correct_grant_version(version: GrantVersion, *, user, data: dict) -> GrantVersion:
    """Correct a version no case uses yet (a mistyped amount, a wrong date); ``data`` holds
    the fields to change. A version in use is never changed: a new regulation is a new
    version."""
    _check_editor(user, version.kabupaten_code)
    row = GrantVersion.objects.select_for_update().get(pk=version.pk)
    if row.valid_from.isoformat() in versions_used(row.kabupaten_code):
        raise SchemeError("form", _("Versi ini sudah dipakai berkas santunan dan tidak dapat "
                                    "diubah; tambahkan versi baru bila peraturannya berubah."),
                          code=ErrorCode.STATE)
    before = _snapshot(row)
    fields, read_errors = _version_fields({**{k: getattr(row, k) for k in VERSION_FIELDS},
                                           **data})
    others = list(GrantVersion.objects.select_for_update()
                  .filter(kabupaten_code=row.kabupaten_code).exclude(pk=row.pk))
    _refuse_if(_faults(fields, read_errors, others))
    for k, v in fields.items():
        setattr(row, k, v)
    changes = audit.diff(before, _snapshot(row))
    if not changes:
        return row
    row.updated_by = user if _real(user) else None
    row.save()
    audit.record(user=user, action="update", obj_type="santunan_grant_version", obj_id=row.pk,
                 changes=changes)
    return row
