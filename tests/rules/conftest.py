"""Fixtures for the regulation-engine tests.  Nothing here needs Django or a database.

Run with ``.venv/bin/pytest -p no:django tests/rules``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.rules import CaseFacts, compute_benefit, compute_contributions, default_parameters
from jamsos.rules.contributions import contribution_facts

#: UMK Kabupaten Ogan Komering Ilir 2025 (= UMP Sumsel 2025), regulations.md §8.
UMK_OKI_2025 = 3_681_571


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def benefit(program: str, event: str, date: str, wage: int = UMK_OKI_2025, **kw):
    return compute_benefit(CaseFacts(program, event, d(date), wage, **kw))


def contrib(month: str, segment: str, wage: int, programs: str, risk_class=None, **kw):
    m = dt.datetime.strptime(month, "%Y-%m").date()
    return compute_contributions(contribution_facts(m, segment, wage, programs, risk_class, **kw))


@pytest.fixture(scope="session")
def params():
    return default_parameters()
