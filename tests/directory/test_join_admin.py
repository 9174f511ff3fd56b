"""Reviewing applications in the Wagtail admin: who may, the decisions, the e-mails,
the receipt served to staff only, and the whole journey from the form to the new
association's page."""

import re
from html import escape

from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import translation

import pytest

from accounts import roles
from directory.models import AssociationPage, Membership, MembershipApplication
from tests.conftest import ROLES
from tests.directory.test_join import (
    PDF,
    fill_steps,
    make_application,
    messages_of,
    png_file,
    send_application,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = MembershipApplication.Status


@pytest.fixture
def application(people):
    return make_application(UserFactory(preferred_language="fr"))


@pytest.fixture
def staff_client(client, people):
    client.force_login(people["staff"])
    return client


def admin_url(application, action=""):
    suffix = f"{action}/" if action else ""
    return f"/admin/join-applications/{application.pk}/{suffix}"


# ---------------------------------------------------------------------------
# Who may review
# ---------------------------------------------------------------------------
REVIEW_URLS = [
    ("get", lambda a: "/admin/join-applications/"),
    ("get", lambda a: "/admin/join-applications/results/?status=submitted"),
    ("get", lambda a: admin_url(a)),
    ("post", lambda a: admin_url(a, "approve")),
    ("post", lambda a: admin_url(a, "reject")),
    ("post", lambda a: admin_url(a, "request-information")),
    ("post", lambda a: admin_url(a, "reopen")),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "method, url",
    REVIEW_URLS,
    ids=["index", "results", "detail", "approve", "reject", "ask", "reopen"],
)
def test_only_staff_reach_the_review_queue(client, people, application, role, method, url):
    if people[role]:
        client.force_login(people[role])
    data = {"reject-message": "Non.", "request_information-message": "Pourquoi ?"}
    response = getattr(client, method)(url(application), data)
    if role == "staff":
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert response["Location"] == admin_url(application)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED
        assert application.association is None


def test_superusers_review_too(client, user_with_role, application):
    client.force_login(user_with_role("staff"))  # a superuser
    assert client.get(admin_url(application)).status_code == 200


def test_an_admin_user_without_the_review_permission_is_refused(client, application):
    from django.contrib.auth.models import Permission

    person = UserFactory()
    person.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(person)
    response = client.get(admin_url(application))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(f"/fr/join/receipt/{application.pk}/").status_code == 404


def test_the_review_permission_can_be_given_to_a_group(client, application):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Reviewers")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(codename="change_membershipapplication"),
    )
    person = UserFactory()
    person.groups.add(group)
    client.force_login(person)
    assert client.get(admin_url(application)).status_code == 200


@pytest.mark.parametrize("role", ROLES + ["applicant"])
def test_the_receipt_is_served_to_staff_only(client, people, application, role):
    user = application.applicant if role == "applicant" else people[role]
    if user:
        client.force_login(user)
    response = client.get(f"/fr/join/receipt/{application.pk}/")
    if role == "staff":
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
    else:
        assert response.status_code == 404


def test_a_png_receipt_is_served_as_png(staff_client, application):
    application.registration_receipt.save("receipt-test.png", png_file(), save=True)
    response = staff_client.get(f"/fr/join/receipt/{application.pk}/")
    assert response["Content-Type"] == "image/png"
    html = staff_client.get(admin_url(application)).content.decode()
    assert re.search(rf'<img[^>]+src="/(ar|fr|en)/join/receipt/{application.pk}/"', html)


@pytest.mark.parametrize(
    "url",
    ["/admin/join-applications/999999/", "/fr/join/receipt/999999/"],
    ids=["detail", "receipt"],
)
def test_unknown_application_is_not_found(staff_client, url):
    assert staff_client.get(url, follow=True).status_code == 404


# ---------------------------------------------------------------------------
# The queue
# ---------------------------------------------------------------------------
def test_the_menu_shows_the_number_waiting(staff_client, people):
    make_application(UserFactory())
    make_application(UserFactory(), registration_number="B-2")
    make_application(UserFactory(), registration_number="C-3", status=Status.REJECTED)
    html = staff_client.get("/admin/").content.decode()
    assert "Demandes (2)" in html  # "Applications (2)" in the French admin
    staff_client.force_login(people["member"])
    assert "Applications (" not in staff_client.get("/admin/", follow=True).content.decode()


def test_the_queue_filters_by_status(staff_client):
    waiting = make_application(UserFactory(), name_ar="جمعية في الانتظار")
    refused = make_application(
        UserFactory(), name_ar="جمعية مرفوضة", registration_number="R-1", status=Status.REJECTED
    )
    html = staff_client.get("/admin/join-applications/").content.decode()
    assert waiting.name_ar in html and refused.name_ar in html
    html = staff_client.get("/admin/join-applications/?status=rejected").content.decode()
    assert refused.name_ar in html and waiting.name_ar not in html


