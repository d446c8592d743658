"""Settings for the Oversight portal, read from the environment (README: Configuration).

With nothing set, the portal runs for local use: DEBUG on, SQLite, Celery tasks in-process,
mail to the console.
With DJANGO_DEBUG=0 every secret must come from the environment and start-up fails without it.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from typing import TypedDict

import dj_database_url
from celery.schedules import crontab
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env, envbool, envint, envlist, required, tiles_origin

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DJANGO_DEBUG", True)
if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
else:
    SECRET_KEY = required("DJANGO_SECRET_KEY")

if DEBUG:
    ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
else:
    ALLOWED_HOSTS = [host.strip() for host in required("DJANGO_ALLOWED_HOSTS").split(",") if host.strip()]
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# The portal's name as readers see it (the annual report's cover names it): a setting, because each region that runs
# the portal calls it by its own name. Russian by default, the language of the default interface.
OVERSIGHT_PORTAL_NAME = env("OVERSIGHT_PORTAL_NAME", "Портал общественных советов")

INSTALLED_APPS = [
    # Names in both official languages (and English): django-modeltranslation adds name_ru/name_kk/name_en columns
    # to the same table (councils/translation.py), so ordering, filters, .values() and the admin keep working with
    # no joins; django-parler's separate translation tables would need joins and its own query and admin API. It
    # must come before django.contrib.admin, and before councils so that the audit-history twins get the columns.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # /sitemap.xml (reports/seo.py): the sitemap templates, with per-language alternates.
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "django_ratelimit",
    # Audit trail: django-simple-history keeps a full snapshot of each changed row with who and when, queryable
    # per object (so the workspace can show a field-by-field diff), and is a maintained library. django-auditlog
    # (a JSON diff per change) was the alternative; snapshots also let us show a record as it stood.
    "simple_history",
    # Failed sign-ins are limited per account and address (AXES_* below).
    "axes",
    # Two-factor sign-in (accounts/): TOTP authenticator apps and single-use backup codes.
    "django_otp",
    "accounts.apps.OTPTOTPConfig",
    "accounts.apps.OTPStaticConfig",
    "core",
    "councils",
    "hearings",
    "monitoring",
    "appeals",
    # The library of environmental information (documents and publications), and the consultation log with
    # trainings and campaigns (the Aarhus Convention's pillars, for every council kind).
    "library",
    # A council's news, press releases and statements (issue 20, item 5).
    "news",
    "outreach",
    # Receptions of citizens: schedules, bookings, outcomes (an outcome may register an appeal).
    "receptions",
    "deputies",
    # The stakeholder registry: organisations (the councils' partners), contact people, the contact log, mailing
    # groups and mail-outs, shared across a network of councils where the owner allows (stakeholders/).
    "stakeholders",
    "reports",
    "interchange",
    "accounts",
    "alerts",
    # Public participation: comments on hearings and drafts under review, registrations to attend (participation/).
    "participation",
    # Citizens' rights over their personal data: the privacy notice and the register of processing.
    "privacy",
    # The OpenAPI schema and its documentation page (/api/schema/, /api/docs/); the sidecar ships Swagger UI's
    # files with the portal, so the page loads under the site's CSP with nothing from a CDN.
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    # First, so that every log line of a request carries its id.
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the next one, so that the 503 page gets the policy too (and its style nonce).
    "csp.middleware.CSPMiddleware",
    # Around everything that may touch the database: a refused connection gives a friendly 503, not a 500.
    "core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise, whose static files are compressed ahead of time and never reach it: pages, JSON and CSV
    # go out gzipped (Django's GZipMiddleware with its BREACH mitigation; files stored as they are pass by).
    "core.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads (and spools to disk) the body of every POST: a body over its route's
    # limit is refused from its Content-Length, unread (core/limits.py).
    "core.limits.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells whether the session has given its second factor (request.user.is_verified()); the next one sends a
    # session that still owes it to the code step (accounts/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user as the author of every history row written during the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes wants to be last: it turns a lockout raised during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# No DATABASE_URL: a SQLite file next to the code, for local use.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("kk", _("Kazakh")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Translated model fields (councils/translation.py): Russian is the language every record has; a Kazakh or English
# page shows the record's own name in that language and falls back to Russian (marked lang="ru" in the page).
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
# Follows LANGUAGES; a new language's columns come with one generated migration (core/languages.py).
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env("DJANGO_TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# The largest request body the portal takes (5 attachments of 10 MB and the form); the proxy's cap must match it.
OVERSIGHT_MAX_REQUEST_BYTES = envint("OVERSIGHT_MAX_REQUEST_BYTES", 62914560)
STORAGES = {
    # DJANGO_MEDIA_STORAGE names any Django storage backend, e.g. storages.backends.s3.S3Storage.
    "default": {"BACKEND": env("DJANGO_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Answers by e-mail reply (deputies/inbound.py, docs/deputies.md): the mail of a published question to a deputy
# carries the reply address answers+<token>@OVERSIGHT_MAIL_DOMAIN; empty turns the e-mail path off (the deputy
# answers on the portal). The inbound webhook (POST /inbound/deputy-answers/) needs the shared secret, sent in
# the X-Oversight-Inbound-Secret header; empty turns the webhook off (404). A reply address takes answers for
# OVERSIGHT_DEPUTY_REPLY_DAYS after the question's publication; a message larger than
# OVERSIGHT_DEPUTY_ANSWER_MAX_KB is refused unread.
OVERSIGHT_MAIL_DOMAIN = env("OVERSIGHT_MAIL_DOMAIN", "").strip().lower()
OVERSIGHT_INBOUND_SECRET = env("OVERSIGHT_INBOUND_SECRET", "")
OVERSIGHT_DEPUTY_REPLY_DAYS = envint("OVERSIGHT_DEPUTY_REPLY_DAYS", 180)
OVERSIGHT_DEPUTY_ANSWER_MAX_BYTES = envint("OVERSIGHT_DEPUTY_ANSWER_MAX_KB", 2048) * 1024

# Mail: the console in local use; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "media" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Oversight <noreply@oversight.local>")

# Celery: with no broker, tasks run in-process (eager); with CELERY_BROKER_URL, a real worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", None)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker child whose resident memory is above this many kilobytes after a task is replaced by a fresh one
# (Celery's worker_max_memory_per_child): a report build's peak is not carried into the next task. 0: no cap.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = envint("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 1_000_000) or None
# The worker keeps its database connection across tasks (config/celery.py closes it as Django closes a request's);
# Celery's own fix-up then recycles it only every this many tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request hands work to the broker after commit; if the broker is down it must fail fast (the outbox keeps
# the work) rather than keep the citizen waiting.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 0}
# The transactional outbox (core/outbox.py): a message whose handler keeps failing is tried this many times, the
# waits doubling from the first (1, 2, 4 … minutes: eight tries span about two hours), then marked failed for an
# administrator to look at (the admin's outbox page, and the count on /healthz).
OVERSIGHT_OUTBOX_MAX_ATTEMPTS = envint("OVERSIGHT_OUTBOX_MAX_ATTEMPTS", 8)
OVERSIGHT_OUTBOX_BACKOFF_SECONDS = envint("OVERSIGHT_OUTBOX_BACKOFF_SECONDS", 60)
# Following one item (alerts/follow.py): how often the items are compared with what their followers were told,
# and the least time between two mails to one follower (changes meanwhile go out together in the next mail).
ALERTS_FOLLOW_EVERY_MINUTES = envint("OVERSIGHT_ALERTS_FOLLOW_EVERY_MINUTES", 15)
ALERTS_FOLLOW_BATCH_MINUTES = envint("OVERSIGHT_ALERTS_FOLLOW_BATCH_MINUTES", 60)
CELERY_BEAT_SCHEDULE = {
    "outbox-flush": {"task": "core.tasks.flush_outbox", "schedule": 60.0},
    "report-builds-sweep": {"task": "reports.tasks.sweep_stale_report_builds", "schedule": 60.0},
    # Scheduled news whose moment has come: the council's cached pages and feeds are left behind (news/services.py).
    "news-release-scheduled": {"task": "news.tasks.release_scheduled_news", "schedule": 60.0},
    # Large XLSX exports of the inbox are files of personal data: deleted when their link expires (inbox_export_*).
    "appeals-exports-sweep": {"task": "appeals.tasks.sweep_inbox_exports", "schedule": crontab(minute=23)},
    "appeals-daily-digest": {"task": "appeals.tasks.send_daily_digest", "schedule": crontab(hour=8, minute=0)},
    # Personal data of appeals past OVERSIGHT_APPEAL_RETENTION_YEARS is anonymised at night (appeals/retention.py).
    # Unconfirmed personal data requests (they hold an address) and access files whose link expired (privacy/).
    "privacy-purge": {"task": "privacy.tasks.purge_expired_privacy_data", "schedule": crontab(minute=17)},
    # The consultation log's names and contacts past OVERSIGHT_CONSULTATION_RETENTION_YEARS (outreach/retention.py).
    "consultations-anonymise-expired": {
        "task": "outreach.tasks.anonymise_expired_consultations",
        "schedule": crontab(hour=3, minute=40),
    },
    # Contact people of the stakeholder registry past OVERSIGHT_STAKEHOLDER_CONTACT_RETENTION_YEARS (stakeholders/).
    "stakeholder-contacts-anonymise-expired": {
        "task": "stakeholders.tasks.anonymise_expired_contacts",
        "schedule": crontab(hour=3, minute=50),
    },
    "appeals-anonymise-expired": {
        "task": "appeals.tasks_retention.anonymise_expired_appeals",
        "schedule": crontab(hour=3, minute=30),
    },
    # Each council's secretaries get the list of overdue recommendations and information requests, on working
    # mornings' start; through the outbox, at most once per council and day (monitoring/services.py).
    "monitoring-overdue-reminders": {
        "task": "monitoring.tasks.send_overdue_reminders",
        "schedule": crontab(hour=8, minute=5),
    },
    # E-mail alerts to subscribers (alerts/digest.py): what changed since each one's last digest.
    # Reminders to citizens booked for a reception within a day; visitors' data erased after its term.
    "receptions-reminders": {"task": "receptions.tasks.send_reminders", "schedule": crontab(minute="*/15")},
    "receptions-erase-expired": {
        "task": "receptions.tasks.erase_expired_visitors",
        "schedule": crontab(hour=3, minute=45),
    },
    # A hearing's registrants are reminded the day before (participation/services.py), once each.
    "participation-hearing-reminders": {
        "task": "participation.tasks.send_hearing_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "alerts-daily-digests": {
        "task": "alerts.tasks.send_digests",
        "schedule": crontab(hour=8, minute=15),
        "kwargs": {"frequency": "daily"},
    },
    "alerts-weekly-digests": {
        "task": "alerts.tasks.send_digests",
        "schedule": crontab(hour=8, minute=20, day_of_week="mon"),
        "kwargs": {"frequency": "weekly"},
    },
    # Followers of one item are told what changed in public (alerts/follow.py), batched by ALERTS_FOLLOW_BATCH_MINUTES.
    "alerts-follow-news": {"task": "alerts.tasks.send_follow_news", "schedule": 60.0 * ALERTS_FOLLOW_EVERY_MINUTES},
}
# Task modules outside the apps' tasks.py, which autodiscovery does not load.
CELERY_IMPORTS = ["appeals.tasks_retention"]

CACHE_URL = env("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "core.cache.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

if not CACHE_URL:
    # The in-process cache is per process: fine for one local server and the tests, not for production,
    # where CACHE_URL (Redis) makes the appeal rate limits shared by all workers.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Public council pages are cached per council, language and year; an edit bumps the council's cache version,
# and this bounds how long a change made without signals (bulk imports) takes to show.
PORTAL_CACHE_SECONDS = envint("PORTAL_CACHE_SECONDS", 600)
# Open-data API answers are cached this long (0: off); public data, so a minute's delay is acceptable.
OPEN_API_CACHE_SECONDS = envint("OPEN_API_CACHE_SECONDS", 60)
ALERTS_RATE_PER_IP = env("OVERSIGHT_ALERTS_RATE_PER_IP", "10/h")
ALERTS_RATE_PER_EMAIL = env("OVERSIGHT_ALERTS_RATE_PER_EMAIL", "3/h")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON nested too deeply is a 400, not a RecursionError (core/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # drf-spectacular's, told who may call each operation and the open lists' errors (core/openapi.py).
    "DEFAULT_SCHEMA_CLASS": "core.openapi.PortalAutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Public councils of Kazakhstan: open data",
    "DESCRIPTION": (
        "Read-only open data of the public councils: councils, bodies, people (public fields only), state "
        "bodies, meetings, public hearings, monitoring, draft act reviews, recommendations with their answers, "
        "and published annual reports. Every list is paginated as JSON (`page`, `page_size` up to 500) and "
        "carries an ETag (send `If-None-Match` to get 304). `?format=csv` or `?format=xlsx` downloads the whole "
        "filtered list as one file, with fixed columns per list (dotted names such as `state_body.slug`; a nested "
        "list's values joined with `; `); add `&sep=semicolon` for Excel in the Russian or Kazakh locale, which "
        "splits CSV on `;`. Citizens' appeals are never listed: only their counts, in a council's statistics."
    ),
    "VERSION": "1.0.0",
    # OpenAPI 3.1: a nullable reference is `oneOf` with `null`; 3.0's `nullable` beside `allOf` is ignored by tools.
    "OAS_VERSION": "3.1.0",
    "SERVERS": [{"url": SITE_URL.rstrip("/"), "description": "This portal"}],
    # The data's licence; the portal's code is under AGPL-3.0-or-later (LICENSE).
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.openapi.nullable_as_null_type"],
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v[0-9]",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MemberRoleEnum": "councils.models.MemberRole",
        "BodyRoleEnum": "councils.models.BodyRole",
        "RecommendationStatusEnum": "monitoring.models.RecommendationStatus",
        "InformationRequestStatusEnum": "monitoring.open_api.PUBLIC_REQUEST_STATUS_CHOICES",
        "BuildStatusEnum": "reports.models.BuildStatus",
        "PartnerKindEnum": "councils.models.PartnerKind",
        "ReportFormatEnum": "reports.models.ReportFormat",
        "LanguageEnum": [code for code, _name in LANGUAGES],
        "DocumentLanguageEnum": "library.models.DocumentLanguage",
        "ReceptionFormatEnum": "receptions.models.ReceptionFormat",
        "NewsKindEnum": "news.models.NewsKind",
        "MediaKindEnum": "news.models.MediaKind",
    },
    # Swagger UI from the portal's own static files (drf-spectacular-sidecar): no CDN under the CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: Swagger UI writes each one as a link inside its operation's button (swagger-ui issue 9570),
    # interactive content nested in interactive content that assistive technology cannot reach (axe-core).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
}

# A report build still "running" after this long is presumed lost with its worker and is queued again.
REPORT_BUILD_STALE_MINUTES = envint("REPORT_BUILD_STALE_MINUTES", 15)
# The memory one report build may add to its process (megabytes of address space, core/memory.py); past it the
# build fails with a message asking the council to lower its annex threshold, and the worker lives on. 0: no cap.
REPORT_BUILD_MEMORY_MB = envint("REPORT_BUILD_MEMORY_MB", 1536)
# The inbox's XLSX export: up to this many appeals it is sent in the request; above, a Celery task builds it into
# a stored file that the user who asked downloads for INBOX_EXPORT_HOURS (inbox_export_*).
INBOX_EXPORT_SYNC_ROWS = envint("INBOX_EXPORT_SYNC_ROWS", 5000)
INBOX_EXPORT_HOURS = envint("INBOX_EXPORT_HOURS", 24)
# The report embeds DejaVu Sans (Debian fonts-dejavu-core): Cyrillic and every Kazakh letter.
REPORT_FONT_DIR = env("REPORT_FONT_DIR", "/usr/share/fonts/truetype/dejavu")

MEGABYTE = 1024 * 1024


class OversightSettings(TypedDict):
    """The types of settings.OVERSIGHT's values, for mypy (django-stubs reads them from this module)."""

    DRAFT_REVIEW_MIN_DAYS: int
    APPEAL_ANSWER_WORKING_DAYS: int
    APPEAL_FORWARD_WORKING_DAYS: int
    RECOMMENDATION_SEND_WORKING_DAYS: int
    RECOMMENDATION_ANSWER_WORKING_DAYS: int
    APPEAL_RATE_PER_IP: str
    APPEAL_RATE_PER_EMAIL: str
    APPEAL_RETENTION_YEARS: int
    CONSULTATION_RETENTION_YEARS: int
    STAKEHOLDER_CONTACT_RETENTION_YEARS: int
    PRIVACY_ACCESS_WORKING_DAYS: int
    PRIVACY_CORRECTION_WORKING_DAYS: int
    PRIVACY_ERASURE_WORKING_DAYS: int
    PRIVACY_LINK_HOURS: int
    PRIVACY_DOWNLOAD_HOURS: int
    PRIVACY_RATE_PER_IP: str
    PRIVACY_RATE_PER_EMAIL: str
    OPERATOR_NAME: str
    OPERATOR_ADDRESS: str
    OPERATOR_EMAIL: str
    DATA_LOCATION: str
    UPLOAD_REQUEST_MAX_BYTES: int
    REQUEST_MAX_BYTES: int
    APPEAL_MESSAGE_RATE_PER_IP: str
    APPEAL_MESSAGE_RATE_PER_APPEAL: str
    APPEAL_MESSAGES_MAX: int
    APPEAL_STORAGE_QUOTA_BYTES: int
    APPEAL_REPLY_DAYS: int
    PASSWORD_RESET_RATE_PER_IP: str
    PASSWORD_RESET_RATE_PER_EMAIL: str
    PARTICIPATION_RATE_PER_IP: str
    PARTICIPATION_RATE_PER_EMAIL: str


