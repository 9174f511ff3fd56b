"""Settings shared by every environment.

Everything that differs between machines is read from the environment. With no
variable set, the portal runs embedded: SQLite, the database search backend, a
local-memory cache, the in-memory channel layer, immediate tasks and console e-mail.
Each integration switches on when its variable is set (see README, "Configuration").
"""

import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

import environ
from machina import MACHINA_MAIN_STATIC_DIR, MACHINA_MAIN_TEMPLATE_DIR

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default=None)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# ---------------------------------------------------------------------------
# Applications. Third-party apps whose templates we override come after ours,
# so that `templates/` and our apps win.
# ---------------------------------------------------------------------------
INSTALLED_APPS = [
    # daphne first: its runserver serves HTTP and WebSocket (ASGI) in development.
    "daphne",
    "home",
    "accounts",
    "directory",
    "projects",
    "search",
    "community.forums",
    "community.messaging",
    # wagtail-localize replaces wagtail.locales (integration notes).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "channels",
    # Forums: django-machina and what it needs. haystack before wagtail.search would
    # matter for `update_index` (integration notes); Wagtail's is `wagtail_update_index`.
    "mptt",
    "haystack",
    "widget_tweaks",
    "machina",
    "machina.apps.forum",
    "machina.apps.forum_conversation",
    "machina.apps.forum_conversation.forum_attachments",
    "machina.apps.forum_conversation.forum_polls",
    "machina.apps.forum_feeds",
    "machina.apps.forum_moderation",
    "machina.apps.forum_search",
    "machina.apps.forum_tracking",
    "machina.apps.forum_member",
    "machina.apps.forum_permission",
    # Private messages and activity calendars.
    "postman",
    "schedule",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # whitenoise serves every asset from the app: no CDN, no third-party request.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # LocaleMiddleware after sessions (wagtail-localize notes), before CommonMiddleware.
    "home.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "machina.apps.forum_permission.middleware.ForumPermissionMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Our templates first, so overrides of third-party templates win.
        # Ours first so our overrides of machina's templates win (integration notes).
        "DIRS": [BASE_DIR / "templates", MACHINA_MAIN_TEMPLATE_DIR],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.site_chrome",
                "machina.core.context_processors.metadata",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Data stores
# ---------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the ASGI server read while a request writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

# machina writes migrations with AutoField; BigAutoField would make
# `makemigrations --check` want migrations inside site-packages (integration notes).
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "rabita",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# machina keeps the attachments of a post being written in a file cache (by name).
CACHES["machina_attachments"] = {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": env.path(
        "MACHINA_ATTACHMENTS_CACHE_DIR", default=BASE_DIR / "var" / "machina_attachments"
    ),
}

# Background work: immediate unless a worker is configured (TASK_BACKEND=database
# stores tasks for `manage.py db_worker`).
if env("TASK_BACKEND", default="immediate") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# ---------------------------------------------------------------------------
# Accounts: e-mail login (allauth), custom user from the first migration.
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# allauth's default rate limits stay on (login failures, sign-ups, e-mails).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_MAX_PIXELS = 4000

