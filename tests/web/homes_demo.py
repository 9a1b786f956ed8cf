"""A small demo (fewer workers, the same claims, santunan and users) for the role homes' tests."""

from __future__ import annotations

import datetime as dt
import io

from jamsos.accounts.services import create_user
from jamsos.demo.management.commands.demo import demo_users
from jamsos.registry.models import Target
from jamsos.registry.services import import_workers
from tests.factories import PASSWORD

PLAN = {"non_asn": 1000, "perangkat_desa": 1500, "kelembagaan_desa": 3000, "rt_rw": 1500,
        "pekerja_rentan": 3000}


def build(today: dt.date | None = None) -> dict[str, str]:
    """Workers, targets, the demo users (password ``PASSWORD``) and the claims and santunan
    demos; returns username → role."""
    from jamsos.claims.demo import build_demo as claims_demo
    from jamsos.coverage.services import refresh_coverage
    from jamsos.demo.synth import demo_targets, demo_workers
    from jamsos.santunan.demo import build_demo as santunan_demo

    today = today or dt.date.today()
    workers = demo_workers(plan=PLAN, doubles=())
    buf = io.BytesIO()
    workers.write_csv(buf, separator=";")
    assert not import_workers(buf.getvalue(), "demo.csv", today=today).rejected
    Target.objects.bulk_create(
        Target(region_id=r["region_code"], category=r["category"], headcount=r["headcount"])
        for r in demo_targets(workers).iter_rows(named=True))
    users = {}
    for username, role, area in demo_users("16.02"):
        create_user(username=username, role=role, area_code=area, password=PASSWORD,
                    validate=False)
        users[username] = role
    claims_demo(today=today, stdout=io.StringIO())
    santunan_demo(today=today, stdout=io.StringIO())
    refresh_coverage(today)
    return users
