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
    "profile_edit": {**dict.fromkeys(ROLES, OK), "anonymous": LOGIN},
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
        "profile_edit": "/fr/forum/member/profile/edit/",
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
        "/fr/forum/moderation/topic/x-999999/move/",
        "/fr/forum/member/profile/999999/",
        "/fr/forum/member/profile/abc/",
        "/fr/forum/member/profile/abc/posts/",
        "/fr/forum/member/profile/²/",
        "/fr/forum/member/profile/²/posts/",
        "/fr/forum/member/profile/99999999999999999999/",
        "/fr/forum/tracking/mark/forum/999999/topics/",
        "/fr/forum/member/topic/999999/subscribe/",
        "/fr/forum/forum/x-1/topic/y-1/999999/post/update/",
    ],
    ids=[
        "forum", "topic-create", "topic", "reply", "report", "unsubscribe", "lock", "move",
        "profile", "profile-not-a-number", "posts-not-a-number", "profile-superscript",
        "posts-superscript", "profile-too-large", "mark-read", "subscribe",
        "post-update",
    ],
)  # fmt: skip
def test_unknown_ids_are_404(client, people, url):
    client.force_login(people["moderator"])
    assert client.get(url).status_code == 404


# Each refusal says why, in the visitor's language (English pages: the catalogues
# may translate these sentences without breaking the test).
REFUSALS = {
    "private_topic": ("other_member", "reserved for the members of its association"),
    "private_reply": ("specialist", "reserved for the members of its association"),
    "locked_reply": ("other_member", "This topic is locked"),
    "edit_others_post": ("member", "You can only edit your own posts."),
    "delete_others_post": ("member", "You can only delete your own posts."),
    "announcement_create": ("member", "You may not start topics in this forum."),
    "public_lock": ("specialist", "Only the moderators of this forum may do this."),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_say_why(client, people, forums, topics, make_topic, case):
    role, reason = REFUSALS[case]
    public, private = topics["public"], topics["private"]
    locked = make_topic(forums["field"], people["admin"], "Sujet clos", status=Topic.TOPIC_LOCKED)
    post = public.first_post
    url = {
        "private_topic": topic_url(private),
        "private_reply": topic_url(private, "post/create/"),
        "locked_reply": topic_url(locked, "post/create/"),
        "edit_others_post": topic_url(public, f"{post.pk}/post/update/"),
        "delete_others_post": topic_url(public, f"{post.pk}/post/delete/"),
        "announcement_create": forum_url(forums["announcements"], "topic/create/"),
        "public_lock": f"/fr/forum/moderation/topic/{public.slug}-{public.pk}/lock/",
    }[case].replace("/fr/", "/en/", 1)
    client.force_login(people[role])
    response = client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert reason in page
    assert 'lang="en"' in page and "Access denied" in page


def test_a_topic_moves_to_a_forum_named_in_the_visitor_language(client, people, forums, topics):
    topic = topics["public"]
    client.force_login(people["moderator"])
    url = f"/fr/forum/moderation/topic/{topic.slug}-{topic.pk}/move/"
    page = client.get(url).content.decode()
    assert ">Santé<" in page  # the health forum, not الصحة
    assert "الصحة" not in page
    for odd in ["label", "disabled", str(topic.forum_id), "abc", str(forums["private"].pk)]:
        response = client.post(url, {"forum": odd})
        assert response.status_code == 200, odd
        topic.refresh_from_db()
        assert topic.forum_id == forums["field"].pk
    response = client.post(url, {"forum": forums["help"].pk})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.forum_id == forums["help"].pk


def test_the_search_form_names_forums_in_the_visitor_language(client, people, forums):
    client.force_login(people["member"])
    page = client.get("/fr/forum/search/").content.decode()
    assert "Santé" in page and "الصحة" not in page


def test_posts_waiting_for_approval_are_not_listed_on_a_profile(client, people, forums, make_topic):
    author = people["member"]
    topic = make_topic(forums["field"], author, "Sujet approuvé", content="Texte publié")
    topic.posts.create(poster=author, subject="Re", content="Texte en attente", approved=False)
    page = client.get(f"/fr/forum/member/profile/{author.pk}/posts/").content.decode()
    assert "Texte publié" in page
    assert "Texte en attente" not in page


def test_a_profile_counts_only_topics_the_visitor_may_read(client, people, forums, make_topic):
    author = people["member"]
    make_topic(forums["field"], author, "Public")
    make_topic(forums["private"], author, "Privé")
    outsider = client.get(f"/fr/forum/member/profile/{author.pk}/").content.decode()
    assert "1 sujet" in outsider
    client.force_login(people["admin"])
    insider = client.get(f"/fr/forum/member/profile/{author.pk}/").content.decode()
    assert "2 sujets" in insider


@pytest.mark.parametrize(
    "role, shown",
    [("anonymous", False), ("member", False), ("specialist", False), ("staff", False),
     ("admin", True), ("other_member", True), ("moderator", True)],
)  # fmt: skip
def test_the_toolbar_links_to_the_queues_for_moderators_only(client, people, role, shown):
    as_role(client, people, role)
    page = client.get("/fr/forum/").content.decode()
    assert ('href="/fr/forum/moderation/queue/"' in page) is shown
    assert ('href="/fr/forum/reports/"' in page) is shown
