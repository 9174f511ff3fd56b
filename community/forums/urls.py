"""The forums at /<lang>/forum/: machina's board (its URL namespaces: forum, forum_conversation…)."""

from django.urls import include, path

urlpatterns = [
    path("", include("machina.urls")),
]
