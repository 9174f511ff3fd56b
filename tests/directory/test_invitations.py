"""Invitations to act for an association: the signed, expiring, single-use link and
its e-mail, from the admin's invitation to the new member's membership.

The association is L'Heure Joyeuse (tests/directory/conftest.py). URLs are in English
(/en/…), whose messages are the source strings, unless a test says otherwise.
"""

import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from wagtail.models import PageLogEntry

import pytest
from allauth.account.models import EmailAddress

from directory import history
from directory.invitations import (
    InvalidLink,
    mask_email,
    signed_token,
    token_from_link,
    user_emails,
)
from directory.models import Invitation, Membership
from tests.conftest import ROLES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(f"manage:{name}", kwargs=kwargs)


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def members_post(client, page, **data):
    return client.post(url("members", pk=page.pk), data)


def invite(page, email, by, role=Membership.MEMBER):
    return Invitation.objects.create(association=page, email=email, role=role, invited_by=by)


@pytest.mark.parametrize(
    "email, masked",
    [
        ("karima.benali@example.org", "k***@example.org"),
        ("a@b.ma", "a***@b.ma"),
        ("broken", "***"),
        ("", "***"),
    ],
)
def test_addresses_are_masked(email, masked):
    assert mask_email(email) == masked


def test_the_link_is_signed_around_the_token(heure_joyeuse, people):
    invitation = invite(heure_joyeuse, "x@example.org", people["admin"])
    signed = signed_token(invitation)
    assert signed.startswith(invitation.token + ":")
    assert token_from_link(signed) == invitation.token
    with pytest.raises(InvalidLink):
        token_from_link(signed.replace(invitation.token, invitation.token[::-1]))


def test_verified_secondary_addresses_count_as_the_users(people):
    user = UserFactory(email="main@example.org")
    EmailAddress.objects.create(user=user, email="Other@Example.org", verified=True)
    EmailAddress.objects.create(user=user, email="unproven@example.org", verified=False)
    assert user_emails(user) == {"main@example.org", "other@example.org"}


def test_the_invitation_email_says_who_invites_to_what(client, people, heure_joyeuse):
    members_post(
        login(client, people["admin"]),
        heure_joyeuse,
        action="invite",
        email="someone@example.org",
        role="admin",
    )
    (message,) = mail.outbox
    assert heure_joyeuse.name_fr in message.subject
    assert people["admin"].public_name in message.body
    assert "administrator" in message.body
    assert "&#x27;" not in message.body  # plain text, not HTML-escaped


def test_confirmation_page_does_not_accept_by_itself(client, people, heure_joyeuse):
    """Mail scanners open links: only the button (POST) accepts."""
    newcomer = UserFactory(email="careful@example.org")
    invitation = invite(heure_joyeuse, newcomer.email, people["admin"])
    response = login(client, newcomer).get(url("accept", token=signed_token(invitation)))
    assert response.status_code == 200
    assert not Membership.objects.filter(user=newcomer).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_admin_invitation_promotes_an_existing_member(client, people, heure_joyeuse):
    member = people["member"]
    invitation = invite(heure_joyeuse, member.email, people["admin"], role=Membership.ADMIN)
    login(client, member).post(url("accept", token=signed_token(invitation)))
    assert Membership.objects.get(user=member).role == Membership.ADMIN
    assert Membership.objects.filter(user=member).count() == 1


def test_an_invitation_shows_on_the_invitees_list(client, people, heure_joyeuse, time_machine):
    # The link carries the second it was signed: the page and the test sign it alike
    # only within the same second.
    time_machine.move_to(timezone.now(), tick=False)
    newcomer = UserFactory(email="listed@example.org")
    invitation = invite(heure_joyeuse, "Listed@Example.org", people["admin"])
    response = login(client, newcomer).get(url("list"))
    assert url("accept", token=signed_token(invitation)) in response.text
    assert escape(heure_joyeuse.name_fr) in response.text


@pytest.mark.parametrize("role", ROLES)
def test_an_invitation_link_works_only_for_the_invited_address(client, people, heure_joyeuse, role):
    invitation = Invitation.objects.create(
        association=heure_joyeuse, email="karima.benali@example.org", invited_by=people["admin"]
    )
    from directory.invitations import signed_token

    response = login(client, people[role]).get(url("accept", token=signed_token(invitation)))
    if role == "anonymous":
        assert response.status_code == 302
        assert "/en/accounts/login/?next=/en/my/associations/invitations/" in response.url
    else:
        assert response.status_code == 403
        assert "k***@example.org" in response.text
        assert "karima.benali" not in response.text
    assert not Membership.objects.filter(user__email="karima.benali@example.org").exists()


def invitation_link(message):
    return re.search(r"https?://\S+/my/associations/invitations/\S+/", message.body).group(0)


