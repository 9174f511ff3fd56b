"""The member dashboard (/<lang>/my/): associations, requests both ways, suggestions."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from accounts.models import User
from directory.specialist_creation import create_specialist
from directory.specialists import SpecialistPage, SpecialistRequest
from tests.conftest import ROLES

from .test_specialist_helpers import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

URL = "/en/my/"


def panels(response):
    return {panel["template"].rsplit("/", 1)[-1]: panel for panel in response.context["panels"]}


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_by_role(client, people, specialist_page, role):
    if people[role] is not None:
        client.force_login(people[role])
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    shown = panels(response)
    assert "associations.html" in shown
    is_member = role in ("other_member", "member", "admin")
    assert ("requests.html" in shown) is (is_member or role == "specialist")
    assert ("suggestions.html" in shown) is is_member


def test_member_sees_the_requests_of_the_association(client, people, make_request):
    item = make_request()
    client.force_login(people["admin"])  # not the requester, but an admin
    panel = panels(client.get(URL))["requests.html"]
    assert item in panel["sent"]
    assert panel["received"] == []


def test_specialist_sees_requests_addressed_to_them_and_the_count(client, people, make_request):
    make_request()
    client.force_login(people["specialist"])
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    panel = panels(response)["requests.html"]
    assert len(panel["received"]) == 1 and panel["waiting"] == 1
    assert "1 request is waiting for your answer." in response.content.decode()


def test_other_association_does_not_see_them(client, people, make_request):
    item = make_request()
    client.force_login(people["other_member"])
    panel = panels(client.get(URL))["requests.html"]
    assert item not in panel["sent"]


def test_demo_specialist_has_pending_requests(client):
    user = User.objects.get(email="specialist@example.org")
    client.force_login(user)
    panel = panels(client.get(URL))["requests.html"]
    assert panel["waiting"] >= 2


def test_demo_specialists_go_by_their_names():
    """In messages and on the dashboard the demo specialists are people, not "spec-07"."""
    pages = SpecialistPage.objects.filter(locale__language_code="ar", user__isnull=False)
    assert pages.count() >= 30
    for page in pages.select_related("user"):
        assert page.user.public_name == page.name


def test_every_state_in_the_demo():
    assert set(SpecialistRequest.objects.values_list("status", flat=True)) == set(
        SpecialistRequest.Status.values
    )


def test_suggestions_link_to_the_profile_in_the_language(client, people):
    client.force_login(people["member"])
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    panel = panels(response)["suggestions.html"]
    [group] = panel["groups"]
    assert group["suggestions"]
    for item in group["suggestions"]:
        assert item.url.startswith("/en/specialists/")
        assert item.reason_text


def test_dashboard_queries_do_not_grow_with_requests(client, people, make_request):
    client.force_login(people["admin"])
    make_request()
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for number in range(6):
        other = create_specialist(name=f"Dash {number}", fields_of_activity=["youth"])
        make_request(specialist=other)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) <= len(few) + 2  # other apps' panels may cache differently


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_dashboard_in_every_language(client, people, make_request, language):
    make_request()
    client.force_login(people["member"])
    response = client.get(f"/{language}/my/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/{language}/specialists/requests/' in html


def test_a_specialist_without_profile_is_told_how_to_get_one(client, people):
    client.force_login(people["specialist"])  # in the Specialists group, no page
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    panel = panels(response)["requests.html"]
    assert panel["apply_url"] == "/en/specialists/apply/"
    assert 'href="/en/specialists/apply/"' in response.content.decode()
