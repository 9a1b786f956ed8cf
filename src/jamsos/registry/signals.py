"""Events other domain areas react to, without the registry importing them.

``person_died(sender, person, died_on, source, user)`` is sent once, inside the transaction
that records the death (from a santunan case, a claim or a registry edit). Receivers that
create work (the heirs' claim follow-up) should use ``transaction.on_commit`` only for side
effects outside the database.


``roles_changed(sender, desa_codes, today)`` is sent inside the transaction of every registry
write that can change who is covered where (an import, a role ended, a death), naming the desa
whose counts may have changed: the coverage summary recounts them in the same transaction, so
the dashboards never disagree with the registry. ``niks`` (optional) names people whose NIK was
corrected (the old and the new NIK), for the DTSEN candidates matched by NIK.
"""

from django.dispatch import Signal

person_died = Signal()
roles_changed = Signal()


def announce_roles_changed(desa_codes, today=None, niks=()) -> None:
    roles_changed.send(sender=None, desa_codes=sorted(set(desa_codes)), today=today,
                       niks=sorted(set(niks)))
