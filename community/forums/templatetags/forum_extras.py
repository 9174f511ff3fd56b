"""Template helpers of the forums: names in the active language, links we add."""

from django import template

from ..naming import forum_description, forum_name

register = template.Library()


@register.simple_tag(takes_context=True)
def localized_forum_name(context, forum):
    """{% localized_forum_name forum %}: the forum's name in the active language."""
    return forum_name(forum, context.get("request"))


@register.simple_tag(takes_context=True)
def localized_forum_description(context, forum):
    """The description in the active language (machina's rendered one as a fallback)."""
    description = forum_description(forum, context.get("request"))
    if description is None:
        return forum.description.rendered if forum.description else ""
    return description


@register.simple_tag(takes_context=True)
def forum_followed(context, forum):
    """Whether the person follows this forum (forum e-mails)."""
    from ..models import ForumSubscription

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return ForumSubscription.objects.filter(user=user, forum=forum).exists()


@register.simple_tag
def last_post_topics(forum_contents):
    """{topic id: topic} of the last posts of a forum list, in one query (machina's
    tree selects each forum's last post and poster, not its topic)."""
    from machina.apps.forum_conversation.models import Topic

    ids = {node.last_post.topic_id for node in forum_contents.nodes if node.last_post}
    topics = Topic.objects.filter(pk__in=ids).only("pk", "subject", "slug", "forum_id")
    return {topic.pk: topic for topic in topics}


@register.filter
def get_topic(topics, topic_id):
    return topics.get(topic_id)


@register.simple_tag(takes_context=True)
def forum_refusal(context):
    """{% forum_refusal as reason %}: why a forum page answered 403 ("" elsewhere)."""
    from ..refusals import refusal

    request = context.get("request")
    return refusal(request) if request is not None else ""


@register.simple_tag(takes_context=True)
def forum_permission(context, method, *args):
    """{% forum_permission 'can_edit_post' post request.user as allowed %}: machina's
    get_permission without its cost: machina lists every method of the permission
    handler (inspect.getmembers) on each call, about 1 ms, and a topic page asks
    two or three questions per post."""
    if not method.startswith("can_"):
        raise template.TemplateSyntaxError(f"Not a permission: {method}")
    request = context.get("request")
    handler = getattr(request, "forum_permission_handler", None)
    if handler is None:
        from machina.apps.forum_permission.handler import PermissionHandler

        handler = PermissionHandler()
    return getattr(handler, method)(*args)


@register.simple_tag(takes_context=True)
def forum_moderator(context):
    """Whether the person moderates at least one forum (the toolbar's queue links).

    machina's can_access_moderation_queue reads every forum and works out the
    person's rights on each: thousands with the associations' private forums, on
    every board page. Our rules are grants only (structure.py: no row refuses), so
    one row granting can_approve_posts anywhere is the same answer."""
    from machina.apps.forum_permission.models import (
        GroupForumPermission,
        UserForumPermission,
    )

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(request, "_forum_moderator", None)
    if cached is None:
        codename = "can_approve_posts"
        cached = (
            UserForumPermission.objects.filter(
                user=user, permission__codename=codename, has_perm=True
            ).exists()
            or GroupForumPermission.objects.filter(
                group__in=user.groups.all(), permission__codename=codename, has_perm=True
            ).exists()
        )
        request._forum_moderator = cached
    return cached
