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
