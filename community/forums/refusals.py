"""Why a forum page refused someone: the sentence shown on the 403 page.

machina raises a bare PermissionDenied when a signed-in person may not do something
(reply to a locked topic, read a private forum, edit someone else's post…), and
Django's page then says only "403 Forbidden". The portal's 403 page
(templates/403.html) asks `refusal(request)` for a clear reason in the visitor's
language; it is worked out from the view that refused and its URL's ids.
"""

from django.utils.translation import gettext as _


def _view_name(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None, {}
    view = getattr(match.func, "view_class", match.func)
    module = getattr(view, "__module__", "") or ""
    if not (module.startswith("machina.") or module.startswith("community.forums")):
        return None, {}
    return view.__name__, match.kwargs


def _forum(kwargs):
    from machina.apps.forum.models import Forum

    forum_id = kwargs.get("forum_pk") or kwargs.get("forum_id")
    return Forum.objects.filter(pk=forum_id).first() if forum_id else None


def _topic(kwargs, key):
    from machina.apps.forum_conversation.models import Topic

    topic_id = kwargs.get(key)
    return Topic.objects.select_related("forum").filter(pk=topic_id).first() if topic_id else None


def _is_private(forum):
    from .models import ForumOrigin

    return ForumOrigin.objects.filter(forum=forum, kind=ForumOrigin.ASSOCIATION).exists()


def _cannot_read(request, forum):
    if forum is None:
        return None
    if request.forum_permission_handler.can_read_forum(forum, request.user):
        return None
    if _is_private(forum):
        return _("This forum is reserved for the members of its association.")
    return _("You may not read this forum.")


def refusal(request):
    """The reason in the active language, or "" when the page is not a forum's."""
    name, kwargs = _view_name(request)
    if name is None:
        return ""
    user = request.user
    if name == "PostCreateView":
        topic = _topic(kwargs, "topic_pk")
        forum = topic.forum if topic else _forum(kwargs)
        reason = _cannot_read(request, forum)
        if reason:
            return reason
        if topic is not None and topic.is_locked:
            return _("This topic is locked: nobody can reply to it any more.")
        return _("You may not reply in this forum.")
    if name == "TopicCreateView":
        return _cannot_read(request, _forum(kwargs)) or _("You may not start topics in this forum.")
    if name in ("PostUpdateView", "TopicUpdateView", "PostDeleteView"):
        from machina.apps.forum_conversation.models import Post

        if name == "TopicUpdateView":
            topic = _topic(kwargs, "pk")
            post = topic.first_post if topic else None
        else:
            post = Post.objects.select_related("topic__forum").filter(pk=kwargs.get("pk")).first()
        if post is not None:
            reason = _cannot_read(request, post.topic.forum)
            if reason:
                return reason
            if post.poster_id != user.pk:
                if name == "PostDeleteView":
                    return _("You can only delete your own posts.")
                return _("You can only edit your own posts.")
            if post.topic.is_locked:
                return _("This topic is locked: its posts can no longer be changed.")
        return _("You may not change this post.")
    if name == "ForumView":
        return _cannot_read(request, _forum({"forum_pk": kwargs.get("pk")})) or _(
            "You may not do this in this forum."
        )
    if name in ("TopicView", "TopicSubscribeView", "TopicUnsubscribeView"):
        topic = _topic(kwargs, "pk")
        return _cannot_read(request, topic.forum if topic else None) or _(
            "You may not do this in this forum."
        )
    if getattr(request.resolver_match, "app_name", "") == "forum_moderation" or name in (
        "reports",
    ):
        return _("Only the moderators of this forum may do this.")
    return _("You may not do this in the forums.")