def test_the_queue_uses_a_constant_number_of_queries(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_queue():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get("/admin/join-applications/").status_code == 200
        return len(captured)

    make_application(UserFactory(), registration_number="Q-0")
    staff_client.get("/admin/join-applications/")  # warm caches (site, locales)
    with_one = queries_for_queue()
    for number in range(1, 30):
        make_application(UserFactory(), registration_number=f"Q-{number}")
    assert queries_for_queue() == with_one


def test_the_detail_shows_every_field_and_flags_duplicates(staff_client, heure_joyeuse):
    application = make_application(
        UserFactory(display_name="Karim Idrissi"),
        name_ar="جمعية الساعة السعيدة",
        name_fr="Association Heure Heureuse",
        registration_number="CASA-1959-0427",
        province_slug="casablanca",
        city="الدار البيضاء",
        acronym="AHH",
        website="https://heure-heureuse.ma",
    )
    html = staff_client.get(admin_url(application)).content.decode()
    for value in (
        "جمعية الساعة السعيدة",
        "Association Heure Heureuse",
        "AHH",
        "CASA-1959-0427",
        "contact@oasis.ma",
        "+212535123456",
        "https://heure-heureuse.ma",
        "Karim Idrissi",
        "Président",
    ):
        assert value in html
    assert re.search(rf'href="/(ar|fr|en)/join/receipt/{application.pk}/"', html)
    assert "data-duplicates" in html
    assert heure_joyeuse.name_ar in html
    assert f"/admin/pages/{heure_joyeuse.pk}/edit/" in html


def test_no_duplicate_warning_for_a_new_association(staff_client, application):
    assert "data-duplicates" not in staff_client.get(admin_url(application)).content.decode()


# ---------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------
def approved_pages(application):
    application.refresh_from_db()
    page = application.association
    return {p.locale.language_code: p for p in page.get_translations(inclusive=True)}


def test_approval_creates_the_association_and_makes_the_applicant_its_admin(
    staff_client, people, application
):
    response = staff_client.post(admin_url(application, "approve"))
    assert response.status_code == 302

    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.reviewed_by == people["staff"]
    assert application.reviewed_at is not None
    pages = approved_pages(application)
    assert sorted(pages) == ["ar", "en", "fr"]
    page = pages["ar"].specific
    assert page.live
    assert (page.name_ar, page.name_fr) == (application.name_ar, application.name_fr)
    assert page.registration_number == "ERR-2018-0007"
    assert page.province.slug == "errachidia"
    assert page.region.slug == "draa-tafilalet"
    assert [t.slug for t in page.fields_of_activity.all()] == ["environment"]
    assert page.phone == "+212535123456"
    assert pages["fr"].alias_of_id == page.pk

    # The association just created is not flagged as a duplicate of its application.
    assert "data-duplicates" not in staff_client.get(admin_url(application)).content.decode()

    membership = Membership.objects.get(association=page)
    assert membership.user == application.applicant
    assert membership.role == Membership.ADMIN
    assert application.applicant.groups.filter(name=roles.MEMBERS).exists()

    welcome = [m for m in mail.outbox if m.to == [application.applicant.email]]
    assert len(welcome) == 1
    # In the applicant's language (French): the French profile.
    assert pages["fr"].url in welcome[0].body
    assert "/fr/associations/" in welcome[0].body
    # …and the page where the new administrator manages it (when that page exists).
    try:
        with translation.override("fr"):
            manage = reverse("manage:members", kwargs={"pk": page.pk})
    except NoReverseMatch:
        manage = ""
    assert manage in welcome[0].body


def test_approving_twice_creates_one_association(staff_client, application):
    staff_client.post(admin_url(application, "approve"))
    before = AssociationPage.objects.count()
    response = staff_client.post(admin_url(application, "approve"), follow=True)
    assert "Cette demande est déjà approuvée." in messages_of(response)
    assert AssociationPage.objects.count() == before
    assert len([m for m in mail.outbox if m.to == [application.applicant.email]]) == 1


def test_rejection_needs_a_reason(staff_client, application):
    response = staff_client.post(admin_url(application, "reject"), {"reject-message": "  "})
    assert response.status_code == 200
    assert response.context["reject_form"].has_error("message")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not mail.outbox


def test_rejection_tells_the_applicant_why_in_their_language(staff_client, people):
    applicant = UserFactory(preferred_language="ar")
    application = make_application(applicant)
    reason = "الوصل المرفق لا يخص هذه الجمعية."
    staff_client.post(admin_url(application, "reject"), {"reject-message": reason})
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.reviewer_message == reason
    assert application.reviewed_by == people["staff"]
    (message,) = [m for m in mail.outbox if m.to == [applicant.email]]
    assert reason in message.body
    assert "/ar/join/applications/" in message.body
    assert "رابطة" in message.body


def test_a_rejected_application_must_be_reopened_before_approval(staff_client, application):
    staff_client.post(admin_url(application, "reject"), {"reject-message": "Reçu illisible."})
    response = staff_client.post(admin_url(application, "approve"), follow=True)
    assert any("rouverte" in text for text in messages_of(response))  # "reopened"
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.association is None

    staff_client.post(admin_url(application, "reopen"))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    staff_client.post(admin_url(application, "approve"))
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_only_a_rejected_application_can_be_reopened(staff_client, application):
    response = staff_client.post(admin_url(application, "reopen"), follow=True)
    assert "Seule une demande rejetée peut être rouverte." in messages_of(response)


def test_asking_for_information_needs_a_message(staff_client, application):
    response = staff_client.post(
        admin_url(application, "request-information"), {"request_information-message": ""}
    )
    assert response.context["request_information_form"].has_error("message")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_action_urls_only_act_on_post(staff_client, application):
    response = staff_client.get(admin_url(application, "approve"))
    assert response["Location"] == admin_url(application)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_asking_for_information_then_the_applicant_answers(client, staff_client, people):
    applicant = UserFactory(preferred_language="ar")
    application = make_application(applicant)
    old_receipt = application.registration_receipt.name
    question = "Merci d'envoyer le reçu définitif, pas le provisoire."
    staff_client.post(
        admin_url(application, "request-information"), {"request_information-message": question}
    )
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED
    (asked,) = [m for m in mail.outbox if m.to == [applicant.email]]
    assert question in asked.body
    assert f"/ar/join/applications/{application.pk}/" in asked.body

    mail.outbox.clear()
    client.force_login(applicant)
    page = client.get(f"/ar/join/applications/{application.pk}/")
    assert escape(question) in page.content.decode()
    form_values = {
        "name_ar": application.name_ar,
        "name_fr": application.name_fr,
        "short_description": application.short_description,
        "fields_of_activity": ["environment", "health"],
        "province": "errachidia",
        "city": "أرفود",
        "registration_number": application.registration_number,
        "email": application.email,
        "phone": "0661 23 45 67",
        "position": "Présidente",
        "note": "Voici le reçu définitif.",
        "receipt": png_file(),
    }
    response = client.post(f"/ar/join/applications/{application.pk}/", form_values)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.city == "أرفود"
    assert application.phone == "+212661234567"
    assert sorted(t.slug for t in application.fields_of_activity.all()) == ["environment", "health"]
    assert application.registration_receipt.name.endswith(".png")
    assert not application.registration_receipt.storage.exists(old_receipt)
    (to_staff,) = [m for m in mail.outbox if m.to == [people["staff"].email]]
    assert "Voici le reçu définitif." in to_staff.body
    # The answer also waits for the reviewer on the application, not only in a mailbox.
    client.force_login(people["staff"])
    assert "Voici le reçu définitif." in client.get(admin_url(application)).content.decode()
    client.force_login(applicant)

    # Answering again is refused: the application is back with staff.
    response = client.post(f"/ar/join/applications/{application.pk}/", form_values)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.reviewer_message == question


def test_an_answer_with_bad_input_keeps_it_and_changes_nothing(client, staff_client):
    applicant = UserFactory()
    application = make_application(applicant, status=Status.INFO_REQUESTED)
    client.force_login(applicant)
    response = client.post(
        f"/fr/join/applications/{application.pk}/",
        {
            "name_ar": application.name_ar,
            "short_description": "x",
            "fields_of_activity": ["environment"],
            "province": "errachidia",
            "city": "Erfoud",
            "registration_number": application.registration_number,
            "email": application.email,
            "phone": "+33 6 12 34 56 78",
            "position": "Président",
            "receipt": png_file(7000, 10),
        },
    )
    assert response.status_code == 200
    assert 'value="+33 6 12 34 56 78"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED
    assert application.city == "الرشيدية"


# ---------------------------------------------------------------------------
# The whole journey
# ---------------------------------------------------------------------------
def test_from_the_form_to_the_directory(client, people):
    # An Arabic-speaking visitor applies without an account…
    fill_steps(client, "ar")
    assert send_application(client, "ar")["Location"] == "/ar/join/thanks/"
    application = MembershipApplication.objects.get()
    applicant = application.applicant
    acknowledgement = [
        m for m in mail.outbox if m.to == [applicant.email] and application.name_ar in m.subject
    ]
    assert len(acknowledgement) == 1
    assert "رابطة" in acknowledgement[0].body
    assert [m.to for m in mail.outbox if m.to == [people["staff"].email]]

    # …staff see it in the queue and approve it…
    mail.outbox.clear()
    client.force_login(people["staff"])
    queue = client.get("/admin/join-applications/").content.decode()
    assert application.name_ar in queue
    client.post(admin_url(application, "approve"))

    # …the association is in the directory in every language, run by the applicant.
    pages = approved_pages(application)
    assert sorted(pages) == ["ar", "en", "fr"]
    for code, page in pages.items():
        assert page.live and page.url.startswith(f"/{code}/associations/"), code
    assert Membership.objects.get(association=pages["ar"]).user == applicant
    (welcome,) = [m for m in mail.outbox if m.to == [applicant.email]]
    assert pages["ar"].url in welcome.body

    # The applicant sees the decision among their applications.
    client.force_login(applicant)
    mine = client.get("/ar/join/applications/")
    assert application.name_ar in mine.content.decode()
    assert "join-status--approved" in mine.content.decode()
