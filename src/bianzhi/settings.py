"""Django settings. Everything that differs between machines comes from the environment (see docs/operations.md)."""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from bianzhi.core.paths import default_database_path, secret_from_env_or_file, var_dir


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = var_dir()

SECRET_KEY = secret_from_env_or_file("BIANZHI_SECRET_KEY", "secret_key")
AUDIT_HMAC_KEY = secret_from_env_or_file("BIANZHI_AUDIT_KEY", "audit_key")
# SM4 key material for personal data (ID numbers, phone numbers) and the keyed hash used to look them up
PERSONAL_DATA_KEY = secret_from_env_or_file("BIANZHI_PERSONAL_DATA_KEY", "personal_data_key")
DEBUG = env_flag("BIANZHI_DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("BIANZHI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("BIANZHI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "bianzhi.core",  # before django_tasks_db: its db_worker (with a heartbeat) takes the place of theirs
    "django_tasks",
    "django_tasks_db",
    "bianzhi.orgs",
    "bianzhi.accounts",
    "bianzhi.audit",
    "bianzhi.quotas",
    "bianzhi.roster",
    "bianzhi.lifecycle",
    "bianzhi.matters",
    "bianzhi.registration",
    "bianzhi.supervision",
    "bianzhi.exchange",
    "bianzhi.disclosure",
    "bianzhi.reports",
    "bianzhi.api",
    "bianzhi.demo",
]

MIDDLEWARE = [
    "bianzhi.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bianzhi.core.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "bianzhi.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bianzhi.urls"
CSRF_FAILURE_VIEW = "bianzhi.core.views.csrf_failure"
WSGI_APPLICATION = "bianzhi.wsgi.application"

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
                "bianzhi.core.context_processors.installation",
                "bianzhi.accounts.navigation.navigation",
            ],
        },
    },
]