# The legal figures the portal applies by default (DOMAIN.md, "Legal facts"); councils may override some.
OVERSIGHT: OversightSettings = {
    "DRAFT_REVIEW_MIN_DAYS": envint("OVERSIGHT_DRAFT_REVIEW_MIN_DAYS", 10),
    "APPEAL_ANSWER_WORKING_DAYS": 15,
    # АППК art. 76: an appeal outside the council's competence goes to the competent body within this term.
    "APPEAL_FORWARD_WORKING_DAYS": 3,
    "RECOMMENDATION_SEND_WORKING_DAYS": 7,
    "RECOMMENDATION_ANSWER_WORKING_DAYS": 10,
    # Public appeal form limits (django-ratelimit rates: "N/s|m|h|d").
    "APPEAL_RATE_PER_IP": env("OVERSIGHT_APPEAL_RATE_PER_IP", "20/h"),
    "APPEAL_RATE_PER_EMAIL": env("OVERSIGHT_APPEAL_RATE_PER_EMAIL", "5/h"),
    # Public comments on hearings and drafts, and registrations to attend a hearing (participation/).
    "PARTICIPATION_RATE_PER_IP": env("OVERSIGHT_PARTICIPATION_RATE_PER_IP", "20/h"),
    "PARTICIPATION_RATE_PER_EMAIL": env("OVERSIGHT_PARTICIPATION_RATE_PER_EMAIL", "5/h"),
    # Years an ended appeal keeps its applicant's personal data before it is anonymised (SECURITY.md).
    "APPEAL_RETENTION_YEARS": envint("OVERSIGHT_APPEAL_RETENTION_YEARS", 5),
    # Years a consultation of the log (outreach/) keeps the name, contact and notes of the person consulted.
    "CONSULTATION_RETENTION_YEARS": envint("OVERSIGHT_CONSULTATION_RETENTION_YEARS", 3),
    # Years a contact person of the stakeholder registry keeps their name, position, e-mail, phone and notes after
    # the council last dealt with them (stakeholders/retention.py).
    "STAKEHOLDER_CONTACT_RETENTION_YEARS": envint("OVERSIGHT_STAKEHOLDER_CONTACT_RETENTION_YEARS", 3),
    # Requests about one's personal data (privacy/), Law No. 94-V «О персональных данных и их защите», art. 25 (2):
    # an access request is answered within 3 working days; data are changed, blocked or destroyed within 1 working
    # day. Counted on the working-day calendar from the day the request was confirmed (the next working day when
    # confirmed on a day off).
    "PRIVACY_ACCESS_WORKING_DAYS": envint("OVERSIGHT_PRIVACY_ACCESS_TERM_WORKDAYS", 3),
    "PRIVACY_CORRECTION_WORKING_DAYS": envint("OVERSIGHT_PRIVACY_CORRECTION_TERM_WORKDAYS", 1),
    "PRIVACY_ERASURE_WORKING_DAYS": envint("OVERSIGHT_PRIVACY_ERASURE_TERM_WORKDAYS", 1),
    # The one-time links: confirming a request, downloading its file.
    "PRIVACY_LINK_HOURS": envint("OVERSIGHT_PRIVACY_LINK_HOURS", 24),
    "PRIVACY_DOWNLOAD_HOURS": envint("OVERSIGHT_PRIVACY_DOWNLOAD_HOURS", 72),
    "PRIVACY_RATE_PER_IP": env("OVERSIGHT_PRIVACY_RATE_PER_IP", "10/h"),
    "PRIVACY_RATE_PER_EMAIL": env("OVERSIGHT_PRIVACY_RATE_PER_EMAIL", "3/h"),
    # The portal's operator, named in the privacy notice (/<lang>/privacy/) beside each appeal's council: the
    # organisation that runs the servers. Empty: the notice says "not set" and `check --deploy` warns.
    "OPERATOR_NAME": env("OVERSIGHT_OPERATOR_NAME", ""),
    "OPERATOR_ADDRESS": env("OVERSIGHT_OPERATOR_ADDRESS", ""),
    "OPERATOR_EMAIL": env("OVERSIGHT_OPERATOR_EMAIL", ""),
    # Where the database and the uploaded files are kept, in words ("a data centre in Almaty"): Law No. 94-V,
    # art. 12(2) requires databases of personal data to be kept on the territory of Kazakhstan.
    "DATA_LOCATION": env("OVERSIGHT_DATA_LOCATION", ""),
    # Request bodies (core/limits.py), refused with 413 before they are read: a page that takes files (the appeal
    # form, the tracking page, the appeal API: 5 files of 10 MB and the text) or a signed-in user may send the
    # first; any other request the second.
    # One figure with the reverse proxy's cap (deploy/nginx): the proxy and the portal refuse the same bodies.
    "UPLOAD_REQUEST_MAX_BYTES": OVERSIGHT_MAX_REQUEST_BYTES,
    "REQUEST_MAX_BYTES": envint("OVERSIGHT_REQUEST_MAX_MB", 3) * MEGABYTE,
    # The applicant's messages on the tracking page: per client address and per appeal (django-ratelimit rates),
    # checked before the message's body is read; and for the whole life of an appeal, how many messages and how
    # many bytes of attachments (its own included) it may hold.
    "APPEAL_MESSAGE_RATE_PER_IP": env("OVERSIGHT_APPEAL_MESSAGE_RATE_PER_IP", "30/h"),
    "APPEAL_MESSAGE_RATE_PER_APPEAL": env("OVERSIGHT_APPEAL_MESSAGE_RATE_PER_APPEAL", "10/h"),
    "APPEAL_MESSAGES_MAX": envint("OVERSIGHT_APPEAL_MESSAGES_MAX", 100),
    "APPEAL_STORAGE_QUOTA_BYTES": envint("OVERSIGHT_APPEAL_STORAGE_QUOTA_MB", 100) * MEGABYTE,
    # After the answer the applicant may still reply, and say whether it resolved the matter, for this many days.
    "APPEAL_REPLY_DAYS": envint("OVERSIGHT_APPEAL_REPLY_DAYS", 30),
    # Password reset e-mails: per client address (then 429) and per address asked for (then silently none).
    "PASSWORD_RESET_RATE_PER_IP": env("OVERSIGHT_PASSWORD_RESET_RATE_PER_IP", "10/h"),
    "PASSWORD_RESET_RATE_PER_EMAIL": env("OVERSIGHT_PASSWORD_RESET_RATE_PER_EMAIL", "3/h"),
}
# Django's own limits, stated: the non-file fields of one request (a JSON body too: core/parsers.py), and the
# size above which an uploaded file goes to a temporary file in FILE_UPLOAD_TEMP_DIR (the system's by default).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR = env("DJANGO_FILE_UPLOAD_TEMP_DIR", None)
# Behind a proxy, REMOTE_ADDR is the proxy: name the header that carries the client's address (a META key,
# "HTTP_X_FORWARDED_FOR", or the header's name), and how many proxies of ours append to it: the client is that
# many entries from the right (core.ratelimit.client_ip). A missing or malformed header falls back to REMOTE_ADDR.
CLIENT_IP_HEADER = env("OVERSIGHT_CLIENT_IP_HEADER", "")
TRUSTED_PROXY_COUNT = envint("OVERSIGHT_TRUSTED_PROXY_COUNT", 1)
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("OVERSIGHT_TRUSTED_PROXY_COUNT must be 1 or more")
RATELIMIT_IP_META_KEY = "core.ratelimit.client_ip"
# While the cache (Redis) is down the submission limits let submissions through rather than refuse them all
# (core/ratelimit.py says why); core/cache.py logs the outage once.
RATELIMIT_FAIL_OPEN = True

