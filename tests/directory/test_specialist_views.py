"""Public views of the specialists: directory, profile, requests, applying, CVs."""

import io
from datetime import timedelta

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

import pytest

from accounts.models import User
from directory.specialist_creation import create_specialist
from directory.specialists import SpecialistApplication, SpecialistPage, SpecialistRequest
from tests.conftest import ROLES

from .test_specialist_helpers import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

Status = SpecialistRequest.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
    return people[role]


# ---------------------------------------------------------------------------
# Directory
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_directory_lists_the_demo_specialists(client, language):
    response = client.get(f"/{language}/specialists/")
    assert response.status_code == 200
    assert response.context["result_count"] == 30
    assert len(response.context["specialists"]) == 20  # first page
    assert 'rel="next"' in response.content.decode()
    html = response.content.decode()
    assert f'href="/{language}/specialists/' in html


def test_lists_on_cards_and_profiles_use_the_languages_separator(client, specialist_page):
    """In Arabic, fields and regions are separated by “،” like skills and languages."""
    from directory.taxonomies import FieldOfActivity, Region

    specialist_page.regions.add(Region.source_terms().get(slug="rabat-sale-kenitra"))
    specialist_page.save_revision().publish()
    with translation.override("ar"):
        fields = sorted(FieldOfActivity.localized_names()[s] for s in ("childhood", "education"))
        regions = sorted(
            Region.localized_names()[s] for s in ("casablanca-settat", "rabat-sale-kenitra")
        )
    card = "/ar/specialists/?skill=accounting&region=rabat-sale-kenitra&field=childhood"
    response = client.get(card)
    assert specialist_page.pk in [page.pk for page in response.context["specialists"]]
    for html in (response.content.decode(), client.get(specialist_page.url).content.decode()):
        assert "، ".join(fields) in html
        assert "، ".join(regions) in html
        assert ", ".join(regions) not in html