def test_invitation_flow(client, people, heure_joyeuse):
    admin = people["admin"]
    response = members_post(
        login(client, admin),
        heure_joyeuse,
        action="invite",
        email="New.Person@Example.org",
        role="member",
    )
    assert response.status_code == 303
    invitation = Invitation.objects.get(association=heure_joyeuse)
    assert invitation.invited_by == admin
    (message,) = mail.outbox
    assert message.to == ["New.Person@Example.org"]
    link = invitation_link(message)
    # An address without an account: the inviter's language (English here).
    assert "/en/my/associations/invitations/" in link
    assert PageLogEntry.objects.get(page=heure_joyeuse, action=history.MEMBER_INVITED).user == admin

    newcomer = UserFactory(email="new.person@example.org")
    client.logout()
    login(client, newcomer)
    path = link.split("testserver", 1)[1]
    confirm = client.get(path)
    assert confirm.status_code == 200
    assert escape(heure_joyeuse.name_fr) in confirm.text
    accepted = client.post(path)
    assert accepted.status_code == 303
    membership = Membership.objects.get(user=newcomer)
    assert membership.association == heure_joyeuse
    assert membership.role == Membership.MEMBER
    assert newcomer.groups.filter(name="Members").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer
    entry = PageLogEntry.objects.get(page=heure_joyeuse, action=history.INVITATION_ACCEPTED)
    assert entry.user == newcomer

    # Single use: the second click is refused.
    again = client.get(path)
    assert again.status_code == 410
    assert client.post(path).status_code == 410


def test_invitation_to_an_existing_user_uses_their_language(client, people, heure_joyeuse):
    arabic_speaker = UserFactory(email="salma@example.org", preferred_language="ar")
    members_post(
        login(client, people["admin"]),
        heure_joyeuse,
        action="invite",
        email="SALMA@example.org",
        role="admin",
    )
    link = invitation_link(mail.outbox[0])
    assert "/ar/my/associations/invitations/" in link

    client.logout()
    login(client, arabic_speaker)
    path = link.split("testserver", 1)[1]
    response = client.post(path)
    assert response.status_code == 303
    assert response.url == url("members", lang="ar", pk=heure_joyeuse.pk)
    assert Membership.objects.get(user=arabic_speaker).role == Membership.ADMIN


def test_an_expired_invitation_is_gone(client, people, heure_joyeuse, time_machine):
    from directory.invitations import signed_token

    newcomer = UserFactory(email="late@example.org")
    invitation = Invitation.objects.create(
        association=heure_joyeuse, email=newcomer.email, invited_by=people["admin"]
    )
    time_machine.move_to(invitation.expires_at + Invitation.VALID_FOR / 14)
    response = login(client, newcomer).get(url("accept", token=signed_token(invitation)))
    assert response.status_code == 410
    assert "This invitation has expired" in response.text
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_tampered_link_is_not_found(client, people, heure_joyeuse):
    from directory.invitations import signed_token

    newcomer = UserFactory(email="curious@example.org")
    invitation = Invitation.objects.create(
        association=heure_joyeuse, email=newcomer.email, invited_by=people["admin"]
    )
    token = signed_token(invitation)
    login(client, newcomer)
    for altered in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" + token, "nonsense"):
        response = client.get(url("accept", token=altered))
        assert response.status_code == 404
        assert "Invalid invitation link" in response.text


def test_a_withdrawn_invitation_no_longer_works(client, people, heure_joyeuse):
    from directory.invitations import signed_token

    newcomer = UserFactory(email="withdrawn@example.org")
    invitation = Invitation.objects.create(
        association=heure_joyeuse, email=newcomer.email, invited_by=people["admin"]
    )
    members_post(
        login(client, people["admin"]), heure_joyeuse, action="withdraw", invitation=invitation.pk
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert PageLogEntry.objects.filter(
        page=heure_joyeuse, action=history.INVITATION_WITHDRAWN, user=people["admin"]
    ).exists()
    client.logout()
    response = login(client, newcomer).get(url("accept", token=signed_token(invitation)))
    assert response.status_code == 410


def test_invitations_to_members_or_pending_addresses_are_refused(client, people, heure_joyeuse):
    login(client, people["admin"])
    response = members_post(
        client, heure_joyeuse, action="invite", email=people["member"].email.upper(), role="member"
    )
    assert response.status_code == 200
    assert "form-field--error" in response.text
    assert f'value="{people["member"].email.upper()}"' in response.text
    members_post(client, heure_joyeuse, action="invite", email="twice@example.org", role="member")
    response = members_post(
        client, heure_joyeuse, action="invite", email="twice@example.org", role="admin"
    )
    assert response.status_code == 200
    assert Invitation.objects.filter(email="twice@example.org").count() == 1
    response = members_post(client, heure_joyeuse, action="invite", email="not an e-mail")
    assert response.status_code == 200
    assert len(mail.outbox) == 1


def test_invitations_are_capped_per_day(client, people, heure_joyeuse):
    from directory.manage_forms import InvitationForm

    for number in range(InvitationForm.MAX_PER_DAY):
        invite(heure_joyeuse, f"bulk{number}@example.org", people["admin"])
    response = members_post(
        login(client, people["admin"]),
        heure_joyeuse,
        action="invite",
        email="one-too-many@example.org",
        role="member",
    )
    assert response.status_code == 200
    assert "daily limit" in response.text
    assert not Invitation.objects.filter(email="one-too-many@example.org").exists()
    assert mail.outbox == []


def test_a_mail_server_failure_is_explained_not_a_crash(client, people, heure_joyeuse, monkeypatch):
    import smtplib

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("directory.invitations.send_mail", broken)
    login(client, people["admin"])
    response = members_post(
        client, heure_joyeuse, action="invite", email="unlucky@example.org", role="member"
    )
    assert response.status_code == 303
    assert "could not be sent" in client.get(response.url).text
    assert Invitation.objects.filter(email="unlucky@example.org").exists()
