"""Hermetic test settings: database search, local-memory cache, fast hashing,
immediate tasks, in-memory e-mail. DATABASE_URL may point the suite at PostgreSQL."""

import tempfile

from .base import *  # noqa: F403
from .base import DATABASE_SEARCH

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789abcdefghijklmnop"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "machina_attachments": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": tempfile.mkdtemp(prefix="rabita-test-attachments-"),
    },
}
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILSEARCH_BACKENDS = {"default": DATABASE_SEARCH}
# Uploaded files go to a throw-away folder; static files need no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="rabita-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="rabita-test-private-")
# The forum search index (whoosh) is a throw-away folder too.
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": tempfile.mkdtemp(prefix="rabita-test-forum-index-"),
        "EXCLUDED_INDEXES": ["machina.apps.forum_search.search_indexes.PostIndex"],
    }
}
