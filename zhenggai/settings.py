"""The one settings module. Every value that differs between machines comes from the environment
through the helpers in `zhenggai.lib.env`; the README lists them all."""

import datetime
import ipaddress
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from zhenggai.lib.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("ZHENGGAI_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("ZHENGGAI_DEBUG", False)
DEMO = envbool("ZHENGGAI_DEMO", False)

SECRET_KEY = envstr("ZHENGGAI_SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or DEMO or envbool("ZHENGGAI_TESTING")):
        raise ImproperlyConfigured(
            "ZHENGGAI_SECRET_KEY must be set when ZHENGGAI_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-and-demo-never-for-production"  # nosec B105

ALLOWED_HOSTS = envlist("ZHENGGAI_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("ZHENGGAI_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    # REST framework itself is not an installed app: its catalogue would reword Django's own
    # messages on every form ("这个字段是必填项。"); its field errors share Django's words.
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "zhenggai.orgs",
    "zhenggai.rounds",
    "zhenggai.ledger",
    "zhenggai.supervision",
    "zhenggai.reports",
    "zhenggai.public",
    "zhenggai.evaluations",
    "zhenggai.assessments",
    "zhenggai.api",
    "zhenggai.accounts",
    "zhenggai.ops",
    "zhenggai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the form: oversized bodies are refused unread.
    "zhenggai.lib.request_limits.RequestLimitsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks whether this session passed a second factor (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # Sends a session that must pass the second step and has not to it (zhenggai.accounts).
    "zhenggai.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhenggai.lib.typed_forms.KeepTypedFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhenggai.lib.private_pages.NoStoreWhenSignedInMiddleware",
]

ROOT_URLCONF = "zhenggai.urls"
WSGI_APPLICATION = "zhenggai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhenggai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhenggai.orgs.context_processors.scope",
            ],
        },
    },
]

