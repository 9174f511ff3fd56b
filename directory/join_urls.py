"""Joining the network: /<lang>/join/ (see join_views.py)."""

app_name = "join"
urlpatterns = []
