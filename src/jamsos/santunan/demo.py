"""Demo santunan cases in every state (some overdue), a DTSEN extract and notifications.

Called by ``jamsos demo`` after the workers, users, premiums and claims demos. Deterministic.
"""

from __future__ import annotations

import datetime as dt
import io
import random

import polars as pl
from django.contrib.auth import get_user_model
from django.utils import timezone

from jamsos.core.numbers import grouped
from jamsos.dtsen.importing import import_extract
from jamsos.registry.models import Person

PDF = b"%PDF-1.4\n% dokumen demo\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SEED = 17
#: (final state, days since death, days since verification or None)
PLAN = [
    ("draft", 2, None), ("draft", 4, None), ("draft", 6, None),
    ("submitted", 5, None), ("submitted", 8, None), ("submitted", 9, None),
    ("forwarded", 7, None), ("forwarded", 10, None), ("forwarded", 12, None),
    ("verified", 6, 1), ("verified", 12, 5), ("verified", 20, 10),
    ("approved", 9, 3), ("approved", 16, 6), ("approved", 25, 12),
    ("batch", 14, 4), ("batch", 15, 4),
    ("paid", 30, 20), ("paid", 35, 26), ("paid", 40, 31), ("paid", 45, 36),
    ("closed", 50, 40), ("closed", 60, 50), ("closed", 70, 60),
    ("rejected", 20, None), ("rejected", 30, None), ("returned", 11, None),
]
PAID_AFTER = [3, 6, 9, 5, 2, 7, 4]  # days from verification to payment (one late: 9)


def _unregistered(people: list[tuple], facts: dict, today: dt.date,
                  n: int = 24_000) -> pl.DataFrame:
    """DTSEN residents who are not in the registry (issue 17: the candidates page), spread
    over the desa like the registry's pekerja rentan, aged 10 to 80 (some outside the working
    age), deciles 1..10, names recombined from the registry's, NIKs not in the registry."""
    rng = random.Random(SEED + 1)
    taken = {p[1] for p in people}
    firsts = {sex: [p[2].split()[0] for p in people if p[2].split() and facts[p[0]][1] == sex]
              or ["Sri"] for sex in ("L", "P")}
    lasts = [p[2].split()[-1] for p in people if len(p[2].split()) > 1] or ["Saputra"]
    desa = [p[3] for p in people]
    rows = []
    while len(rows) < n and people:
        code = rng.choice(desa)
        birth = today - dt.timedelta(days=rng.randrange(10 * 365, 80 * 365))
        female = rng.random() < 0.5
        nik = (code.replace(".", "")[:6] + f"{birth.day + (40 if female else 0):02d}"
               f"{birth.month:02d}{birth.year % 100:02d}{rng.randrange(1, 10_000):04d}")
        if nik in taken:
            continue
        taken.add(nik)
        rows.append((nik, f"{nik[:6]}{rng.randrange(10**9, 10**10)}",
                     str(rng.choice([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9, 10])),
                     f"{rng.choice(firsts['P' if female else 'L'])} {rng.choice(lasts)}", code,
                     birth.strftime("%d-%m-%Y")))
    return pl.DataFrame(rows, orient="row", schema=["NIK", "No KK", "Desil", "Nama",
                                                    "Kode Desa", "Tanggal Lahir"])


def _pay(done: list[tuple], *, user, area_code: str, today: dt.date) -> None:
    """Approved cases ``(final state, case, approval day)`` paid: one transfer batch, the
    bank's result (a few days after approval, never after ``today``), then closed where the
    final state says so."""
    from jamsos.santunan import payments, services

    batch = payments.create_batch(user=user, area_code=area_code,
                                  case_ids=[c.pk for _s, c, _d in done],
                                  now=_at(min(d for _s, _c, d in done), 13))
    lines = ["Referensi;Status;Tanggal;Keterangan"]
    for n, (_s, c, d) in enumerate(done):
        c.refresh_from_db()
        paid = min(d + dt.timedelta(days=PAID_AFTER[n % len(PAID_AFTER)]), today)
        lines.append(f"{c.transfer_reference};BERHASIL;{paid:%d-%m-%Y};")
    payments.apply_bank_result(batch, "\n".join(lines).encode(), "hasil-bank.csv",
                               user=user, today=today)
    for s, c, _d in done:
        if s == "closed":
            services.transition(c.pk, action="close", user=user, expected="paid")