# SQLite by default: WAL so readers never wait for the writer, a busy timeout, and IMMEDIATE
# transactions so two writers queue for the lock instead of failing with "database is locked".
_default_sqlite = f"sqlite:///{DATA_DIR / 'zhenggai.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(envstr("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = envint("ZHENGGAI_DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # The login rate limit must hold across server processes, so the cache lives in the database.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "zhenggai_cache",
        # Rate limits keep one entry per attempt: culling at Django's default 300 would forget
        # them under a flood.
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Signing in. Password sign-in can be turned off where everyone signs in through the unified
# identity service (统一身份认证) below; the system administrator's account still signs in with
# its password at /admin/. Single sign-on never creates a person: it signs in the directory's
# people (zhenggai.orgs.directory), matched by login or employee number.
PASSWORD_LOGIN = envbool("ZHENGGAI_PASSWORD_LOGIN", True)
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend"
    if PASSWORD_LOGIN
    # Off: only a superuser's password, and only on /admin/login/ (zhenggai.accounts).
    else "zhenggai.accounts.admin_password.AdminPasswordBackend"
]
# OIDC (mozilla-django-oidc): on when a client id is set. The authorization-code flow with PKCE
# and a nonce; the id token is checked against the service's JWKS. The login page shows a button
# named ZHENGGAI_OIDC_NAME. See zhenggai.accounts.oidc.
OIDC_ENABLED = bool(envstr("ZHENGGAI_OIDC_CLIENT_ID"))
OIDC_NAME = envstr("ZHENGGAI_OIDC_NAME", "统一身份认证")
OIDC_RP_CLIENT_ID = envstr("ZHENGGAI_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = envstr("ZHENGGAI_OIDC_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = envstr("ZHENGGAI_OIDC_AUTHORIZATION_URL")
OIDC_OP_TOKEN_ENDPOINT = envstr("ZHENGGAI_OIDC_TOKEN_URL")
OIDC_OP_USER_ENDPOINT = envstr("ZHENGGAI_OIDC_USERINFO_URL")
OIDC_OP_JWKS_ENDPOINT = envstr("ZHENGGAI_OIDC_JWKS_URL") or None
OIDC_OP_LOGOUT_URL = envstr("ZHENGGAI_OIDC_LOGOUT_URL")  # the service's end-session endpoint
OIDC_RP_SIGN_ALGO = envstr("ZHENGGAI_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = envstr("ZHENGGAI_OIDC_SCOPES", "openid profile")
OIDC_LOGIN_CLAIM = envstr("ZHENGGAI_OIDC_LOGIN_CLAIM", "preferred_username")
OIDC_EMPLOYEE_CLAIM = envstr("ZHENGGAI_OIDC_EMPLOYEE_CLAIM", "employee_number")
OIDC_CREATE_USER = False  # single sign-on never creates anyone (and the backend refuses too)
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # sent back as id_token_hint when signing out of the service
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "login"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("zhenggai.accounts.oidc.DirectoryOIDCBackend")
# LDAP or Active Directory (ldap3): on when a server URL is set. The login form's password is
# checked by the directory server: the entry is found with a service account (BIND_DN, under
# SEARCH_BASE, by USER_FILTER: "(uid={login})", or "(sAMAccountName={login})" for Active
# Directory) or, without one, bound directly as USER_DN ("uid={login},ou=people,dc=…"). It works
# with password sign-in off too. See zhenggai.accounts.ldap.
LDAP_URL = envstr("ZHENGGAI_LDAP_URL")  # ldap://host:389 or ldaps://host:636
LDAP_ENABLED = bool(LDAP_URL)
LDAP_START_TLS = envbool("ZHENGGAI_LDAP_START_TLS", False)
LDAP_BIND_DN = envstr("ZHENGGAI_LDAP_BIND_DN")
LDAP_BIND_PASSWORD = envstr("ZHENGGAI_LDAP_BIND_PASSWORD")
LDAP_USER_DN = envstr("ZHENGGAI_LDAP_USER_DN")
LDAP_SEARCH_BASE = envstr("ZHENGGAI_LDAP_SEARCH_BASE")
LDAP_USER_FILTER = envstr("ZHENGGAI_LDAP_USER_FILTER", "(uid={login})")
LDAP_LOGIN_ATTR = envstr("ZHENGGAI_LDAP_LOGIN_ATTR", "uid")
LDAP_EMPLOYEE_ATTR = envstr("ZHENGGAI_LDAP_EMPLOYEE_ATTR", "employeeNumber")
LDAP_TIMEOUT = envint("ZHENGGAI_LDAP_TIMEOUT", 5)
LDAP_CA_FILE = envstr("ZHENGGAI_LDAP_CA_FILE")  # the CA of ldaps:// or StartTLS; else the system's
if LDAP_ENABLED:
    if not LDAP_URL.lower().startswith(("ldap://", "ldaps://")):
        raise ImproperlyConfigured("ZHENGGAI_LDAP_URL must start with ldap:// or ldaps://")
    if not (LDAP_BIND_DN and LDAP_SEARCH_BASE) and "{login}" not in LDAP_USER_DN:
        raise ImproperlyConfigured(
            "ZHENGGAI_LDAP_URL needs ZHENGGAI_LDAP_BIND_DN and ZHENGGAI_LDAP_SEARCH_BASE, "
            "or ZHENGGAI_LDAP_USER_DN with {login}"
        )
    # Before Django's own: a directory person's password is the directory's.
    AUTHENTICATION_BACKENDS.insert(0, "zhenggai.accounts.ldap.LdapBackend")
# Two-factor sign-in (TOTP, with recovery codes) for the roles that sign and publish (巡察办,
# 单位领导, 整改办, 评价办) and for administrators: required when on; a person signed in by a
# single sign-on service that enforces its own second factor (ZHENGGAI_SSO_ENFORCES_MFA) is not
# asked again.
TWO_FACTOR_REQUIRED = envbool("ZHENGGAI_TWO_FACTOR", False)
SSO_ENFORCES_MFA = envbool("ZHENGGAI_SSO_ENFORCES_MFA", False)
OTP_TOTP_ISSUER = envstr("ZHENGGAI_OTP_ISSUER", "整改系统")
# django-otp's own admin pages never show an authenticator's secret or QR code (a staff member
# could otherwise copy a person's second factor); the reset is an action on the users' list.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = envstr("ZHENGGAI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
# Forms render dates in ISO 8601, the only value <input type="date"> shows (zhenggai/formats).
FORMAT_MODULE_PATH = ["zhenggai.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "zhenggai" / "static"]
# Without a collected STATIC_ROOT (debug, demo, tests) WhiteNoise serves from the sources.
WHITENOISE_USE_FINDERS = DEBUG or DEMO or envbool("ZHENGGAI_TESTING")
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(exist_ok=True)  # uncollected, but WhiteNoise warns when it is missing
# Evidence, documents and templates: on local disk under DATA_DIR by default, outside any web
# root, or in an S3-compatible store (MinIO, a government cloud's object storage) when
# ZHENGGAI_STORAGE=s3, so that several web servers share one store. MEDIA_URL is unset on purpose:
# files are served only by views that check who is asking (never by a public or signed URL).
STORAGE = envstr("ZHENGGAI_STORAGE", "local")
if STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured("ZHENGGAI_STORAGE must be local or s3")
# What every S3 store is given (the tests give their loopback store the same). Objects are
# private; nothing hands out their URLs: the views stream them after their access check
# (zhenggai.lib.storage). A file opened whole (an import confirmed) is held in memory up to
# max_memory_size, on disk beyond it.
S3_OPTIONS = {
    "default_acl": None,
    "querystring_auth": True,
    "querystring_expire": 60,
    "file_overwrite": False,
    "signature_version": "s3v4",
    "max_memory_size": 2 * 1024 * 1024,
}
if STORAGE == "s3":
    _files = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_OPTIONS,
            "bucket_name": envstr("ZHENGGAI_S3_BUCKET"),
            "endpoint_url": envstr("ZHENGGAI_S3_ENDPOINT") or None,
            "region_name": envstr("ZHENGGAI_S3_REGION") or None,
            "access_key": envstr("ZHENGGAI_S3_ACCESS_KEY") or None,
            "secret_key": envstr("ZHENGGAI_S3_SECRET_KEY") or None,
            "location": envstr("ZHENGGAI_S3_PREFIX"),
            "addressing_style": envstr("ZHENGGAI_S3_ADDRESSING", "path"),
        },
    }
    if not _files["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("ZHENGGAI_STORAGE=s3 needs ZHENGGAI_S3_BUCKET")
    if _files["OPTIONS"]["addressing_style"] not in ("path", "virtual"):
        raise ImproperlyConfigured("ZHENGGAI_S3_ADDRESSING must be path or virtual")
else:
    _files = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "files"), "base_url": None},
    }
