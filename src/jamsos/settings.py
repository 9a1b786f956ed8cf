"""Django settings for jamsos.

Everything that differs between machines comes from the environment:

- ``DATABASE_URL``: ``sqlite:////abs/path.sqlite3`` or ``postgres://user@host:5432/db``;
  default is SQLite in the data directory.
- ``JAMSOS_DATA_DIR``: where the default database, uploads and generated files live
  (default ``~/.local/share/jamsos``); created on first run.
- ``JAMSOS_KABUPATEN``: the deployment's own kabupaten/kota code (default ``16.02``,
  Ogan Komering Ilir).
- ``JAMSOS_PRODUCTION=1``: a public deployment — ``JAMSOS_SECRET_KEY`` is then required and
  HTTPS-only cookies, HSTS and the HTTPS redirect are on (``jamsos check --deploy`` is clean).
  Otherwise (a laptop, the demo) a random key is generated once and kept in the data directory.
- ``JAMSOS_DEBUG=1`` shows Django's technical error pages (development only: they can show
  personal data); off by default, also in development.
- ``JAMSOS_ALLOWED_HOSTS`` (comma-separated).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(
    os.environ.get("JAMSOS_DATA_DIR") or Path.home() / ".local" / "share" / "jamsos"
).expanduser()
DATA_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "files"
IMPORT_DIR = DATA_DIR / "imports"

PRODUCTION = _env_bool("JAMSOS_PRODUCTION", False)
DEBUG = _env_bool("JAMSOS_DEBUG", False) and not PRODUCTION


def _secret_key() -> str:
    key = os.environ.get("JAMSOS_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("JAMSOS_SECRET_KEY must be set when JAMSOS_PRODUCTION=1")
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("JAMSOS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

#: The deployment's own kabupaten/kota (Kemendagri code). Any other works by changing it.
JAMSOS_KABUPATEN = os.environ.get("JAMSOS_KABUPATEN", "16.02")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "ninja",  # serves Swagger UI from its own static files (no CDN)
    "jamsos.regions",
    "jamsos.accounts",
    "jamsos.audit",
    "jamsos.registry",
    "jamsos.coverage",
    "jamsos.santunan",
    "jamsos.premiums",
    "jamsos.claims",
    "jamsos.benefits",
    "jamsos.api",
    "jamsos.web",
    "jamsos.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jamsos.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "jamsos.urls"
WSGI_APPLICATION = "jamsos.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jamsos.web.context_processors.deployment",
            ],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'jamsos.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL, conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        " PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"  # each role's own start page
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    # Production: HTTPS only (set JAMSOS_SSL_REDIRECT=0 when a proxy already redirects).
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("JAMSOS_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("JAMSOS_HSTS_SECONDS", 31_536_000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if _env_bool("JAMSOS_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _mailer() -> dict:
    """The e-mail connection (Django 6.1 ``MAILERS``), from the environment.

    ``JAMSOS_EMAIL=file`` (one file per message in ``DATA_DIR/mail``; the default outside
    production), ``smtp`` (the default under ``JAMSOS_PRODUCTION``: ``JAMSOS_SMTP_HOST``,
    ``JAMSOS_SMTP_PORT``, ``JAMSOS_SMTP_USER``, ``JAMSOS_SMTP_PASSWORD``, ``JAMSOS_SMTP_TLS``)
    or ``console``.
    """
    kind = os.environ.get("JAMSOS_EMAIL", "smtp" if PRODUCTION else "file").strip().lower()
    if kind == "smtp":
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
            "host": os.environ.get("JAMSOS_SMTP_HOST", "localhost"),
            "port": int(os.environ.get("JAMSOS_SMTP_PORT", 587)),
            "username": os.environ.get("JAMSOS_SMTP_USER", ""),
            "password": os.environ.get("JAMSOS_SMTP_PASSWORD", ""),
            "use_tls": _env_bool("JAMSOS_SMTP_TLS", True), "timeout": 30}}
    if kind == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if kind != "file":
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("JAMSOS_EMAIL must be file, smtp or console")
    return {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")}}


MAILERS = {"default": _mailer()}
DEFAULT_FROM_EMAIL = os.environ.get("JAMSOS_EMAIL_FROM", "jamsos@localhost")

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
#: Largest worker file accepted from the web (the CLI has no limit).
JAMSOS_MAX_IMPORT_BYTES = int(os.environ.get("JAMSOS_MAX_IMPORT_BYTES", 200 * 1024 * 1024))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "jamsos.web.logging.MaskPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

#: Audit checkpoints: the chain head (id, hash) signed with a key from the environment and
#: appended to a file outside the database, so a rewrite or truncation of the trail by
#: someone with database rights is found by ``jamsos audit verify``. Keep the file where the
#: database's administrators cannot rewrite it (another disk or host, or ship the log line).
AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("JAMSOS_AUDIT_CHECKPOINTS") or DATA_DIR / "audit" / "checkpoints.jsonl"
)
AUDIT_KEY = os.environ.get("JAMSOS_AUDIT_KEY") or ""  # empty: derived from SECRET_KEY
