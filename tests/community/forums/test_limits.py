"""Bad input and limits: new accounts, empty or huge posts, attachments."""

import io
import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest
from machina.apps.forum_conversation.models import Post, Topic
from PIL import Image

from accounts import roles
from tests.factories import UserFactory

from .conftest import forum_url, topic_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer():
    return UserFactory(roles=[roles.MEMBERS])


@pytest.fixture
def veteran():
    user = UserFactory(roles=[roles.MEMBERS])
    user.date_joined = timezone.now() - timedelta(days=3)
    user.save()
    return user


def test_new_accounts_start_three_topics_on_their_first_day(client, newcomer, forums, topic_form):
    client.force_login(newcomer)
    url = forum_url(forums["field"], "topic/create/")
    for number in range(3):
        assert client.post(url, topic_form(subject=f"Sujet {number}")).status_code == 302
    refused = client.post(url, topic_form(subject="Encore un"))
    assert refused.status_code == 200
    assert Topic.objects.filter(poster=newcomer).count() == 3
    assert "peuvent ouvrir 3 sujets le premier jour" in refused.content.decode()


def test_new_accounts_post_ten_replies_on_their_first_day(
    client, newcomer, veteran, forums, make_topic, topic_form
):
    topic = make_topic(forums["field"], veteran)
    client.force_login(newcomer)
    url = topic_url(topic, "post/create/")
    for number in range(10):
        assert client.post(url, topic_form(subject=f"Re {number}")).status_code == 302
    assert client.post(url, topic_form(subject="Re 11")).status_code == 200
    assert Post.objects.filter(poster=newcomer).count() == 10


def test_older_accounts_are_not_limited(client, veteran, forums, topic_form):
    client.force_login(veteran)
    url = forum_url(forums["field"], "topic/create/")
    for number in range(5):
        assert client.post(url, topic_form(subject=f"Sujet {number}")).status_code == 302


@pytest.mark.parametrize(
    "data",
    [{"content": ""}, {"subject": ""}, {"content": "x" * 20_001}, {"content": "   "}],
    ids=["empty-content", "empty-subject", "huge", "blank"],
)
def test_empty_or_huge_posts_are_refused_with_a_message(client, veteran, forums, topic_form, data):
    client.force_login(veteran)
    response = client.post(forum_url(forums["field"], "topic/create/"), topic_form(**data))
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()
    assert not Topic.objects.filter(poster=veteran).exists()


def test_broken_markup_is_kept_as_text(client, veteran, forums, topic_form):
    client.force_login(veteran)
    response = client.post(
        forum_url(forums["field"], "topic/create/"),
        topic_form(content="**pas fermé <b <i>> [lien](", subject="Cassé"),
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_editing_someone_elses_post_is_refused(
    client, veteran, newcomer, forums, make_topic, topic_form
):
    topic = make_topic(forums["field"], veteran, content="original")
    client.force_login(newcomer)
    response = client.post(topic_url(topic, "update/"), topic_form(content="modifié"))
    assert response.status_code == 403
    assert topic.first_post.content.raw == "original"


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return buffer.getvalue()


def attachment_data(topic_form, upload):
    return topic_form(
        subject="Avec pièce jointe",
        **{
            "attachment-TOTAL_FORMS": "1",
            "attachment-0-file": upload,
            "attachment-0-comment": "",
        },
    )


def test_an_image_can_be_attached(client, veteran, forums, topic_form):
    client.force_login(veteran)
    upload = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    response = client.post(
        forum_url(forums["field"], "topic/create/"), attachment_data(topic_form, upload)
    )
    assert response.status_code == 302
    assert Topic.objects.get(poster=veteran).first_post.attachments.count() == 1


@pytest.mark.parametrize(
    "name,content",
    [
        ("rapport.pdf", b"<html><script>alert(1)</script></html>"),
        ("photo.png", b"MZ\x90\x00 not an image"),
        ("page.html", b"<!doctype html><p>hi"),
    ],
    ids=["html-named-pdf", "exe-named-png", "html"],
)
def test_attachments_are_checked_by_content(client, veteran, forums, topic_form, name, content):
    client.force_login(veteran)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(
        forum_url(forums["field"], "topic/create/"), attachment_data(topic_form, upload)
    )
    assert response.status_code == 200
    assert not Topic.objects.filter(poster=veteran).exists()


def test_attachments_are_limited_in_size(client, veteran, forums, topic_form, settings):
    from community.forums import limits

    client.force_login(veteran)
    big = b"%PDF-1.4\n" + b"0" * (limits.ATTACHMENT_MAX_BYTES + 1)
    upload = SimpleUploadedFile("gros.pdf", big, content_type="application/pdf")
    response = client.post(
        forum_url(forums["field"], "topic/create/"), attachment_data(topic_form, upload)
    )
    assert response.status_code == 200
    assert not Topic.objects.filter(poster=veteran).exists()


def test_an_attachment_is_stored_under_its_real_type_and_an_unguessable_name(
    client, veteran, forums, topic_form
):
    """Media files are served without machina's checks: a PNG named page.html must
    not become a web page, nor a private forum's file be found by its name."""
    client.force_login(veteran)
    upload = SimpleUploadedFile("page.html", png_bytes(), content_type="text/html")
    client.post(forum_url(forums["field"], "topic/create/"), attachment_data(topic_form, upload))
    other = SimpleUploadedFile("page.html", png_bytes(), content_type="text/html")
    client.post(forum_url(forums["field"], "topic/create/"), attachment_data(topic_form, other))
    names = [
        attachment.file.name
        for topic in Topic.objects.filter(poster=veteran)
        for attachment in topic.first_post.attachments.all()
    ]
    assert len(names) == 2
    assert all(re.fullmatch(r"machina/attachments/page-[0-9a-f]{24}\.png", n) for n in names)
    assert names[0] != names[1]


def test_the_message_box_stops_at_the_longest_post(client, veteran, forums):
    from community.forums import limits

    client.force_login(veteran)
    page = client.get(forum_url(forums["field"], "topic/create/")).content.decode()
    assert f'maxlength="{limits.POST_MAX_LENGTH}"' in page