STORAGES = {
    "default": _files,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or DEMO or envbool("ZHENGGAI_TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Backups (zhenggai backup, and the worker's daily one at BACKUP_TIME when BACKUP_DIR is set):
# the database and every stored file in one archive with a manifest of checksums; the worker
# keeps the last BACKUP_KEEP archives in BACKUP_DIR.
BACKUP_DIR = envstr("ZHENGGAI_BACKUP_DIR")
BACKUP_TIME = envstr("ZHENGGAI_BACKUP_TIME", "02:00")
BACKUP_KEEP = envint("ZHENGGAI_BACKUP_KEEP", 7)

# Limits of uploaded evidence: each file, and one request's files together (a progress report
# with its evidence, a document to import); the proxy in front must allow UPLOAD_MAX_BYTES too.
EVIDENCE_MAX_BYTES = envint("ZHENGGAI_EVIDENCE_MAX_MB", 20) * 1024 * 1024
UPLOAD_MAX_BYTES = envint("ZHENGGAI_UPLOAD_MAX_MB", 100) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# One import holds at most this many problems; its preview shows them a page at a time, and
# a page posts nine fields for each of IMPORT_PAGE_SIZE problems.
IMPORT_MAX_PROBLEMS = envint("ZHENGGAI_IMPORT_MAX_PROBLEMS", 5000)
IMPORT_PAGE_SIZE = 100
# A scan (OCR) or a legacy .doc/.wps/.xls/.et (LibreOffice) is read by the worker in the
# background, within this many seconds; a draft still reading after that says so. The default
# is the importer's own (zhenggai.intake.readers.DEFAULT_TIMEOUT): OCR's longest scan, 100
# pages at about 3 s a page, with room to spare.
IMPORT_READ_SECONDS = envint("ZHENGGAI_IMPORT_READ_SECONDS", 600)
# A confirmed progress import (progress by Excel) changing more rows than this is applied by
# the worker in the background; up to it, in the request (about 5 ms a row).
PROGRESS_IMPORT_INLINE_ROWS = envint("ZHENGGAI_PROGRESS_IMPORT_INLINE_ROWS", 500)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# A measure turns yellow this many days before its deadline.
WARNING_DUE_SOON_DAYS = envint("ZHENGGAI_WARNING_DAYS", 7)
# 立行立改 measures count as due this many days after the round's feedback date.
IMMEDIATE_DUE_DAYS = envint("ZHENGGAI_IMMEDIATE_DAYS", 30)

# Reminders (zhenggai worker): the daily run starts at this local time; items are announced
# this many working days before their deadline; an overdue item goes also to its lead section
# after ESCALATE_SECTION and to its responsible leader after ESCALATE_LEADER working days late.
REMINDER_TIME = envstr("ZHENGGAI_REMINDER_TIME", "08:30")
# The worker sweeps away what work cut short left behind (lib/sweep.py) daily after this time.
SWEEP_TIME = envstr("ZHENGGAI_SWEEP_TIME", "03:00")
REMIND_BEFORE_WORKDAYS = envint("ZHENGGAI_REMIND_BEFORE_WORKDAYS", 3)
ESCALATE_SECTION_WORKDAYS = envint("ZHENGGAI_ESCALATE_SECTION_WORKDAYS", 1)
ESCALATE_LEADER_WORKDAYS = envint("ZHENGGAI_ESCALATE_LEADER_WORKDAYS", 5)
# The reminder run issues a 催办单 of the system on a measure whose reminder has just escalated to
# its leader: late by ESCALATE_LEADER_WORKDAYS up to that plus URGE_WITHIN_WORKDAYS working days
# (so a worker stopped for a few days still catches up, while measures late long before, e.g.
# when the system is first installed, are not urged by the thousand at once). Off: false.
AUTO_URGE = envbool("ZHENGGAI_AUTO_URGE", True)
URGE_WITHIN_WORKDAYS = envint("ZHENGGAI_URGE_WITHIN_WORKDAYS", 5)
# A failed notification is tried again after 1, 2, 4, … times this many minutes, this many times.
NOTIFY_RETRY_MINUTES = envint("ZHENGGAI_NOTIFY_RETRY_MINUTES", 5)
NOTIFY_MAX_ATTEMPTS = envint("ZHENGGAI_NOTIFY_MAX_ATTEMPTS", 5)
NOTIFY_TIMEOUT_SECONDS = envint("ZHENGGAI_NOTIFY_TIMEOUT_SECONDS", 10)
# Group robots are reached only at these hosts (over HTTPS unless ROBOT_ALLOW_HTTP, for a
# private deployment's own robot server on an internal network).
ROBOT_HOSTS = [
    h.lower() for h in envlist("ZHENGGAI_ROBOT_HOSTS", "qyapi.weixin.qq.com,oapi.dingtalk.com")
]
ROBOT_ALLOW_HTTP = envbool("ZHENGGAI_ROBOT_ALLOW_HTTP", False)
# Links in reminders point here.
SITE_URL = envstr("ZHENGGAI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# E-mail reminders are on when an SMTP server is set (or, in the demo, written to files).
EMAIL_HOST = envstr("ZHENGGAI_EMAIL_HOST")
EMAIL_PORT = envint("ZHENGGAI_EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("ZHENGGAI_EMAIL_USER")
EMAIL_HOST_PASSWORD = envstr("ZHENGGAI_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("ZHENGGAI_EMAIL_TLS", False)
EMAIL_USE_SSL = envbool("ZHENGGAI_EMAIL_SSL", False)
EMAIL_TIMEOUT = NOTIFY_TIMEOUT_SECONDS
DEFAULT_FROM_EMAIL = envstr("ZHENGGAI_EMAIL_FROM", "zhenggai@localhost")
EMAIL_ENABLED = bool(EMAIL_HOST)
if DEMO and not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
    EMAIL_ENABLED = True

# Login rate limit: this many failures per account and address in the window lock it out.
LOGIN_MAX_FAILURES = envint("ZHENGGAI_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = envint("ZHENGGAI_LOGIN_LOCKOUT_SECONDS", 900)
# Failed logins from one address across all accounts (password spraying) in that window.
LOGIN_MAX_FAILURES_PER_ADDRESS = envint("ZHENGGAI_LOGIN_MAX_FAILURES_PER_ADDRESS", 100)

# PDFs of the notice are made by LibreOffice headless: this program (found on PATH when empty),
# given this many seconds per document, this many at once.
SOFFICE = envstr("ZHENGGAI_SOFFICE")
SOFFICE_TIMEOUT = envint("ZHENGGAI_SOFFICE_TIMEOUT", 60)
PDF_CONCURRENCY = envint("ZHENGGAI_PDF_CONCURRENCY", 2)
# Word documents filled from units' templates at once (each in a child process of up to ~1 GB).
RENDER_CONCURRENCY = envint("ZHENGGAI_RENDER_CONCURRENCY", 4)
# The reverse proxies in front of the application (addresses or networks): behind them, a
# client's address for rate limits is read from X-Forwarded-For.
TRUSTED_PROXIES = [
    ipaddress.ip_network(entry, strict=False) for entry in envlist("ZHENGGAI_TRUSTED_PROXIES")
]
# Opinions sent on a published notice: at most OPINION_MAX per device (a cookie the notice page
# gives each browser; browsers without one share their address's) and OPINION_MAX_PER_ADDRESS
# per address in the window, so a shared office or carrier address is not one person.
OPINION_MAX_PER_WINDOW = envint("ZHENGGAI_OPINION_MAX", 5)
OPINION_MAX_PER_ADDRESS = envint("ZHENGGAI_OPINION_MAX_PER_ADDRESS", 50)
OPINION_WINDOW_SECONDS = envint("ZHENGGAI_OPINION_WINDOW_SECONDS", 3600)
# Lookups of an opinion's reply by its tracking code, in the same window: per device and per
# address (every lookup counts, found or not, so codes cannot be tried in bulk).
OPINION_LOOKUP_MAX = envint("ZHENGGAI_OPINION_LOOKUP_MAX", 10)
OPINION_LOOKUP_MAX_PER_ADDRESS = envint("ZHENGGAI_OPINION_LOOKUP_MAX_PER_ADDRESS", 100)

# Ratings (好差评). The evaluation period (1, 3, 6 or 12 months: quarterly by default) groups
# 差评 into one round per unit and is what a 通报 ranks; a 差评 is to be rectified within
# BAD_REVIEW_WORKDAYS working days on the official calendar.
# The name the evaluation rounds give as their inspecting body (by default the office above
# the unit where the 评价办 works).
EVALUATION_BODY = envstr("ZHENGGAI_EVALUATION_BODY")
EVALUATION_PERIOD_MONTHS = envint("ZHENGGAI_EVALUATION_PERIOD_MONTHS", 3)
BAD_REVIEW_WORKDAYS = envint("ZHENGGAI_BAD_REVIEW_WORKDAYS", 5)
# A 通报 ranks the units with at least RANKING_MIN_SAMPLE ratings in the period and asks the last
# RANKING_BOTTOM of them for a rectification plan.
RANKING_MIN_SAMPLE = envint("ZHENGGAI_RANKING_MIN_SAMPLE", 30)
RANKING_BOTTOM = envint("ZHENGGAI_RANKING_BOTTOM", 3)
# The public rating page: at most RATING_MAX_PER_ADDRESS ratings per address in the window (a
# hall's rating tablets share one address), one per device and point in RATING_REPEAT_MINUTES
# without a case number; RATING_BURST_COUNT ratings at one point within RATING_BURST_MINUTES are
# flagged as a burst (kept and counted, shown to the evaluation office).
RATING_MAX_PER_ADDRESS = envint("ZHENGGAI_RATING_MAX_PER_ADDRESS", 120)
RATING_WINDOW_SECONDS = envint("ZHENGGAI_RATING_WINDOW_SECONDS", 3600)
RATING_REPEAT_MINUTES = envint("ZHENGGAI_RATING_REPEAT_MINUTES", 10)
RATING_BURST_COUNT = envint("ZHENGGAI_RATING_BURST_COUNT", 20)
RATING_BURST_MINUTES = envint("ZHENGGAI_RATING_BURST_MINUTES", 10)
# An on-site point rated outside these hours, or on a rest day, is flagged ("08:30-18:00").
OFFICE_HOURS = tuple(
    datetime.time.fromisoformat(part.strip())
    for part in envstr("ZHENGGAI_OFFICE_HOURS", "08:30-18:00").split("-", 1)
)
if len(OFFICE_HOURS) != 2 or OFFICE_HOURS[0] >= OFFICE_HOURS[1]:
    raise ValueError("ZHENGGAI_OFFICE_HOURS must be two times, opening-closing, as 08:30-18:00")

# Scripts, styles, images and fonts come from our own origin only: the pages load nothing from
# elsewhere and carry no inline script or style. Downloads set a stricter policy of their own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("ZHENGGAI_SESSION_HOURS", 12) * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not DEMO:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("ZHENGGAI_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("ZHENGGAI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("ZHENGGAI_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if envbool("ZHENGGAI_TESTING"):
    SECURE_SSL_REDIRECT = False
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is an explicit opt-in for the deploying organisation (ZHENGGAI_HSTS_PRELOAD).
    "security.W021",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "zhenggai": {"handlers": ["console"], "level": envstr("ZHENGGAI_LOG_LEVEL", "INFO")},
        # Errors Django itself turns into 500 pages (and refused Host headers) reach the log in
        # production too; Django's own default writes them to the console only in debug.
        "django": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# The API (/api/v1/): the browser's session or a personal token; limit/offset pages of at most
# API_MAX_PAGE rows; one error shape (zhenggai/api/errors.py); an OpenAPI 3 schema, documented
# from the package's own static files (no CDN).
API_MAX_PAGE = 200
# Credentials checked before the views, so that a valid token's upload is not held to the
# anonymous limit (lib/request_limits.py).
REQUEST_AUTHENTICATORS = ["zhenggai.api.tokens.bearer_user"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhenggai.api.authentication.BearerToken",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "zhenggai.api.permissions.TokenScope",
    ],
    "DEFAULT_PAGINATION_CLASS": "zhenggai.api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON in; an upload view names the multipart parser itself.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "zhenggai.api.errors.handle",
    # Requests per token (or per signed-in browser), e.g. "600/min", "50/s", "10000/hour".
    "DEFAULT_THROTTLE_CLASSES": ["zhenggai.api.throttling.PerToken"],
    "DEFAULT_THROTTLE_RATES": {"token": envstr("ZHENGGAI_API_RATE", "600/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "整改闭环 API",
    "DESCRIPTION": "巡察整改、评价与考核的数据接口。用个人接口令牌（在“接口令牌”页面创建）或浏览器登录状态访问。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation are for people signed in (or holding a token).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for each choice set used under the same field name in several records.
    "ENUM_NAME_OVERRIDES": {
        "ProblemStateEnum": "zhenggai.ledger.models.states.State",
        "NoticeStateEnum": "zhenggai.reports.models.Notice.State",
        "MonthStateEnum": "zhenggai.assessments.values.MonthState",
        "RatingLevelEnum": "zhenggai.evaluations.values.Level",
        "RatingLevelFilterEnum": "zhenggai.evaluations.filters.LEVEL_CHOICES",
        "OrderLevelEnum": "zhenggai.supervision.models.Escalation.Level",
        "OrderKindEnum": "zhenggai.supervision.models.Escalation.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "zhenggai.api.schema.document_errors",
    ],
}
