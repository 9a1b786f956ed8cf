"""Command-line front ends: ``jamsos benefit …`` and ``jamsos contribution …``.

The lead wires :func:`benefit_main` and :func:`contribution_main` into the ``jamsos``
command.  Both return an exit code: 0 = done, 2 = bad input (message names the option),
1 = broken data files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TextIO

from . import bounds
from .contributions import compute_contributions, contribution_facts
from .engine import EVENTS, compute_benefit
from .model import PROGRAMS, SCHOOL_LEVELS, CaseFacts, Child, InputError, Result
from .money import rp
from .params import DataError, MissingParameterError, ParameterSet

# -- argument types (argparse prefixes the message with the option name) --------------


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal harus YYYY-MM-DD, bukan {s!r}") from None


def _month(s: str) -> dt.date:
    try:
        return dt.datetime.strptime(s, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"bulan harus YYYY-MM, bukan {s!r}") from None


def _rupiah(s: str) -> int:
    t = s.replace("_", "").replace(".", "") if s.count(".") > 1 or "_" in s else s
    try:
        v = int(t)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"harus bilangan bulat rupiah (tanpa desimal), bukan {s!r}"
        ) from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"tidak boleh negatif: {s!r}")
    return v


def _count(s: str) -> int:
    try:
        v = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"harus bilangan bulat, bukan {s!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"tidak boleh negatif: {s!r}")
    return v


def _percent(s: str) -> Decimal:
    try:
        v = Decimal(s.replace(",", "."))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"harus angka persen, bukan {s!r}") from None
    if not v.is_finite() or v < 0:
        raise argparse.ArgumentTypeError(f"persen tidak sah: {s!r}")
    return v


def _child(s: str) -> Child:
    """``[YYYY-MM-DD]:[level][:years_done]``, e.g. ``2015-04-02:sd:3`` or ``:smp``."""
    parts = s.split(":")
    if len(parts) > 3:
        raise argparse.ArgumentTypeError(f"format anak: TGL_LAHIR:JENJANG[:TAHUN], bukan {s!r}")
    birth = _date(parts[0]) if parts[0] else None
    level = parts[1] if len(parts) > 1 and parts[1] else None
    if level is not None and level not in SCHOOL_LEVELS:
        raise argparse.ArgumentTypeError(
            f"jenjang {level!r} tidak dikenal ({', '.join(SCHOOL_LEVELS)})"
        )
    done = _count(parts[2]) if len(parts) > 2 and parts[2] else 0
    return Child(birth, level, done)


def _transport(s: str) -> tuple[str, int]:
    mode, _, cost = s.partition("=")
    if mode not in ("land", "sea", "air") or not cost:
        raise argparse.ArgumentTypeError(f"format MODA=BIAYA (land|sea|air), bukan {s!r}")
    return mode, _rupiah(cost)


def _programs(s: str) -> frozenset[str]:
    progs = frozenset(p.strip().lower() for p in s.split(",") if p.strip())
    bad = progs - set(PROGRAMS)
    if not progs or bad:
        raise argparse.ArgumentTypeError(
            f"program tidak dikenal: {', '.join(sorted(bad)) or s!r} "
            f"(pilihan: {','.join(PROGRAMS)})"
        )
    return progs


def _children(s: str) -> int:
    v = _count(s)
    if v > bounds.MAX_CHILDREN:
        raise argparse.ArgumentTypeError(f"paling banyak {bounds.MAX_CHILDREN} anak, bukan {s!r}")
    return v


def _risk_class(s: str) -> int:
    if s.strip() not in ("1", "2", "3", "4", "5"):
        raise argparse.ArgumentTypeError(f"kelompok risiko JKK harus 1..5, bukan {s!r}")
    return int(s)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # one line, no usage block: the message names the option
        message = " ".join(message.split())
        self.exit(2, f"{self.prog}: galat: {message} (lihat --help)\n")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("json", "text"), default="text")
    p.add_argument("--data-dir", help="direktori data TOML lain (untuk pengujian)")


def _benefit_parser() -> argparse.ArgumentParser:
    events = sorted({e for evs in EVENTS.values() for e in evs})
    p = _Parser(prog="jamsos benefit", description="Hitung manfaat BPJS Ketenagakerjaan.")
    p.add_argument("--program", required=True, choices=PROGRAMS)
    p.add_argument("--event", required=True, choices=events)
    p.add_argument("--event-date", required=True, type=_date, help="YYYY-MM-DD")
    p.add_argument("--wage", required=True, type=_rupiah, help="upah / penghasilan (Rp)")
    p.add_argument("--segment", choices=("pu", "bpu"), default="pu")
    p.add_argument("--membership-start", type=_date)
    p.add_argument("--membership-end", type=_date)
    p.add_argument("--months-paid", type=_count, help="masa iur (bulan)")
    p.add_argument("--arrears-months", type=_count, default=0, help="bulan menunggak")
    p.add_argument("--age", type=_count, help="usia pada tanggal kejadian")
    p.add_argument("--birth-date", type=_date)
    p.add_argument(
        "--children", type=_children, default=0, help="jumlah anak (jenjang tak dikenal)"
    )
    p.add_argument(
        "--child",
        type=_child,
        action="append",
        default=[],
        help="anak: TGL_LAHIR:JENJANG[:TAHUN_SELESAI], mis. 2012-05-01:smp:1",
    )
    p.add_argument("--incapacity-months", type=_count, default=0, help="bulan STMB")
    p.add_argument("--disability-percent", type=_percent)
    p.add_argument("--disability-part", help="kunci tabel cacat, mis. one_eye")
    p.add_argument("--function-loss-percent", type=_percent)
    p.add_argument("--treatment-cost", type=_rupiah, default=0)
    p.add_argument(
        "--transport",
        type=_transport,
        action="append",
        default=[],
        help="MODA=BIAYA, moda land|sea|air (boleh berulang)",
    )
    p.add_argument("--home-care-cost", type=_rupiah, default=0)
    p.add_argument("--claim-date", type=_date)
    p.add_argument("--balance", type=_rupiah, help="saldo JHT / akumulasi iuran JP")
    p.add_argument("--crediting-rate", type=_percent, help="hasil pengembangan %%/tahun")
    p.add_argument("--purpose", choices=("housing", "other"))
    p.add_argument("--prior-partial-withdrawal", action="store_true")
    p.add_argument("--contract-retirement-age", type=_count)
    p.add_argument("--average-wage", type=_rupiah, help="JP: rata-rata upah tertimbang")
    p.add_argument("--survivor", choices=("spouse", "child", "parent"), default="spouse")
    p.add_argument("--index-to", type=_date, help="JP: indeksasi manfaat hingga tanggal ini")
    p.add_argument("--registration-age", type=_count, help="JKP: usia saat mendaftar")
    p.add_argument("--months-paid-24", type=_count, help="JKP: bulan iur dalam 24 bulan")
    p.add_argument("--consecutive-months", type=_count, help="JKP: bulan berturut-turut")
    p.add_argument("--new-job", action="store_true")
    p.add_argument("--employer-bankrupt", action="store_true")
    _common(p)
    return p


def _contribution_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="jamsos contribution", description="Hitung iuran bulanan.")
    p.add_argument("--segment", required=True, choices=("pu", "bpu"))
    p.add_argument("--wage", required=True, type=_rupiah)
    p.add_argument("--programs", type=_programs, default=frozenset({"jkk", "jkm", "jht", "jp"}))
    p.add_argument("--risk-class", type=_risk_class, metavar="1..5")
    p.add_argument("--month", required=True, type=_month, help="YYYY-MM")
    p.add_argument("--in-arrears", action="store_true")
    p.add_argument("--relief", action="store_true", help="memenuhi syarat keringanan iuran")
    p.add_argument("--bpu-payer", choices=("worker", "government"), default="worker")
    _common(p)
    return p


# -- output ---------------------------------------------------------------------------

#: The one date and month format of pages, exports and CLI text (``jamsos.core.dates``:
#: ``30 Nov 2026``, ``Nov 2026``), here without Django, in Bahasa Indonesia (the command
#: line's language). JSON output keeps ISO dates.
MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b(?!-\d)")


def month_text(value: dt.date) -> str:
    return f"{MONTHS_ID[value.month - 1]} {value.year}"


def date_text(value: dt.date) -> str:
    return f"{value.day} {month_text(value)}"


def in_text(text: str) -> str:
    """ISO dates and months inside the engine's bases, reasons and notes → the one format."""

    def one(m: re.Match[str]) -> str:
        year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
        try:
            d = dt.date(year, month, int(day or 1))
        except ValueError:
            return m.group(0)
        return date_text(d) if day else month_text(d)

    return _ISO.sub(one, text)