def _at(day: dt.date, hour: int, minute: int = 0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def build_demo(*, today: dt.date, stdout) -> None:
    from django.conf import settings

    from jamsos.santunan import payments, services
    from jamsos.santunan.models import Case

    rng = random.Random(SEED)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[
        "admin", "kades.tebingsuluh", "camat.lempuing", "dinsos", "kadinsos"])}
    admin, dinsos, head = users.get("admin"), users.get("dinsos"), users.get("kadinsos")
    if admin is None or dinsos is None or head is None:
        stdout.write("Santunan: pengguna demo tidak ada; dilewati.")
        return
    kab = settings.JAMSOS_KABUPATEN
    # Poor households' members in the demo are pekerja rentan (the partly covered group), so the
    # launch figures of the other categories stay exact when some of them die.
    people = list(Person.objects.filter(died_on__isnull=True, enrolments__is_primary=True,
                                        enrolments__category="pekerja_rentan")
                  .order_by("id").values_list("id", "nik", "name", "desa_id")[:40_000])
    facts = {i: (b, x) for i, b, x in Person.objects.filter(id__in=[p[0] for p in people])
             .values_list("id", "birth_date", "sex")}
    # DTSEN: a third of the registry with deciles 1..10, households of the persons' desa.
    sample = rng.sample(people, k=len(people) // 3)
    kk = {p[0]: f"{p[1][:6]}{rng.randrange(10**9, 10**10)}" for p in sample}
    frame = pl.DataFrame({"NIK": [p[1] for p in sample], "No KK": [kk[p[0]] for p in sample],
                          "Desil": [str(rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9, 10]))
                                    for _ in sample]})
    frame = frame.with_columns(
        Nama=pl.Series([p[2] for p in sample]), **{
            "Kode Desa": pl.Series([p[3] for p in sample]),
            "Tanggal Lahir": pl.Series([facts[p[0]][0].strftime("%d-%m-%Y") for p in sample])})
    frame = pl.concat([frame, _unregistered(people, facts, today)])
    buf = io.BytesIO()
    frame.write_csv(buf, separator=";")
    report = import_extract(buf.getvalue(), "dtsen-oki-2025.csv",
                            valid_from=dt.date(2025, 1, 1), user=dinsos, today=today)
    deciles = dict(zip(frame["NIK"], frame["Desil"].cast(pl.Int64), strict=True))
    poor = [p for p in sample if deciles[p[1]] <= 5]
    tebing = [p for p in poor if p[3] == "16.02.13.2005"]
    others = [p for p in poor if p[3] != "16.02.13.2005"]
    by_desa: dict[str, list] = {}
    for p in people:
        by_desa.setdefault(p[3], []).append(p)
    chosen = tebing[:6] + rng.sample(others, k=len(PLAN) - min(6, len(tebing)))
    cases = []
    for i, ((state, ago, verified_ago), p) in enumerate(zip(PLAN, chosen, strict=False)):
        heir = next((h for h in by_desa[p[3]] if h[1] != p[1]), None)
        if heir is None:
            continue
        in_tebing = p[3] == "16.02.13.2005" and "kades.tebingsuluh" in users
        desa_user = users["kades.tebingsuluh"] if in_tebing else admin
        kec_user = users.get("camat.lempuing", admin) if in_tebing else admin
        died = today - dt.timedelta(days=ago)
        if died < dt.date(2025, 9, 1):
            died = dt.date(2025, 9, 1) + dt.timedelta(days=i)
        day0 = max(died, today - dt.timedelta(days=ago - 1))

        def at(day: dt.date, hour: int = 9, i=i):
            return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15 + i)))

        data = {"desa_id": p[3], "deceased_nik": p[1], "deceased_name": p[2],
                "died_on": died.isoformat(), "death_place": "Rumah duka",
                "akta_number": f"1602-KM-{died:%d%m%Y}-{i + 1:04d}",
                "no_kk": kk[p[0]], "heir_nik": heir[1], "heir_name": heir[2],
                "heir_relationship": rng.choice(["pasangan", "anak", "orang_tua"]),
                "heir_phone": f"0812{rng.randrange(10**7, 10**8)}",
                "bank_name": "Bank SumselBabel",
                "account_number": str(rng.randrange(10**9, 10**10)),
                "account_holder": heir[2]}
        case = services.propose(user=desa_user, data=data, today=day0, now=at(day0, 8))
        for kind in ("sktm", "akta_kematian"):
            # A file name as people give it (no codes in what the pages show).
            services.upload_document(case, user=desa_user, kind=kind,
                                     filename=f"{kind.replace('_', '-')}.pdf", data=PDF)
        if state == "draft":
            continue
        step_day = day0

        def move(action, who, expected, reason="", day=None, case=case, step_day=step_day):
            return services.transition(case.pk, action=action, user=who, expected=expected,
                                       reason=reason, today=day or step_day,
                                       now=at(day or step_day, 10))

        if state == "returned":
            move("submit", desa_user, "draft")
            move("return", kec_user, "submitted", "Foto akta kematian buram; unggah ulang.")
            continue
        move("submit", desa_user, "draft")
        if state == "submitted":
            continue
        if state == "rejected":
            move("reject", kec_user, "submitted", "Almarhum tidak berdomisili di desa ini.")
            continue
        move("forward", kec_user, "submitted", day=step_day)
        if state == "forwarded":
            continue
        vday = today - dt.timedelta(days=verified_ago)
        vday = max(vday, step_day)
        move("verify", dinsos, "forwarded", day=vday)
        if state == "verified":
            continue
        move("approve", head, "verified", day=vday)  # four eyes: not who verified
        cases.append((state, case, vday))
    # Payments: one batch with the paid/closed cases, one still at the bank.
    done = [(s, c, v) for s, c, v in cases if s in ("paid", "closed")]
    if done:
        _pay(done, user=dinsos, area_code=kab, today=today)
    in_bank = [c for s, c, _v in cases if s == "batch"]
    if in_bank:
        payments.create_batch(user=dinsos, area_code=kab, case_ids=[c.pk for c in in_bank])
    from jamsos.santunan.services import day_notices

    notes = day_notices(today=today)
    stdout.write(f"Santunan: {Case.objects.count()} berkas demo, "
                 f"DTSEN {grouped(report.stored)} baris, "
                 f"{notes['notifications']} notifikasi hari ke-5.")


