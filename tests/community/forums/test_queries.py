"""Constant query counts: the index, a forum and a topic page with 1 or 50 items."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from machina.apps.forum_conversation.models import Post

from .conftest import forum_url, topic_url

pytestmark = pytest.mark.django_db


def count(client, url):
    client.get(url)  # warm caches (ContentTypes, locales…)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_forum_page_queries_do_not_grow_with_topics(client, people, forums, make_topic, role):
    if people[role]:
        client.force_login(people[role])
    forum = forums["field"]
    make_topic(forum, people["admin"])
    one = count(client, forum_url(forum))
    for number in range(49):
        make_topic(forum, people["specialist"], f"Sujet {number}")
    fifty = count(client, forum_url(forum))
    assert fifty <= one + 2, (one, fifty)


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_topic_page_queries_do_not_grow_with_posts(client, people, forums, make_topic, role):
    if people[role]:
        client.force_login(people[role])
    short = make_topic(forums["field"], people["admin"])
    long = make_topic(forums["field"], people["admin"], "Long", replies=0)
    authors = [people[name] for name in ("admin", "member", "specialist", "moderator")]
    Post.objects.bulk_create(
        Post(
            topic=long,
            poster=authors[i % 4],
            subject="Re",
            content=f"réponse {i}",
            _content_rendered=f"<p>réponse {i}</p>",
        )
        for i in range(49)
    )
    assert count(client, topic_url(long)) <= count(client, topic_url(short)) + 2


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_index_queries_do_not_grow_with_topics(client, people, forums, make_topic, role):
    if people[role]:
        client.force_login(people[role])
    one = count(client, "/fr/forum/")
    for number in range(50):
        make_topic(forums["help"], people["specialist"], f"Question {number}")
    assert count(client, "/fr/forum/") <= one + 2