def test_header_links_to_the_specialists(client):
    response = client.get("/en/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'href="/en/specialists/"' in response.content.decode()


def test_filters_and_facet_counts(client):
    everyone = client.get("/en/specialists/").context
    facets = {facet.name: facet for facet in everyone["facets"]}
    arabic = next(o for o in facets["language"].options if o.value == "ar")
    assert arabic.count == 30  # every demo specialist works in Arabic
    psychology = next(o for o in facets["skill"].options if o.value == "psychology")
    response = client.get("/en/specialists/?skill=psychology")
    assert response.context["result_count"] == psychology.count
    assert all("psychology" in page.skills for page in response.context["specialists"])
    # the skill facet ignores its own filter: other skills keep their counts
    facets_after = {facet.name: facet for facet in response.context["facets"]}
    assert [o.count for o in facets_after["skill"].options] == [
        o.count for o in facets["skill"].options
    ]


def test_filters_combine(client):
    response = client.get(
        "/en/specialists/?region=casablanca-settat&field=childhood&availability=now"
    )
    names = [page.name for page in response.context["specialists"]]
    assert "د. نادية العلوي" in names
    today = timezone.localdate()
    for page in response.context["specialists"]:
        assert page.hours_per_month > 0
        assert page.next_available is None or page.next_available <= today


def test_unknown_filter_values_are_reported_not_errors(client):
    response = client.get("/en/specialists/?skill=juggling&language=xx&page=abc&page=99")
    assert response.status_code == 200
    assert response.context["result_count"] == 30
    notices = " ".join(response.context["notices"])
    assert "juggling" in notices and "xx" in notices


def test_page_beyond_the_last(client):
    response = client.get("/en/specialists/?page=99")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2


def test_directory_escapes_user_text(client, people):
    create_specialist(user=people["specialist"], name="<script>alert(1)</script>", headline="x")
    html = client.get("/en/specialists/?page=1").content.decode()
    assert "<script>alert(1)</script>" not in html


def test_directory_queries_do_not_grow_with_specialists(client, people):
    client.get("/en/specialists/")  # warm caches (locales, site)
    with CaptureQueriesContext(connection) as before:
        client.get("/en/specialists/?availability=now")
    for number in range(5):
        create_specialist(
            name=f"Extra {number}",
            fields_of_activity=["education"],
            regions=["oriental"],
            skills=["legal"],
            languages=["ar"],
            hours_per_month=5,
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/en/specialists/?availability=now")
    assert len(after) == len(before)


def test_site_search_finds_specialists(client):
    response = client.get("/en/search/?q=psychology", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    others = response.context["other_pages"]
    assert any(isinstance(page, SpecialistPage) for page in others)


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("fr", "zineb"),  # the name in Latin letters (the slug), for an Arabic name
        ("en", "Zineb Marrakchia"),
        ("fr", "Oriental"),  # a region served, named in the page's language…
        ("fr", "الشرق"),  # …or in another one
        ("ar", "Oriental"),
        ("fr", "santé"),  # a field of activity, on a translated page
    ],
)
def test_site_search_finds_a_specialist_by_latin_name_and_region(client, language, query):
    page = create_specialist(
        user=User.objects.create_user(email="zineb@example.org", password="x" * 12),
        name="زينب المراكشية",
        slug_hint="zineb marrakchia",
        fields_of_activity=["health"],
        regions=["oriental"],
        skills=["legal"],
        languages=["ar"],
        hours_per_month=5,
    )
    response = client.get(f"/{language}/search/", {"q": query})
    found = [item.translation_key for item in response.context["other_pages"]]
    assert page.translation_key in found


# ---------------------------------------------------------------------------
# Profile
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_profile_for_every_role(client, people, specialist_page, role):
    login(client, people, role)
    alias = SpecialistPage.objects.get(
        translation_key=specialist_page.translation_key, locale__language_code="en"
    )
    response = client.get(alias.url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    request_link = reverse("specialists:request_new", args=[specialist_page.pk])
    # only members of an association may send a request (not the specialist themself)
    assert (request_link in html) is (role in ("other_member", "member", "admin"))


def test_profile_shows_only_moderated_feedback(client, people, make_request):
    from directory.specialists import SpecialistFeedback

    item = make_request(Status.COMPLETED)
    feedback = SpecialistFeedback.objects.create(
        request=item, author=people["member"], rating=4, comment="Precise & kind"
    )
    url = item.specialist.url
    assert "Precise &amp; kind" not in client.get(url).content.decode()
    feedback.status = SpecialistFeedback.Status.APPROVED
    feedback.save()
    html = client.get(url).content.decode()
    assert "Precise &amp; kind" in html


def test_profile_sections_hook(client, specialist_page):
    from wagtail import hooks

    def section(request, page):
        return {"template": "directory/specialists/includes/availability.html", "order": 5}

    with hooks.register_temporarily("rabita_specialist_sections", section):
        response = client.get(specialist_page.url)
    assert response.status_code == 200
    assert response.context["profile"]["sections"][0]["order"] == 5


# ---------------------------------------------------------------------------
# Opening a request
# ---------------------------------------------------------------------------
def request_form(association_pk, **overrides):
    data = {
        "association": str(association_pk),
        "need": "Our accounts need a review before the general assembly.",
        "field": "childhood",
        "expected_format": "review",
        "preferred_start": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "preferred_end": (timezone.localdate() + timedelta(days=21)).isoformat(),
        "urgency": "normal",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_request_form_by_role(client, people, heure_joyeuse, specialist_page, role):
    login(client, people, role)
    url = reverse("specialists:request_new", args=[specialist_page.pk])
    response = client.get(url)
    expected = {
        "anonymous": 302,
        "other_member": 200,
        "member": 200,
        "admin": 200,
        "specialist": 403,
        "moderator": 403,
        "staff": 403,
    }[role]
    assert response.status_code == expected


def test_member_sends_a_request(client, people, heure_joyeuse, specialist_page):
    client.force_login(people["member"])
    url = reverse("specialists:request_new", args=[specialist_page.pk])
    response = client.post(url, request_form(heure_joyeuse.pk))
    created = SpecialistRequest.objects.get(specialist=specialist_page)
    assert response.status_code == 302
    assert response["Location"] == reverse("specialists:request", args=[created.pk])
    assert created.association == heure_joyeuse
    assert created.field.slug == "childhood"
    assert [m.to for m in mail.outbox] == [[people["specialist"].email]]


def test_duplicate_request_is_refused_in_the_form(client, people, heure_joyeuse, make_request):
    existing = make_request()
    client.force_login(people["admin"])
    url = reverse("specialists:request_new", args=[existing.specialist_id])
    response = client.post(url, request_form(heure_joyeuse.pk))
    assert response.status_code == 200
    # In the page's language (Arabic, the default).
    assert "لجمعيتكم طلب مفتوح مع هذا المتخصص" in response.content.decode()
    assert SpecialistRequest.objects.filter(specialist=existing.specialist).count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"need": ""},
        {"preferred_start": "2001-01-01"},
        {"preferred_start": "not a date"},
        {"preferred_end": (timezone.localdate() + timedelta(days=1)).isoformat()},
        {"urgency": "yesterday"},
        {"field": "astrology"},
        {"association": "999999"},
    ],
    ids=["no-need", "past", "bad-date", "end-before-start", "bad-urgency", "bad-field", "not-mine"],
)
def test_bad_request_input_is_refused(client, people, heure_joyeuse, specialist_page, overrides):
    client.force_login(people["member"])
    url = reverse("specialists:request_new", args=[specialist_page.pk])
    response = client.post(url, request_form(heure_joyeuse.pk, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not SpecialistRequest.objects.filter(specialist=specialist_page).exists()


def test_a_member_cannot_request_for_another_association(
    client, people, heure_joyeuse, specialist_page
):
    client.force_login(people["other_member"])
    url = reverse("specialists:request_new", args=[specialist_page.pk])
    client.post(url, request_form(heure_joyeuse.pk))
    assert (
        not SpecialistRequest.objects.filter(association=heure_joyeuse)
        .filter(specialist=specialist_page)
        .exists()
    )


def test_unknown_specialist_is_404(client, people):
    client.force_login(people["member"])
    assert client.get(reverse("specialists:request_new", args=[999999])).status_code == 404


# ---------------------------------------------------------------------------
# A request's page and its actions
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_request_page_by_role(client, people, make_request, role):
    item = make_request()
    login(client, people, role)
    response = client.get(reverse("specialists:request", args=[item.pk]))
    expected = {"anonymous": 302, "member": 200, "admin": 200, "specialist": 200}.get(role, 404)
    assert response.status_code == expected


def test_unknown_request_is_404(client, people):
    client.force_login(people["member"])
    assert client.get(reverse("specialists:request", args=[999999])).status_code == 404


HUGE_ID = "9" * 25  # beyond any database integer


@pytest.mark.parametrize(
    ("path", "method"),
    [
        (f"/en/specialists/requests/new/{HUGE_ID}/", "get"),
        (f"/en/specialists/requests/new/{HUGE_ID}/", "post"),
        (f"/en/specialists/requests/{HUGE_ID}/", "get"),
        (f"/en/specialists/requests/{HUGE_ID}/accept/", "post"),
        (f"/en/specialists/requests/{HUGE_ID}/feedback/", "post"),
        (f"/en/specialists/apply/cv/{HUGE_ID}/", "get"),
    ],
    ids=["new-get", "new-post", "detail", "action", "feedback", "cv"],
)
@pytest.mark.parametrize("role", ["member", "staff"])
def test_a_number_too_large_for_the_database_is_404(client, people, path, method, role):
    client.force_login(people[role])
    assert getattr(client, method)(path).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_accept_by_role(client, people, make_request, role):
    item = make_request()
    login(client, people, role)
    response = client.post(reverse("specialists:action", args=[item.pk, "accept"]))
    item.refresh_from_db()
    if role == "specialist":
        assert response.status_code == 302
        assert item.status == Status.ACCEPTED
    else:
        assert response.status_code in (302, 404)
        assert item.status == Status.PENDING


@pytest.mark.parametrize("role", ["specialist", "admin", "member"])
def test_an_accepted_request_links_to_its_conversation(client, people, make_request, role):
    item = make_request()
    client.force_login(people["specialist"])
    client.post(reverse("specialists:action", args=[item.pk, "accept"]))
    item.refresh_from_db()
    conversation = reverse("postman:view_conversation", args=[item.conversation_thread])
    client.force_login(people[role])
    page = client.get(reverse("specialists:request", args=[item.pk])).content.decode()
    assert f'href="{conversation}"' in page
    thread = client.get(conversation)
    assert thread.status_code == 200
    shown = list(thread.context["pm_messages"])
    assert shown and {message.thread_id for message in shown} == {item.conversation_thread}


def test_a_request_accepted_without_messages_links_to_the_inbox(
    client, people, make_request, monkeypatch
):
    monkeypatch.setattr("directory.requests.send_signal", lambda signal, **kwargs: [])
    item = make_request()
    client.force_login(people["specialist"])
    client.post(reverse("specialists:action", args=[item.pk, "accept"]))
    page = client.get(reverse("specialists:request", args=[item.pk])).content.decode()
    assert f'href="{reverse("postman:inbox")}"' in page


def test_the_specialist_sees_the_buttons_the_state_allows(client, people, make_request):
    item = make_request()
    client.force_login(people["specialist"])
    response = client.get(reverse("specialists:request", args=[item.pk]))
    assert response.context["allowed"] == ["accept", "decline", "propose_dates"]
    client.force_login(people["member"])
    response = client.get(reverse("specialists:request", args=[item.pk]))
    assert response.context["allowed"] == ["withdraw"]


def test_invalid_transition_shows_a_localised_message(client, people, make_request):
    item = make_request(Status.COMPLETED)
    client.force_login(people["specialist"])
    with translation.override("fr"):
        url = reverse("specialists:action", args=[item.pk, "accept"])
    response = client.post(url, follow=True)
    assert (
        "Cette demande ne peut pas être acceptée : elle est « achevé" in response.content.decode()
    )


def test_decline_without_reason_shows_the_form_again(client, people, make_request):
    item = make_request()
    client.force_login(people["specialist"])
    response = client.post(reverse("specialists:action", args=[item.pk, "decline"]), {})
    assert response.status_code == 400
    assert response.context["decline_form"].errors
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_propose_dates_through_the_page(client, people, make_request):
    item = make_request()
    client.force_login(people["specialist"])
    start = timezone.localdate() + timedelta(days=30)
    client.post(
        reverse("specialists:action", args=[item.pk, "propose_dates"]),
        {"propose-start": start.isoformat(), "propose-message": "Next month"},
    )
    item.refresh_from_db()
    assert item.status == Status.DATES_PROPOSED and item.proposed_start == start


@pytest.mark.parametrize("action", ["expire", "teleport"])
def test_unknown_or_system_actions_are_404(client, people, make_request, action):
    item = make_request(waiting_since=timezone.now() - timedelta(days=9))
    client.force_login(people["specialist"])
    response = client.post(reverse("specialists:action", args=[item.pk, action]))
    assert response.status_code == 404


def test_actions_need_post(client, people, make_request):
    item = make_request()
    client.force_login(people["specialist"])
    assert client.get(reverse("specialists:action", args=[item.pk, "accept"])).status_code == 405


def test_feedback_through_the_page(client, people, make_request):
    item = make_request(Status.COMPLETED)
    client.force_login(people["admin"])
    url = reverse("specialists:feedback", args=[item.pk])
    client.post(url, {"feedback-rating": "5", "feedback-comment": "Great"})
    client.post(url, {"feedback-rating": "1", "feedback-comment": "Twice"})
    assert item.__class__.objects.get(pk=item.pk).feedback.rating == 5


def test_feedback_rating_out_of_range(client, people, make_request):
    item = make_request(Status.COMPLETED)
    client.force_login(people["admin"])
    response = client.post(
        reverse("specialists:feedback", args=[item.pk]), {"feedback-rating": "9"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_request_list_shows_only_ones_own(client, people, make_request, role):
    item = make_request()
    login(client, people, role)
    response = client.get(reverse("specialists:requests"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    listed = response.context["sent"] + response.context["received"]
    assert (item in listed) is (role in ("member", "admin", "specialist"))


def test_request_list_queries_are_constant(client, people, make_request, specialist_page):
    client.force_login(people["admin"])
    make_request()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("specialists:requests"))
    for number in range(10):
        other = create_specialist(name=f"Other {number}", user=None)
        make_request(specialist=other)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("specialists:requests"))
    assert len(many) == len(one)


# ---------------------------------------------------------------------------
# Applying
# ---------------------------------------------------------------------------
def application_form(**overrides):
    data = {
        "name": "Hind Test",
        "headline": "Lawyer",
        "fields_of_activity": ["women-rights"],
        "skills": ["legal"],
        "languages": ["ar", "fr"],
        "regions": ["rabat-sale-kenitra"],
        "city": "Rabat",
        "works_remotely": "on",
        "hours_per_month": "8",
        "pricing": "pro-bono",
        "biography": "Ten years with associations.",
        "confirm": "on",
        "cv": SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_apply_page_by_role(client, people, role):
    login(client, people, role)
    assert client.get(reverse("specialists:apply")).status_code == 200


def test_apply_with_a_cv(client, people):
    user = people["member"]
    client.force_login(user)
    response = client.post(reverse("specialists:apply"), application_form())
    assert response.status_code == 302
    application = SpecialistApplication.objects.get(applicant=user)
    assert application.cv.name.startswith("cv/")
    assert application.skills == ["legal"]
    assert list(application.regions.values_list("slug", flat=True)) == ["rabat-sale-kenitra"]
    # a second one while the first is reviewed is refused
    client.post(reverse("specialists:apply"), application_form())
    assert SpecialistApplication.objects.filter(applicant=user).count() == 1


ACCOUNT = {
    "account-email": "Hind.Test@Example.org",
    "account-display_name": "Hind Test",
    "account-password1": "une-phrase-longue-2026",
    "account-password2": "une-phrase-longue-2026",
    "account-preferred_language": "fr",
}


def test_a_visitor_applies_and_creates_an_account_in_the_same_form(client):
    with translation.override("fr"):
        url = reverse("specialists:apply")
    response = client.post(url, {**application_form(), **ACCOUNT})
    assert response.status_code == 200
    application = SpecialistApplication.objects.get(applicant__email="hind.test@example.org")
    applicant = application.applicant
    assert applicant.check_password("une-phrase-longue-2026")
    assert applicant.preferred_language == "fr" and applicant.display_name == "Hind Test"
    assert "hind.test@example.org" in response.content.decode()
    # allauth's confirmation link, in French; the reviewers are told too.
    confirmation = [m for m in mail.outbox if m.to == ["hind.test@example.org"]]
    assert len(confirmation) == 1 and "/fr/accounts/confirm-email/" in confirmation[0].body
    assert len(mail.outbox) > 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"account-email": "heure.joyeuse@example.org"}, "email"),
        ({"account-password2": "autre-chose-2026"}, "password2"),
        ({"account-password1": "", "account-password2": ""}, "password1"),
    ],
    ids=["existing-address", "passwords-differ", "no-password"],
)
def test_a_visitor_account_with_bad_input_keeps_the_form_and_creates_nothing(client, change, field):
    response = client.post(
        reverse("specialists:apply"), {**application_form(), **ACCOUNT, **change}
    )
    assert response.status_code == 200
    assert field in response.context["account_form"].errors
    assert response.context["form"]["name"].value() == "Hind Test"  # nothing lost
    assert not SpecialistApplication.objects.exists()
    assert not User.objects.filter(email__iexact="hind.test@example.org").exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00 not a pdf", "cv.pdf"),
        (b"%PDF-1.4 cut in the middle", "cv.pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "cv.pdf"),
    ],
    ids=["executable", "truncated-pdf", "image"],
)
def test_cv_is_checked_by_content(client, people, content, name):
    client.force_login(people["member"])
    response = client.post(
        reverse("specialists:apply"),
        application_form(cv=SimpleUploadedFile(name, content, content_type="application/pdf")),
    )
    assert response.status_code == 200
    assert "cv" in response.context["form"].errors
    assert not SpecialistApplication.objects.filter(applicant=people["member"]).exists()


