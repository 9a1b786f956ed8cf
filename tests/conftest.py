"""Shared fixtures.

The suite runs against the database named by ``DATABASE_URL`` (SQLite by default; the
``./dev test`` command runs it a second time on PostgreSQL when one is reachable).
"""

from __future__ import annotations

import os
import shutil
import tempfile

os.environ.setdefault("JAMSOS_DATA_DIR", tempfile.mkdtemp(prefix="jamsos-test-"))

import pytest
from django.db.backends.signals import connection_created


def _allow_audit_truncate(sender, connection, **kwargs):
    """The suite's database flush empties every table with TRUNCATE, which the audit trail
    refuses on PostgreSQL unless the session says so (see audit migration 0003)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET jamsos.audit_truncate = 'on'")


connection_created.connect(_allow_audit_truncate, dispatch_uid="tests.audit_truncate")


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings, tmp_path):
    """Each test pins the audit chain in its own checkpoint file."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture
def oki_regions(transactional_db):
    """Regions for tests whose database is flushed between tests (live server, browser)."""
    from jamsos.regions.models import Region
    from jamsos.regions.services import load_regions

    if not Region.objects.filter(code="16.02").exists():
        load_regions(prefix="16.02")
    return Region.objects.get(code="16.02")


# --- A real Chromium (Debian's package) driven by Playwright -------------------------


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser():
    path = _chromium()
    if path is None:
        pytest.fail("Chromium is not installed: run ./dev test (it installs Debian's chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are ordinary synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        os.makedirs("test-results", exist_ok=True)
        page.screenshot(path=f"test-results/{request.node.name}.png", full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


def pytest_collection_modifyitems(config, items):
    """Mark the tests that flush the database (transactional, live server, browser).

    Run in one process, pytest-django puts them last; spread over several processes
    (pytest-xdist) a flushed worker would run ordinary tests against empty region tables.
    ``./dev test`` therefore runs the ordinary tests first and these second, each in parallel.
    """
    flushing = {"transactional_db", "live_server", "django_db_reset_sequences"}
    for item in items:
        if item.path.name == "test_schema.py":  # schemathesis items: xdist does not run them
            item.add_marker(pytest.mark.serial)
        marker = item.get_closest_marker("django_db")
        transaction = bool(marker and marker.kwargs.get("transaction"))
        if transaction or flushing & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.flushes_db)
