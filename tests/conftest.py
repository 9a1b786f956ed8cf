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


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """Passwords are hashed by jamsos's own hasher, at a test cost: 600,000 PBKDF2 rounds take
    0.37 s of CPU per hash, and the suite creates and signs in users by the thousand. The
    production floor is in settings.py (``JAMSOS_PBKDF2_ITERATIONS``); processes the tests
    start (the served app in tests/web/test_serve.py) keep it."""
    from django.conf import settings

    settings.JAMSOS_PBKDF2_ITERATIONS = 1_000


# --- The test database: migrated once, copied per worker ---------------------------------
#
# Migrating builds every table and loads the region catalogue (91,600 rows): about 19 s of CPU.
# pytest-xdist gives each worker its own database, and ./dev test runs three passes per
# database, so the suite migrated ten times. Instead a template is migrated once — kept while
# the migrations, the catalogue and Django stay the same (the key hashes them) — and each
# worker copies it: SQLite's backup API into the in-memory test database, PostgreSQL's
# CREATE DATABASE … TEMPLATE.

_TEMPLATE_VERSION = "1"


def _template_key(vendor: str) -> str:
    import hashlib
    from pathlib import Path

    import django
    from django.apps import apps

    h = hashlib.sha256(f"{_TEMPLATE_VERSION}|{vendor}|{django.get_version()}".encode())
    files = []
    for app in apps.get_app_configs():
        files += sorted(Path(app.path).glob("migrations/*.py"))
    from jamsos.regions import catalog

    files.append(Path(catalog.__file__).parent / "data" / "wilayah_indonesia.csv.gz")
    for path in files:
        h.update(str(path).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def _template_dir():
    from pathlib import Path

    path = Path(os.environ.get("JAMSOS_TEST_DB_CACHE")
                or Path(tempfile.gettempdir()) / f"jamsos-test-db-{os.getuid()}")
    path.mkdir(parents=True, exist_ok=True)
    return path


class _locked:
    """One process at a time (the workers of a run, and runs side by side)."""

    def __init__(self, name: str):
        self.path = _template_dir() / f"{name}.lock"

    def __enter__(self):
        import fcntl

        self.fh = open(self.path, "w")
        fcntl.flock(self.fh, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        self.fh.close()


def _migrate_into(connection, test_name: str) -> None:
    """Django's own test-database creation (create + migrate) under the name ``test_name``;
    the connection's settings are put back afterwards."""
    from django.conf import settings

    saved_name = connection.settings_dict["NAME"]
    saved_test = connection.settings_dict["TEST"].get("NAME")
    connection.settings_dict["TEST"]["NAME"] = test_name
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False,
                                           keepdb=False)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved_name
        settings.DATABASES[connection.alias]["NAME"] = saved_name
        connection.settings_dict["TEST"]["NAME"] = saved_test


def _use_test_db(connection, test_name: str) -> None:
    from django.conf import settings

    connection.close()
    connection.settings_dict["NAME"] = test_name
    settings.DATABASES[connection.alias]["NAME"] = test_name


def _sqlite_from_template(connection) -> None:
    import sqlite3

    key = _template_key("sqlite")
    path = _template_dir() / f"sqlite-{key}.sqlite3"
    with _locked(f"sqlite-{key}"):
        if not path.exists():
            building = path.with_suffix(f".{os.getpid()}.building")
            _migrate_into(connection, str(building))
            db = sqlite3.connect(building)
            db.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            db.close()
            os.replace(building, path)
            for old in _template_dir().glob("sqlite-*.sqlite3"):
                if old != path:
                    old.unlink(missing_ok=True)
    # Django's in-memory test database (shared cache: the live server's thread sees it too).
    _use_test_db(connection, connection.creation._get_test_db_name())
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    source.backup(connection.connection)
    source.close()


def _postgresql_from_template(connection) -> None:
    key = _template_key("postgresql")
    # Named after the configured database, so that runs against other databases on one server
    # (other checkouts, CI) keep their own template.
    base = f"test_{connection.settings_dict['NAME']}"[:40]
    template = f"{base}_tpl_{key}"
    test_name = connection.creation._get_test_db_name()
    qn = connection.ops.quote_name
    with _locked(template):
        with connection.creation._nodb_cursor() as cur:
            cur.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                        [base.replace("_", r"\_") + r"\_tpl\_%"])
            existing = {row[0] for row in cur.fetchall()}
        if template not in existing:
            building = f"{base}_bld_{key}"
            _migrate_into(connection, building)
            with connection.creation._nodb_cursor() as cur:
                cur.execute(f"ALTER DATABASE {qn(building)} RENAME TO {qn(template)}")
        with connection.creation._nodb_cursor() as cur:
            for old in existing - {template}:
                cur.execute(f"DROP DATABASE IF EXISTS {qn(old)}")
            cur.execute(f"DROP DATABASE IF EXISTS {qn(test_name)}")
            cur.execute(f"CREATE DATABASE {qn(test_name)} TEMPLATE {qn(template)}")
    _use_test_db(connection, test_name)
    connection.ensure_connection()


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker,
                    django_db_use_migrations, django_db_keepdb, django_db_createdb,
                    django_db_modify_db_settings):
    """pytest-django's ``django_db_setup`` with the test database copied from a template.
    ``--reuse-db`` and ``--nomigrations`` take pytest-django's own way."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    connection = connections["default"]
    ours = (django_db_use_migrations and not django_db_keepdb and len(connections.settings) == 1
            and connection.vendor in {"sqlite", "postgresql"})
    with django_db_blocker.unblock():
        if not ours:
            if not django_db_use_migrations:
                from pytest_django.fixtures import _disable_migrations

                _disable_migrations()
            db_cfg = setup_databases(verbosity=0, interactive=False,
                                     keepdb=django_db_keepdb and not django_db_createdb)
        else:
            old_name = connection.settings_dict["NAME"]
            if connection.vendor == "sqlite":
                _sqlite_from_template(connection)
            else:
                _postgresql_from_template(connection)
    yield
    if django_db_keepdb:
        return
    with django_db_blocker.unblock():
        if not ours:
            teardown_databases(db_cfg, verbosity=0)
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """One transaction around a module's tests, for data that a module-scoped fixture builds
    once (the demo-sized data of the homes and crawl tests took half a minute per test): each
    test's own transaction is a savepoint in it, and everything is rolled back after the
    module's last test. Only for modules whose tests are ``django_db`` without
    ``transaction=True``."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


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
    seed_oki_data()
    return Region.objects.get(code="16.02")


def seed_oki_data() -> None:
    """OKI's regency data as their data migrations seed them (a flushed database lost them
    with every other row): the death-grant versions, billing settings and default funding
    sources."""
    from importlib import import_module

    from django.apps import apps

    import_module("jamsos.santunan.migrations.0005_grant_versions").seed_oki(apps)
    for name in ("jamsos.premiums.migrations.0004_seed_oki_billing",
                 "jamsos.registry.migrations.0007_seed_oki_funding"):
        import_module(name).forwards(apps, None)


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
