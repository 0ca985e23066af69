"""Prolo settings: one module, every deployment difference comes from environment variables.

`.env.example` lists them. SQLite is the default so a fresh clone runs; set DATABASE_URL for
PostgreSQL in production.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from prolo.lib.env import envbool, envint, envlist, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules or "test" in sys.argv[1:2]

DEBUG = envbool("DEBUG", False)
# Commands that only calculate or print help never sign, hash or serve anything, so a fresh
# clone runs them without a key. Everything else (a server above all, and registry_csv, whose
# pseudonyms are keyed) still refuses to start without SECRET_KEY when DEBUG is off.
KEYLESS_COMMANDS = frozenset({"compound", "ceiling", "score", "instrument", "help"})


def _keyless(argv: list[str]) -> bool:
    if not argv or Path(argv[0]).name != "manage.py":
        return False
    args = argv[1:]
    return not args or args[0] in KEYLESS_COMMANDS or "--help" in args or "-h" in args


SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING or _keyless(sys.argv)):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example)")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "prolo.clinic",
    "prolo.accounts",
    "prolo.staff",
    "prolo.portal",
    "prolo.api",
    "prolo.fhir",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before IdleTimeoutMiddleware, which tells the user why they were signed out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "prolo.accounts.middleware.IdleTimeoutMiddleware",
    "prolo.accounts.middleware.ActiveClinicMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "prolo.urls"
WSGI_APPLICATION = "prolo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prolo.accounts.context_processors.clinic",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and a second process read while one writes.
    # IMMEDIATE takes the write lock when a transaction starts, so two writers queue instead
    # of failing with "database is locked" when one upgrades a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "clinic.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:today"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests exercise it once in accounts/tests, not on every login.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sessions end after this many minutes without a request (idle timeout), and in any
# case when the browser closes.
SESSION_IDLE_TIMEOUT_MINUTES = envint("SESSION_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = envint("SESSION_MAX_AGE_HOURS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
# The portal's Spanish: prolo/locale/es/LC_MESSAGES/django.po, compiled to .mo by bin/setup.
LOCALE_PATHS = [BASE_DIR / "prolo" / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded imaging files are patient data: they are never served from MEDIA_URL, only through
# a view that goes through the access helper.
MEDIA_ROOT = envstr("MEDIA_ROOT", str(BASE_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMAGING_MAX_UPLOAD_MB = envint("IMAGING_MAX_UPLOAD_MB", 20)
# FHIR Bulk export files (patient data, served only to the requester with their token).
FHIR_EXPORT_ROOT = envstr("FHIR_EXPORT_ROOT", str(Path(MEDIA_ROOT) / "bulk"))
# Run a kicked-off export on a thread of the web process at once; the worker
# (manage.py reminders) runs any job no thread holds. Off: only the worker runs them.
FHIR_EXPORT_THREAD = envbool("FHIR_EXPORT_THREAD", True)
# Finished exports (their files are patient data) are deleted by the worker after this long.
FHIR_EXPORT_KEEP_HOURS = envint("FHIR_EXPORT_KEEP_HOURS", 24)

# Security: production values are the defaults; `check --deploy` must report nothing.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
# Behind one trusted reverse proxy: HTTPS from its header, the client's address from the last
# X-Forwarded-For entry (the portal's sign-in rate limit counts by address).
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "prolo@localhost")
# SMTP, used when EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend. The timeout
# stays well under the reminder worker's lease (prolo/clinic/worker.py).
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# In development and tests whitenoise serves straight from the source folders.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
WHITENOISE_USE_FINDERS = DEBUG or TESTING
