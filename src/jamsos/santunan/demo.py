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
        batch = payments.create_batch(user=dinsos, area_code=kab,
                                      case_ids=[c.pk for _s, c, _v in done],
                                      now=timezone.make_aware(dt.datetime.combine(
                                          min(v for _s, _c, v in done), dt.time(13))))
        lines = ["Referensi;Status;Tanggal;Keterangan"]
        for n, (_s, c, v) in enumerate(done):
            c.refresh_from_db()
            paid = min(v + dt.timedelta(days=PAID_AFTER[n % len(PAID_AFTER)]), today)
            lines.append(f"{c.transfer_reference};BERHASIL;{paid:%d-%m-%Y};")
        payments.apply_bank_result(batch, "\n".join(lines).encode(), "hasil-bank.csv",
                                   user=dinsos, today=today)
        for s, c, _v in done:
            if s == "closed":
                services.transition(c.pk, action="close", user=dinsos, expected="paid")
    in_bank = [c for s, c, _v in cases if s == "batch"]
    if in_bank:
        payments.create_batch(user=dinsos, area_code=kab, case_ids=[c.pk for c in in_bank])
    from jamsos.santunan.services import day_notices

    notes = day_notices(today=today)
    stdout.write(f"Santunan: {Case.objects.count()} berkas demo, "
                 f"DTSEN {grouped(report.stored)} baris, "
                 f"{notes['notifications']} notifikasi hari ke-5.")
