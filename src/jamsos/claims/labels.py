"""Indonesian labels of the engine's item codes (docs/rules.md "Item codes")."""

from django.utils.translation import gettext_lazy as _

ITEM_LABELS = {
    "death_lump_sum": _("Santunan kematian"),
    "periodic_benefit": _("Santunan berkala"),
    "funeral": _("Biaya pemakaman"),
    "scholarship": _("Beasiswa (total hak, dibayar per tahun)"),
    "disability_lump_sum": _("Santunan cacat"),
    "temporary_incapacity": _("STMB (tidak mampu bekerja sementara)"),
    "treatment": _("Perawatan dan pengobatan"),
    "transport": _("Biaya transportasi"),
    "home_care": _("Perawatan di rumah"),
    "jht_balance": _("Saldo JHT"),
    "partial_withdrawal": _("Klaim sebagian JHT"),
    "old_age_pension": _("Pensiun hari tua (per bulan)"),
    "disability_pension": _("Pensiun cacat (per bulan)"),
    "survivor_pension": _("Pensiun ahli waris (per bulan)"),
    "lump_sum": _("Manfaat JP sekaligus"),
    "cash_benefit": _("Uang tunai JKP"),
}

#: A claim's steps as events (history and the buttons that record them); the status itself
#: (``ClaimStatus``) names what the claim waits for.
STEP_LABELS = {
    "reported": _("Dilaporkan"),
    "documents_complete": _("Berkas lengkap"),
    "submitted": _("Diajukan ke BPJS"),
    "paid": _("Dibayar"),
    "rejected": _("Ditolak"),
}