# --- a synthetic regency of the province demo (issue 16) ---------------------------------

#: Synthetic kabupaten/kota of the Sumatera Selatan demo WITHOUT a death grant: their users see
#: no santunan menu (a regency without its own regulation has no santunan).
WITHOUT_SCHEME = ("16.03", "16.06", "16.09", "16.12", "16.72", "16.74")
#: The province extract of the demo (DTSEN: one extract in force for the whole deployment).
PROVINCE_EXTRACT = "dtsen-sumsel-2025-sintetis.csv"
#: (final state, days since death, days from the proposal to verification) of a regency's cases.
REGENCY_PLAN = [
    ("draft", 3, None), ("submitted", 6, None), ("forwarded", 9, None), ("verified", 14, 5),
    ("approved", 18, 6), ("paid", 32, 4), ("paid", 41, 6), ("closed", 55, 5),
    ("rejected", 24, None),
]
EXTRACT_COLUMNS = {"nik": "NIK", "no_kk": "No KK", "decile": "Desil", "name": "Nama",
                   "desa_code": "Kode Desa", "birth_date": "Tanggal Lahir",
                   "sex": "Jenis Kelamin", "occupation": "Pekerjaan",
                   "employment_status": "Status Pekerjaan"}


def _synthetic_scheme(name: str, rng: random.Random, today: dt.date) -> dict:
    """A made-up regulation, said to be one: amount, decile limit and deadline drawn."""
    short = name.removeprefix("Kabupaten ").removeprefix("Kota ")
    kind = "Perwali" if name.startswith("Kota ") else "Perbup"
    sla = rng.randint(7, 14)
    return {"valid_from": min(dt.date(2025, 1, 1), today - dt.timedelta(days=90)),
            "amount": rng.randrange(500_000, 2_000_001, 250_000),
            "max_decile": rng.randint(3, 5), "sla_days": sla, "notify_day": max(1, sla - 2),
            "documents": ["sktm", "akta_kematian"] + (["kk"] if rng.random() < 0.5 else []),
            "citation": f"{kind} {short} (sintetis demo) tentang Santunan Kematian",
            "unconfirmed": True,
            "unconfirmed_parts": ["seluruh ketentuan: data sintetis demo, bukan peraturan "
                                  "yang sebenarnya"],
            "note": "DATA SINTETIS demo provinsi: jumlah, desil dan batas waktu diundi; "
                    "bukan peraturan kabupaten/kota ini."}


