"""Sending a message: what the send path reads, once, and that reading less changed
nothing a person notices (bench/messages_live.py measures its speed)."""

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest
from postman.models import Message

from community.messaging import notifier, rules
from community.messaging.models import AssociationThread, Block, Preference

from .conftest import login


def _fresh(user):
    """The same person without what a previous check kept on the object."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize(
    "role,takes_part",
    [
        ("member", True),  # a membership
        ("admin", True),
        ("specialist", True),  # a writer role
        ("moderator", True),
        ("staff", True),
        ("nobody", False),  # in the Members group, but of no association
    ],
)
def test_who_takes_part_in_messaging(people, role, takes_part):
    from tests.factories import UserFactory

    user = people.get(role) or UserFactory(roles=["Members"])
    assert rules.can_write(_fresh(user)) is takes_part
    assert (rules.user_filter(_fresh(user)) is None) is takes_part


@pytest.mark.parametrize("choice", [None, "immediately", "delayed", "never"])
def test_email_preference_read_with_the_profile(people, choice):
    member = people["member"]
    if choice:
        Preference.objects.create(user=member, email=choice)
    profile = rules.load_profile(_fresh(member))
    assert notifier.preference_of(profile) == (choice or "immediately")
    assert notifier.preference_of(_fresh(member)) == (choice or "immediately")


def test_unread_count_is_the_inboxs(people, write):
    member, admin = people["member"], people["admin"]
    now = timezone.now()
    write(admin, member, "unread")
    write(admin, member, "read", read_at=now)
    write(admin, member, "archived", recipient_archived=True)
    write(admin, member, "deleted", recipient_deleted_at=now)
    Message.objects.filter(pk=write(admin, member, "pending").pk).update(moderation_status="p")
    Message.objects.filter(pk=write(admin, member, "rejected").pk).update(moderation_status="r")
    write(member, admin, "sent by the member")
    assert notifier.unread_count(member) == Message.objects.inbox_unread_count(member) == 1
    assert notifier.unread_count(admin) == 1


@pytest.mark.parametrize(
    "blocker,error",
    [
        ("recipient", "does not accept your messages"),
        ("sender", "you have blocked this person: unblock them first"),
    ],
)
def test_a_block_either_way_stops_the_message(client, veteran, blocker, error):
    sender, recipient = veteran["specialist"], veteran["member"]
    if blocker == "recipient":
        Block.objects.create(blocker=recipient, blocked=sender)
    else:
        Block.objects.create(blocker=sender, blocked=recipient)
    response = login(client, sender).post(
        "/en/messages/write/",
        {"recipients": str(recipient.pk), "subject": "Sujet", "body": "Bonjour"},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Message.objects.filter(sender=sender).exists()


def test_sending_reads_little_and_still_tells_the_recipient(
    client, veteran, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    sender, recipient = veteran["specialist"], veteran["member"]
    client = login(client, sender)
    client.get(reverse("postman:inbox"))
    # Session, sender, recipient, the recipient's profile, blocks, anti-spam, insert
    # (in a savepoint here), the recipient's unread count; the sender's profile.
    with django_assert_max_num_queries(11) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/en/messages/write/",
                {"recipients": str(recipient.pk), "subject": "Sujet", "body": "Bonjour"},
            )
    assert response.status_code == 302, queries
    message = Message.objects.get(sender=sender)
    assert [email.to for email in mail.outbox] == [[recipient.email]]
    assert f"/messages/view/{message.pk}/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_to_an_association_links_each_admin_to_its_conversation(
    client, veteran, heure_joyeuse
):
    """Committed for real (no test transaction): the admins hear of the message once
    it is linked to its conversation, and their e-mails open the conversation."""
    from directory.models import Membership
    from tests.factories import UserFactory

    second_admin = UserFactory(roles=["Members"])
    Membership.objects.create(user=second_admin, association=heure_joyeuse, role="admin")
    client = login(client, veteran["other_member"])
    response = client.post(
        reverse("postman:write_association", args=[heure_joyeuse.pk]),
        {"subject": "Partenariat", "body": "Bonjour"},
    )
    assert response.status_code == 302
    roots = set(Message.objects.filter(subject="Partenariat").values_list("thread_id", flat=True))
    assert len(roots) == 1
    root = roots.pop()
    assert AssociationThread.objects.get(thread_id=root).association_id == heure_joyeuse.pk
    admins = set(
        Membership.objects.filter(association=heure_joyeuse, role="admin").values_list(
            "user__email", flat=True
        )
    )
    assert {veteran["admin"].email, second_admin.email} <= admins
    assert {email.to[0] for email in mail.outbox} == admins
    assert all(f"/messages/view/t/{root}/" in email.body for email in mail.outbox)
