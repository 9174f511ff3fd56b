"""Association admins' pages: /<lang>/my/associations/ (see manage_views.py)."""

app_name = "manage"
urlpatterns = []
