"""E-mails about new posts in followed topics and forums, in each reader's language.

A published post (approved, in an approved topic) creates one ForumNotification per
follower who may read it: people subscribed to the topic (machina's subscription)
or following the forum, except its author. Followers who chose "immediately" get an
e-mail at once; "daily digest" ones get everything in one e-mail sent by the
`send_forum_digests` command (cron or the task worker, once a day); "never" ones
get nothing. Every e-mail carries links to stop following and to stop all forum
e-mails, which work without logging in (signed tokens).
"""

import logging
from datetime import timedelta

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from machina.apps.forum_permission.checker import ForumPermissionChecker

from accounts.models import User
from directory.notifications import absolute_url, language_of

from .models import ForumNotification, ForumSubscription, NotificationPreference

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "forums.unsubscribe"


def unsubscribe_token(user, topic=None, forum=None):
    """A token that stops one subscription (topic or forum) or, with neither, all e-mails."""
    data = {"u": user.pk}
    if topic is not None:
        data["t"] = topic.pk
    elif forum is not None:
        data["f"] = forum.pk
    return signing.dumps(data, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """The token's data, or None when it was tampered with."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def post_url(post):
    topic = post.topic
    path = reverse(
        "forum_conversation:topic",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum_id,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )
    return absolute_url(f"{path}?post={post.pk}#{post.pk}")


def unsubscribe_url(user, **target):
    return absolute_url(reverse("forums:unsubscribe", args=[unsubscribe_token(user, **target)]))


def followers(post):
    """Active people following the post's topic or forum, its author excepted."""
    topic = post.topic
    topic_ids = set(topic.subscribers.values_list("pk", flat=True))
    forum_ids = set(
        ForumSubscription.objects.filter(forum_id=topic.forum_id).values_list("user_id", flat=True)
    )
    ids = (topic_ids | forum_ids) - {post.poster_id}
    people = User.objects.filter(pk__in=ids, is_active=True)
    return [(person, person.pk in topic_ids) for person in people]


def post_published(post):
    """Record (and send at once when asked) the notifications of a published post."""
    already = set(ForumNotification.objects.filter(post=post).values_list("user_id", flat=True))
    people = [
        (person, by_topic) for person, by_topic in followers(post) if person.pk not in already
    ]
    if not people:
        return 0
    frequencies = dict(
        NotificationPreference.objects.filter(user__in=[p for p, _t in people]).values_list(
            "user_id", "frequency"
        )
    )
    sent = 0
    for person, by_topic in people:
        frequency = frequencies.get(person.pk, NotificationPreference.IMMEDIATELY)
        if frequency == NotificationPreference.NEVER:
            continue
        if not ForumPermissionChecker(person).has_perm("can_read_forum", post.topic.forum):
            continue
        notification = ForumNotification.objects.create(user=person, post=post)
        if frequency == NotificationPreference.IMMEDIATELY and send_new_post(
            person, post, by_topic
        ):
            notification.sent_at = timezone.now()
            notification.save(update_fields=["sent_at"])
            sent += 1
    return sent


def send(user, template, make_context, unsubscribe=None):
    """Render machina/forums/email/<template>*.txt in the user's language and send it."""
    with translation.override(language_of(user)):
        context = {"user": user, "site_name": gettext("Rabita"), **make_context()}
        context["stop_all_url"] = unsubscribe_url(user)
        subject = render_to_string(f"machina/forums/email/{template}_subject.txt", context)
        body = render_to_string(f"machina/forums/email/{template}.txt", context)
    headers = {"List-Unsubscribe": f"<{unsubscribe or context['stop_all_url']}>"}
    message = EmailMultiAlternatives(
        " ".join(subject.split()), body, to=[user.email], headers=headers
    )
    try:
        message.send()
    except Exception:  # noqa: BLE001 — a mail server failure must not undo the post
        logger.exception("Could not send the forum e-mail %s to user %s", template, user.pk)
        return False
    return True


def send_new_post(user, post, by_topic=True):
    target = {"topic": post.topic} if by_topic else {"forum": post.topic.forum}
    holder = {}

    def context():
        holder["stop"] = unsubscribe_url(user, **target)
        return {
            "post": post,
            "topic": post.topic,
            "forum_name": forum_display_name(post.topic.forum),
            "author": post.poster.public_name if post.poster else post.username,
            "excerpt": excerpt(post),
            "post_url": post_url(post),
            "stop_url": holder["stop"],
            "by_topic": by_topic,
        }

    return send(user, "new_post", context)


def excerpt(post, length=400):
    text = " ".join((post.content.raw or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def forum_display_name(forum):
    from .naming import forum_name

    return forum_name(forum)


# A digest at most this often: the command may run more often (run_periodic_jobs).
DIGEST_INTERVAL = timedelta(hours=23)


def send_digests(now=None):
    """One e-mail per "daily digest" follower with their unsent notifications, to those
    who had none in the last day."""
    now = now or timezone.now()
    last_digest = "user__forum_notification_preference__last_digest_at"
    pending = (
        ForumNotification.objects.filter(
            Q(**{f"{last_digest}__isnull": True})
            | Q(**{f"{last_digest}__lte": now - DIGEST_INTERVAL}),
            sent_at__isnull=True,
            user__is_active=True,
            user__forum_notification_preference__frequency=NotificationPreference.DAILY,
        )
        .select_related("user", "post__topic__forum", "post__poster")
        .order_by("user_id", "post__topic_id", "post__created")
    )
    by_user = {}
    for notification in pending:
        by_user.setdefault(notification.user, []).append(notification)
    sent = 0
    for user, notifications in by_user.items():
        checker = ForumPermissionChecker(user)
        readable = [
            n for n in notifications if checker.has_perm("can_read_forum", n.post.topic.forum)
        ]
        if readable:

            def context(readable=readable):
                topics = {}
                for item in readable:
                    topics.setdefault(item.post.topic, []).append(
                        {
                            "post": item.post,
                            "author": item.post.poster.public_name
                            if item.post.poster
                            else item.post.username,
                            "excerpt": excerpt(item.post, 200),
                            "url": post_url(item.post),
                        }
                    )
                return {
                    "topics": [
                        {
                            "topic": topic,
                            "forum_name": forum_display_name(topic.forum),
                            "posts": posts,
                        }
                        for topic, posts in topics.items()
                    ],
                    "count": len(readable),
                    "preferences_url": absolute_url(reverse("forums:preferences")),
                }

            if not send(user, "digest", context):
                continue
            sent += 1
        ForumNotification.objects.filter(pk__in=[n.pk for n in notifications]).update(sent_at=now)
        NotificationPreference.objects.filter(user=user).update(last_digest_at=now)
    return sent
