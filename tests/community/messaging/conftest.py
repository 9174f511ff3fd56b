"""Fixtures of private messages.

`conversation` builds, around L'Heure Joyeuse (people fixture):

    member ──"Hello"──▶ admin           (root message, thread = itself)
    member ◀──"Re: Hello"── admin       (reply in the same thread)

`write(sender, recipient, ...)` stores an accepted message directly (no view).
"""

from datetime import timedelta

from django.utils import timezone

import pytest
from postman.models import STATUS_ACCEPTED, Message


@pytest.fixture
def write(db):
    def make(sender, recipient, subject="Hello", body="Salam", parent=None, **fields):
        message = Message.objects.create(
            sender=sender,
            recipient=recipient,
            subject=subject,
            body=body,
            parent=parent,
            thread=(parent.thread or parent) if parent else None,
            moderation_status=STATUS_ACCEPTED,
            moderation_date=timezone.now(),
            **fields,
        )
        if parent and not parent.thread_id:
            parent.thread = parent
            parent.save(update_fields=["thread"])
        return message

    return make


@pytest.fixture
def conversation(people, write):
    first = write(people["member"], people["admin"], "Hello", "Salam <b>bold</b>")
    reply = write(people["admin"], people["member"], "Re: Hello", "Wa alaykum", parent=first)
    first.refresh_from_db()
    return first, reply


@pytest.fixture
def veteran(people):
    """The people's accounts are old enough to escape the new-account rules."""
    old = timezone.now() - timedelta(days=60)
    for user in people.values():
        if user is not None:
            type(user).objects.filter(pk=user.pk).update(date_joined=old)
            user.date_joined = old
    return people


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client
