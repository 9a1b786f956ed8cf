"""Events other domain areas react to, without the registry importing them.

``person_died(sender, person, died_on, source, user)`` is sent once, inside the transaction
that records the death (from a santunan case, a claim or a registry edit). Receivers that
create work (the heirs' claim follow-up) should use ``transaction.on_commit`` only for side
effects outside the database.
"""

from django.dispatch import Signal

person_died = Signal()
