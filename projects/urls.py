"""All projects (/<lang>/projects/) and the agenda (/<lang>/agenda/).

Project pages themselves are Wagtail pages under their association; these are the
lists, the members' forms, the feeds and the JSON. django-scheduler's own URLs are
not mounted (they let anyone create or move events).
"""

from django.urls import path, register_converter

from . import feeds, views


class IdConverter:
    """A database id: at most 18 digits, so that a longer number in an address is a
    404 instead of an overflow in the database (SQLite stores 64-bit integers)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "dbid")

app_name = "projects"
urlpatterns = [
    path("projects/", views.project_index, name="index"),
    path("projects/<dbid:pk>.json", views.project_json, name="project_json"),
    path("projects/<dbid:pk>/updates.atom", feeds.updates_feed, name="updates_feed"),
    path("projects/<dbid:pk>/agenda.ics", feeds.project_ics, name="project_ics"),
    path("projects/new/<dbid:association_pk>/", views.project_create, name="project_create"),
    path("projects/<dbid:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<dbid:pk>/phases/add/", views.phase_add, name="phase_add"),
    path("projects/<dbid:pk>/phases/<str:phase_id>/edit/", views.phase_edit, name="phase_edit"),
    path(
        "projects/<dbid:pk>/phases/<str:phase_id>/milestones/add/",
        views.milestone_add,
        name="milestone_add",
    ),
    path(
        "projects/<dbid:pk>/phases/<str:phase_id>/milestones/<str:milestone_id>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path("projects/<dbid:pk>/updates/add/", views.update_add, name="update_add"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/month/", views.agenda_month, name="agenda_month"),
    path("agenda/calendar.ics", feeds.agenda_ics, name="agenda_ics"),
    path("agenda/associations/<dbid:pk>.ics", feeds.association_ics, name="association_ics"),
    path("agenda/activities/<dbid:pk>/", views.activity_detail, name="activity"),
    path(
        "agenda/activities/new/<dbid:association_pk>/",
        views.activity_create,
        name="activity_create",
    ),
    path("agenda/activities/<dbid:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("agenda/activities/<dbid:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("agenda/activities/<dbid:pk>/attendees/", views.attendees, name="attendees"),
    path(
        "agenda/activities/<dbid:pk>/dates/<str:key>/cancel/",
        views.occurrence_cancel,
        name="occurrence_cancel",
    ),
    path(
        "agenda/activities/<dbid:pk>/dates/<str:key>/move/",
        views.occurrence_move,
        name="occurrence_move",
    ),
    path("agenda/activities/<dbid:pk>/dates/<str:key>/register/", views.register, name="register"),
    path(
        "agenda/activities/<dbid:pk>/dates/<str:key>/unregister/",
        views.unregister,
        name="unregister",
    ),
]
