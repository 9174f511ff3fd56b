"""Every main page of the portal, in every language, for every demo account: what a
new user clicking through the demo meets. Never a server error; public pages open
for everyone; members' pages ask anonymous visitors to log in."""

import re

from django.test import Client

import pytest

from accounts.models import User
from community.forums.models import ForumOrigin
from directory.specialists import SpecialistPage
from projects.models import ProjectPage

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = [
    None,
    "admin@example.org",
    "editor@example.org",
    "moderator@example.org",
    "heure.joyeuse@example.org",
    "member@example.org",
    "specialist@example.org",
]
PUBLIC = [
    "",
    "associations/",
    "associations/map/",
    "associations/statistics/",
    "associations/lheure-joyeuse/",
    "projects/",
    "agenda/",
    "agenda/month/",
    "specialists/",
    "forum/",
    "search/?q=sa3at+lfarah",
    "join/step/1/",
]
MEMBERS_ONLY = ["my/", "messages/inbox/", "messages/sent/", "specialists/requests/"]


def demo_pages(lang):
    """A project, a specialist and a forum topic of the demo, in `lang`."""
    project = ProjectPage.objects.live().filter(locale__language_code=lang).first()
    specialist = SpecialistPage.objects.live().filter(locale__language_code=lang).first()
    forum = ForumOrigin.objects.filter(kind="field").select_related("forum").first().forum
    return [project.url, specialist.url, f"/{lang}/forum/forum/{forum.slug}-{forum.pk}/"]


@pytest.mark.parametrize("email", DEMO_ACCOUNTS, ids=lambda e: e or "anonymous")
@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_main_pages_open_for_every_demo_account(email, lang):
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if email:
        client.force_login(User.objects.get(email=email))
    for path in [f"/{lang}/{p}" for p in PUBLIC] + demo_pages(lang):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        html = response.content.decode()
        assert re.search(rf'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}"', html)
    for path in [f"/{lang}/{p}" for p in MEMBERS_ONLY]:
        response = client.get(path)
        if email:
            assert response.status_code in (200, 403), (path, response.status_code)
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
