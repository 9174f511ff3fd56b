"""Joining the network: /<lang>/join/ (see join_views.py)."""

from django.urls import path

from . import join_views

app_name = "join"
urlpatterns = [
    path("", join_views.start, name="start"),
    path("step/<int:number>/", join_views.step, name="step"),
    path("thanks/", join_views.thanks, name="thanks"),
    path("applications/", join_views.applications, name="applications"),
    path("applications/<int:pk>/", join_views.application, name="application"),
    path("receipt/<int:pk>/", join_views.receipt, name="receipt"),
]
