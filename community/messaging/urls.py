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
    # Ids are bounded like postman's own ({1,12} digits): a longer number is a 404,
    # not a database overflow.
    re_path(
        r"^write/association/(?P<association_id>\d{1,12})/$",
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
    re_path(r"^block/(?P<user_id>\d{1,12})/$", views.block, name="block"),
    re_path(r"^report/(?P<message_id>\d{1,12})/$", views.report, name="report"),
    path("preferences/", views.preferences, name="preferences"),
    path("moderation/", views.ModerationView.as_view(), name="moderation"),
]