def test_apply_needs_a_way_of_working(client, people):
    client.force_login(people["member"])
    data = application_form()
    del data["works_remotely"]
    response = client.post(reverse("specialists:apply"), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


@pytest.mark.parametrize("role", ROLES)
def test_cv_is_private(client, people, role):
    application = SpecialistApplication.objects.create(
        applicant=people["member"], name="X", headline="Y", biography="Z"
    )
    application.cv.save("cv-test.pdf", io.BytesIO(PDF))
    login(client, people, role)
    response = client.get(reverse("specialists:cv", args=[application.pk]))
    assert response.status_code == (200 if role == "staff" else 404)
    if role == "staff":
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


# ---------------------------------------------------------------------------
# The specialist's availability
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_availability_only_for_a_listed_specialist(client, people, specialist_page, role):
    login(client, people, role)
    response = client.get(reverse("specialists:availability"))
    expected = {"anonymous": 302, "specialist": 200}.get(role, 404)
    assert response.status_code == expected


def test_specialist_updates_availability_in_every_language(client, people, specialist_page):
    client.force_login(people["specialist"])
    later = timezone.localdate() + timedelta(days=40)
    response = client.post(
        reverse("specialists:availability"),
        {"hours_per_month": "3", "next_available": later.isoformat(), "works_remotely": "on"},
    )
    assert response.status_code == 302
    for page in SpecialistPage.objects.filter(translation_key=specialist_page.translation_key):
        assert page.hours_per_month == 3 and page.next_available == later
        assert not page.works_in_person


def test_availability_bad_input(client, people, specialist_page):
    client.force_login(people["specialist"])
    response = client.post(
        reverse("specialists:availability"), {"hours_per_month": "-4", "next_available": "soon"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"hours_per_month", "next_available"}
