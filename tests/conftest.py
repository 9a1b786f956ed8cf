"""Shared fixtures.

The suite runs against the database named by ``DATABASE_URL`` (SQLite by default; the
``./dev test`` command runs it a second time on PostgreSQL when one is reachable).
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("JAMSOS_DATA_DIR", tempfile.mkdtemp(prefix="jamsos-test-"))

import pytest


@pytest.fixture
def oki_regions(transactional_db):
    """Regions for tests whose database is flushed between tests (live server, browser)."""
    from jamsos.regions.models import Region
    from jamsos.regions.services import load_regions

    if not Region.objects.filter(code="16.02").exists():
        load_regions(prefix="16.02")
    return Region.objects.get(code="16.02")
