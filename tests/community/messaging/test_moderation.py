"""Anti-spam, reports to moderators, system messages, e-mails, query counts, demo."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from postman.models import Message

from community.messaging import rules
from community.messaging.models import AssociationThread, Preference, Report
from directory.signals import specialist_request_accepted, system_notice
from tests.conftest import ROLES

from .conftest import login


def _write(client, sender, recipient, body="Bonjour", subject="Sujet"):
    client.force_login(sender)
    return client.post(
        "/en/messages/write/",
        {"recipients": str(recipient.pk), "subject": subject, "body": body},
        follow=True,
    )


@pytest.mark.parametrize(
    "body", ["see https://spam.example", "www.cheap.example", "go to pills.com"]
)
def test_new_accounts_cannot_send_links(client, people, body):
    response = _write(client, people["member"], people["admin"], body)
    message = Message.objects.get(sender=people["member"])
    assert message.is_rejected()
    assert b"new accounts cannot send links yet" in response.content
    assert not Message.objects.inbox(people["admin"]).exists()


def test_older_accounts_may_send_links(client, veteran):
    _write(client, veteran["member"], veteran["admin"], "https://rabita.ma/agenda")
    assert Message.objects.get(sender=veteran["member"]).is_accepted()


def test_hourly_limit(client, people, settings):
    settings.MESSAGING_NEW_ACCOUNT_HOURLY_LIMIT = 2
    for number in range(3):
        response = _write(client, people["member"], people["admin"], f"Message {number}")
    statuses = list(
        Message.objects.filter(sender=people["member"])
        .order_by("pk")
        .values_list("moderation_status", flat=True)
    )
    assert statuses == ["a", "a", "r"]
    assert b"too many messages in the last hour" in response.content


def test_staff_escape_the_limits(people, write):
    people["staff"].is_staff = True
    message = Message(sender=people["staff"], body="https://x.example", subject="s")
    assert rules.anti_spam(message) is None


# ---------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES, ids=ROLES)
def test_only_the_recipient_reports(client, people, conversation, role):
    first, _reply = conversation  # received by admin
    url = reverse("postman:report", args=[first.pk])
    response = login(client, people[role]).post(url, {"reason": "Spam"})
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role == "admin":
        assert response.status_code == 302
        assert Report.objects.filter(message=first, reporter=people["admin"]).exists()
    else:
        assert response.status_code == 404


def test_report_needs_a_reason(client, people, conversation):
    first, _reply = conversation
    client = login(client, people["admin"])
    response = client.post(f"/en/messages/report/{first.pk}/", {"reason": ""})
    assert response.status_code == 200
    assert b"Tell the moderators" in response.content


@pytest.mark.parametrize("role", ROLES, ids=ROLES)
def test_moderation_queue_by_role(client, people, conversation, role):
    first, _reply = conversation
    Report.objects.create(message=first, reporter=people["admin"], reason="Insultes")
    response = login(client, people[role]).get(reverse("postman:moderation"))
    if role == "anonymous":
        assert response.status_code == 302
    elif role == "moderator":
        assert response.status_code == 200
        assert b"Insultes" in response.content
    else:
        assert response.status_code == 403


def test_moderator_removes_a_message(client, people, conversation):
    first, _reply = conversation
    report = Report.objects.create(message=first, reporter=people["admin"], reason="x")
    client = login(client, people["moderator"])
    response = client.post(reverse("postman:moderation"), {"report": report.pk, "action": "reject"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    first.refresh_from_db()
    assert first.is_rejected()
    assert not Message.objects.inbox(people["admin"]).filter(pk=first.pk).exists()
    assert client.post(reverse("postman:moderation"), {"report": "x"}).status_code == 404
    assert client.post(reverse("postman:moderation"), {"report": report.pk}).status_code == 404


# ---------------------------------------------------------------------------
# Directory signals
# ---------------------------------------------------------------------------
def test_system_notice_in_each_language(people, django_capture_on_commit_callbacks):
    from django.utils.translation import gettext_lazy

    people["member"].preferred_language = "en"
    people["admin"].preferred_language = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        system_notice.send(
            sender=None,
            recipients=[people["member"], people["admin"]],
            subject=gettext_lazy("Messages"),
            body=gettext_lazy("Messages"),
            url="/en/my/",
        )
    notices = Message.objects.filter(sender=rules.system_sender())
    assert {m.recipient_id for m in notices} == {people["member"].pk, people["admin"].pk}
    assert all(m.is_accepted() and m.read_at is None for m in notices)
    assert "/en/my/" in notices.get(recipient=people["member"]).body
    assert Message.objects.inbox_unread_count(people["member"]) == 1
    assert not Message.objects.sent(rules.system_sender()).exists()
    assert len(mail.outbox) == 2  # immediate e-mails by default


def test_specialist_request_accepted_opens_a_conversation(people, heure_joyeuse):
    specialist_request_accepted.send(
        sender=None,
        request=None,
        specialist=people["specialist"],
        association=heure_joyeuse,
        members=[people["member"], people["admin"]],
    )
    messages = Message.objects.filter(sender=people["specialist"])
    assert {m.recipient_id for m in messages} == {people["member"].pk, people["admin"].pk}
    assert len({m.thread_id for m in messages}) == 1
    assert AssociationThread.objects.filter(
        thread_id=messages[0].thread_id, association=heure_joyeuse
    ).exists()


# ---------------------------------------------------------------------------
# E-mails
# ---------------------------------------------------------------------------
def test_immediate_email_in_the_recipients_language(
    client, veteran, django_capture_on_commit_callbacks
):
    veteran["admin"].preferred_language = "en"
    veteran["admin"].save()
    with django_capture_on_commit_callbacks(execute=True):
        _write(client, veteran["member"], veteran["admin"])
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [veteran["admin"].email]
    assert "/en/messages/view/" in email.body
    assert "Bonjour" not in email.body  # the content stays on the portal


def test_delayed_and_never(client, veteran, django_capture_on_commit_callbacks):
    Preference.objects.create(user=veteran["admin"], email=Preference.Email.DELAYED)
    Preference.objects.create(user=veteran["member"], email=Preference.Email.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        _write(client, veteran["specialist"], veteran["admin"])
        _write(client, veteran["specialist"], veteran["member"])
    assert mail.outbox == []
    call_command("send_message_notifications", stdout=open("/dev/null", "w"))
    assert mail.outbox == []  # not old enough yet
    Message.objects.update(sent_at=timezone.now() - timedelta(hours=1))
    call_command("send_message_notifications", stdout=open("/dev/null", "w"))
    assert [email.to for email in mail.outbox] == [[veteran["admin"].email]]
    call_command("send_message_notifications", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1  # once


@pytest.mark.parametrize("role", ROLES, ids=ROLES)
def test_preferences_by_role(client, people, role):
    response = login(client, people[role]).get(reverse("postman:preferences"))
    assert response.status_code == (302 if role == "anonymous" else 200)
    if role != "anonymous":
        client.post(reverse("postman:preferences"), {"email": "never"})
        assert Preference.objects.get(user=people[role]).email == "never"
        response = client.post(reverse("postman:preferences"), {"email": "bogus"})
        assert response.status_code == 200


# ---------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------
def _fill(people, write, count):
    for number in range(count):
        write(people["specialist"], people["member"], f"Subject {number}", "Body")


@pytest.mark.parametrize("path", ["/en/messages/inbox/", "/en/messages/inbox/m/"])
def test_inbox_queries_are_constant(client, people, write, path):
    client = login(client, people["member"])
    _fill(people, write, 1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(path).status_code == 200
    _fill(people, write, 49)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(path)
    assert response.content.count(b"pm__item") >= 50 if path.endswith("/m/") else True
    assert len(fifty) == len(one)


def test_conversation_queries_are_constant(client, people, write):
    client = login(client, people["member"])
    first = write(people["specialist"], people["member"], "S", "B")
    url = f"/en/messages/view/t/{first.pk}/"
    parent = write(people["member"], people["specialist"], "Re", "B", parent=first)
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    for _number in range(48):
        parent = write(people["specialist"], people["member"], "Re", "B", parent=parent)
    client.get(url)
    with CaptureQueriesContext(connection) as fifty:
        client.get(url)
    assert len(fifty) == len(two)


def test_demo_is_idempotent(db):
    before = Message.objects.count()
    assert before >= 3
    call_command("load_demo_data", verbosity=0)
    assert Message.objects.count() == before