def _province_extract(*, user, today: dt.date, stdout) -> None:
    """Once per province demo: one DTSEN extract for the deployment (the extract in force is
    deployment-wide), holding the rows of the extract in force (OKI's, unchanged) and a
    third of the synthetic regencies' registry with drawn deciles."""
    from jamsos.dtsen.models import DtsenRecord
    from jamsos.dtsen.selectors import extract_in_force
    from jamsos.regions.selectors import deployment_kabupaten

    current = extract_in_force(today)
    if current is not None and current.filename == PROVINCE_EXTRACT:
        return
    valid_from = current.valid_from if current is not None else dt.date(2025, 1, 1)

    def text(row) -> tuple[str, ...]:
        return tuple(v.strftime("%d-%m-%Y") if isinstance(v, dt.date) else
                     "" if v is None else str(v) for v in row)

    rows = [text(r) for r in DtsenRecord.objects.filter(extract=current).order_by("id")
            .values_list(*EXTRACT_COLUMNS)] if current is not None else []
    present = {r[4][:5] for r in rows}
    codes = [c for c in deployment_kabupaten() if c not in present]
    added = 0
    for code in codes:
        rng = random.Random(f"jamsos-demo-dtsen:{code}")
        people = list(Person.objects.filter(
            desa__code__startswith=code + ".", died_on__isnull=True,
            enrolments__is_primary=True,
            enrolments__category__in=("pekerja_rentan", "kelembagaan_desa", "rt_rw"))
            .order_by("id").values_list("nik", "name", "desa_id", "birth_date", "sex")
            .distinct())
        for nik, name, desa, born, sex in rng.sample(people, k=len(people) // 3):
            rows.append(text((nik, f"{nik[:6]}{rng.randrange(10**9, 10**10)}",
                              rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9, 10]), name, desa,
                              born, sex, "", "")))
            added += 1
    frame = pl.DataFrame(rows, schema=dict.fromkeys(EXTRACT_COLUMNS.values(), pl.String),
                         orient="row")
    buf = io.BytesIO()
    frame.write_csv(buf, separator=";")
    report = import_extract(buf.getvalue(), PROVINCE_EXTRACT, valid_from=valid_from,
                            user=user, today=today)
    if report.rejected:
        raise RuntimeError(f"DTSEN demo provinsi ditolak: {report.errors[:5]}")
    stdout.write(f"  DTSEN provinsi, data sintetis: {grouped(report.stored)} baris, "
                 f"{grouped(added)} di {len(codes)} kabupaten/kota sintetis.")


