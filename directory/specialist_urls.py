"""The specialists directory at /<lang>/specialists/ and the requests to specialists.

Profiles (/<lang>/specialists/<slug>/) are Wagtail pages: no pattern here matches
them, so Django goes on to Wagtail's page serving. specialist_creation keeps these
words out of profiles' slugs.
"""

from django.urls import path, register_converter

from . import specialist_views as views


class DatabaseIdConverter:
    """A database id: at most 18 digits, so that a longer number in an address is a
    404 rather than an overflow in the database (SQLite stores 64-bit integers, and
    lookups through a page's `page_ptr` are not guarded against it by Django)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(DatabaseIdConverter, "specialist_db_id")

app_name = "specialists"
urlpatterns = [
    path("", views.directory, name="index"),
    path("apply/", views.apply, name="apply"),
    path("apply/cv/<specialist_db_id:pk>/", views.cv, name="cv"),
    path("availability/", views.availability, name="availability"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/<specialist_db_id:pk>/", views.request_new, name="request_new"),
    path("requests/<specialist_db_id:pk>/", views.request_detail, name="request"),
    path("requests/<specialist_db_id:pk>/feedback/", views.request_feedback, name="feedback"),
    path("requests/<specialist_db_id:pk>/<slug:action>/", views.request_action, name="action"),
]
