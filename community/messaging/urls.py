"""Private messages at /<lang>/messages/: postman's URL patterns re-declared with
our views and rules (every postman name kept, namespace `postman`), plus ours."""

from django.urls import include, path, re_path

from postman import api_urls
from postman.views import IndexView

from . import views

app_name = "postman"
urlpatterns = [
    re_path(r"^inbox/(?:(?P<option>m)/)?$", views.InboxView.as_view(), name="inbox"),
    re_path(r"^sent/(?:(?P<option>m)/)?$", views.SentView.as_view(), name="sent"),
    re_path(r"^archives/(?:(?P<option>m)/)?$", views.ArchivesView.as_view(), name="archives"),
    re_path(r"^trash/(?:(?P<option>m)/)?$", views.TrashView.as_view(), name="trash"),
    path(
        "write/association/<int:association_id>/",
        views.AssociationWriteView.as_view(),
        name="write_association",
    ),
    re_path(r"^write/(?:(?P<recipients>[^/#]+)/)?$", views.WriteView.as_view(), name="write"),
    re_path(r"^reply/(?P<message_id>[\d]{1,12})/$", views.ReplyView.as_view(), name="reply"),
    re_path(r"^view/(?P<message_id>[\d]{1,12})/$", views.MessageView.as_view(), name="view"),
    re_path(
        r"^view/t/(?P<thread_id>[\d]{1,12})/$",
        views.ConversationView.as_view(),
        name="view_conversation",
    ),
    path("archive/", views.ArchiveView.as_view(), name="archive"),
    path("delete/", views.DeleteView.as_view(), name="delete"),
    path("undelete/", views.UndeleteView.as_view(), name="undelete"),
    path("mark-read/", views.MarkReadView.as_view(), name="mark-read"),
    path("mark-unread/", views.MarkUnreadView.as_view(), name="mark-unread"),
    path("", IndexView.as_view(), name="index"),
    path("api/", include(api_urls)),
    path("live/", views.live_state, name="live_state"),
    path("block/<int:user_id>/", views.block, name="block"),
    path("report/<int:message_id>/", views.report, name="report"),
    path("preferences/", views.preferences, name="preferences"),
    path("moderation/", views.ModerationView.as_view(), name="moderation"),
]