# ---------------------------------------------------------------- database
# DATABASE_URL in the usual URL form; without it, a SQLite file under var/.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{default_database_path()}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so check-then-write is serialised.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # a file, not shared-cache memory: the browser tests' server threads then get connections of their own,
    # and concurrent requests behave as in production
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
# DATABASE_REPLICA_URL: a PostgreSQL streaming replica of it. Report and list pages then read there, unless it is
# down or lags, or the user has just written (core/replica.py, docs/decisions/0006-read-replicas.md). Unset: one
# database, no router.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
BIANZHI_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("BIANZHI_REPLICA_MAX_LAG_SECONDS", "5"))
BIANZHI_REPLICA_STICKY_SECONDS = float(os.environ.get("BIANZHI_REPLICA_STICKY_SECONDS", "10"))
if DATABASE_REPLICA_URL and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _replica = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    # connect_timeout in seconds: a replica that is down costs a request at most that (core/replica.py)
    _options = {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {}), "connect_timeout": 2}
    DATABASES["replica"] = {**_replica, "OPTIONS": _options, "TEST": {"MIRROR": "default"}}  # tests never create it
    DATABASE_ROUTERS = ["bianzhi.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "bianzhi.core.replica.ReplicaMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- accounts and security (等保 2.0 level 3)
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_HISTORY_DEPTH = 5
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "bianzhi.accounts.passwords.ChineseMinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "bianzhi.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "bianzhi.accounts.passwords.NoUsernameValidator"},
    {"NAME": "bianzhi.accounts.passwords.ChineseCommonPasswordValidator"},
    {"NAME": "bianzhi.accounts.passwords.PasswordHistoryValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# 等保 locks the account wherever the attempts come from; locking by address would lock out an office behind one NAT.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_COOKIE_AGE = 30 * 60  # idle timeout: a request renews the 30 minutes …
SESSION_RENEW_SECONDS = 60  # … once a minute at most (core.middleware.SessionRenewalMiddleware), not a write a page
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
HTTPS = env_flag("BIANZHI_HTTPS", False)  # served over https (behind a TLS-terminating proxy)
# Secure cookies follow HTTPS unless set apart: over plain http a browser neither keeps nor sends a Secure cookie,
# and every login would fail its CSRF check (core.views.csrf_failure names this case).
SECURE_COOKIES = env_flag("BIANZHI_SECURE_COOKIES", HTTPS)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],  # Tabler and ECharts set style attributes from script
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# ---------------------------------------------------------------- cache
# Files under var/cache: one cache for every server process of this machine (the gunicorn workers), no service to run.
# It holds the public 实名制公示 workbook until the data changes and the public download counts (docs/operations.md).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("BIANZHI_CACHE_DIR") or str(VAR_DIR / "cache"),
        "TIMEOUT": 24 * 60 * 60,  # the workbook's key changes with the day anyway
        "OPTIONS": {"MAX_ENTRIES": 5000},  # one entry per client address counted, a few workbooks
    }
}
# Workbooks of the public pages one client address may download a minute (0: no limit); one more is told to wait.
BIANZHI_PUBLIC_DOWNLOADS_PER_MINUTE = int(os.environ.get("BIANZHI_PUBLIC_DOWNLOADS_PER_MINUTE", "10"))
# Public pages of the legal-person register (search, certificate verification) one client address may open a minute.
BIANZHI_PUBLIC_PAGES_PER_MINUTE = int(os.environ.get("BIANZHI_PUBLIC_PAGES_PER_MINUTE", "120"))
# 12310 举报: the public form's limit per client address and minute, the arithmetic question's lifetime, and the
# working-day deadlines (拟办 after receipt, 办结 after assignment, the one extension at most)
BIANZHI_PUBLIC_COMPLAINTS_PER_MINUTE = int(os.environ.get("BIANZHI_PUBLIC_COMPLAINTS_PER_MINUTE", "5"))
BIANZHI_COMPLAINT_CAPTCHA_SECONDS = 600
BIANZHI_COMPLAINT_DAYS = {"plan": 10, "conclude": 60, "extension_max": 30}
# The 整改台账 (supervision.rectification), in working days: the deadline a 整改通知书 sets by default and the longest;
# the time the notice gives the unit for its plan.
BIANZHI_RECTIFICATION_DAYS = {"deadline": 30, "deadline_max": 180, "plan": 10}
# 机构编制评估 grades (brief §7.4, a common convention): (lowest total, grade), the highest reached applies
BIANZHI_EVALUATION_GRADES = [(90, "优秀"), (80, "良好"), (60, "一般"), (0, "较差")]
# The address the public reaches this site at: the QR code printed on a certificate leads there (registration.printing).
BIANZHI_PUBLIC_BASE_URL = os.environ.get("BIANZHI_PUBLIC_BASE_URL", "http://localhost:8000")

# ---------------------------------------------------------------- language, time, static files
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BIANZHI_LOG_LEVEL", "WARNING")},
}

