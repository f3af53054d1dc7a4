"""SHVO-portalen settings: one module, every difference comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG")
# pytest sets PYTEST_VERSION; tests and DEBUG may use a throwaway key, production may not.
TESTING = bool(os.environ.get("PYTEST_VERSION"))
DEVELOPMENT_SECRET_KEY = "django-insecure-shvo-development-only-key-do-not-use-in-production"
GENERATE_SECRET_KEY = (
    'python -c "from django.core.management.utils import get_random_secret_key; print(get_random_secret_key())"'
)


def env_example_value(name: str) -> str:
    """The value .env.example gives `name`: a placeholder that must never be used in production."""
    try:
        lines = (BASE_DIR / ".env.example").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    return next((line.split("=", 1)[1].strip() for line in lines if line.startswith(f"{name}=")), "")


def secret_key_problem(key: str, placeholders: set[str]) -> str:
    """Why `key` is unfit for production, or "" if it is fit."""
    if not key:
        return "DJANGO_SECRET_KEY saknas"
    if key in placeholders:
        return "DJANGO_SECRET_KEY är exempelvärdet, inte en egen nyckel"
    if key.startswith("django-insecure"):
        return "DJANGO_SECRET_KEY börjar med django-insecure (en utvecklingsnyckel)"
    if len(key) < 50:
        return f"DJANGO_SECRET_KEY är för kort ({len(key)} tecken, minst 50 krävs)"
    if len(set(key)) < 5:
        return "DJANGO_SECRET_KEY har för få olika tecken (minst 5 krävs)"
    return ""


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not (DEBUG or TESTING):
    problem = secret_key_problem(SECRET_KEY, {env_example_value("DJANGO_SECRET_KEY"), DEVELOPMENT_SECRET_KEY})
    if problem:
        raise ImproperlyConfigured(
            f"{problem}. Sätt en slumpmässig nyckel (krävs när DJANGO_DEBUG inte är på); skapa en med: "
            f"{GENERATE_SECRET_KEY}"
        )
elif not SECRET_KEY:
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "simple_history",
    "axes",
    "core",
    "governance",
    "documents",
    "meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shvo.urls"
WSGI_APPLICATION = "shvo.wsgi.application"
ASGI_APPLICATION = "shvo.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Django's form templates, with the field group, labels, errors and the plain widgets written in Python (the same
# markup; see core/renderer.py).
FORM_RENDERER = "core.renderer.FastFormRenderer"


def database_settings(url: str, *, conn_max_age: int, connect_timeout: int, statement_timeout_ms: int) -> dict:
    """One database from its URL, with timeouts: a database that accepts connections but never answers (or a query
    that never ends) fails that request after a while instead of holding every worker forever."""
    db = dj_database_url.parse(url, conn_max_age=conn_max_age)
    options = db.setdefault("OPTIONS", {})
    if db["ENGINE"] == "django.db.backends.postgresql":
        options.setdefault("connect_timeout", connect_timeout)  # seconds, the whole connection set-up
        if statement_timeout_ms > 0:
            options["options"] = f"{options.get('options', '')} -c statement_timeout={statement_timeout_ms}".strip()
        # QuerySet.iterator() (Django's model choice lists: every select of rows on a form) reads with a plain query:
        # a server-side cursor costs three round trips (declare, fetch, close), and nothing here iterates over more
        # rows than fit in memory.
        db["DISABLE_SERVER_SIDE_CURSORS"] = True
    elif db["ENGINE"] == "django.db.backends.sqlite3":
        options.setdefault("timeout", connect_timeout)  # seconds to wait for another process's lock
    return db


DATABASES = {
    "default": database_settings(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        connect_timeout=int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5")),
        statement_timeout_ms=int(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT_MS", "30000")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per-process memory cache (rendered PDFs of unchanged documents); no external service to run.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 200}}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in throttling: five failed attempts lock that user name from that address for 15 minutes; 30 failed attempts
# from one address within an hour, whatever the user names, lock that address (password spraying; shvo/signin.py).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_HANDLER = "shvo.signin.AxesHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one row per failure: what the limit per address counts
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "30"))
AXES_IP_WINDOW_MINUTES = int(os.environ.get("AXES_IP_WINDOW_MINUTES", "60"))
# The client's address: REMOTE_ADDR, or with N reverse proxies in front the address the outermost one saw (the N-th
# entry from the right in X-Forwarded-For). Entries further left are written by the client and never trusted.
TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "shvo.signin.client_ip"

# Guardian: no anonymous user row; anonymous reads go through governance.permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Swedish everywhere; English is prepared through gettext but not offered until its translations exist
# (no LocaleMiddleware, so an English browser still gets Swedish text, dates and numbers).
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["shvo.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The text editor comes from npm (package.json; `make setup` installs it) and is served as our own static files, so
# nothing is loaded from another site: TinyMCE under static/vendor/tinymce/, its Swedish texts under
# static/vendor/tinymce-i18n/ (core.widgets.RichText, static/js/editor.js).
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/tinymce", NODE_MODULES / "tinymce"),
    ("vendor/tinymce-i18n", NODE_MODULES / "tinymce-i18n" / "langs8"),
]
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# Strict CSP: only our own origin; no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not TESTING)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", not TESTING)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if TESTING else "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG or TESTING
            else "django.core.mail.backends.smtp.EmailBackend",
        )
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "shvo-portalen@example.se")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