# Sign-in limits (django-axes): 5 failed attempts for one username from one address lock that pair for an hour;
# the same account from another address, or another account from this one, is not locked.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "core.axes.axes_username"
# The client's address exactly as the appeal rate limits read it (OVERSIGHT_CLIENT_IP_HEADER behind a proxy),
# so both limits see the same client.
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "reports:home"

# Two-factor sign-in (django-otp, accounts/): optional for council staff, required of portal administrators.
# After each wrong code the device refuses codes for 1, 2, 4, 8 … seconds (django-otp's throttling).
OTP_TOTP_ISSUER = "Oversight"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Logs go to stderr: one JSON object per line in production (for a log collector), plain text otherwise. Both
# carry the request id (core.middleware.RequestIdMiddleware); core/logging.py uses the standard library only.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}

# Errors to Sentry when SENTRY_DSN is set and sentry-sdk is installed (`pip install ".[sentry]"`). No personal
# data is sent: no cookies, headers with user data, request bodies or user ids (send_default_pii=False).
SENTRY_DSN = env("SENTRY_DSN", "")
if SENTRY_DSN:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        warnings.warn("SENTRY_DSN is set but sentry-sdk is not installed: errors are not reported", stacklevel=1)
    else:
        sentry_sdk.init(
            dsn=SENTRY_DSN,
            environment=env("SENTRY_ENVIRONMENT", "production"),
            integrations=[DjangoIntegration(), CeleryIntegration()],
            send_default_pii=False,
        )

