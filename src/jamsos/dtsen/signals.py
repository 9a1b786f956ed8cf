"""Events of the DTSEN reference data other areas react to, without this app importing them.

``extract_stored(sender, extract)`` is sent inside the transaction that stores a new extract
(the candidates' counts per desa are recounted when it is the one in force today).
"""

from django.dispatch import Signal

extract_stored = Signal()