def _text(r: Result, title: str, out: TextIO) -> None:
    print(title, file=out)
    if r.program != "contribution":
        print(f"Status: {'LAYAK' if r.eligible else 'TIDAK LAYAK'}", file=out)
    for reason in r.reasons:
        print(f"  alasan: {in_text(reason)}", file=out)
    if r.items:
        w = max(len(i.code) for i in r.items)
        payers = any(i.payer for i in r.items)

        def row(code: str, program: str, payer: str, amount: str) -> str:
            mid = f"{program:<7} {payer:<10} " if payers else ""
            return f"  {code:<{w}}  {mid}{amount:>16}"

        head = row("Kode", "Program", "Pembayar", "Jumlah")
        print(head, file=out)
        print("  " + "-" * (len(head) - 2), file=out)
        for i in r.items:
            mark = " *" if i.unconfirmed else ""
            line = row(i.code, (i.program or "").upper(), i.payer or "", rp(i.amount))
            print(line + mark, file=out)
            print(f"  {'':<{w}}    dasar: {in_text(i.basis)}", file=out)
            print(f"  {'':<{w}}    hukum: {i.citation}", file=out)
        print("  " + "-" * (len(head) - 2), file=out)
        print(row("TOTAL", "", "", rp(r.total)), file=out)
    for note in r.notes:
        print(f"  catatan: {in_text(note)}", file=out)
    if r.unconfirmed:
        print("  * nilai memakai parameter yang belum dikonfirmasi", file=out)


