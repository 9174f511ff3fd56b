"""Who may do what in the forums: one row per view group, one column per role.

Roles (tests/conftest.py `people`): anonymous, other_member (of another
association), member and admin (of L'Heure Joyeuse), specialist, moderator, staff
(an editor). "login" means a redirect to the login page. other_member administers
Al Amal, so they moderate its forum and reach the queues like L'Heure Joyeuse's admin.
"""

import pytest
from machina.apps.forum_conversation.models import Topic

from tests.conftest import ROLES

from .conftest import forum_url, topic_url

pytestmark = pytest.mark.django_db

OK, LOGIN, DENIED = 200, "login", 403


def expect(response, wanted):
    if wanted == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == wanted, response.status_code


def as_role(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
    return people[role]


# role → expected status, per view
MATRIX = {
    "index": dict.fromkeys(ROLES, OK),
    "public_forum": dict.fromkeys(ROLES, OK),
    "public_topic": dict.fromkeys(ROLES, OK),
    "public_topic_create": {
        "anonymous": LOGIN, "other_member": OK, "member": OK, "admin": OK,
        "specialist": OK, "moderator": OK, "staff": OK,
    },
    "announcement_create": {
        "anonymous": LOGIN, "other_member": DENIED, "member": DENIED, "admin": DENIED,
        "specialist": DENIED, "moderator": OK, "staff": OK,
    },
    "announcement_reply": {
        "anonymous": LOGIN, "other_member": DENIED, "member": DENIED, "admin": DENIED,
        "specialist": DENIED, "moderator": OK, "staff": OK,
    },
    "private_forum": {
        "anonymous": LOGIN, "other_member": DENIED, "member": OK, "admin": OK,
        "specialist": DENIED, "moderator": DENIED, "staff": DENIED,
    },
    "private_topic": {
        "anonymous": LOGIN, "other_member": DENIED, "member": OK, "admin": OK,
        "specialist": DENIED, "moderator": DENIED, "staff": DENIED,
    },
    "private_reply": {
        "anonymous": LOGIN, "other_member": DENIED, "member": OK, "admin": OK,
        "specialist": DENIED, "moderator": DENIED, "staff": DENIED,
    },
    "public_lock": {
        "anonymous": LOGIN, "other_member": DENIED, "member": DENIED, "admin": DENIED,
        "specialist": DENIED, "moderator": OK, "staff": DENIED,
    },
    "private_lock": {
        "anonymous": LOGIN, "other_member": DENIED, "member": DENIED, "admin": OK,
        "specialist": DENIED, "moderator": DENIED, "staff": DENIED,
    },
    "edit_others_post": {
        "anonymous": LOGIN, "other_member": DENIED, "member": DENIED, "admin": DENIED,
        "specialist": DENIED, "moderator": OK, "staff": DENIED,
    },
    "moderation_queue": {
        "anonymous": LOGIN, "other_member": OK, "member": DENIED, "admin": OK,
        "specialist": DENIED, "moderator": OK, "staff": DENIED,
    },
    "reports": {
        "anonymous": LOGIN, "other_member": OK, "member": DENIED, "admin": OK,
        "specialist": DENIED, "moderator": OK, "staff": DENIED,
    },
    "preferences": {**dict.fromkeys(ROLES, OK), "anonymous": LOGIN},
    "search": dict.fromkeys(ROLES, OK),
}  # fmt: skip


def url_for(view, forums, topics):
    public, private, announcement = topics["public"], topics["private"], topics["announcement"]
    return {
        "index": "/fr/forum/",
        "public_forum": forum_url(forums["field"]),
        "public_topic": topic_url(public),
        "public_topic_create": forum_url(forums["field"], "topic/create/"),
        "announcement_create": forum_url(forums["announcements"], "topic/create/"),
        "announcement_reply": topic_url(announcement, "post/create/"),
        "private_forum": forum_url(forums["private"]),
        "private_topic": topic_url(private),
        "private_reply": topic_url(private, "post/create/"),
        "public_lock": f"/fr/forum/moderation/topic/{public.slug}-{public.pk}/lock/",
        "private_lock": f"/fr/forum/moderation/topic/{private.slug}-{private.pk}/lock/",
        "edit_others_post": topic_url(public, "update/"),
        "moderation_queue": "/fr/forum/moderation/queue/",
        "reports": "/fr/forum/reports/",
        "preferences": "/fr/forum/notifications/",
        "search": "/fr/forum/search/?q=atelier",
    }[view]


@pytest.fixture
def topics(forums, make_topic):
    from tests.factories import UserFactory

    author = UserFactory()
    return {
        "public": make_topic(forums["field"], author, "Atelier de lecture"),
        "private": make_topic(forums["private"], author, "Réunion du bureau"),
        "announcement": make_topic(forums["announcements"], author, "Nouvelle charte"),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(MATRIX))
def test_permission_matrix(client, people, forums, topics, view, role):
    as_role(client, people, role)
    expect(client.get(url_for(view, forums, topics)), MATRIX[view][role])


def test_lock_then_reply_is_refused(client, people, forums, make_topic, topic_form):
    topic = make_topic(forums["field"], people["member"], status=Topic.TOPIC_LOCKED)
    client.force_login(people["other_member"])
    response = client.post(topic_url(topic, "post/create/"), topic_form(subject="Re"))
    assert response.status_code == 403
    assert topic.posts.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/fr/forum/forum/nope-999999/",
        "/fr/forum/forum/nope-999999/topic/create/",
        "/fr/forum/forum/x-1/topic/nope-999999/",
        "/fr/forum/forum/x-1/topic/nope-999999/post/create/",
        "/fr/forum/post/999999/report/",
        "/fr/forum/unsubscribe/not-a-token/",
        "/fr/forum/moderation/topic/x-999999/lock/",
    ],
    ids=["forum", "topic-create", "topic", "reply", "report", "unsubscribe", "lock"],
)
def test_unknown_ids_are_404(client, people, url):
    client.force_login(people["moderator"])
    assert client.get(url).status_code == 404
