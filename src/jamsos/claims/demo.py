"""Demo claims for the synthetic OKI data set (called by ``jamsos demo``).

The paid claims go in the way real ones do: as a BPJS claim report (CSV) through
:func:`jamsos.claims.importing.import_claims`, which matches people by NIK, records deaths
through the registry and computes every entitlement with the regulation engine. The
figures then come out of the records through the same report code as the web page and
``jamsos claims report``:

* **January–August 2025: 660 claims paid, Rp 8.330.000.000 exactly** (shown as
  "Rp 8,33 miliar"): 96 JKM deaths, 3 JKK deaths, 290 JKK treatment claims and 271 JHT
  claims. JKM/JKK-death amounts are the engine's; treatment costs are drawn (a few paid below
  the claimed cost, flagged as differences); the JHT balances are drawn and then scaled so
  that the total is exactly :data:`TARGET_AMOUNT`.
* **6 children with scholarships worth Rp 522.000.000**: the three JKK deaths leave two
  children each, not yet at school or in their first TK year, so each child's entitlement is
  the engine's full Rp 87 jt (6 × 87 = 522).

Only people whose enrolment had started on the event date are picked (demo enrolments start
in 2024–2025): deaths mostly among people covered since 2024. Everything is drawn from
``random.Random(SEED)`` over the people in id order, so the same demo import gives the same
claims. After August a few claims are in progress, one is rejected and three deaths recorded
in the registry have no claim yet (open heirs' follow-ups).
"""

from __future__ import annotations

import datetime as dt
import random

from jamsos.claims import entitlements as ent
from jamsos.core.numbers import rupiah
from jamsos.registry.models import Enrolment, Person
from jamsos.registry.services import record_death

SEED = 2025
TARGET_CLAIMS = 660
TARGET_AMOUNT = 8_330_000_000
PLAN = {"jkm": 96, "jkk_death": 3, "jkk": 290}  # JHT takes the rest (271)
CHILDREN = (  # (birth date, level) for the two children of each JKK death
    ((dt.date(2020, 5, 14), "tk"), (dt.date(2022, 2, 3), "belum_sekolah")),
    ((dt.date(2020, 9, 1), "tk"), (dt.date(2021, 11, 20), "belum_sekolah")),
    ((dt.date(2019, 12, 5), "tk"), (dt.date(2020, 10, 30), "tk")),
)
CHILD_NAMES = ("Rizky", "Putri", "Dimas", "Nabila", "Fajar", "Aisyah")
HEADER = ("No Klaim;NIK;Program;Jenis Kasus;Tanggal Kejadian;Tanggal Lapor;Status;"
          "Tanggal Bayar;Jumlah Dibayar;Biaya Perawatan;Saldo JHT;Keterangan")


