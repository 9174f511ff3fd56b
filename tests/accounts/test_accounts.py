import io
import re

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def link_in(message):
    return re.search(r"https?://[^\s]+", message.body).group(0)


def test_sign_up_verify_e_mail_then_log_in(client):
    response = client.post(
        "/fr/accounts/signup/",
        {
            "email": "nouvelle@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Nadia",
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@example.org")
    assert user.display_name == "Nadia"
    assert user.preferred_language == "fr"
    assert len(mail.outbox) == 1
    assert "confirm" in mail.outbox[0].subject.lower() or "confirm" in mail.outbox[0].body.lower()

    # Not verified yet: logging in sends to the verification page.
    response = client.post("/fr/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert "/accounts/confirm-email/" in response["Location"]

    confirm_path = link_in(mail.outbox[0]).split("testserver", 1)[-1]
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified

    client.logout()
    response = client.post("/fr/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/fr/accounts/profile/").status_code == 200


def test_verification_e_mail_is_in_the_chosen_language(client):
    client.post(
        "/fr/accounts/signup/",
        {
            "email": "arabe@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "سعاد",
            "preferred_language": "ar",
        },
    )
    message = mail.outbox[0]
    assert re.search(r"[\u0600-\u06FF]", message.subject + message.body), message.subject


def test_sign_up_errors_are_localised_and_keep_what_was_typed(client):
    response = client.post(
        "/ar/accounts/signup/",
        {"email": "not-an-email", "password1": "a", "password2": "b", "display_name": "سلمى"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="سلمى"' in body
    assert 'value="not-an-email"' in body
    assert "عنوان بريد إلكتروني صالح" in body or "بريد" in body.split("errorlist")[1]


def test_wrong_password_is_refused_with_a_message(client):
    user = UserFactory()
    response = client.post("/fr/accounts/login/", {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(client):
    user = UserFactory(preferred_language="fr")
    response = client.post("/fr/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_path = link_in(mail.outbox[0]).split("testserver", 1)[-1]
    response = client.get(reset_path, follow=True)
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else reset_path
    new_password = "another-strong-pass-2027"
    response = client.post(form_path, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_profile_requires_login(client):
    response = client.get("/fr/accounts/profile/")
    assert response.status_code == 302
    assert "/fr/accounts/login/" in response["Location"]


def png_bytes(size=(64, 64)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "PNG")
    return buffer.getvalue()


def test_profile_update_with_a_real_avatar(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/fr/accounts/profile/",
        {
            "display_name": "Nouveau nom",
            "preferred_language": "en",
            "avatar": SimpleUploadedFile("me.png", png_bytes(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Nouveau nom"
    assert user.preferred_language == "en"
    assert user.avatar.name.endswith(".png")


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("evil.png", b"<?php system($_GET['c']); ?>", "Téléversez une image valide"),
        ("doc.png", b"%PDF-1.4 not an image", "Téléversez une image valide"),
        ("huge.png", None, "trop"),
        ("bitmap.png", "bmp", "type de fichier"),
    ],
    ids=["script-named-png", "pdf-named-png", "too-many-pixels", "real-image-of-refused-type"],
)
def test_profile_refuses_bad_avatars_and_keeps_the_typed_name(client, filename, content, message):
    user = UserFactory(display_name="Avant")
    client.force_login(user)
    if content is None:
        content = png_bytes((5000, 10))
    elif content == "bmp":
        buffer = io.BytesIO()
        Image.new("RGB", (10, 10)).save(buffer, "BMP")
        content = buffer.getvalue()
    response = client.post(
        "/fr/accounts/profile/",
        {
            "display_name": "Tapé",
            "preferred_language": "fr",
            "avatar": SimpleUploadedFile(filename, content, content_type="image/png"),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Tapé"' in body
    assert message in body
    user.refresh_from_db()
    assert user.display_name == "Avant"
    assert not user.avatar


def test_public_name_never_shows_the_e_mail(db):
    user = UserFactory(display_name="", first_name="", last_name="")
    assert user.email not in str(user)
