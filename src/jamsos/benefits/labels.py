"""Indonesian labels of the regulation engine's events, items and payers for the calculator
(the claims app names the same events and benefit items; one list each)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jamsos.claims.labels import ITEM_LABELS
from jamsos.claims.models import EVENTS as CLAIM_EVENTS

EVENT_LABELS = {code: label for events in CLAIM_EVENTS.values() for code, label in events}
EVENT_LABELS.setdefault("leaving_indonesia", _("Meninggalkan Indonesia untuk selamanya"))

PAYER_LABELS = {"employer": _("Pemberi kerja"), "worker": _("Pekerja"),
                "government": _("Pemerintah (APBD)")}


def event_label(code: str) -> str:
    return str(EVENT_LABELS.get(code, code))


def item_label(code: str) -> str:
    """A benefit item (``death_lump_sum``) or a contribution item (``jkk_employer``,
    ``jkp_from_jkm``)."""
    if code in ITEM_LABELS:
        return str(ITEM_LABELS[code])
    program, _sep, rest = code.partition("_")
    if rest.startswith("from_"):
        return _("%(p)s dari iuran %(q)s") % {"p": program.upper(),
                                                "q": rest.removeprefix("from_").upper()}
    if rest in PAYER_LABELS:
        return f"{program.upper()} — {PAYER_LABELS[rest]}"
    return code


def payer_label(code: str) -> str:
    return str(PAYER_LABELS.get(code, code))