# ---------------------------------------------------------------- domain
# The county this installation serves; the demo marks its data as fictional (core.Installation).
BIANZHI_DEFAULT_COUNTY_NAME = os.environ.get("BIANZHI_COUNTY_NAME", "本县")
# years a 事业单位法人证书 is valid (brief §6.1: five)
BIANZHI_CERTIFICATE_YEARS = int(os.environ.get("BIANZHI_CERTIFICATE_YEARS", "5"))
# 事业单位登记 (brief §6.1–6.5), in working days unless named otherwise: 一次性告知 after receipt (else the application
# counts as accepted), the decision after acceptance, applying after the fact (设立 after approval, 变更 after the
# change, 注销 after 清算结束), the creditors' period (calendar days from the first notice), the longest 容缺 promise,
# the 备案 after a certificate; then the 开办资金 change that makes a 变更 mandatory, and the years a 容缺 applicant
# must have had no credit entry.
BIANZHI_REGISTRATION_DAYS = {
    "notice": 3,
    "decision": 30,
    "apply_setup": 60,
    "apply_change": 30,
    "apply_cancel": 15,
    "creditors_calendar": 90,
    "promise_max": 10,
    "filing": 60,  # 印章、基本账户、签字印迹 备案 after the certificate is issued
}
BIANZHI_CAPITAL_CHANGE_RATE = 0.2
BIANZHI_CREDIT_CLEAN_YEARS = 2
# A 用编核准单 stays valid this many days after approval; unused slots are then released (brief §2.1, CFG).
# 双随机一公开 (brief §6.7): the default share of the base drawn each time (1–3 %), and the working days after the
# inspection ends within which its results are published
BIANZHI_INSPECTION_RATE = Decimal(os.environ.get("BIANZHI_INSPECTION_RATE", "0.02"))
BIANZHI_INSPECTION_PUBLISH_DAYS = int(os.environ.get("BIANZHI_INSPECTION_PUBLISH_DAYS", "20"))
BIANZHI_APPROVAL_VALID_DAYS = int(os.environ.get("BIANZHI_APPROVAL_VALID_DAYS", "180"))
# API calls one token may make a minute (0: no limit); one more is answered 429 with the seconds to wait.
BIANZHI_API_CALLS_PER_MINUTE = int(os.environ.get("BIANZHI_API_CALLS_PER_MINUTE", "600"))
# Pushing the event feed to partners' addresses (api.webhooks): off unless set to 1; seconds a partner has to answer.
BIANZHI_WEBHOOKS = os.environ.get("BIANZHI_WEBHOOKS", "0") == "1"
BIANZHI_WEBHOOK_TIMEOUT = int(os.environ.get("BIANZHI_WEBHOOK_TIMEOUT", "10"))
# The networks (CIDR, separated by commas or spaces) API calls may come from, for a partner department that lists
# none of its own; empty: any address. Compared with REMOTE_ADDR: a forwarded-for header proves nothing.
BIANZHI_API_ALLOWED_NETWORKS = os.environ.get("BIANZHI_API_ALLOWED_NETWORKS", "").replace(",", " ").split()
# 年度报告 of registered 事业单位 (brief §6.6, CFG): sent from the first to the second month-day of the year after the
# one reported on; working days a 责令限期改正 gives the institution to send it.
BIANZHI_ANNUAL_REPORT_WINDOW = ("01-01", "03-31")
BIANZHI_ANNUAL_REPORT_CORRECTION_DAYS = int(os.environ.get("BIANZHI_ANNUAL_REPORT_CORRECTION_DAYS", "20"))
# The month-day of the year after the one counted by which the county's annual statistics are sent (brief §8:
# 次年 2 月 27 日); later needs a late explanation (迟报说明). Working days before it the 编办 is reminded (待办).
BIANZHI_STATS_DEADLINE = os.environ.get("BIANZHI_STATS_DEADLINE", "02-27")
BIANZHI_STATS_REMIND_DAYS = 10
# The largest attachment or scan kept (core.files), in bytes.
BIANZHI_MAX_FILE_BYTES = int(os.environ.get("BIANZHI_MAX_FILE_BYTES", str(50 * 1024 * 1024)))
# Working days a department or expert has to answer a consultation of a matter in 论证 (matters.workflow).
BIANZHI_CONSULTATION_DAYS = int(os.environ.get("BIANZHI_CONSULTATION_DAYS", "5"))
# Working days the 编办 has to answer a department's draft 规范性文件 (matters.normative), from its receipt.
BIANZHI_NORMATIVE_REVIEW_DAYS = int(os.environ.get("BIANZHI_NORMATIVE_REVIEW_DAYS", "5"))
# Working days each step of a 机构编制事项 may take, from the day the matter reached it (matters.workflow).
BIANZHI_MATTER_DEADLINES = {
    "PROPOSED": 5,  # the unit sends its 请示 after the collective discussion
    "SUBMITTED": 5,  # 编办 accepts or refuses (受理审核)
    "REVIEWING": 10,  # the formal check
    "STUDYING": 20,  # 论证 and the 合法合规性审查
    "OFFICE_MEETING": 10,  # 室务会
    "DELIBERATING": 20,  # 编委 / 常委会 / the upper level decides
    "DECIDED": 10,  # 组织实施: the change set is applied
    "IMPLEMENTED": 30,  # the unit reports on the implementation
    "REPORTED": 10,  # 编办 closes the matter
    "RETURNED": 10,  # the unit amends and sends it again
}

# ---------------------------------------------------------------- background tasks
# Imports and exports run in the database-backed queue; `bianzhi db_worker` executes them (docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
