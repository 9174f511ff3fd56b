"""The specialists directory at /<lang>/specialists/ and the requests to specialists.

Profiles (/<lang>/specialists/<slug>/) are Wagtail pages: no pattern here matches
them, so Django goes on to Wagtail's page serving. specialist_creation keeps these
words out of profiles' slugs.
"""

from django.urls import path

from . import specialist_views as views

app_name = "specialists"
urlpatterns = [
    path("", views.directory, name="index"),
    path("apply/", views.apply, name="apply"),
    path("apply/cv/<int:pk>/", views.cv, name="cv"),
    path("availability/", views.availability, name="availability"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/<int:pk>/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/feedback/", views.request_feedback, name="feedback"),
    path("requests/<int:pk>/<slug:action>/", views.request_action, name="action"),
]
