"""The review of specialists' applications and the moderation of feedback (admin)."""

import io

from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

import pytest

from accounts import roles
from directory import specialist_admin
from directory.requests import TransitionRefused
from directory.specialists import SpecialistApplication, SpecialistFeedback, SpecialistPage
from tests.conftest import ROLES

from .test_specialist_helpers import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def application(people):
    applicant = people["member"]
    created = SpecialistApplication.objects.create(
        applicant=applicant,
        name="Hind Test",
        headline="Lawyer for associations",
        skills=["legal"],
        languages=["ar", "fr"],
        hours_per_month=6,
        biography="First line.\nSecond <b>line</b>.",
    )
    created.fields_of_activity.set(
        created.fields_of_activity.model.source_terms().filter(slug="women-rights")
    )
    created.cv.save("cv-test.pdf", io.BytesIO(PDF))
    return created


@pytest.mark.parametrize("role", ROLES)
def test_queue_is_for_reviewers(client, people, application, role):
    if people[role] is not None:
        client.force_login(people[role])
    for url in (
        reverse("specialist_applications:index"),
        reverse("specialist_applications:detail", args=[application.pk]),
        reverse("specialist_feedback:index"),
    ):
        response = client.get(url)
        if role == "staff":
            assert response.status_code == 200
        else:
            assert response.status_code in (302, 403)


def test_approval_publishes_the_page_and_gives_the_role(client, people, application):
    client.force_login(people["staff"])
    client.post(reverse("specialist_applications:approve", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "approved"
    page = application.page
    assert page.live and page.user == people["member"]
    assert page.skills == ["legal"]
    assert "&lt;b&gt;" in page.biography  # the applicant's text is escaped
    assert SpecialistPage.objects.filter(translation_key=page.translation_key).count() == 3
    assert people["member"].groups.filter(name=roles.SPECIALISTS).exists()
    assert [message.to for message in mail.outbox] == [[people["member"].email]]


def test_double_approval_creates_one_page(people, application):
    specialist_admin.approve(application.pk, people["staff"])
    with pytest.raises(TransitionRefused):
        specialist_admin.approve(application.pk, people["staff"])
    assert SpecialistPage.objects.filter(name="Hind Test").count() == 3  # ar + 2 aliases


def test_rejection_needs_a_reason(client, people, application):
    client.force_login(people["staff"])
    client.post(reverse("specialist_applications:reject", args=[application.pk]), {})
    application.refresh_from_db()
    assert application.status == "submitted"
    client.post(
        reverse("specialist_applications:reject", args=[application.pk]),
        {"reject-message": "We need references."},
    )
    application.refresh_from_db()
    assert application.status == "rejected"
    assert "We need references." in mail.outbox[-1].body


def test_rejected_must_be_reopened(people, application):
    specialist_admin.reject(application.pk, people["staff"], "No")
    with pytest.raises(TransitionRefused):
        specialist_admin.approve(application.pk, people["staff"])
    specialist_admin.reopen(application.pk, people["staff"])
    specialist_admin.approve(application.pk, people["staff"])


def test_feedback_moderation(client, people, make_request):
    item = make_request("completed")
    feedback = SpecialistFeedback.objects.create(request=item, author=people["member"], rating=5)
    client.force_login(people["staff"])
    client.post(
        reverse("specialist_feedback:index"), {"feedback": feedback.pk, "decision": "approve"}
    )
    feedback.refresh_from_db()
    assert feedback.status == "approved" and feedback.moderated_by == people["staff"]


def test_feedback_moderation_bad_input(client, people):
    client.force_login(people["staff"])
    response = client.post(reverse("specialist_feedback:index"), {"feedback": "abc"})
    assert response.status_code == 404


def test_editors_can_verify_specialists():
    editors = Group.objects.get(name=roles.EDITORS)
    assert editors.permissions.filter(codename="verify_specialist").exists()


def test_staff_edit_a_specialist_page_in_the_admin(client, people, specialist_page):
    from bs4 import BeautifulSoup

    client.force_login(people["staff"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[specialist_page.pk]))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one('input[name="skills"][value="accounting"]').has_attr("checked")
    assert not soup.select_one('input[name="skills"][value="legal"]').has_attr("checked")
    assert soup.select_one('input[name="languages"][value="fr"]').has_attr("checked")


def test_the_admin_form_saves_skills_and_languages(people, specialist_page):
    form_class = SpecialistPage.get_edit_handler().get_form_class()
    form = form_class(instance=specialist_page, for_user=people["staff"])
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(skills=["legal", "digital"], languages=["en"], title="Samira", slug="samira-test")
    data.pop("photo", None)
    data.pop("user", None)
    data.pop("biography", None)  # Draftail posts JSON; not what this test is about
    for prefix in ("comments",):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    form = form_class(data, instance=specialist_page, for_user=people["staff"])
    assert form.is_valid(), form.errors
    page = form.save(commit=False)
    page.save_revision().publish()
    page = SpecialistPage.objects.get(pk=specialist_page.pk)
    assert page.skills == ["legal", "digital"] and page.languages == ["en"]
