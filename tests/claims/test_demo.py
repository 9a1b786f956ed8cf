"""The demo claims reproduce the Bupati's figures through the report code."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from jamsos.claims.demo import TARGET_AMOUNT, TARGET_CLAIMS, build_demo
from jamsos.claims.models import Claim, FollowUp
from jamsos.claims.selectors import claim_report
from jamsos.demo.synth import demo_workers
from jamsos.registry.services import import_workers
from tests.factories import user

pytestmark = pytest.mark.django_db
PLAN = {"non_asn": 1000, "perangkat_desa": 1500, "kelembagaan_desa": 3000, "rt_rw": 1500,
        "pekerja_rentan": 3000}


def test_demo_figures_jan_aug_2025():
    workers = demo_workers(plan=PLAN, doubles=())
    buf = io.BytesIO()
    workers.write_csv(buf, separator=";")
    assert not import_workers(buf.getvalue(), "demo.csv", today=dt.date(2025, 9, 2)).rejected
    user("operator", "operator", "16.02")
    user("bpjs", "bpjs", "16.02")
    build_demo(today=dt.date(2026, 1, 5), stdout=io.StringIO())
    rep = claim_report("16.02", dt.date(2025, 1, 1), dt.date(2025, 8, 31))
    assert (rep.claims, rep.amount) == (TARGET_CLAIMS, TARGET_AMOUNT) == (660, 8_330_000_000)
    assert (rep.scholarship_children, rep.scholarship_amount) == (6, 522_000_000)
    assert {r.key: r.claims for r in rep.by_program} == {"jkm": 96, "jkk": 293, "jht": 271}
    assert rep.differences == 6  # treatment claims paid below the claimed cost
    # Every claimant was covered on the event date.
    for c in Claim.objects.select_related("enrolment"):
        assert c.enrolment is not None and c.enrolment.start_date <= c.event_date
    assert FollowUp.objects.filter(status="open").count() == 3
    assert Claim.objects.exclude(status="paid").count() == 8
