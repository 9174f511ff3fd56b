"""One association's whole life in the network, as its people live it: the application,
the staff's approval, an invitation to a colleague, and the colleague's edit of the
public profile from the front end (no Wagtail admin)."""

import re

from django.core import mail

import pytest

from directory.models import AssociationPage, Membership, MembershipApplication
from tests.directory.test_join import fill_steps, send_application
from tests.directory.test_join_admin import admin_url, approved_pages
from tests.directory.test_manage import form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_apply_approve_invite_and_edit_from_the_front_end(client, people):
    # A visitor applies in French, without an account.
    fill_steps(client, "fr")
    assert send_application(client, "fr")["Location"] == "/fr/join/thanks/"
    application = MembershipApplication.objects.get()
    applicant = application.applicant

    # Staff approve it: the association exists in every language, run by the applicant.
    client.force_login(people["staff"])
    client.post(admin_url(application, "approve"))
    pages = approved_pages(application)
    association = pages["ar"]
    assert Membership.objects.get(association=association).user == applicant

    # The applicant invites a colleague as a second administrator.
    mail.outbox.clear()
    client.force_login(applicant)
    response = client.post(
        f"/fr/my/associations/{association.pk}/members/",
        {"action": "invite", "email": "colleague@example.org", "role": Membership.ADMIN},
    )
    assert response.status_code == 303
    (invitation_mail,) = mail.outbox
    link = re.search(r"https?://\S+/my/associations/invitations/\S+/", invitation_mail.body)

    # The colleague signs up (or already has an account) and accepts.
    colleague = UserFactory(email="colleague@example.org")
    client.force_login(colleague)
    path = link.group(0).split("testserver", 1)[1]
    assert client.post(path).status_code == 303
    assert Membership.objects.get(user=colleague, association=association).is_admin

    # Someone who does not act for the association cannot edit it…
    outsider = people["other_member"]
    client.force_login(outsider)
    edit_url = f"/fr/my/associations/{association.pk}/edit/"
    before = association.short_description
    refused = client.post(edit_url, form_data(association, short_description="Piraté"))
    assert refused.status_code in (403, 404)
    association.refresh_from_db()
    assert association.short_description == before

    # …the colleague does, and the public sees it at once in every language.
    client.force_login(colleague)
    new_text = "Ateliers de lecture pour les enfants du quartier, chaque samedi."
    response = client.post(edit_url, form_data(association, short_description=new_text))
    assert response.status_code == 303
    client.logout()
    for code in ("ar", "fr", "en"):
        page = AssociationPage.objects.get(pk=pages[code].pk)
        public = client.get(page.url)
        assert public.status_code == 200, code
        assert new_text in public.content.decode(), code
