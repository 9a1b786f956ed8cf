"""Writes: claims and their status ladder, heirs, scholarships, the heirs' follow-up."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jamsos.accounts.selectors import has_perm
from jamsos.audit import services as audit
from jamsos.claims import entitlements as ent
from jamsos.claims.models import (
    DEATH_EVENTS,
    EVENTS,
    LADDER,
    SCHOLARSHIP_EVENTS,
    Beneficiary,
    Claim,
    ClaimStatus,
    ClaimStep,
    EndReason,
    FollowUp,
    FollowUpStatus,
    Relation,
    ScholarshipChild,
    ScholarshipPayment,
    SchoolLevel,
)
from jamsos.core.dates import date_text
from jamsos.core.errors import DomainError, ErrorCode
from jamsos.core.numbers import rupiah
from jamsos.registry.models import Enrolment, Person
from jamsos.registry.services import RegistryError, record_death
from jamsos.rules import Child, bounds

#: ``record_death`` source for a death reported through a work-accident claim (→ JKK).
WORK_ACCIDENT_SOURCE = "klaim:jkk"


def can_write_claims(user) -> bool:
    return has_perm(user, "edit_claims")


class ClaimError(DomainError):
    """A change refused, with the field and the reason (Bahasa Indonesia)."""


def live_enrolment(person, on: dt.date):
    """The person's enrolment live on ``on`` (the insured one first), or None."""
    from django.db.models import Q


    return (Enrolment.objects.filter(person=person, start_date__lte=on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
            .order_by("-is_primary", "start_date", "id").first())


def _wage(enrolment, segment: str, on: dt.date, wage: int | None) -> tuple[int, str]:
    if wage:
        return int(wage), ""
    if enrolment is not None and enrolment.wage:
        return int(enrolment.wage), ""
    fig = ent.default_wage(segment or "pu", on)
    note = (f"upah tidak tercatat: dipakai {rupiah(fig.value)} ({fig.citation})"
            .replace(",", "."))
    return fig.value, note


def _children_facts(children) -> list[Child]:
    return [Child(birth_date=c.birth_date, level=c.level, years_done=c.years_done,
                  married=c.end_reason == EndReason.MARRIED,
                  working=c.end_reason == EndReason.WORKING) for c in children]


def _engine_args(claim: Claim) -> dict:
    enrolment = claim.enrolment
    _, note = _wage(enrolment, claim.segment, claim.event_date,
                    claim.wage if claim.facts.get("_wage_given") else None)
    return dict(program=claim.program, event=claim.event, event_date=claim.event_date,
                wage=claim.wage, segment=claim.segment or "pu",
                membership_start=enrolment.start_date if enrolment else None,
                birth_date=claim.person.birth_date,
                facts={k: v for k, v in claim.facts.items() if not k.startswith("_")},
                wage_note=note)


def _apply(claim: Claim, computed: ent.Computed) -> None:
    claim.eligible = computed.eligible
    claim.items = computed.items
    claim.reasons = computed.reasons
    claim.notes = computed.notes
    claim.entitlement = computed.entitlement
    claim.scholarship_entitlement = computed.scholarship
    claim.entitlement_estimated = computed.estimated
    claim.computed_at = timezone.now()


def recompute(claim: Claim) -> None:
    """Run the engine again with the claim's facts and children (not saved)."""
    children = list(claim.children.all()) if claim.pk else []
    computed = ent.compute(**_engine_args(claim), children=tuple(_children_facts(children)))
    _apply(claim, computed)
    if children:
        args = _engine_args(claim)
        args.pop("wage_note")
        shares = ent.child_shares(**args, children=_children_facts(children))
        for child, (amount, item) in zip(children, shares, strict=True):
            child.entitlement = amount
            child.basis = (item or {}).get("basis", "")[:500]
            child.citation = (item or {}).get("citation", "")[:300]
            child.unconfirmed = bool((item or {}).get("unconfirmed"))
            child.save(update_fields=["entitlement", "basis", "citation", "unconfirmed"])


def _step(claim: Claim, status: str, on: dt.date, user, note: str = "") -> None:
    actor = audit.actor_fields(user)
    ClaimStep.objects.create(claim=claim, status=status, on=on, by=actor["actor"],
                             by_name=actor["actor_name"], note=note[:300])


def _snapshot(claim: Claim) -> dict:
    return {"person": claim.person_id, "program": claim.program, "event": claim.event,
            "event_date": claim.event_date.isoformat(), "status": claim.status,
            "entitlement": claim.entitlement, "paid_amount": claim.paid_amount,
            "paid_on": claim.paid_on.isoformat() if claim.paid_on else None}


@transaction.atomic
def create_claim(*, person, program: str, event: str, event_date: dt.date, user,
                 facts: dict | None = None, wage: int | None = None,
                 beneficiaries: list[dict] | tuple = (), reported_on: dt.date | None = None,
                 today: dt.date | None = None) -> Claim:
    """Report a claim. A death claim records the death in the registry (once)."""
    today = today or timezone.localdate()
    reported_on = reported_on or today
    if program not in EVENTS or event not in dict(EVENTS[program]):
        raise ClaimError("event", "Program atau jenis kejadian tidak dikenal.")
    if event_date > today:
        raise ClaimError("event_date", "Tanggal kejadian tidak boleh di masa depan.")
    if reported_on < event_date:
        raise ClaimError("reported_on", "Tanggal lapor sebelum tanggal kejadian.")
    if reported_on > today:  # a far-future date would freeze the claim's status ladder
        raise ClaimError("reported_on", "Tanggal lapor tidak boleh di masa depan.")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if event_date < person.birth_date:
        raise ClaimError("event_date", "Tanggal kejadian sebelum tanggal lahir peserta.")
    if person.died_on is not None and event_date > person.died_on:
        raise ClaimError("event_date", "Peserta sudah meninggal sebelum tanggal kejadian.")
    enrolment = live_enrolment(person, event_date)
    if enrolment is None:
        raise ClaimError("event_date", "Tidak ada kepesertaan yang berlaku pada tanggal "
                                       "kejadian; periksa registri.")
    if (program, event) in DEATH_EVENTS:
        if person.died_on is not None and person.died_on != event_date:
            raise ClaimError("event_date", "Kematian sudah tercatat pada "
                                           f"{date_text(person.died_on)}.")
        if person.died_on is None:
            source = WORK_ACCIDENT_SOURCE if program == "jkk" else "klaim:jkm"
            try:
                record_death(person, died_on=event_date, source=source, user=user)
            except RegistryError as exc:
                raise ClaimError("event_date", exc.message) from exc
            person.refresh_from_db()
    facts = dict(facts or {})
    ent.facts_from(facts)  # refuse unknown facts early
    segment = enrolment.segment.lower()
    base_wage, _note = _wage(enrolment, segment, event_date, wage)
    if wage:
        facts["_wage_given"] = True
    claim = Claim(person=person, program=program, event=event, event_date=event_date,
                  enrolment=enrolment, category=enrolment.category, segment=segment,
                  wage=base_wage, facts=facts, status=ClaimStatus.REPORTED,
                  status_on=reported_on, created_by=audit.actor_fields(user)["actor"])
    recompute(claim)
    claim.save()
    for b in beneficiaries:
        Beneficiary.objects.create(claim=claim, **b)
    _step(claim, ClaimStatus.REPORTED, reported_on, user)
    audit.record(user=user, action="create", obj_type="claim", obj_id=claim.pk,
                 changes=audit.diff(None, _snapshot(claim)))
    if (program, event) in DEATH_EVENTS:
        file_follow_up(claim, user=user)
    return claim


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update(of=("self",)).select_related("person", "enrolment").get(
        pk=claim.pk)


@transaction.atomic
def set_documents(claim: Claim, *, received: list[str] | set[str], user) -> Claim:
    """Tick the documents received (the rest are unticked)."""
    claim = _locked(claim)
    if claim.status not in (ClaimStatus.REPORTED, ClaimStatus.DOCUMENTS_COMPLETE):
        raise ClaimError("documents", "Berkas tidak dapat diubah setelah diajukan ke BPJS.")
    known = [d.code for d in ent.checklist(claim.program, claim.event).documents]
    unknown = set(received) - set(known)
    if unknown:
        raise ClaimError("documents", f"Dokumen tidak dikenal: {', '.join(sorted(unknown))}.")
    after = {code: code in set(received) for code in known}
    if claim.status == ClaimStatus.DOCUMENTS_COMPLETE and not all(after.values()):
        raise ClaimError("documents", "Klaim sudah berstatus berkas lengkap.")
    changes = audit.diff(claim.documents, after)
    if changes:
        claim.documents = after
        claim.save(update_fields=["documents", "updated_at"])
        audit.record(user=user, action="update", obj_type="claim", obj_id=claim.pk,
                     changes={f"documents.{k}": v for k, v in changes.items()})
    return claim


def missing_documents(claim: Claim) -> list[str]:
    return [d.label for d in ent.checklist(claim.program, claim.event).documents
            if not claim.documents.get(d.code)]


@transaction.atomic
def move_claim(claim: Claim, *, to: str, user, on: dt.date | None = None,
               paid_amount: int | None = None, reason: str = "", note: str = "",
               today: dt.date | None = None) -> Claim:
    """Move a claim one rung up the ladder (reported → documents complete → submitted →
    paid | rejected). Concurrent moves queue on the row lock; the second sees the new status
    and is refused."""
    today = today or timezone.localdate()
    on = on or today
    claim = _locked(claim)
    if to not in LADDER.get(claim.status, ()):
        raise ClaimError("status", "Status tidak dapat berpindah dari '{}' ke '{}'.".format(
            ClaimStatus(claim.status).label, ClaimStatus(to).label if to in ClaimStatus.values
            else to), code=ErrorCode.STALE)
    errors: dict[str, str] = {}  # every field at fault at once (issue 13 item 5)
    if on > today:
        errors["on"] = "Tanggal tidak boleh di masa depan."
    elif on < claim.status_on:
        errors["on"] = f"Tanggal sebelum status sebelumnya ({date_text(claim.status_on)})."
    before = _snapshot(claim)
    if to == ClaimStatus.DOCUMENTS_COMPLETE:
        missing = missing_documents(claim)
        if missing:
            errors["documents"] = "Dokumen belum lengkap: " + "; ".join(missing) + "."
    if to == ClaimStatus.PAID and (paid_amount is None or int(paid_amount) < 0):
        errors["paid_amount"] = "Isi jumlah yang dibayar BPJS (rupiah, ≥ 0)."
    if to == ClaimStatus.REJECTED and not reason.strip():
        errors["reason"] = "Alasan penolakan wajib diisi."
    if errors:
        raise ClaimError.collected(errors)
    if to == ClaimStatus.PAID:
        claim.paid_amount, claim.paid_on = int(paid_amount), on
    if to == ClaimStatus.REJECTED:
        claim.rejection_reason = reason.strip()[:300]
    claim.status, claim.status_on = to, on
    claim.save()
    _step(claim, to, on, user, note or reason)
    if to == ClaimStatus.PAID:
        claim.children.filter(entitlement__gt=0, awarded_on__isnull=True).update(awarded_on=on)
    audit.record(user=user, action="update", obj_type="claim", obj_id=claim.pk,
                 changes=audit.diff(before, _snapshot(claim)))
    return claim


@transaction.atomic
def note_difference(claim: Claim, *, note: str, user) -> Claim:
    """Record the follow-up of a difference between entitlement and payment."""
    claim = _locked(claim)
    if not note.strip():
        raise ClaimError("difference_note", "Tulis tindak lanjut selisih.")
    before = claim.difference_note
    claim.difference_note = note.strip()[:300]
    claim.save(update_fields=["difference_note", "updated_at"])
    audit.record(user=user, action="update", obj_type="claim", obj_id=claim.pk,
                 changes={"difference_note": [before or None, claim.difference_note]})
    return claim


def _nik_error(nik: str) -> str | None:
    return "NIK harus 16 angka." if nik and not (nik.isdigit() and len(nik) == 16) else None


def beneficiary_errors(*, name: str, relation: str, nik: str) -> dict[str, str]:
    """Every field of a new heir at fault (the web form shows them all at once)."""
    errors = {"name": "Nama ahli waris wajib diisi." if not (name or "").strip() else None,
              "relation": "Hubungan tidak dikenal." if relation not in Relation.values
              else None,
              "nik": _nik_error((nik or "").strip())}
    return {k: v for k, v in errors.items() if v}


def child_errors(*, name: str, birth_date: dt.date | None, level: str, years_done: int,
                 nik: str = "", event_date: dt.date | None = None) -> dict[str, str]:
    """Every field of a new scholarship child at fault."""
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "Nama anak wajib diisi."
    if birth_date is None:
        errors["birth_date"] = "Isi tanggal lahir anak."
    elif event_date is not None and birth_date > event_date:
        errors["birth_date"] = "Anak lahir setelah tanggal kejadian."
    if level not in SchoolLevel.values:
        errors["level"] = "Jenjang sekolah tidak dikenal."
    if not 0 <= (years_done or 0) <= bounds.MAX_YEARS_DONE:
        errors["years_done"] = (f"Tahun jenjang yang sudah dijalani: 0 sampai "
                                f"{bounds.MAX_YEARS_DONE}.")
    if message := _nik_error((nik or "").strip()):
        errors["nik"] = message
    return errors


def end_errors(*, reason: str, on: dt.date | None, born: dt.date | None = None
               ) -> dict[str, str]:
    """Every field of a scholarship's end at fault."""
    errors: dict[str, str] = {}
    if reason not in EndReason.values:
        errors["reason"] = "Alasan berakhir tidak dikenal."
    if on is None:
        errors["on"] = "Isi tanggal berakhir."
    elif born is not None and on < born:
        errors["on"] = "Tanggal berakhir sebelum anak lahir."
    return errors


@transaction.atomic
def add_beneficiary(claim: Claim, *, name: str, relation: str, user, nik: str = "",
                    birth_date: dt.date | None = None) -> Beneficiary:
    claim = _locked(claim)
    errors = beneficiary_errors(name=name, relation=relation, nik=nik)
    if errors:
        raise ClaimError.collected(errors)
    b = Beneficiary.objects.create(claim=claim, name=name.strip()[:150], relation=relation,
                                   nik=nik, birth_date=birth_date)
    audit.record(user=user, action="create", obj_type="beneficiary", obj_id=b.pk,
                 changes={"claim": [None, claim.pk], "name": [None, b.name],
                          "relation": [None, relation], "nik": [None, nik or None]})
    return b


# --- scholarships --------------------------------------------------------------------------


@transaction.atomic
def add_child(claim: Claim, *, name: str, birth_date: dt.date | None, level: str, user,
              years_done: int = 0, nik: str = "") -> ScholarshipChild:
    """Add a child to a death / total-disability claim; the engine recomputes every child's
    share (at most two children, masa iur, age on the event date)."""
    claim = _locked(claim)
    if (claim.program, claim.event) not in SCHOLARSHIP_EVENTS:
        raise ClaimError("claim", "Beasiswa hanya untuk klaim kematian atau cacat total tetap.")
    nik = (nik or "").strip()
    errors = child_errors(name=name, birth_date=birth_date, level=level,
                          years_done=years_done, nik=nik, event_date=claim.event_date)
    if errors:
        raise ClaimError.collected(errors)
    child = ScholarshipChild.objects.create(
        claim=claim, name=name.strip()[:150], birth_date=birth_date, level=level,
        years_done=years_done, nik=nik,
        awarded_on=claim.paid_on if claim.status == ClaimStatus.PAID else None)
    before = claim.scholarship_entitlement
    recompute(claim)
    claim.save()
    child.refresh_from_db()
    if child.entitlement == 0:
        child.awarded_on = None
        child.save(update_fields=["awarded_on"])
    audit.record(user=user, action="create", obj_type="scholarship_child", obj_id=child.pk,
                 changes={"claim": [None, claim.pk], "name": [None, child.name],
                          "birth_date": [None, birth_date.isoformat()], "level": [None, level],
                          "entitlement": [None, child.entitlement],
                          "claim.scholarship_entitlement": [before,
                                                            claim.scholarship_entitlement]})
    return child


def end_reason_on(child: ScholarshipChild, day: dt.date) -> str | None:
    """Why the scholarship has ended by ``day`` (None: it runs)."""
    if child.ended_on is not None and child.ended_on <= day:
        return child.end_reason
    if ent.age_on(child.birth_date, day) >= ent.max_age(child.claim.event_date):
        return EndReason.AGE
    return None


def yearly_entitlement(child: ScholarshipChild, school_year: int) -> tuple[str | None, int, str]:
    """(level, amount, citation) of ``child`` for ``school_year`` (0 when none is due)."""
    table, pv = ent.level_table(child.claim.event_date)
    first = ent.school_year_of(child.claim.event_date)
    level = ent.level_in_year(child.level, child.years_done, first, school_year, table)
    if level is None or child.entitlement <= 0:
        return level, 0, pv.citation
    return level, int(table[level]["per_year"]), pv.citation


@transaction.atomic
def record_scholarship_payment(child: ScholarshipChild, *, school_year: int,
                               amount: int | None, paid_on: dt.date, user,
                               level: str | None = None) -> ScholarshipPayment:
    child = (ScholarshipChild.objects.select_for_update(of=("self",)).select_related("claim")
             .get(pk=child.pk))
    if child.entitlement <= 0:
        raise ClaimError("child", "Anak ini tidak berhak beasiswa menurut perhitungan.")
    errors: dict[str, str] = {}
    first = ent.school_year_of(child.claim.event_date)
    if not first <= school_year <= first + 30:
        errors["school_year"] = (f"Tahun ajaran harus antara {first} dan {first + 30} "
                                 "(sejak tahun kejadian).")
    elif reason := end_reason_on(child, dt.date(school_year, 7, 1)):
        errors["school_year"] = f"Beasiswa sudah berakhir: {EndReason(reason).label}."
    elif ScholarshipPayment.objects.filter(child=child, school_year=school_year).exists():
        errors["school_year"] = "Beasiswa tahun ajaran ini sudah dibayar."
    projected = entitled = citation = None
    if "school_year" not in errors:
        projected, entitled, citation = yearly_entitlement(child, school_year)
        level = level or projected
        if level is None:
            errors["level"] = "Jenjang pada tahun ajaran ini tidak diketahui; isi jenjang."
    if amount is None:
        errors["amount"] = "Isi jumlah dibayar."
    elif amount < 0:
        errors["amount"] = "Jumlah tidak boleh negatif."
    if errors:
        raise ClaimError.collected(errors)
    if level != projected:
        table, _pv = ent.level_table(child.claim.event_date)
        entitled = int(table[level]["per_year"]) if level in table else 0
    payment = ScholarshipPayment.objects.create(
        child=child, school_year=school_year, level=level, entitled=entitled, amount=amount,
        paid_on=paid_on, citation=citation[:300])
    audit.record(user=user, action="create", obj_type="scholarship_payment", obj_id=payment.pk,
                 changes={"child": [None, child.pk], "school_year": [None, school_year],
                          "level": [None, level], "amount": [None, amount],
                          "entitled": [None, entitled], "paid_on": [None, paid_on.isoformat()]})
    return payment


@transaction.atomic
def end_scholarship(child: ScholarshipChild, *, reason: str, on: dt.date | None, user
                    ) -> ScholarshipChild:
    child = ScholarshipChild.objects.select_for_update().get(pk=child.pk)
    if child.ended_on is not None:
        raise ClaimError("reason", "Beasiswa anak ini sudah berakhir.")
    errors = end_errors(reason=reason, on=on, born=child.birth_date)
    if errors:
        raise ClaimError.collected(errors)
    child.ended_on, child.end_reason = on, reason
    child.save(update_fields=["ended_on", "end_reason"])
    audit.record(user=user, action="update", obj_type="scholarship_child", obj_id=child.pk,
                 changes={"ended_on": [None, on.isoformat()], "end_reason": [None, reason]})
    return child


# --- heirs' follow-up ----------------------------------------------------------------------


def _follow_up_entitlement(person, died_on: dt.date, enrolment, program: str, event: str
                           ) -> ent.Computed:
    segment = enrolment.segment.lower()
    wage, note = _wage(enrolment, segment, died_on, None)
    return ent.compute(program=program, event=event, event_date=died_on, wage=wage,
                       segment=segment, membership_start=enrolment.start_date,
                       birth_date=person.birth_date, wage_note=note)


def open_follow_up(*, person, died_on: dt.date, source: str, user=None) -> FollowUp | None:
    """Open the heirs' follow-up of an insured person's death, once (the receiver of
    :data:`jamsos.registry.signals.person_died`). Returns None when the person had no
    enrolment live on the date of death."""
    enrolment = live_enrolment(person, died_on)
    if enrolment is None:
        return None
    existing = FollowUp.objects.filter(person=person).first()
    if existing is not None:
        return existing
    work_accident = source == WORK_ACCIDENT_SOURCE
    program, event = ("jkk", "work_accident_death") if work_accident else ("jkm", "death")
    computed = _follow_up_entitlement(person, died_on, enrolment, program, event)
    with transaction.atomic():
        fu, created = FollowUp.objects.get_or_create(person=person, defaults=dict(
            died_on=died_on, source=source[:100], program=program, event=event,
            items=computed.items, notes=computed.notes + computed.reasons,
            entitlement=computed.entitlement or 0))
    if created:
        audit.record(user=user, action="create", obj_type="heirs_follow_up", obj_id=fu.pk,
                     changes={"person": [None, person.pk], "died_on": [None, died_on.isoformat()],
                              "source": [None, source], "entitlement": [None, fu.entitlement]})
    return fu


def file_follow_up(claim: Claim, *, user) -> FollowUp | None:
    """A death claim was filed: the follow-up closes (and takes the claim's programme)."""
    fu = FollowUp.objects.select_for_update().filter(person_id=claim.person_id).first()
    if fu is None:
        fu = open_follow_up(person=claim.person, died_on=claim.event_date,
                            source=WORK_ACCIDENT_SOURCE if claim.program == "jkk" else
                            f"klaim:{claim.program}", user=user)
        if fu is None:
            return None
    if fu.status == FollowUpStatus.FILED and fu.claim_id:
        return fu
    before = fu.status
    fu.status, fu.claim = FollowUpStatus.FILED, claim
    fu.program, fu.event = claim.program, claim.event
    fu.items = claim.items
    fu.entitlement = (claim.entitlement or 0) + claim.scholarship_entitlement
    fu.closed_on = claim.status_on
    fu.closed_by = audit.actor_fields(user)["actor"]
    fu.save()
    audit.record(user=user, action="update", obj_type="heirs_follow_up", obj_id=fu.pk,
                 changes={"status": [before, fu.status], "claim": [None, claim.pk]})
    return fu


@transaction.atomic
def decline_follow_up(fu: FollowUp, *, reason: str, user, on: dt.date | None = None
                      ) -> FollowUp:
    fu = FollowUp.objects.select_for_update().get(pk=fu.pk)
    if fu.status != FollowUpStatus.OPEN:
        raise ClaimError("status", "Tindak lanjut ini sudah ditutup.", code=ErrorCode.STALE)
    if not reason.strip():
        raise ClaimError("reason", "Alasan wajib diisi.")
    fu.status, fu.decline_reason = FollowUpStatus.DECLINED, reason.strip()[:300]
    fu.closed_on = on or timezone.localdate()
    fu.closed_by = audit.actor_fields(user)["actor"]
    fu.save()
    audit.record(user=user, action="update", obj_type="heirs_follow_up", obj_id=fu.pk,
                 changes={"status": [FollowUpStatus.OPEN, fu.status],
                          "reason": [None, fu.decline_reason]})
    return fu
