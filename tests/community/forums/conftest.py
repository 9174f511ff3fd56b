"""Fixtures of the forum tests.

The demo data builds the tree (community/forums/structure.py):

    General forums: announcements, help and questions
    Fields of activity: one forum per field (education, health, …)
    Association forums: one private forum per association (L'Heure Joyeuse, Al Amal, …)

`forums` gives the ones the tests use; `make_topic` writes a topic (and replies)
directly; `topic_form` is the POST data machina's topic and post forms expect.
"""

import pytest
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic

from community.forums.models import ForumOrigin
from directory.taxonomies import FieldOfActivity


def origin_forum(kind, key=None):
    origins = ForumOrigin.objects.filter(kind=kind)
    if key is not None:
        origins = origins.filter(key=str(key))
    return Forum.objects.get(pk=origins.values_list("forum_id", flat=True).first())


@pytest.fixture
def forums(db, heure_joyeuse):
    education = FieldOfActivity.source_terms().get(slug="education")
    return {
        "field": origin_forum(ForumOrigin.FIELD, education.translation_key),
        "help": origin_forum(ForumOrigin.HELP),
        "announcements": origin_forum(ForumOrigin.ANNOUNCEMENTS),
        "private": origin_forum(ForumOrigin.ASSOCIATION, heure_joyeuse.translation_key),
    }


@pytest.fixture
def make_topic(db):
    def make(forum, poster, subject="Un sujet de test", content="Un message.", replies=0, **extra):
        extra.setdefault("status", Topic.TOPIC_UNLOCKED)
        topic = Topic.objects.create(
            forum=forum, subject=subject, poster=poster, type=Topic.TOPIC_POST, **extra
        )
        Post.objects.create(topic=topic, poster=poster, subject=subject, content=content)
        for number in range(replies):
            Post.objects.create(
                topic=topic, poster=poster, subject=f"Re: {subject}", content=f"Réponse {number}"
            )
        topic.refresh_from_db()
        return topic

    return make


def form_data(subject="Un sujet", content="Du contenu", **extra):
    """What the browser sends for machina's topic/post forms (with empty formsets)."""
    data = {
        "subject": subject,
        "content": content,
        "topic_type": Topic.TOPIC_POST,
        "attachment-TOTAL_FORMS": "0",
        "attachment-INITIAL_FORMS": "0",
        "attachment-MIN_NUM_FORMS": "0",
        "attachment-MAX_NUM_FORMS": "15",
        "poll-TOTAL_FORMS": "0",
        "poll-INITIAL_FORMS": "0",
        "poll-MIN_NUM_FORMS": "0",
        "poll-MAX_NUM_FORMS": "30",
    }
    data.update(extra)
    return data


@pytest.fixture
def topic_form():
    return form_data


def topic_url(topic, suffix=""):
    return f"/fr/forum/forum/{topic.forum.slug}-{topic.forum_id}/topic/{topic.slug}-{topic.pk}/{suffix}"


def forum_url(forum, suffix=""):
    return f"/fr/forum/forum/{forum.slug}-{forum.pk}/{suffix}"