def _d(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def _paid_day(rng: random.Random) -> dt.date:
    return dt.date(2025, rng.randint(1, 8), rng.randint(1, 28))


def _candidates(area_code: str | None = None):
    rows = Enrolment.objects.filter(is_primary=True, end_date__isnull=True)
    if area_code is not None:
        rows = rows.filter(person__desa__code__startswith=area_code + ".")
    return list(rows.order_by("person_id").values("person_id", "person__nik", "person__birth_date",
                                              "segment", "wage", "start_date", "category"))


def _may_die(e: dict) -> bool:
    """Demo deaths fall on pekerja rentan (whose insured role is that one, so they hold no
    other role): the categories with exact launch figures keep them (4,798, 5,302, 29,161 and
    5,232), while pekerja rentan is the partly covered group anyway."""
    return e["category"] == "pekerja_rentan"


def _engine_total(e: dict, program: str, event: str, day: dt.date) -> int:
    segment = e["segment"].lower()
    wage = e["wage"] or ent.default_wage(segment, day).value
    r = ent.compute(program=program, event=event, event_date=day, wage=wage, segment=segment,
                    membership_start=e["start_date"], birth_date=e["person__birth_date"])
    return r.entitlement or 0


def demo_rows(candidates: list[dict]) -> tuple[list[str], list[dict]]:
    """The BPJS report rows (CSV lines) and the JKK deaths (for their children)."""
    rng = random.Random(SEED)
    pool = candidates[:]
    rng.shuffle(pool)
    used: set[int] = set()
    rows: list[tuple] = []  # (ref, e, program, case, event, reported, paid_on, amount, cost, bal)
    deaths: list[dict] = []

    def take(pred) -> dict:
        for e in pool:
            if e["person_id"] not in used and pred(e):
                used.add(e["person_id"])
                return e
        raise RuntimeError("tidak ada peserta demo yang cocok untuk klaim")

    n = 0
    for i in range(PLAN["jkm"]):
        paid = _paid_day(rng)
        event = paid - dt.timedelta(days=rng.randint(7, 30))
        # Most had been covered for over 3 months; every tenth died within the first three
        # months (Permenaker 1/2025: funeral cost only).
        cut = event if i % 10 == 0 else event - dt.timedelta(days=92)
        e = take(lambda e, d=cut: e["start_date"] <= d and _may_die(e))
        amount = _engine_total(e, "jkm", "death", event)
        n += 1
        rows.append((f"JKM-2025-{n:04d}", e, "JKM", "Meninggal dunia", event,
                     event + dt.timedelta(days=3), paid, amount, None, None))
    for _i in range(PLAN["jkk_death"]):
        paid = _paid_day(rng)
        event = paid - dt.timedelta(days=rng.randint(20, 45))
        e = take(lambda e, d=event: e["start_date"] <= d and _may_die(e))
        amount = _engine_total(e, "jkk", "work_accident_death", event)
        n += 1
        ref = f"JKK-2025-{n:04d}"
        rows.append((ref, e, "JKK", "Meninggal", event, event + dt.timedelta(days=2), paid,
                     amount, None, None))
        deaths.append({"ref": ref, "person_id": e["person_id"]})
    for i in range(PLAN["jkk"]):
        paid = _paid_day(rng)
        event = paid - dt.timedelta(days=rng.randint(14, 60))
        e = take(lambda e, d=event: e["start_date"] <= d)
        cost = rng.choice((rng.randint(5, 60), rng.randint(5, 60), rng.randint(60, 400))) * 50_000
        amount = cost if i % 50 else cost - 250_000  # 6 claims paid below the claimed cost
        n += 1
        rows.append((f"JKK-2025-{n:04d}", e, "JKK", "Kecelakaan kerja", event,
                     event + dt.timedelta(days=2), paid, amount, cost, None))
    n_jht = TARGET_CLAIMS - len(rows)
    rest = TARGET_AMOUNT - sum(r[7] for r in rows)
    if not 1_000_000 * n_jht <= rest <= 40_000_000 * n_jht:
        raise RuntimeError(f"demo klaim: sisa JHT Rp {rest:,} tidak wajar untuk {n_jht} klaim")
    weights = [rng.lognormvariate(0, 0.6) for _ in range(n_jht)]
    balances = [int(rest * w / sum(weights) // 1000 * 1000) for w in weights]
    balances[-1] += rest - sum(balances)
    for bal in balances:
        paid = _paid_day(rng)
        event = paid - dt.timedelta(days=rng.randint(35, 90))
        e = take(lambda e, d=event: e["start_date"] <= d)
        case = "Mengundurkan diri" if e["segment"].lower() == "pu" else "Berhenti bekerja"
        n += 1
        rows.append((f"JHT-2025-{n:04d}", e, "JHT", case, event, paid - dt.timedelta(days=5),
                     paid, bal, None, bal))
    lines = [";".join([ref, e["person__nik"], prog, case, _d(ev), _d(rep), "Dibayar", _d(paid),
                       str(amount), "" if cost is None else str(cost),
                       "" if bal is None else str(bal), ""])
             for ref, e, prog, case, ev, rep, paid, amount, cost, bal in rows]
    return lines, deaths


def build_demo(*, today: dt.date, stdout) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from jamsos.claims import services
    from jamsos.claims.importing import import_claims
    from jamsos.claims.models import Claim, ClaimStatus
    from jamsos.claims.selectors import claim_report
    bpjs = get_user_model().objects.filter(username="bpjs").first()
    operator = get_user_model().objects.filter(username="operator").first()
    candidates = _candidates()
    lines, deaths = demo_rows(candidates)
    stdout.write(f"Mengimpor {len(lines)} klaim demo (laporan BPJS Jan–Agu 2025)…")
    report = import_claims("\n".join([HEADER, *lines]).encode(), "demo-klaim-bpjs-2025.csv",
                           user=bpjs, area_code="16.02", today=max(today, dt.date(2025, 9, 1)))
    if report.rejected:
        raise RuntimeError(f"klaim demo ditolak: {report.errors[:5]}")
    with transaction.atomic():
        k = 0
        for death, kids in zip(deaths, CHILDREN, strict=True):
            claim = Claim.objects.get(bpjs_reference=death["ref"])
            services.add_beneficiary(claim, name="Ahli waris " + claim.person.name.split()[0],
                                     relation="janda" if claim.person.sex == "L" else "duda",
                                     user=operator)
            for birth, level in kids:
                child = services.add_child(claim, name=f"{CHILD_NAMES[k]} "
                                           f"{claim.person.name.split()[-1]}", birth_date=birth,
                                           level=level, user=operator)
                k += 1
                if level == "tk":  # first year paid for the 2025/2026 school year
                    _lv, amount, _c = services.yearly_entitlement(child, 2025)
                    services.record_scholarship_payment(child, school_year=2025, amount=amount,
                                                        paid_on=dt.date(2025, 8, 25),
                                                        user=operator)
        # After August: claims on the ladder, one rejected, deaths not yet claimed.
        rng = random.Random(SEED + 1)
        claimed = set(Claim.objects.values_list("person_id", flat=True))
        free = [e for e in candidates if e["person_id"] not in claimed][:200]
        rng.shuffle(free)
        people = {p.pk: p for p in Person.objects.filter(pk__in=[e["person_id"]
                                                                 for e in free[:12]])}
        ladder = [ClaimStatus.REPORTED, ClaimStatus.DOCUMENTS_COMPLETE, ClaimStatus.SUBMITTED]
        for i, e in enumerate(free[:8]):
            event = dt.date(2025, 9, 3 + 3 * i)
            program, ev, facts = (("jkk", "work_accident", {"treatment_cost": 2_500_000})
                                  if i % 2 else ("jht", "stop_working" if e["segment"] == "BPU"
                                                 else "resignation", {"balance": 3_000_000}))
            claim = services.create_claim(person=people[e["person_id"]], program=program,
                                          event=ev, event_date=event, user=operator,
                                          facts=facts, reported_on=event + dt.timedelta(days=2),
                                          today=max(today, dt.date(2025, 11, 1)))
            target = ladder[i % 3] if i < 7 else ClaimStatus.REJECTED
            on = event + dt.timedelta(days=5)
            if target != ClaimStatus.REPORTED:
                docs = [d.code for d in ent.checklist(claim.program, claim.event).documents]
                services.set_documents(claim, received=docs, user=operator)
                services.move_claim(claim, to=ClaimStatus.DOCUMENTS_COMPLETE, on=on,
                                    user=operator, today=max(today, on))
            if target in (ClaimStatus.SUBMITTED, ClaimStatus.REJECTED):
                services.move_claim(claim, to=ClaimStatus.SUBMITTED, on=on, user=operator,
                                    today=max(today, on))
            if target == ClaimStatus.REJECTED:
                services.move_claim(claim, to=ClaimStatus.REJECTED, on=on + dt.timedelta(days=9),
                                    user=bpjs, reason="Kecelakaan tidak terjadi saat bekerja",
                                    today=max(today, on + dt.timedelta(days=9)))
        mortal = [e for e in free[8:] if _may_die(e)]
        people.update({p.pk: p for p in Person.objects.filter(
            pk__in=[e["person_id"] for e in mortal[:3]])})
        for i, e in enumerate(mortal[:3]):
            record_death(people[e["person_id"]], died_on=dt.date(2025, 10, 6 + 7 * i),
                         source="registri:demo", user=operator)
    rep = claim_report("16.02", dt.date(2025, 1, 1), dt.date(2025, 8, 31))
    from jamsos.claims.exports import miliar

    stdout.write(f"Klaim Jan–Agu 2025: {rep.claims} klaim, {miliar(rep.amount)} "
                 f"({rupiah(rep.amount)}); beasiswa {rep.scholarship_children} anak, "
                 f"{rupiah(rep.scholarship_amount)}.")


# --- a synthetic regency of the province demo (issue 16) ---------------------------------

#: Claims paid in a year per enrolment in a synthetic regency (OKI: 660 in eight months for
#: about 76,000 enrolments, of which 271 JHT; the synthetic ones are JKK/JKM mostly).
REGENCY_RATE = 0.012


def regency_rows(candidates: list[dict], kabupaten_code: str, today: dt.date
                 ) -> tuple[list[str], list[str]]:
    """A synthetic regency's BPJS report rows (paid from 1 January of ``today``'s year to
    ``today``): about :data:`REGENCY_RATE` claims per enrolment, JKK treatment and JKM deaths
    mostly, a JKK death in some regencies (its children get scholarships) and a JHT claim
    where there are wage earners. Returns (CSV lines, references of the JKK deaths)."""
    rng = random.Random(f"jamsos-demo-claims:{kabupaten_code}")
    pool = candidates[:]
    rng.shuffle(pool)
    used: set[int] = set()
    start = dt.date(today.year, 1, 1)

    def paid_day() -> dt.date:
        return start + dt.timedelta(days=rng.randint(0, (today - start).days))

    def take(pred) -> dict | None:
        for e in pool:
            if e["person_id"] not in used and pred(e):
                used.add(e["person_id"])
                return e
        return None

    n = max(2, round(len(candidates) * REGENCY_RATE))
    kinds = ["jkk_death"] * (rng.random() < 0.5) + ["jht"] * (rng.random() < 0.6)
    kinds += ["jkm" if rng.random() < 0.35 else "jkk" for _ in range(n - len(kinds))]
    lines, deaths = [], []
    prefix = kabupaten_code.replace(".", "")
    for i, kind in enumerate(kinds, 1):
        paid = paid_day()
        event = paid - dt.timedelta(days=rng.randint(10, 45))
        cost = bal = None
        if kind == "jht":
            e = take(lambda e, d=event: e["start_date"] <= d and e["segment"].upper() == "PU")
            if e is None:
                continue
            bal = rng.randint(2_000, 30_000) * 1_000
            program, case, amount = "JHT", "Mengundurkan diri", bal
        elif kind == "jkk":
            e = take(lambda e, d=event: e["start_date"] <= d)
            if e is None:
                continue
            cost = rng.choice((rng.randint(5, 60), rng.randint(60, 300))) * 50_000
            program, case, amount = "JKK", "Kecelakaan kerja", cost
        else:
            e = take(lambda e, d=event: e["start_date"] <= d and _may_die(e))
            if e is None:
                continue
            event_code = "death" if kind == "jkm" else "work_accident_death"
            program = "JKM" if kind == "jkm" else "JKK"
            case = "Meninggal dunia" if kind == "jkm" else "Meninggal"
            amount = _engine_total(e, program.lower(), event_code, event)
        ref = f"{program}-{prefix}-{today.year}-{i:04d}"
        if kind == "jkk_death":
            deaths.append(ref)
        lines.append(";".join([ref, e["person__nik"], program, case, _d(event),
                               _d(event + dt.timedelta(days=2)), "Dibayar", _d(paid),
                               str(amount), "" if cost is None else str(cost),
                               "" if bal is None else str(bal), ""]))
    return lines, deaths


def build_regency_demo(*, kabupaten_code: str, today: dt.date, stdout) -> None:
    """A synthetic regency of the province demo: its claims of the year through the same
    BPJS report import as OKI's (by the province's BPJS login), a scholarship child or two
    where a JKK death leaves children. Deterministic (seeded by the code)."""
    from django.db import transaction

    from jamsos.accounts.models import Profile, Role
    from jamsos.claims import services
    from jamsos.claims.importing import import_claims
    from jamsos.claims.models import Claim
    from jamsos.regions.models import Region

    name = Region.objects.filter(code=kabupaten_code).values_list("name", flat=True).first()
    profile = (Profile.objects.filter(role=Role.BPJS, area_id__in=[
        kabupaten_code, kabupaten_code.split(".")[0]]).select_related("user")
        .order_by("-area_id", "id").first())
    if profile is None:
        stdout.write(f"  Klaim {name}: tidak ada petugas BPJS; dilewati.")
        return
    bpjs = profile.user
    candidates = _candidates(kabupaten_code)
    lines, deaths = regency_rows(candidates, kabupaten_code, today)
    report = import_claims("\n".join([HEADER, *lines]).encode(),
                           f"demo-klaim-bpjs-{kabupaten_code}.csv", user=bpjs,
                           area_code=kabupaten_code, today=today)
    if report.rejected:
        raise RuntimeError(f"klaim demo {kabupaten_code} ditolak: {report.errors[:5]}")
    rng = random.Random(f"jamsos-demo-claims-children:{kabupaten_code}")
    children = 0
    with transaction.atomic():
        for ref in deaths:
            claim = Claim.objects.select_related("person").get(bpjs_reference=ref)
            services.add_beneficiary(claim, name="Ahli waris " + claim.person.name.split()[0],
                                     relation="janda" if claim.person.sex == "L" else "duda",
                                     user=bpjs)
            for k in range(rng.randint(1, 2)):
                born = claim.event_date - dt.timedelta(days=rng.randint(2 * 365, 5 * 365))
                services.add_child(claim, name=f"{rng.choice(CHILD_NAMES)} "
                                   f"{claim.person.name.split()[-1]}", birth_date=born,
                                   level="tk" if k == 0 else "belum_sekolah", user=bpjs)
                children += 1
    stdout.write(f"  Klaim {name}: {report.created} klaim "
                 f"{today.year}, beasiswa {children} anak.")
