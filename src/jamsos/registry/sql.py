"""The registry's tables as other apps read them in set-based SQL (issue 12).

Bulk paths — billing a million roles, recounting coverage, reconciling a BPJS bill, importing
claim reports — join the registry inside one SQL statement instead of loading it through the
ORM. They do so through these fragments, never by the registry's table names: each fragment is
a derived table (``FROM {PEOPLE} p``) or a query with the columns its docstring lists, so the
registry may change its tables behind them. The databases inline such derived tables (the same
plan as the join written out), so the bulk paths stay as fast.
"""

from __future__ import annotations

from jamsos.registry import categories
from jamsos.registry.models import Enrolment, Person

#: Columns of :data:`PEOPLE`.
PERSON_COLUMNS = ("id", "nik", "kpj", "name", "sex", "birth_date", "died_on", "desa_code")
#: Columns of :data:`ENROLMENTS`.
ENROLMENT_COLUMNS = ("id", "person_id", "desa_code", "category", "subcategory", "segment",
                     "funding_source", "wage", "jkk", "jkm", "jht", "jp", "jkp", "is_primary",
                     "status", "start_date", "end_date")


def _derived(model, columns: tuple[str, ...]) -> str:
    return f"(SELECT {', '.join(columns)} FROM {model._meta.db_table})"  # noqa: S608 - identifiers from this module


#: Every person (:data:`PERSON_COLUMNS`), as a derived table to alias.
PEOPLE = _derived(Person, PERSON_COLUMNS)
#: Every enrolment (role) (:data:`ENROLMENT_COLUMNS`), as a derived table to alias.
ENROLMENTS = _derived(Enrolment, ENROLMENT_COLUMNS)

#: A live role on a day (two parameters: the day, twice), on enrolments aliased ``e``.
LIVE_ON = ("e.status = 'active' AND e.start_date <= %s "
           "AND (e.end_date IS NULL OR e.end_date >= %s)")


def billable_roles() -> str:
    """The roles a month is billed for: primary, not suspended, in force for at least one day
    of the month, of a person alive on its first day. Parameters: the month's last day, its
    first day, its first day. Columns: ``id, person_id, desa_code, category, segment,
    funding_source, wage, jkk, jkm, jht, jp, jkp`` and ``rank`` (the category order: a person
    with several billable roles is billed once, for the role of the lowest rank, then the
    oldest).

    Ended roles are billed up to and including the month of their end date, so a person who
    died is billed for the month of death (``record_death`` ends roles at its last day) and
    not after.
    """
    order = " ".join(f"WHEN '{k}' THEN {i}" for k, i in categories.ORDER.items())
    return (
        "SELECT e.id, e.person_id, e.desa_code, e.category, e.segment, e.funding_source, "  # noqa: S608 - identifiers from this module; values are parameters
        "e.wage, e.jkk, e.jkm, e.jht, e.jp, e.jkp, "
        f"CASE e.category {order} ELSE 99 END AS rank "
        f"FROM {Enrolment._meta.db_table} e JOIN {Person._meta.db_table} p "
        "ON p.id = e.person_id "
        "WHERE e.is_primary AND e.status <> 'suspended' AND e.start_date <= %s "
        "AND (e.end_date IS NULL OR e.end_date >= %s) "
        "AND (p.died_on IS NULL OR p.died_on >= %s)"
    )