def _run(
    parser: argparse.ArgumentParser,
    argv: Sequence[str],
    build: Callable[[argparse.Namespace, ParameterSet | None], tuple[Result, str, dict]],
) -> int:
    try:
        ns = parser.parse_args(list(argv))
    except SystemExit as exc:  # argparse: --help (0) or bad option (2)
        return int(exc.code or 0)
    try:
        params = ParameterSet.from_directory(ns.data_dir) if ns.data_dir else None
        result, title, payload = build(ns, params)
    except InputError as exc:
        print(f"{parser.prog}: galat: {in_text(' '.join(str(exc).split()))}", file=sys.stderr)
        return 2
    except MissingParameterError as exc:
        print(f"{parser.prog}: galat: tanggal di luar data parameter: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"{parser.prog}: galat data: {exc}", file=sys.stderr)
        return 1
    if ns.format == "json":
        text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    else:
        buf = io.StringIO()
        _text(result, title, buf)
        text = buf.getvalue()
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into ``head``
        pass
    return 0


def _build_benefit(ns: argparse.Namespace, params: ParameterSet | None):
    if ns.age is not None and ns.birth_date is not None:
        raise InputError("--age", "pilih salah satu: --age atau --birth-date")
    children = list(ns.child)
    children += [Child() for _ in range(max(ns.children - len(children), 0))]
    facts = CaseFacts(
        program=ns.program,
        event=ns.event,
        event_date=ns.event_date,
        wage=ns.wage,
        segment=ns.segment,
        membership_start=ns.membership_start,
        membership_end=ns.membership_end,
        months_paid=ns.months_paid,
        arrears_months=ns.arrears_months,
        birth_date=ns.birth_date,
        age=ns.age,
        children=tuple(children),
        incapacity_months=ns.incapacity_months,
        disability_percent=ns.disability_percent,
        disability_part=ns.disability_part,
        function_loss_percent=ns.function_loss_percent,
        treatment_cost=ns.treatment_cost,
        transport_costs=tuple(ns.transport),
        home_care_cost=ns.home_care_cost,
        claim_date=ns.claim_date,
        balance=ns.balance,
        crediting_rate=ns.crediting_rate,
        withdrawal_purpose=ns.purpose,
        prior_partial_withdrawal=ns.prior_partial_withdrawal,
        contract_retirement_age=ns.contract_retirement_age,
        average_wage=ns.average_wage,
        survivor=ns.survivor,
        index_to=ns.index_to,
        registration_age=ns.registration_age,
        months_paid_24=ns.months_paid_24,
        consecutive_months=ns.consecutive_months,
        new_job=ns.new_job,
        employer_bankrupt=ns.employer_bankrupt,
    )
    r = compute_benefit(facts, params)
    title = (
        f"Manfaat {ns.program.upper()} — peristiwa {ns.event} — tanggal "
        f"{date_text(ns.event_date)} — upah {rp(ns.wage)}"
    )
    return r, title, r.as_dict()


def _build_contribution(ns: argparse.Namespace, params: ParameterSet | None):
    facts = contribution_facts(
        ns.month,
        ns.segment,
        ns.wage,
        ns.programs,
        ns.risk_class,
        in_arrears=ns.in_arrears,
        relief=ns.relief,
        bpu_payer=ns.bpu_payer,
    )
    r = compute_contributions(facts, params)
    payload = {
        "segment": ns.segment,
        "month": ns.month.strftime("%Y-%m"),
        "wage": ns.wage,
        "items": [i.as_dict() for i in r.items],
        "total": r.total,
        "by_payer": {
            payer: sum(i.amount for i in r.items if i.payer == payer)
            for payer in dict.fromkeys(i.payer for i in r.items)
        },
        "notes": list(r.notes),
        "unconfirmed": r.unconfirmed,
    }
    title = f"Iuran {ns.segment.upper()} bulan {month_text(ns.month)} — upah {rp(ns.wage)}"
    return r, title, payload


def benefit_main(argv: list[str]) -> int:
    """``jamsos benefit --program … --event … --event-date … --wage …``."""
    return _run(_benefit_parser(), argv, _build_benefit)


def contribution_main(argv: list[str]) -> int:
    """``jamsos contribution --segment … --wage … --month YYYY-MM``."""
    return _run(_contribution_parser(), argv, _build_contribution)


if __name__ == "__main__":  # pragma: no cover
    cmd, *rest = sys.argv[1:] or ["--help"]
    main = {"benefit": benefit_main, "contribution": contribution_main}.get(cmd)
    sys.exit(main(rest) if main else 2)
