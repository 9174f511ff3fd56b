"""What the forums add to other pages: the latest topics on the home page and on
association profiles, the followed topics on the member dashboard (wagtail_hooks.py
registers these functions). Each costs a constant number of queries."""

from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Topic
from machina.apps.forum_permission.handler import PermissionHandler

from directory.models import Membership

HOME_TOPICS = 5
ASSOCIATION_TOPICS = 5
DASHBOARD_TOPICS = 8


def readable_forum_ids(request):
    handler = getattr(request, "forum_permission_handler", None) or PermissionHandler()
    return [forum.pk for forum in handler.get_readable_forums(Forum.objects.all(), request.user)]


def latest_topics(forum_ids, limit, **filters):
    return list(
        Topic.objects.filter(forum_id__in=forum_ids, approved=True, **filters)
        .select_related("forum", "last_post__poster", "poster")
        .order_by("-last_post_on")[:limit]
    )


def home_section(request, page):
    topics = latest_topics(readable_forum_ids(request), HOME_TOPICS)
    if not topics:
        return None
    return {"template": "machina/forums/sections/home.html", "order": 40, "topics": topics}


def association_section(request, page):
    """Topics started by the association's members, where the visitor may read them."""
    source = page.source_page
    members = Membership.objects.filter(association=source).values("user_id")
    topics = latest_topics(readable_forum_ids(request), ASSOCIATION_TOPICS, poster__in=members)
    if not topics:
        return None
    return {
        "template": "machina/forums/sections/association.html",
        "order": 60,
        "context": {"forum_topics": topics},
    }


def dashboard_panel(request):
    if not request.user.is_authenticated:
        return None
    topics = list(
        request.user.topic_subscriptions.filter(approved=True)
        .select_related("forum", "last_post__poster")
        .order_by("-last_post_on")[:DASHBOARD_TOPICS]
    )
    return {"template": "machina/forums/sections/dashboard.html", "order": 50, "topics": topics}
