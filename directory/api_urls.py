"""Open data of the directory: /api/associations.{json,csv} (see api.py)."""

from django.urls import path

from . import api

app_name = "directory_api"
urlpatterns = [
    path("associations.json", api.associations_json, name="associations_json"),
    path("associations.csv", api.associations_csv, name="associations_csv"),
]
