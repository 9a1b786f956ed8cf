"""Who may do what with a santunan case (role + area)."""

from __future__ import annotations

from jamsos.accounts.models import PERMISSIONS, PERSONAL_DATA_READERS, Role
from jamsos.accounts.selectors import area_code_of, in_area, role_of
from jamsos.dtsen.importing import may_import_dtsen
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
    """Who uploads and lists DTSEN extracts: the import service's own rule
    (:func:`jamsos.dtsen.importing.may_import_dtsen`), asked by the pages and the API to
    answer 403 and to show the menu."""
    return may_import_dtsen(user)


#: Roles that see the household's DTSEN decile and the deceased's insurance record. The desa
#: and kecamatan see whether each check passes (so a proposal that will fail is known before
#: it is sent), not the decile: a proposal can name any NIK.
ELIGIBILITY_DETAIL_READERS = frozenset({Role.VERIFIKATOR, Role.ADMIN, Role.AUDITOR})


def sees_eligibility_detail(user) -> bool:
    return role_of(user) in ELIGIBILITY_DETAIL_READERS


def sees_insurance_of(user, case) -> bool:
    """The deceased's BPJS roles are shown to detail readers, and to others only when the
    registered person lives in their own area."""
    if sees_eligibility_detail(user):
        return True
    return case.person_id is not None and in_area(user, case.person.desa_id)


def can_see_documents(user) -> bool:
    return role_of(user) in DOCUMENT_READERS
