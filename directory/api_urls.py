"""Open data of the directory: /api/associations.{json,csv} (see api.py)."""

app_name = "directory_api"
urlpatterns = []
