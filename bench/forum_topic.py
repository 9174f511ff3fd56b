"""Server time of a forum topic with 200 posts (target: < 150 ms), and of the index.

Usage: .venv/bin/python bench/forum_topic.py [POSTS]   (default 200)

Without DATABASE_URL, a temporary SQLite file is created, migrated and deleted
afterwards (with DATABASE_URL, an empty database that is migrated and left as is).
The demo data is loaded, then a topic of the education forum gets POSTS posts by
four authors (bulk insert, rendered with our sanitising renderer) and the forum 50
more topics. Each page is requested through Django's test client: 3 warm-up
requests, 30 timed ones (median and 95th percentile of the whole request), one more
to count the queries; anonymously and as a member (permissions, read tracking).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REQUESTS, WARM_UP, measure, prepare_database  # noqa: E402

TARGET_MS = 150


def build(posts_count):
    from django.utils import timezone

    from machina.apps.forum_conversation.models import Post, Topic

    from accounts.models import User
    from community.forums.markup import render
    from community.forums.models import ForumOrigin
    from directory.taxonomies import FieldOfActivity

    key = str(FieldOfActivity.source_terms().get(slug="education").translation_key)
    forum = ForumOrigin.objects.get(kind="field", key=key).forum
    authors = list(User.objects.filter(email__endswith="@example.org")[:4])
    topic = Topic.objects.create(
        forum=forum, subject="موضوع طويل للقياس", poster=authors[0], type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED,
    )  # fmt: skip
    Post.objects.create(topic=topic, poster=authors[0], subject=topic.subject, content="البداية")
    now = timezone.now()
    body = "**تجربة** ميدانية مع [رابط](https://rabita.ma) و *تفاصيل* كثيرة. " * 6
    Post.objects.bulk_create(
        Post(
            topic=topic,
            poster=authors[i % len(authors)],
            subject=f"Re: {topic.subject}",
            content=body,
            _content_rendered=render(body),
            created=now,
            updated=now,
        )  # fmt: skip
        for i in range(posts_count - 1)
    )
    topic.update_trackers()
    for number in range(50):
        extra = Topic.objects.create(
            forum=forum, subject=f"Sujet {number}", poster=authors[number % len(authors)],
            type=Topic.TOPIC_POST, status=Topic.TOPIC_UNLOCKED,
        )  # fmt: skip
        Post.objects.create(topic=extra, poster=extra.poster, subject=extra.subject, content="x")
    topic.refresh_from_db()
    return forum, topic


def main():
    posts_count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with prepare_database():
        from django.test import Client

        from accounts.models import User

        forum, topic = build(posts_count)
        print(f"topic with {topic.posts.count()} posts; forum with {forum.topics.count()} topics")
        base = f"/ar/forum/forum/{forum.slug}-{forum.pk}/"
        pages = [
            (f"topic ({posts_count} posts), first page", f"{base}topic/{topic.slug}-{topic.pk}/"),
            (
                f"topic ({posts_count} posts), last page",
                f"{base}topic/{topic.slug}-{topic.pk}/?page=10",
            ),
            ("forum (51 topics)", base),
            ("forum index", "/ar/forum/"),
        ]
        member = Client(HTTP_ACCEPT_LANGUAGE="ar")
        member.force_login(User.objects.get(email="member@example.org"))
        for who, client in (("anonymous", Client(HTTP_ACCEPT_LANGUAGE="ar")), ("member", member)):
            print(f"{who}: {REQUESTS} requests each, after {WARM_UP} warm-up requests")
            for position, (name, url) in enumerate(pages):
                median, p95, queries, _response = measure(client, url)
                verdict = ""
                if position < 2:
                    verdict = f"  ({'met' if median < TARGET_MS else 'MISSED'}: < {TARGET_MS} ms)"
                print(
                    f"  {name:34} median {median:6.1f} ms, p95 {p95:6.1f} ms, {queries} queries{verdict}"
                )


if __name__ == "__main__":
    main()
