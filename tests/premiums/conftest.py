import datetime as dt

import pytest

from jamsos.registry.models import Enrolment
from tests.factories import PEOPLE, TEBING_SULUH, ULAK_KAPAL, import_rows

# Three people (factories.PEOPLE), registered with start 2025-09-01 by the import ("today").
BUDI, SITI, AHMAD = "1602131708850001", "1602135708900002", "1602021708800003"


@pytest.fixture
def people(db):
    """Budi (RT, BPU, APBD, Tebing Suluh), Siti (kader posyandu, BPU, APBD, Tebing Suluh) and
    Ahmad (perangkat desa, PU, APBD, Ulak Kapal); all from 2025-01-01, wages as set here."""
    import_rows(*PEOPLE)
    Enrolment.objects.update(start_date=dt.date(2025, 1, 1))
    Enrolment.objects.filter(person__nik=AHMAD).update(wage=2_000_000)
    return {e.person.nik: e for e in Enrolment.objects.select_related("person")}


__all__ = ["AHMAD", "BUDI", "SITI", "TEBING_SULUH", "ULAK_KAPAL", "people"]
