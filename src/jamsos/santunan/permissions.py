"""Who may do what with a santunan case (role + area)."""

from __future__ import annotations

from jamsos.accounts.models import PERMISSIONS, PERSONAL_DATA_READERS, Role
from jamsos.accounts.selectors import area_code_of, in_area, role_of
from jamsos.santunan.models import Status

#: The role that holds a case in each state (admin may always act).
HOLDER = {
    Status.DRAFT: Role.KEPALA_DESA,
    Status.SUBMITTED: Role.CAMAT,
    Status.FORWARDED: Role.VERIFIKATOR,
    Status.VERIFIED: Role.VERIFIKATOR,
    Status.APPROVED: Role.VERIFIKATOR,
    Status.PAID: Role.VERIFIKATOR,
}
DOCUMENT_READERS = PERSONAL_DATA_READERS | {Role.AUDITOR}


def can_propose(user) -> bool:
    return role_of(user) in PERMISSIONS["propose_santunan"]


def holds(user, case) -> bool:
    """The user holds the case now (their step) and it lies in their area."""
    role = role_of(user)
    holder = HOLDER.get(case.status)
    return holder is not None and role in {holder, Role.ADMIN} and in_area(user, case.desa_id)


def can_pay(user) -> bool:
    return role_of(user) in PERMISSIONS["pay_santunan"] and area_code_of(user) is not None


def can_import_dtsen(user) -> bool:
    return role_of(user) in PERMISSIONS["import_dtsen"]


def can_see_documents(user) -> bool:
    return role_of(user) in DOCUMENT_READERS
