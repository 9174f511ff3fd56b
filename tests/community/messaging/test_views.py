"""postman's views by role: who sees what, who writes to whom, bad input."""

from django.urls import reverse

import pytest
from postman.models import Message

from community.messaging.models import AssociationThread, Block
from tests.conftest import ROLES

from .conftest import login

FOLDERS = ["postman:inbox", "postman:sent", "postman:archives", "postman:trash"]
WRITERS = {"other_member", "member", "admin", "specialist", "moderator", "staff"}


@pytest.mark.parametrize("role", ROLES, ids=ROLES)
@pytest.mark.parametrize("name", FOLDERS, ids=[n.split(":")[1] for n in FOLDERS])
def test_folders_need_login(client, people, role, name):
    response = login(client, people[role]).get(reverse(name))
    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES, ids=ROLES)
def test_write_page_by_role(client, people, role):
    response = login(client, people[role]).get(reverse("postman:write"))
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 200


def test_a_user_without_a_role_cannot_write(client, db):
    from tests.factories import UserFactory

    response = login(client, UserFactory()).get(reverse("postman:write"))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES, ids=ROLES)
def test_conversation_visible_only_to_its_parties(client, people, conversation, role):
    first, _reply = conversation
    response = login(client, people[role]).get(
        reverse("postman:view_conversation", args=[first.pk])
    )
    if role == "anonymous":
        assert response.status_code == 302
    elif role in ("member", "admin"):
        assert response.status_code == 200
        assert b"Salam &lt;b&gt;bold&lt;/b&gt;" in response.content  # escaped
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES, ids=ROLES)
def test_message_visible_only_to_its_parties(client, people, conversation, role):
    first, _reply = conversation
    response = login(client, people[role]).get(reverse("postman:view", args=[first.pk]))
    expected = {"anonymous": 302, "member": 200, "admin": 200}.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES, ids=ROLES)
def test_reply_only_by_the_recipient(client, people, conversation, role):
    first, _reply = conversation  # admin received `first`
    url = reverse("postman:reply", args=[first.pk])
    response = login(client, people[role]).post(url, {"subject": "Re", "body": "Merci"})
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role == "admin":
        assert response.status_code == 302
        assert Message.objects.filter(sender=people["admin"], body="Merci").exists()
    else:
        assert response.status_code == 404
        assert not Message.objects.filter(body="Merci").exists()


@pytest.mark.parametrize("role", ROLES, ids=ROLES)
@pytest.mark.parametrize("action", ["archive", "delete", "undelete", "mark-read", "mark-unread"])
def test_actions_on_others_messages_are_404(client, people, conversation, role, action):
    first, _reply = conversation
    fields = ["read_at", "sender_archived", "recipient_archived", "sender_deleted_at"]
    before = list(Message.objects.order_by("pk").values(*fields, "recipient_deleted_at"))
    response = login(client, people[role]).post(reverse(f"postman:{action}"), {"tpks": [first.pk]})
    after = list(Message.objects.order_by("pk").values(*fields, "recipient_deleted_at"))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in ("member", "admin"):
        assert response.status_code in (302, 404)  # 404 when there is nothing to change
    else:
        # archive/delete/undelete say 404; marking read/unread changes nothing.
        assert response.status_code == (302 if action.startswith("mark") else 404)
        assert before == after


@pytest.mark.parametrize("action", ["archive", "delete", "mark-read"])
def test_forged_ids_are_404(client, people, action):
    response = login(client, people["member"]).post(
        reverse(f"postman:{action}"), {"pks": ["abc"], "tpks": ["1 OR 1=1"]}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["view/abc/", "view/t/x/", "reply/99999999/", "view/99999999/"])
def test_unknown_ids_are_404(client, people, path):
    response = login(client, people["member"]).get(f"/fr/messages/{path}")
    assert response.status_code == 404