# ---------------------------------------------------------------------------
# Languages. Arabic is the default and the source locale. Adding a language is
# a line here plus its catalogue in locale/ (locales are created from this list).
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [
    ("ar", "العربية"),
    ("fr", "Français"),
    ("en", "English"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Africa/Casablanca follows Morocco's Ramadan clock change.
TIME_ZONE = "Africa/Casablanca"

# ---------------------------------------------------------------------------
# Static and media files
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_root"
STATICFILES_DIRS = [
    BASE_DIR / "portal" / "static",
    # Leaflet (the directory map) is served by the app from npm's copy: no CDN.
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    MACHINA_MAIN_STATIC_DIR,
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Files only staff may read (registration receipts): never under MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ---------------------------------------------------------------------------
# E-mail: console by default, EMAIL_URL (smtp://user:pass@host:587) in production.
# ---------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Rabita <no-reply@rabita.ma>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------------------
# Wagtail
# ---------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Rabita"
WAGTAILADMIN_BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000")
# The library needs a topic and a language on each document.
WAGTAILDOCS_DOCUMENT_MODEL = "home.LibraryDocument"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "odt",
    "xls",
    "xlsx",
    "ods",
    "ppt",
    "pptx",
    "csv",
    "txt",
]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = False  # allauth handles password reset for everyone

# Search: the database backend by default (SQLite FTS5 / PostgreSQL full text);
# Elasticsearch 9 when ELASTICSEARCH_URL is set (search/backends.py: Arabic and French
# analysis from search/elasticsearch_settings.py). The database index is kept up to
# date next to it (AUTO_UPDATE on both), so that when Elasticsearch refuses, fails or
# does not answer within TIMEOUT seconds, searches run on "database" and log a warning.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
# PostgreSQL's "simple" text-search configuration: the indexed keys are already folded
# by home.text for Arabic, French and darija; English stemming would only mangle them.
DATABASE_SEARCH = {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
WAGTAILSEARCH_BACKENDS = {"default": DATABASE_SEARCH}
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": env("ELASTICSEARCH_INDEX_PREFIX", default="rabita_"),
            # One attempt, one second to connect and answer: the fallback stays < 1.5 s.
            "TIMEOUT": env.float("ELASTICSEARCH_TIMEOUT", default=1.0),
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
            "FALLBACK": "database",
            # After a failure, Elasticsearch is left alone this long (seconds).
            "RETRY_AFTER": env.float("ELASTICSEARCH_RETRY_AFTER", default=10.0),
            # Merged into the analysis of search/elasticsearch_settings.py.
            "INDEX_SETTINGS": {
                "settings": {
                    "index": {
                        "number_of_shards": 1,
                        "number_of_replicas": env.int("ELASTICSEARCH_REPLICAS", default=0),
                    }
                }
            },
            "AUTO_UPDATE": True,
        },
        "database": {**DATABASE_SEARCH, "AUTO_UPDATE": True},
    }

# The directory map's tile server (any {z}/{x}/{y} URL template, e.g. a self-hosted one).
DIRECTORY_MAP_TILE_URL = env(
    "DIRECTORY_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
_tiles = urlsplit(DIRECTORY_MAP_TILE_URL.replace("{s}", "*"))  # {s}: Leaflet's subdomains
# Tiles on our own origin (a relative URL) need no exception in the CSP below.
DIRECTORY_MAP_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc}" if _tiles.netloc else "'self'"

# ---------------------------------------------------------------------------
# Forums (django-machina, community/forums). Each package's section is owned by
# the app that integrates it.
# ---------------------------------------------------------------------------
MACHINA_FORUM_NAME = "Rabita"
# Board pages extend our layout (header, footer, language switcher, RTL).
MACHINA_BASE_TEMPLATE_NAME = "machina/board_base.html"
# machina names its templates without a prefix ("forum/index.html", "board_base.html"):
# our overrides in templates/machina/ are looked up just before machina's own folder.
TEMPLATES[0]["DIRS"].insert(
    TEMPLATES[0]["DIRS"].index(MACHINA_MAIN_TEMPLATE_DIR), BASE_DIR / "templates" / "machina"
)
# markdown2's safe mode lets known payloads through: ours sanitises with nh3.
MACHINA_MARKUP_LANGUAGE = ("community.forums.markup.render", {})
# A plain textarea: machina's Markdown editor needs inline scripts and styles (CSP).
MACHINA_MARKUP_WIDGET = "django.forms.Textarea"
# machina shows get_username() by default: our users have none (e-mail login);
# __str__ is the public display name, never the e-mail address.
MACHINA_USER_DISPLAY_NAME_METHOD = "__str__"
MACHINA_PROFILE_AVATARS_ENABLED = False
# New accounts (first day): a few topics and replies, no flood.
FORUM_NEW_ACCOUNT_HOURS = 24
FORUM_NEW_ACCOUNT_TOPICS = 3
FORUM_NEW_ACCOUNT_REPLIES = 10
FORUM_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# Longest post (characters); checked by our views (MACHINA_POST_CONTENT_MAX_LENGTH would
# change machina's model field and make `makemigrations --check` fail).
FORUM_POST_MAX_LENGTH = 20_000
# machina's forum search (haystack): a whoosh file index, no server (integration notes).
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": env.path("FORUM_SEARCH_INDEX", default=BASE_DIR / "var" / "forum_index"),
        # Our index (community/forums/search_indexes.py) folds Arabic and French; it
        # replaces machina's. Posts are indexed by community/forums/signals.py.
        "EXCLUDED_INDEXES": ["machina.apps.forum_search.search_indexes.PostIndex"],
    }
}

# ---------------------------------------------------------------------------
# Private messages (django-postman, community/messaging): members only, delivered
# at once (postman's defaults let anonymous visitors write and keep messages pending).
# ---------------------------------------------------------------------------
POSTMAN_DISALLOW_ANONYMOUS = True
POSTMAN_AUTO_MODERATE_AS = True
# People are named by account number in URLs and forms, never by e-mail address.
POSTMAN_NAME_USER_AS = "pk"
POSTMAN_SHOW_USER_AS = "public_name"
# One recipient per message (an association's admins are reached through its page);
# no extra recipients slipped into a reply.
POSTMAN_DISALLOW_MULTIRECIPIENTS = True
POSTMAN_DISALLOW_COPIES_ON_REPLY = True
# Live events and e-mails in each recipient's language (community/messaging/notifier.py).
POSTMAN_NOTIFIER_APP = "community.messaging.notifier"
# Anti-spam: new accounts (days) send no links; messages per hour.
MESSAGING_NEW_ACCOUNT_DAYS = 7
MESSAGING_NEW_ACCOUNT_HOURLY_LIMIT = 10
MESSAGING_HOURLY_LIMIT = 60
# Minutes a message stays unread before a delayed e-mail (send_message_notifications).
MESSAGING_NOTIFICATION_DELAY = env.int("MESSAGING_NOTIFICATION_DELAY", default=15)

# ---------------------------------------------------------------------------
# Activity calendars (django-scheduler, projects/): its defaults let anyone create
# or move events; projects/ sets its permission functions (integration notes).
# ---------------------------------------------------------------------------
CALENDAR_VIEW_PERM = True
from projects import scheduler_permissions  # noqa: E402  (its callables import models lazily)

CHECK_EVENT_PERM_FUNC = scheduler_permissions.check_event_permission
CHECK_CALENDAR_PERM_FUNC = scheduler_permissions.check_calendar_permission
CHECK_OCCURRENCE_PERM_FUNC = scheduler_permissions.check_occurrence_permission
# django-scheduler expands recurrences with pytz, Django converts with zoneinfo: both
# must read the same time zone database, or an activity shifts by an hour whenever
# Morocco's rules differ between the OS copy and pytz. zoneinfo is pointed at the
# `tzdata` package, locked to the same release as pytz (requirements/*.lock).
zoneinfo.reset_tzpath(to=[])

# ---------------------------------------------------------------------------
# Security headers shared by every environment (production tightens the rest).
# ---------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views opt in to SAMEORIGIN themselves.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# CSP: everything from our own origin. The Wagtail admin is excluded: its editor
# relies on inline styles and scripts we do not control.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # The map tiles are the only images fetched from another origin.
        "img-src": ["'self'", "data:", DIRECTORY_MAP_TILE_ORIGIN],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