# Security headers and cookies, in every mode (so the tests run under the same policy as production).
# Sessions are for staff only (citizens never sign in): they end with the working day or the browser.
SESSION_COOKIE_AGE = envint("DJANGO_SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): only this site's own scripts, styles, images and forms; no inline
# script at all. An inline <style> is allowed only with the response's nonce (`request.csp_nonce`; the 503 page
# uses it), and only responses that ask for the nonce carry one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.NONCE],
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    }
}
# The appeal form's optional map (Leaflet, from static/vendor/leaflet): the tiles' address template, e.g.
# https://tile.openstreetmap.org/{z}/{x}/{y}.png. Empty (the default): no map, the citizen types the latitude and
# longitude. When set, the tiles' origin is the one address the CSP lets images load from besides the site.
OVERSIGHT_MAP_TILES_URL = env("OVERSIGHT_MAP_TILES_URL", "") or ""
OVERSIGHT_MAP_ATTRIBUTION = env("OVERSIGHT_MAP_ATTRIBUTION", "© OpenStreetMap contributors") or ""
if OVERSIGHT_MAP_TILES_URL:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        tiles_origin("OVERSIGHT_MAP_TILES_URL", OVERSIGHT_MAP_TILES_URL)
    )

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    # A load balancer may probe over plain HTTP: /healthz answers instead of redirecting.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# WeasyPrint logs its progress at INFO: some fifty lines per report build.
LOGGING.setdefault("loggers", {}).update({"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}})