def test_deleted_stays_deleted(client, people, conversation):
    first, reply = conversation
    client = login(client, people["member"])
    client.post(reverse("postman:delete"), {"tpks": [first.pk]})
    inbox = client.get(reverse("postman:inbox"))
    assert reply.subject.encode() not in inbox.content
    trash = client.get(reverse("postman:trash"))
    assert b"Re: Hello" in trash.content or b"Hello" in trash.content
    # A new message in the thread brings the conversation back, without the deleted ones.
    Message.objects.filter(pk=reply.pk).update(body="gone")
    later = Message.objects.create(
        sender=people["admin"],
        recipient=people["member"],
        subject="Re: Hello",
        body="New one",
        parent=reply,
        thread=first,
        moderation_status="a",
    )
    page = client.get(reverse("postman:view_conversation", args=[first.pk]))
    assert page.status_code == 200
    assert b"New one" in page.content
    assert b"gone" not in page.content
    assert later.pk


def test_write_and_read(client, veteran):
    people = veteran
    client = login(client, people["specialist"])
    response = client.post(
        reverse("postman:write"),
        {"recipients": str(people["member"].pk), "subject": "Bonjour", "body": "Un message"},
    )
    assert response.status_code == 302
    message = Message.objects.get(subject="Bonjour")
    assert message.recipient == people["member"] and message.is_accepted()
    client.force_login(people["member"])
    assert client.get(reverse("postman:view", args=[message.pk])).status_code == 200
    message.refresh_from_db()
    assert message.read_at is not None


def _write(client, sender, recipients, body="Un message", subject="Sujet", lang="en"):
    client.force_login(sender)
    return client.post(
        f"/{lang}/messages/write/",
        {"recipients": recipients, "subject": subject, "body": body},
    )


