"""Forum search: Arabic and French folded like the directory search; results respect
forum permissions and approval."""

import pytest
from machina.apps.forum_conversation.models import Post, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(forums, people, make_topic):
    # The whoosh index is a folder that test transactions do not roll back: start
    # from an empty one so earlier tests' posts are not found here.
    from haystack import connections

    connections["default"].get_backend().clear()
    public = make_topic(
        forums["field"], people["member"], "الجمعيات والتربية",
        content="ورشة حول التعليم الأولي في الأحياء. Réunion à l'école élémentaire.",
    )  # fmt: skip
    private = make_topic(
        forums["private"], people["member"], "اجتماع المكتب",
        content="مشروع سري للتعليم الأولي",
    )  # fmt: skip
    # As machina writes the post of someone who must wait for approval.
    hidden = Topic.objects.create(
        forum=forums["field"], subject="Sujet en attente", poster=people["specialist"],
        type=Topic.TOPIC_POST, status=Topic.TOPIC_UNLOCKED, approved=False,
    )  # fmt: skip
    Post.objects.create(
        topic=hidden, poster=people["specialist"], subject="Sujet en attente",
        content="modération التعليم الأولي", approved=False,
    )  # fmt: skip
    return {"public": public, "private": private, "hidden": hidden}


def results(client, query):
    response = client.get("/fr/forum/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["التعليم الأولي", "تعليم", "الْتَّعْلِيم", "ecole elementaire", "ÉCOLE", "التربيه"],
    ids=["exact", "no-article", "diacritics", "no-accents", "case", "ta-marbuta"],
)
def test_arabic_and_french_spellings_find_the_post(client, indexed, query):
    assert indexed["public"].subject in results(client, query)


def test_private_posts_are_found_only_by_members(client, people, indexed):
    private = indexed["private"].subject
    assert private not in results(client, "سري")
    client.force_login(people["other_member"])
    assert private not in results(client, "سري")
    client.force_login(people["member"])
    assert private in results(client, "سري")


def test_unapproved_posts_are_not_found(client, people, indexed):
    client.force_login(people["moderator"])
    assert "Sujet en attente" not in results(client, "modération")


def test_a_deleted_post_leaves_the_index(client, indexed):
    indexed["public"].delete()
    assert "الجمعيات والتربية" not in results(client, "ecole")


@pytest.mark.parametrize("query", ["", "   ", "AND OR NOT", "*", '"(', "x" * 500])
def test_odd_queries_never_fail(client, indexed, query):
    results(client, query)


def test_the_forum_index_can_be_rebuilt_with_our_command(client, indexed):
    from django.core.management import call_command, get_commands

    assert get_commands()["update_forum_index"] == "community.forums"
    call_command("clear_index", interactive=False, verbosity=0)
    assert indexed["public"].subject not in results(client, "ecole")
    call_command("update_forum_index", verbosity=0)
    assert indexed["public"].subject in results(client, "ecole")


def test_haystacks_rebuild_index_rebuilds_the_forum_index(client, indexed):
    """haystack's rebuild_index ends with `update_index`, Wagtail's here: it emptied
    the forum index and left it so. Ours clears and refills it."""
    from django.core.management import call_command

    call_command("rebuild_index", interactive=False, verbosity=0)
    assert indexed["public"].subject in results(client, "ecole")
    assert indexed["private"].subject not in results(client, "مشروع")