def build_regency_demo(*, kabupaten_code: str, today: dt.date, stdout) -> None:
    """A synthetic regency of the province demo: most get a made-up death grant (marked
    synthetic and unconfirmed) and a handful of cases in several states, through the
    services; those of :data:`WITHOUT_SCHEME` get none. Deterministic (seeded by the code)."""
    from jamsos.accounts.models import Profile, Role
    from jamsos.santunan import services
    from jamsos.santunan.models import Case
    from jamsos.santunan.selectors import scheme_for

    name = services.kabupaten_name(kabupaten_code)
    if kabupaten_code in WITHOUT_SCHEME or scheme_for(kabupaten_code) is not None:
        return
    admins = [p.user for p in Profile.objects.filter(role=Role.ADMIN).select_related("user")
              .filter(area_id__in=[kabupaten_code, kabupaten_code.split(".")[0]])
              .order_by("-area_id", "id")]
    if not admins:
        stdout.write(f"  Santunan {name}: tidak ada administrator; dilewati.")
        return
    admin, other = admins[0], (admins[1] if len(admins) > 1 else None)
    rng = random.Random(f"jamsos-demo-santunan:{kabupaten_code}")
    version = services.add_grant_version(user=admin, kabupaten_code=kabupaten_code,
                                         data=_synthetic_scheme(name, rng, today))
    # The extract is the whole deployment's: the province's administrator imports it (a
    # regency's may not, issue 16); without one, the demo itself (no user).
    province_admin = next((a for a in admins
                           if a.profile.area_id == kabupaten_code.split(".")[0]), None)
    _province_extract(user=province_admin, today=today, stdout=stdout)
    from jamsos.dtsen.models import DtsenRecord
    from jamsos.dtsen.selectors import extract_in_force

    listed = {nik: (kk, decile) for nik, kk, decile in DtsenRecord.objects.filter(
        extract=extract_in_force(today), desa_code__startswith=kabupaten_code + ".")
        .values_list("nik", "no_kk", "decile")}
    people = list(Person.objects.filter(desa__code__startswith=kabupaten_code + ".",
                                        died_on__isnull=True, enrolments__is_primary=True)
                  .order_by("id").values_list("id", "nik", "name", "desa_id").distinct())
    poor = [p for p in people if p[1] in listed and listed[p[1]][1] <= version.max_decile]
    plan = REGENCY_PLAN if other is not None else [s for s in REGENCY_PLAN if s[0] in (
        "draft", "submitted", "forwarded", "verified", "rejected")]
    plan = sorted(rng.sample(plan, k=min(len(plan), len(poor), rng.randint(5, len(plan)))),
                  key=lambda s: -s[1])
    chosen = rng.sample(poor, k=len(plan))
    approved = []
    for i, ((state, ago, verify_after), p) in enumerate(zip(plan, chosen, strict=True)):
        heir = next((h for h in people if h[3] == p[3] and h[1] != p[1]), None)
        if heir is None:
            continue
        died = max(today - dt.timedelta(days=ago), version.valid_from)

        case = services.propose(user=admin, data={
            "desa_id": p[3], "deceased_nik": p[1], "deceased_name": p[2],
            "died_on": died.isoformat(), "death_place": "Rumah duka",
            "akta_number": f"{kabupaten_code.replace('.', '')}-KM-{died:%d%m%Y}-{i + 1:04d}",
            "no_kk": listed[p[1]][0], "heir_nik": heir[1], "heir_name": heir[2],
            "heir_relationship": rng.choice(["pasangan", "anak", "orang_tua"]),
            "heir_phone": f"0813{rng.randrange(10**7, 10**8)}", "bank_name": "Bank SumselBabel",
            "account_number": str(rng.randrange(10**9, 10**10)), "account_holder": heir[2]},
            today=died + dt.timedelta(days=1), now=_at(died + dt.timedelta(days=1), 8, 10 + i))
        for kind in version.documents:
            services.upload_document(case, user=admin, kind=kind,
                                     filename=f"{kind.replace('_', '-')}.pdf", data=PDF)
        day = died + dt.timedelta(days=2)
        steps = {"draft": [], "rejected": [("submit", "draft"), ("reject", "submitted")],
                 "submitted": [("submit", "draft")]}.get(state, [
                     ("submit", "draft"), ("forward", "submitted"), ("verify", "forwarded"),
                     ("approve", "verified")])
        if state == "forwarded":
            steps = steps[:2]
        elif state == "verified":
            steps = steps[:3]
        for action, expected in steps:
            if action == "verify":
                day = min(died + dt.timedelta(days=1 + verify_after), today)
            services.transition(case.pk, action=action, expected=expected,
                                user=other if action == "approve" else admin,
                                reason="Almarhum tidak berdomisili di desa ini."
                                if action == "reject" else "", today=day, now=_at(day, 10, 10 + i))
        if state in ("approved", "paid", "closed"):
            approved.append((state, case, day))
    done = [(s, c, d) for s, c, d in approved if s in ("paid", "closed")]
    if done:
        _pay(done, user=admin, area_code=kabupaten_code, today=today)
    stdout.write(f"  Santunan {name} (ketentuan sintetis Rp {grouped(version.amount)}, desil "
                 f"1–{version.max_decile}, {version.sla_days} hari): "
                 f"{Case.objects.filter(desa__code__startswith=kabupaten_code + '.').count()} "
                 "berkas.")
