"""All projects (/<lang>/projects/) and the agenda (/<lang>/agenda/).

Project pages themselves are Wagtail pages under their association; these are the
lists, the members' forms, the feeds and the JSON. django-scheduler's own URLs are
not mounted (they let anyone create or move events).
"""

from django.urls import path

from . import feeds, views

app_name = "projects"
urlpatterns = [
    path("projects/", views.project_index, name="index"),
    path("projects/<int:pk>.json", views.project_json, name="project_json"),
    path("projects/<int:pk>/updates.atom", feeds.updates_feed, name="updates_feed"),
    path("projects/<int:pk>/agenda.ics", feeds.project_ics, name="project_ics"),
    path("projects/new/<int:association_pk>/", views.project_create, name="project_create"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/phases/add/", views.phase_add, name="phase_add"),
    path("projects/<int:pk>/phases/<str:phase_id>/edit/", views.phase_edit, name="phase_edit"),
    path(
        "projects/<int:pk>/phases/<str:phase_id>/milestones/add/",
        views.milestone_add,
        name="milestone_add",
    ),
    path(
        "projects/<int:pk>/phases/<str:phase_id>/milestones/<str:milestone_id>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path("projects/<int:pk>/updates/add/", views.update_add, name="update_add"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/month/", views.agenda_month, name="agenda_month"),
    path("agenda/calendar.ics", feeds.agenda_ics, name="agenda_ics"),
    path("agenda/associations/<int:pk>.ics", feeds.association_ics, name="association_ics"),
    path("agenda/activities/<int:pk>/", views.activity_detail, name="activity"),
    path(
        "agenda/activities/new/<int:association_pk>/",
        views.activity_create,
        name="activity_create",
    ),
    path("agenda/activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("agenda/activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("agenda/activities/<int:pk>/attendees/", views.attendees, name="attendees"),
    path(
        "agenda/activities/<int:pk>/dates/<str:key>/cancel/",
        views.occurrence_cancel,
        name="occurrence_cancel",
    ),
    path(
        "agenda/activities/<int:pk>/dates/<str:key>/move/",
        views.occurrence_move,
        name="occurrence_move",
    ),
    path("agenda/activities/<int:pk>/dates/<str:key>/register/", views.register, name="register"),
    path(
        "agenda/activities/<int:pk>/dates/<str:key>/unregister/",
        views.unregister,
        name="unregister",
    ),
]
