"""The forums at /<lang>/forum/: machina's board (its URL namespaces: forum,
forum_conversation, forum_member…), some of its views replaced by ours at the same
addresses (views.py), and our own pages in the `forums` namespace."""

from django.urls import include, path

from haystack.views import search_view_factory
from machina.apps.forum_member import views as member_views

from . import views

CONVERSATION = "forum/<str:forum_slug>-<int:forum_pk>/"

own_patterns = [
    path("notifications/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("reports/", views.reports, name="reports"),
    path("post/<int:post_id>/report/", views.report_post, name="report"),
    path("follow/<int:forum_id>/", views.follow_forum, name="follow"),
]

# Same paths as machina's: resolved first, reversed by machina's names.
replaced_patterns = [
    path(f"{CONVERSATION}topic/create/", views.TopicCreateView.as_view()),
    path(f"{CONVERSATION}topic/<str:slug>-<int:pk>/update/", views.TopicUpdateView.as_view()),
    path(
        f"{CONVERSATION}topic/<str:topic_slug>-<int:topic_pk>/post/create/",
        views.PostCreateView.as_view(),
    ),
    path(
        f"{CONVERSATION}topic/<str:topic_slug>-<int:topic_pk>/<int:pk>/post/update/",
        views.PostUpdateView.as_view(),
    ),
    path("moderation/topic/<str:slug>-<int:pk>/move/", views.TopicMoveView.as_view()),
    # machina's own edit page first: "edit" would be taken for a member's id below.
    path("member/profile/edit/", member_views.ForumProfileUpdateView.as_view()),
    path("member/profile/<str:pk>/", views.ForumProfileDetailView.as_view()),
    path("member/profile/<str:pk>/posts/", views.UserPostsView.as_view()),
    path("tracking/mark/forum/<int:pk>/topics/", views.MarkTopicsReadView.as_view()),
    path(
        "search/",
        search_view_factory(view_class=views.ForumSearchView, form_class=views.ForumSearchForm),
    ),
]

urlpatterns = [
    path("", include((own_patterns, "forums"))),
    *replaced_patterns,
    path("", include("machina.urls")),
]
