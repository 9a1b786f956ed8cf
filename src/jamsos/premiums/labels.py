"""Indonesian labels of the premiums app's codes that are no model choices."""

from django.utils.translation import gettext_lazy as _

#: An invoice's state (``Invoice.status``, plus ``not_due`` before its due date), named by
#: what it waits for.
INVOICE_STATUS = {
    "paid": _("Lunas"),
    "partial": _("Dibayar sebagian, menunggu sisanya"),
    "unpaid": _("Menunggu pembayaran"),
    "not_due": _("Belum jatuh tempo"),
}
