"""Association admins' pages: /<lang>/my/associations/ (see manage_views.py)."""

from django.urls import path

from . import manage_views

app_name = "manage"
urlpatterns = [
    path("", manage_views.my_associations, name="list"),
    path("<int:pk>/edit/", manage_views.edit, name="edit"),
    path("<int:pk>/members/", manage_views.members, name="members"),
    path("invitations/<str:token>/", manage_views.accept, name="accept"),
]
