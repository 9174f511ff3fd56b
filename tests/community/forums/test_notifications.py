"""Following topics and forums: e-mails at once, in a daily digest or never, in the
reader's language, with links to stop."""

import re
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest
import time_machine

from community.forums.models import ForumNotification, ForumSubscription, NotificationPreference
from tests.factories import UserFactory

from .conftest import topic_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion(forums, people, make_topic):
    """A topic of the education forum, followed by `people["member"]`."""
    topic = make_topic(forums["field"], people["member"], "Soutien scolaire")
    topic.subscribers.add(people["member"])
    return topic


def reply(client, user, topic, topic_form, content="Voici notre expérience."):
    client.force_login(user)
    response = client.post(
        topic_url(topic, "post/create/"), topic_form(subject="Re", content=content)
    )
    assert response.status_code == 302
    return response


def test_a_reply_notifies_the_topic_follower_at_once_in_their_language(
    client, people, discussion, topic_form
):
    people["member"].preferred_language = "fr"
    people["member"].save()
    mail.outbox.clear()
    reply(client, people["specialist"], discussion, topic_form)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people["member"].email]
    assert "Soutien scolaire" in message.subject
    assert "/fr/forum/forum/" in message.body
    assert "Voici notre expérience." in message.body
    assert "/fr/forum/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


def test_the_author_is_not_notified_of_their_own_reply(client, people, discussion, topic_form):
    mail.outbox.clear()
    reply(client, people["member"], discussion, topic_form)
    assert mail.outbox == []


def test_never_means_no_e_mail(client, people, discussion, topic_form):
    NotificationPreference.objects.create(user=people["member"], frequency="never")
    mail.outbox.clear()
    reply(client, people["specialist"], discussion, topic_form)
    assert mail.outbox == []
    assert not ForumNotification.objects.filter(user=people["member"]).exists()


def test_daily_digest_groups_the_posts_in_one_e_mail(client, people, discussion, topic_form):
    NotificationPreference.objects.create(user=people["member"], frequency="daily")
    mail.outbox.clear()
    reply(client, people["specialist"], discussion, topic_form, "Première réponse")
    reply(client, people["other_member"], discussion, topic_form, "Deuxième réponse")
    assert mail.outbox == []
    call_command("send_forum_digests", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Première réponse" in body and "Deuxième réponse" in body
    call_command("send_forum_digests", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1  # nothing new: no second digest

    # A new reply waits for the next day, however often the command runs.
    reply(client, people["specialist"], discussion, topic_form, "Troisième réponse")
    call_command("send_forum_digests", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=1)):
        call_command("send_forum_digests", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 2
    assert "Troisième réponse" in mail.outbox[1].body


def test_following_a_forum_notifies_new_topics(client, people, forums, topic_form):
    follower = people["specialist"]
    client.force_login(follower)
    assert client.post(f"/fr/forum/follow/{forums['field'].pk}/").status_code == 302
    assert ForumSubscription.objects.filter(user=follower, forum=forums["field"]).exists()
    mail.outbox.clear()
    client.force_login(people["member"])
    client.post(
        f"/fr/forum/forum/{forums['field'].slug}-{forums['field'].pk}/topic/create/",
        topic_form(subject="Nouveau sujet suivi"),
    )
    assert [m.to for m in mail.outbox] == [[follower.email]]


def test_people_who_cannot_read_the_forum_are_not_notified(
    client, people, forums, make_topic, topic_form
):
    topic = make_topic(forums["private"], people["member"], "Affaire interne")
    outsider = UserFactory()
    topic.subscribers.add(outsider)
    mail.outbox.clear()
    reply(client, people["admin"], topic, topic_form)
    assert [m.to for m in mail.outbox] == [[people["member"].email]]  # the author, a member


def test_the_unsubscribe_link_works_without_logging_in(client, people, discussion, topic_form):
    reply(client, people["specialist"], discussion, topic_form)
    client.logout()
    body = mail.outbox[-1].body
    stop_topic, stop_all = re.findall(r"https?://\S+/[a-z]{2}/forum/unsubscribe/\S+/", body)
    path = stop_topic.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    assert client.post("/" + path).status_code == 200
    assert not discussion.subscribers.filter(pk=people["member"].pk).exists()
    path = stop_all.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    assert NotificationPreference.frequency_of(people["member"]) == "never"


def test_a_forged_unsubscribe_token_is_404(client):
    assert client.get("/fr/forum/unsubscribe/eyJ1Ijo1fQ:forged:signature/").status_code == 404


def test_preferences_are_saved(client, people):
    client.force_login(people["member"])
    response = client.post("/fr/forum/notifications/", {"frequency": "daily"})
    assert response.status_code == 302
    assert NotificationPreference.frequency_of(people["member"]) == "daily"
    assert client.post("/fr/forum/notifications/", {"frequency": "hourly"}).status_code == 200


def test_whoever_starts_a_topic_follows_it(client, people, forums, topic_form):
    client.force_login(people["specialist"])
    client.post(
        f"/fr/forum/forum/{forums['field'].slug}-{forums['field'].pk}/topic/create/",
        topic_form(subject="Mon sujet"),
    )
    topic = people["specialist"].topic_subscriptions.get(subject="Mon sujet")
    mail.outbox.clear()
    reply(client, people["member"], topic, topic_form, "Une réponse")
    assert [m.to for m in mail.outbox] == [[people["specialist"].email]]
