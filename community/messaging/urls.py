"""Private messages at /<lang>/messages/ (postman's URL names, namespace `postman`)."""

from postman.urls import urlpatterns  # noqa: F401

app_name = "postman"
