"""``jamsos billing run --period YYYY-MM [--kabupaten KODE ...] [--format json|text]``: bill one
contribution month, once per kabupaten/kota (issue 16).

Idempotent: a month a regency has billed is reported as it was stored (``"created": false``).
A one-regency deployment reports its one run as before issue 16. In a province deployment each
regency is reported on its own: billed now, already billed, or refused for missing settings
(with what is missing); without ``--kabupaten`` every regency of the province is tried (one
that has no billing settings at all is refused without an empty run). A regency named with
``--kabupaten`` and refused makes the command fail (exit status 1) after the report.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from jamsos.core.dates import month_text
from jamsos.core.numbers import grouped
from jamsos.premiums.models import Invoice
from jamsos.premiums.params import MissingBillingSettings
from jamsos.premiums.services import PremiumError, run_billing, run_billing_regencies
from jamsos.regions.selectors import deployment_kabupaten, is_province_deployment
from jamsos.rules import InputError, MissingParameterError

from ._common import parse_period, rupiah


def _invoices_json(invoices) -> list[dict]:
    return [{"number": i.number, "funding_source": i.funding_source, "payer": i.payer_name,
             "payer_key": i.payer_key, "lines": i.lines, "billed": i.billed,
             "adjusted": i.adjusted, "paid": i.paid, "outstanding": i.outstanding}
            for i in invoices]


class Command(BaseCommand):
    help = "Tagihan iuran BPJS Ketenagakerjaan satu bulan (sekali per bulan per kabupaten/kota)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="bulan iuran YYYY-MM")
        parser.add_argument("--kabupaten", action="append", default=[],
                            help="kode kabupaten/kota (boleh berulang); bawaan: semua "
                                 "kabupaten/kota aplikasi yang belum ditagih bulan itu")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, period, format, kabupaten=(), **opts):
        month = parse_period(period)
        unknown = [k for k in kabupaten if k not in deployment_kabupaten()]
        if unknown:
            raise CommandError("Kabupaten/kota tidak termasuk wilayah aplikasi: "
                               + ", ".join(unknown))
        if not is_province_deployment():
            return self._one(month, kabupaten[0] if kabupaten else None, format)
        try:
            rows = run_billing_regencies(month, kabupaten=list(kabupaten) or None)
        except (MissingParameterError, InputError) as exc:
            raise CommandError(str(exc)) from exc
        except PremiumError as exc:
            raise CommandError(exc.message) from exc
        if format == "json":
            self.stdout.write(json.dumps({"period": f"{month:%Y-%m}", "regencies": [
                {"kabupaten": r.kabupaten, "name": r.name,
                 "state": "refused" if r.refused else "created" if r.created else "existing",
                 "reason": r.refused,
                 **({"created": r.created, "lines": r.run.lines, "total": r.run.total,
                     "invoices": _invoices_json(Invoice.objects.filter(run=r.run)
                                                .order_by("number"))} if r.run else {})}
                for r in rows]}, ensure_ascii=False))
        else:
            self.stdout.write(f"Tagihan {month_text(month)} per kabupaten/kota:")
            for r in rows:
                if r.refused:
                    self.stdout.write(f"  {r.name}: DITOLAK — {r.refused}")
                    continue
                state = "dibuat" if r.created else "sudah ada (tidak diubah)"
                self.stdout.write(f"  {r.name}: {state}, {grouped(r.run.lines)} peserta, "
                                  f"{r.run.invoices.count()} faktur, total "
                                  f"{rupiah(r.run.total)}")
            billed = sum(1 for r in rows if r.created)
            self.stdout.write(f"Ditagih sekarang {billed}, sudah ada "
                              f"{sum(1 for r in rows if r.run and not r.created)}, ditolak "
                              f"{sum(1 for r in rows if r.refused)}.")
        if kabupaten and any(r.refused for r in rows):
            raise CommandError("Ada kabupaten/kota yang ditolak (lihat di atas).")

    def _one(self, month, kabupaten, format) -> None:
        """A one-regency deployment: its one run, reported as before issue 16."""
        try:
            result = run_billing(month, kabupaten=kabupaten)
        except (MissingParameterError, InputError) as exc:
            raise CommandError(str(exc)) from exc
        except (MissingBillingSettings, PremiumError) as exc:  # the regency's own settings
            raise CommandError(exc.message) from exc
        run = result.run
        invoices = list(Invoice.objects.filter(run=run).order_by("number"))
        if format == "json":
            self.stdout.write(json.dumps({
                "period": f"{run.period:%Y-%m}", "created": result.created, "lines": run.lines,
                "total": run.total, "invoices": _invoices_json(invoices),
            }, ensure_ascii=False))
            return
        state = "dibuat" if result.created else "sudah ada (tidak diubah)"
        self.stdout.write(f"Tagihan {month_text(run.period)} {state}: "
                          f"{grouped(run.lines)} peserta, {len(invoices)} faktur, "
                          f"total {rupiah(run.total)}")
        for i in invoices[:50]:
            self.stdout.write(f"  {i.number}  {i.payer_name[:45]:<45} {grouped(i.lines):>8} "
                              f"{rupiah(i.amount_due):>18}")
        if len(invoices) > 50:
            self.stdout.write(f"  … {len(invoices) - 50} faktur lain")
