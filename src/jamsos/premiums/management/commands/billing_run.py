"""``jamsos billing run --period YYYY-MM [--format json|text]``: bill one contribution month.

Idempotent: a month already billed is reported as it was stored (``"created": false``).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from jamsos.core.dates import month_text
from jamsos.core.numbers import grouped
from jamsos.premiums.models import Invoice
from jamsos.premiums.params import MissingBillingSettings
from jamsos.premiums.services import run_billing
from jamsos.rules import InputError, MissingParameterError

from ._common import parse_period, rupiah


class Command(BaseCommand):
    help = "Tagihan iuran BPJS Ketenagakerjaan satu bulan (sekali per bulan)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="bulan iuran YYYY-MM")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, period, format, **opts):
        month = parse_period(period)
        try:
            result = run_billing(month)
        except (MissingParameterError, InputError) as exc:
            raise CommandError(str(exc)) from exc
        except MissingBillingSettings as exc:  # a regency's own settings are missing
            raise CommandError(exc.message) from exc
        run = result.run
        invoices = list(Invoice.objects.filter(run=run).order_by("number"))
        if format == "json":
            self.stdout.write(json.dumps({
                "period": f"{run.period:%Y-%m}", "created": result.created, "lines": run.lines,
                "total": run.total,
                "invoices": [{"number": i.number, "funding_source": i.funding_source,
                              "payer": i.payer_name, "payer_key": i.payer_key,
                              "lines": i.lines, "billed": i.billed, "adjusted": i.adjusted,
                              "paid": i.paid, "outstanding": i.outstanding}
                             for i in invoices],
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