@pytest.mark.parametrize(
    "case,recipients,body,error",
    [
        ("self", "self", "Hi", b"you cannot write to yourself"),
        ("unknown", "99999999", "Hi", b"unknown"),
        ("garbage", "x@y.org", "Hi", b"Unknown recipient."),
        ("empty", "member", "", b"Write your message."),
        ("too-long", "member", "x" * 5001, b"5000"),
        ("no-role", "norole", "Hi", b"does not receive messages"),
        ("inactive", "inactive", "Hi", b"unknown"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 12 else "",
)
def test_bad_input_gives_errors(client, veteran, case, recipients, body, error):
    from tests.factories import UserFactory

    people = veteran
    names = {
        "self": str(people["specialist"].pk),
        "member": str(people["member"].pk),
        "norole": str(UserFactory().pk),
        "inactive": str(UserFactory(is_active=False, roles=["Members"]).pk),
    }
    response = _write(client, people["specialist"], names.get(recipients, recipients), body)
    assert response.status_code == 200
    assert error.lower() in response.content.lower()
    assert not Message.objects.filter(sender=people["specialist"]).exists()


def test_one_recipient_at_a_time(client, veteran):
    recipients = f"{veteran['member'].pk}, {veteran['admin'].pk}"
    response = _write(client, veteran["specialist"], recipients)
    assert response.status_code == 200
    assert "Write to one person at a time." in response.content.decode()
    assert not Message.objects.filter(sender=veteran["specialist"]).exists()


def test_errors_are_localised(client, veteran):
    response = _write(client, veteran["specialist"], str(veteran["specialist"].pk), lang="fr")
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()


def test_blocked_sender_cannot_write(client, veteran):
    people = veteran
    Block.objects.create(blocker=people["member"], blocked=people["specialist"])
    response = _write(client, people["specialist"], str(people["member"].pk))
    assert response.status_code == 200
    assert b"does not accept your messages" in response.content
    assert (
        not Message.objects.exists()
        or not Message.objects.filter(sender=people["specialist"]).exists()
    )


def test_block_and_unblock(client, people):
    client = login(client, people["member"])
    url = reverse("postman:block", args=[people["specialist"].pk])
    assert client.post(url).status_code == 302
    assert Block.objects.filter(blocker=people["member"], blocked=people["specialist"]).exists()
    client.post(url, {"action": "unblock"})
    assert not Block.objects.exists()
    assert client.post(reverse("postman:block", args=[99999999])).status_code == 404
    assert client.get(url).status_code == 405


def test_replying_to_an_automatic_message_is_refused(client, people, write):
    from community.messaging import rules

    notice = write(rules.system_sender(), people["member"], "Approved", "Welcome")
    client = login(client, people["member"])
    page = client.get(reverse("postman:view", args=[notice.pk]))
    assert page.status_code == 200
    assert b'name="body"' not in page.content
    response = client.post(f"/en/messages/reply/{notice.pk}/", {"subject": "Re", "body": "Thanks"})
    assert response.status_code == 200
    assert b"automatic messages cannot be answered" in response.content


# ---------------------------------------------------------------------------
# The association as a party
# ---------------------------------------------------------------------------
def test_writing_to_an_association_reaches_its_admins(client, veteran, heure_joyeuse):
    from directory.models import Membership
    from tests.factories import UserFactory

    people = veteran
    second_admin = UserFactory(roles=["Members"])
    Membership.objects.create(user=second_admin, association=heure_joyeuse, role="admin")
    client = login(client, people["other_member"])
    url = reverse("postman:write_association", args=[heure_joyeuse.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"subject": "Partenariat", "body": "Bonjour"})
    assert response.status_code == 302
    sent = Message.objects.filter(subject="Partenariat")
    demo_admins = {
        m.user_id for m in Membership.objects.filter(association=heure_joyeuse, role="admin")
    }
    assert {m.recipient_id for m in sent} == demo_admins
    roots = {m.thread_id for m in sent}
    assert len(roots) == 1
    link = AssociationThread.objects.get(thread_id=roots.pop())
    assert link.association_id == heure_joyeuse.pk

    # One admin answers; the other admin sees the answer, shown as the association.
    received = sent.get(recipient=people["admin"])
    client.force_login(people["admin"])
    client.post(
        reverse("postman:reply", args=[received.pk]), {"subject": "Re", "body": "Avec plaisir"}
    )
    client.force_login(second_admin)
    page = client.get(f"/en/messages/view/t/{link.thread_id}/")
    assert page.status_code == 200
    assert b"Avec plaisir" in page.content
    assert (
        heure_joyeuse.name_fr.encode() in page.content
        or heure_joyeuse.name_ar.encode() in page.content
    )

    # The writer's answer reaches every admin again.
    answer = Message.objects.get(body="Avec plaisir")
    client.force_login(people["other_member"])
    client.post(reverse("postman:reply", args=[answer.pk]), {"subject": "Re", "body": "Merci"})
    assert {m.recipient_id for m in Message.objects.filter(body="Merci")} == demo_admins

    # Someone else sees nothing of it.
    client.force_login(people["specialist"])
    assert client.get(f"/en/messages/view/t/{link.thread_id}/").status_code == 404


def test_an_admin_cannot_write_to_their_own_association(client, veteran, heure_joyeuse):
    client = login(client, veteran["admin"])
    response = client.post(
        f"/en/messages/write/association/{heure_joyeuse.pk}/",
        {"subject": "x", "body": "y"},
    )
    assert response.status_code == 200
    assert b"You administer this association" in response.content


def test_writing_to_an_unknown_association_is_404(client, people):
    response = login(client, people["member"]).get("/en/messages/write/association/99999999/")
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES, ids=ROLES)
def test_association_profile_section(client, people, heure_joyeuse, role):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from directory.profile import association_sections

    request = RequestFactory().get("/")
    request.user = people[role] or AnonymousUser()
    sections = [
        s
        for s in association_sections(request, heure_joyeuse)
        if s["template"].startswith("postman/")
    ]
    if role == "admin":
        assert sections == []
    else:
        assert len(sections) == 1
        assert sections[0]["context"]["can_write"] is (role in WRITERS)


def test_specialist_section_guards_any_page(rf, people):
    from django.contrib.auth.models import AnonymousUser

    from community.messaging.wagtail_hooks import send_message_to_specialist

    request = rf.get("/")
    request.user = AnonymousUser()
    assert send_message_to_specialist(request, object()) is None

    class Page:
        user = people["specialist"]

    section = send_message_to_specialist(request, Page())
    assert section["context"]["write_url"].endswith(f"/write/{people['specialist'].pk}/")
    request.user = people["specialist"]
    assert send_message_to_specialist(request, Page()) is None


def test_dashboard_panel(client, people, conversation):
    response = login(client, people["member"]).get("/en/my/")
    assert response.status_code == 200
    assert b"unread message" in response.content


def test_header_shows_unread_count(client, people, conversation):
    response = login(client, people["admin"]).get("/en/messages/inbox/")
    assert b"data-unread-count" in response.content
    assert b"js/messages.js" in response.content
    anonymous = client.__class__().get("/en/")
    assert b"js/messages.js" not in anonymous.content


def test_rtl_inbox(client, people, conversation):
    response = login(client, people["member"]).get("/ar/messages/inbox/")
    assert response.status_code == 200
    assert b'dir="rtl"' in response.content


def test_live_state(client, people, conversation):
    first, reply = conversation
    assert client.get(reverse("postman:live_state")).status_code == 401
    client = login(client, people["member"])
    data = client.get(reverse("postman:live_state"), {"thread": first.pk}).json()
    assert data == {"unread_count": 1, "latest": reply.pk}
    client.force_login(people["specialist"])
    data = client.get(reverse("postman:live_state"), {"thread": first.pk}).json()
    assert data == {"unread_count": 0, "latest": 0}


def test_specialist_profile_has_a_send_a_message_section(client, people):
    from directory.specialists import SpecialistPage

    page = (
        SpecialistPage.objects.live()
        .filter(locale__language_code="en", user__isnull=False, user__is_active=True)
        .first()
    )
    if page is None:
        pytest.skip("no demo specialist page")
    response = login(client, people["member"]).get(page.url)
    assert response.status_code == 200
    assert f"/en/messages/write/{page.user_id}/".encode() in response.content


@pytest.mark.parametrize("role", ROLES, ids=ROLES)
def test_folders_list_only_ones_own_messages(client, people, write, role):
    write(people["member"], people["admin"], "Confidential-7f3", "Secret")
    if people[role] is None:
        return
    for name in FOLDERS:
        content = login(client, people[role]).get(reverse(name)).content
        if name in ("postman:inbox",) and role == "admin":
            assert b"Confidential-7f3" in content
        elif name == "postman:sent" and role == "member":
            assert b"Confidential-7f3" in content
        else:
            assert b"Confidential-7f3" not in content


@pytest.mark.parametrize("role", ROLES, ids=ROLES)
def test_unread_count_api(client, people, conversation, role):
    response = login(client, people[role]).get(
        reverse("postman:api:unread-count"), HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    if role == "anonymous":
        assert response.status_code == 401
    else:
        expected = 1 if role in ("member", "admin") else 0
        assert response.json() == {"unread_count": expected}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_association_profile_links_to_the_form(client, people, heure_joyeuse, lang):
    page = heure_joyeuse.get_translations(inclusive=True).get(locale__language_code=lang)
    response = login(client, people["other_member"]).get(page.url)
    assert response.status_code == 200
    assert f"/{lang}/messages/write/association/{page.pk}/".encode() in response.content


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_pages_render_in_every_language(client, veteran, conversation, heure_joyeuse, lang):
    first, _reply = conversation
    client = login(client, veteran["member"])
    for path in [
        f"view/t/{first.pk}/",
        "write/",
        f"write/{veteran['specialist'].pk}/",
        f"write/association/{heure_joyeuse.pk}/",
        "preferences/",
        "sent/",
        "archives/",
        "trash/m/",
        f"report/{first.thread.next_messages.first().pk}/",
    ]:
        response = client.get(f"/{lang}/messages/{path}")
        assert response.status_code == 200, path
        assert f'lang="{lang}"'.encode() in response.content
        if lang == "ar":
            assert b'dir="rtl"' in response.content


# ---------------------------------------------------------------------------
# Garbage in every URL and form that takes an id
# ---------------------------------------------------------------------------
HUGE = "9" * 25


@pytest.mark.parametrize(
    "path",
    [f"write/association/{HUGE}/", f"report/{HUGE}/", "write/²/", "write/abc:²/"],
    ids=["association", "report", "write-superscript", "write-list"],
)
def test_overflowing_or_odd_ids_in_urls_are_not_errors(client, people, path):
    response = login(client, people["member"]).get(f"/fr/messages/{path}")
    assert response.status_code in (200, 404)
    if path.startswith("write/"):
        assert "À :" not in response.content.decode()  # nobody was found


@pytest.mark.parametrize(
    "path,data",
    [
        ("archive/", {"pks": ["²"]}),
        ("delete/", {"tpks": ["²"]}),
        ("undelete/", {"pks": ["1", "²"]}),
        ("mark-unread/", {"pks": [HUGE]}),
        (f"block/{HUGE}/", {}),
        (f"report/{HUGE}/", {"reason": "spam"}),
    ],
    ids=["archive", "delete", "undelete", "mark-unread", "block", "report"],
)
def test_odd_ids_posted_are_404(client, people, path, data):
    response = login(client, people["member"]).post(f"/fr/messages/{path}", data)
    assert response.status_code == 404


@pytest.mark.parametrize("report", ["²", HUGE, "abc"])
def test_moderators_posting_odd_report_ids_get_404(client, people, report):
    response = login(client, people["moderator"]).post(
        reverse("postman:moderation"), {"report": report, "action": "reject"}
    )
    assert response.status_code == 404


def test_odd_recipients_are_a_form_error(client, veteran):
    response = _write(client, veteran["specialist"], "²", lang="fr")
    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode() or "errorlist" in (
        response.content.decode()
    )
    assert not Message.objects.filter(sender=veteran["specialist"]).exists()


def test_live_state_ignores_an_odd_thread(client, people, conversation):
    response = login(client, people["member"]).get(reverse("postman:live_state"), {"thread": "²"})
    assert response.status_code == 200
    assert response.json() == {"unread_count": 1}


# ---------------------------------------------------------------------------
# Right to left
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang,arrow,wrong", [("ar", "←", "→"), ("fr", "→", "←")])
def test_sender_to_recipient_arrow_follows_the_reading_direction(
    client, people, conversation, lang, arrow, wrong
):
    import re

    first, _reply = conversation
    client = login(client, people["member"])
    page = client.get(f"/{lang}/messages/view/t/{first.pk}/").content.decode()
    metas = re.findall(r'<p class="pm-message__meta">(.*?)</p>', page, re.S)
    assert len(metas) == 2
    assert all(arrow in meta and wrong not in meta for meta in metas)
    client.post(reverse("postman:delete"), {"tpks": [first.pk]})
    trash = client.get(f"/{lang}/messages/trash/").content.decode()
    people_lines = re.findall(r'<span class="pm__people">(.*?)</span>\s*</div>', trash, re.S)
    assert people_lines
    assert all(arrow in line and wrong not in line for line in people_lines)


@pytest.mark.parametrize("lang,label", [("fr", "Messages envoyés"), ("ar", "الرسائل المرسلة")])
def test_the_sent_folder_is_named_as_a_folder(client, people, lang, label):
    page = login(client, people["member"]).get(f"/{lang}/messages/inbox/").content.decode()
    assert f'<a href="/{lang}/messages/sent/">{label}</a>' in page
