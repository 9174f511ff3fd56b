"""Association admins' pages: my associations, the front-end profile edit, members.

The association is L'Heure Joyeuse (tests/directory/conftest.py); `people` gives one
user per role around it. URLs are in English (/en/…), whose messages are the source strings, unless a
test says otherwise.
"""

import io
import json
import re

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, PageLogEntry, Site, WorkflowState

import pytest
from PIL import Image as PILImage

from directory import history
from directory.manage_forms import AssociationEditForm, description_to_text, text_to_description
from directory.models import AssociationPage, FieldOfActivity, Invitation, Membership
from home.models import SiteSettings
from tests.conftest import ROLES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MANAGERS = {"admin", "staff"}


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(f"manage:{name}", kwargs=kwargs)


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def alias(page, lang):
    return AssociationPage.objects.get(
        translation_key=page.translation_key, locale=Locale.objects.get(language_code=lang)
    )


def form_data(page, **changes):
    """What the edit form posts when the user changes nothing but `changes`."""
    draft = page.get_latest_revision_as_object()
    form = AssociationEditForm(instance=draft)
    data = {}
    for field in form:
        value = field.value()
        if field.name in ("logo_file", "remove_logo"):
            continue
        if isinstance(value, bool):
            if value:
                data[field.name] = "on"
        elif isinstance(value, list | tuple):
            data[field.name] = [str(item) for item in value]
        elif value is None:
            data[field.name] = ""
        elif hasattr(value, "isoformat"):
            data[field.name] = value.isoformat()
        else:
            data[field.name] = str(value)
    data.update(changes)
    return data


def png_file(name="logo.png", size=(64, 40)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (11, 107, 79)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def moderation_on(db):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.moderate_association_edits = True
    settings.save()
    return settings


# ---------------------------------------------------------------------------
# Permissions of every view for every role
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_my_associations_needs_login_only(client, people, role):
    response = login(client, people[role]).get(url("list"))
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/en/accounts/login/?next=/en/my/associations/")
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("view", ["edit", "members"])
@pytest.mark.parametrize("role", ROLES)
def test_only_admins_and_staff_manage_an_association(client, people, heure_joyeuse, view, role):
    address = url(view, pk=heure_joyeuse.pk)
    response = login(client, people[role]).get(address)
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/en/accounts/login/?next=")
    elif role in MANAGERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "Access refused" in response.text


@pytest.mark.parametrize("role", sorted(set(ROLES) - MANAGERS))
def test_others_cannot_change_anything(client, people, heure_joyeuse, role):
    client = login(client, people[role])
    before = heure_joyeuse.latest_revision_id
    client.post(url("edit", pk=heure_joyeuse.pk), form_data(heure_joyeuse, city="Hacked"))
    client.post(
        url("members", pk=heure_joyeuse.pk),
        {"action": "invite", "email": "intruder@example.org", "role": "admin"},
    )
    admin = Membership.objects.get(user=people["admin"])
    client.post(
        url("members", pk=heure_joyeuse.pk),
        {"action": "remove", "membership": admin.pk},
    )
    heure_joyeuse.refresh_from_db()
    assert heure_joyeuse.latest_revision_id == before
    assert not Invitation.objects.filter(email="intruder@example.org").exists()
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_a_page_in_another_language_redirects_to_the_source_association(
    client, people, heure_joyeuse
):
    french = alias(heure_joyeuse, "fr")
    response = login(client, people["admin"]).get(url("edit", pk=french.pk))
    assert response.status_code == 302
    assert response.url == url("edit", pk=heure_joyeuse.pk)


def test_unknown_association_is_404(client, people):
    assert login(client, people["staff"]).get(url("edit", pk=999999)).status_code == 404


# ---------------------------------------------------------------------------
# My associations
# ---------------------------------------------------------------------------
def test_my_associations_lists_roles_and_admin_links(client, people, heure_joyeuse):
    response = login(client, people["admin"]).get(url("list"))
    assert escape(heure_joyeuse.name_fr) in response.text
    assert url("edit", pk=heure_joyeuse.pk) in response.text
    assert url("members", pk=heure_joyeuse.pk) in response.text
    assert 'href="/en/associations/lheure-joyeuse/"' in response.text

    response = login(client, people["member"]).get(url("list"))
    assert escape(heure_joyeuse.name_fr) in response.text
    assert url("edit", pk=heure_joyeuse.pk) not in response.text
    assert 'name="q"' not in response.text.split("</header>")[1]


def test_staff_search_any_association_to_act_for(client, people, heure_joyeuse):
    for query in ("Heure", "l'heure joyeuse", "CASA-1959-0427", "ساعة الفرح"):
        response = login(client, people["staff"]).get(url("list"), {"q": query})
        assert url("edit", pk=heure_joyeuse.pk) in response.text, query
    response = client.get(url("list"), {"q": "no association has this name"})
    assert url("edit", pk=heure_joyeuse.pk) not in response.text


def test_my_associations_uses_a_constant_number_of_queries(
    client, people, make_association, django_assert_max_num_queries
):
    admin = people["admin"]
    login(client, admin)
    with django_assert_max_num_queries(30) as one:
        client.get(url("list"))
    for _ in range(4):
        Membership.objects.create(user=admin, association=make_association(), role="member")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url("list"))
    assert response.text.count("manage-card__title") == 5


# ---------------------------------------------------------------------------
# Profile edit
# ---------------------------------------------------------------------------
def test_edit_form_shows_the_profile_in_the_interface_language(client, people, heure_joyeuse):
    response = login(client, people["admin"]).get(url("edit", pk=heure_joyeuse.pk))
    text = response.text
    assert heure_joyeuse.short_description in text
    assert "<optgroup label=" in text
    with translation.override("en"):
        youth = FieldOfActivity.localized_names()["youth"]
    assert youth in text
    assert 'name="verified"' not in text
    assert f'name="latest_revision" value="{heure_joyeuse.latest_revision_id}"' in text
    # The description is edited as paragraphs of plain text.
    assert "&lt;p&gt;" not in text


def test_edit_form_offers_a_map_centred_on_each_province(client, people, heure_joyeuse):
    response = login(client, people["admin"]).get(url("edit", pk=heure_joyeuse.pk))
    picker = response.text.split('class="location-picker"', 1)[1].split(">", 1)[0]
    assert 'data-latitude-input="id_latitude"' in picker
    assert 'data-province-input="id_province"' in picker
    centres = json.loads(
        response.text.split('id="province-centres" type="application/json">', 1)[1].split("<")[0]
    )
    province = heure_joyeuse.province
    assert centres[str(province.pk)] == [float(province.latitude), float(province.longitude)]
    assert len(centres) == 75


def test_edit_publishes_directly_when_moderation_is_off(client, people, heure_joyeuse):
    admin = people["admin"]
    new_text = "جمعية تعمل على حماية الطفولة — نص جديد"
    response = login(client, admin).post(
        url("edit", pk=heure_joyeuse.pk),
        form_data(
            heure_joyeuse,
            short_description=new_text,
            description="Première ligne\n\nDeuxième <paragraphe>",
            phone="06 61 23 45 67",
        ),
    )
    assert response.status_code == 303
    assert response.url == "/en/associations/lheure-joyeuse/"

    heure_joyeuse.refresh_from_db()
    assert heure_joyeuse.short_description == new_text
    assert heure_joyeuse.phone == "+212661234567"
    assert heure_joyeuse.description == "<p>Première ligne</p><p>Deuxième &lt;paragraphe&gt;</p>"
    assert not heure_joyeuse.has_unpublished_changes
    # The French and English versions (aliases) show the new data too.
    assert alias(heure_joyeuse, "fr").short_description == new_text
    assert alias(heure_joyeuse, "en").phone == "+212661234567"
    # A Wagtail revision authored by the admin, and the history says who did what.
    revision = heure_joyeuse.latest_revision
    assert revision.user == admin
    assert revision.content["short_description"] == new_text
    entry = PageLogEntry.objects.get(page=heure_joyeuse, action=history.PROFILE_EDITED)
    assert entry.user == admin
    assert set(entry.data["fields"]) == {"short_description", "description", "phone"}
    assert PageLogEntry.objects.filter(
        page=heure_joyeuse, action="wagtail.publish", user=admin
    ).exists()


def test_edit_keeps_fields_of_activity_and_derives_region_and_size(client, people, heure_joyeuse):
    data = form_data(heure_joyeuse, members_count="10", staff_count="0", volunteers_count="5")
    data["budget_band"] = ""
    health = FieldOfActivity.source_terms().get(slug="health")
    data["fields_of_activity"] = [str(health.pk)]
    rabat = heure_joyeuse.province.__class__.source_terms().get(slug="rabat")
    data["province"] = str(rabat.pk)
    login(client, people["admin"]).post(url("edit", pk=heure_joyeuse.pk), data)
    heure_joyeuse.refresh_from_db()
    assert [term.slug for term in heure_joyeuse.fields_of_activity.all()] == ["health"]
    assert heure_joyeuse.region.slug == "rabat-sale-kenitra"
    assert heure_joyeuse.size_category == "small"
    assert heure_joyeuse.latest_revision.content["region"] == rabat.region_id


def test_verified_cannot_be_set_from_the_site(client, people, make_association):
    admin = UserFactory()
    page = make_association(admins=[admin])
    assert not page.verified
    login(client, admin).post(url("edit", pk=page.pk), form_data(page, verified="on"))
    page.refresh_from_db()
    assert not page.verified


def test_edit_goes_to_the_moderation_workflow_when_the_setting_is_on(
    client, people, heure_joyeuse, moderation_on
):
    admin = people["admin"]
    old_text = heure_joyeuse.short_description
    response = login(client, admin).post(
        url("edit", pk=heure_joyeuse.pk), form_data(heure_joyeuse, short_description="نص ينتظر")
    )
    assert response.status_code == 303
    assert response.url == url("edit", pk=heure_joyeuse.pk)

    heure_joyeuse.refresh_from_db()
    # The public profile is unchanged, in every language.
    assert heure_joyeuse.short_description == old_text
    assert alias(heure_joyeuse, "fr").short_description == old_text
    assert heure_joyeuse.has_unpublished_changes
    revision = heure_joyeuse.latest_revision
    assert revision.user == admin
    assert revision.content["short_description"] == "نص ينتظر"
    state = WorkflowState.objects.get(
        object_id=str(heure_joyeuse.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    assert state.requested_by == admin
    assert state.workflow.name == "Moderators approval"
    assert (
        PageLogEntry.objects.get(page=heure_joyeuse, action=history.PROFILE_SUBMITTED).user == admin
    )

    # The admin is told, and cannot pile up changes while the staff review.
    page = client.get(response.url)
    assert "notice notice--warning" in page.text
    assert '<fieldset class="manage-form__all" disabled>' in page.text
    blocked = client.post(
        url("edit", pk=heure_joyeuse.pk), form_data(heure_joyeuse, city="Autre ville")
    )
    assert blocked.status_code == 303
    heure_joyeuse.refresh_from_db()
    assert heure_joyeuse.latest_revision_id == revision.pk

    # Staff approve in Wagtail's workflow: the change goes live everywhere.
    state.current_task_state.approve(user=people["staff"])
    heure_joyeuse.refresh_from_db()
    assert heure_joyeuse.short_description == "نص ينتظر"
    assert alias(heure_joyeuse, "fr").short_description == "نص ينتظر"


def test_staff_edits_are_published_even_with_moderation(
    client, people, heure_joyeuse, moderation_on
):
    login(client, people["staff"]).post(
        url("edit", pk=heure_joyeuse.pk), form_data(heure_joyeuse, city="Casablanca")
    )
    heure_joyeuse.refresh_from_db()
    assert heure_joyeuse.city == "Casablanca"
    assert not WorkflowState.objects.filter(object_id=str(heure_joyeuse.pk)).exists()


def test_invalid_phone_keeps_what_was_typed(client, people, heure_joyeuse):
    before = heure_joyeuse.latest_revision_id
    response = login(client, people["admin"]).post(
        url("edit", pk=heure_joyeuse.pk),
        form_data(heure_joyeuse, phone="12345", short_description="Texte tapé par l'admin"),
    )
    assert response.status_code == 200
    assert "Enter a Moroccan phone number" in response.text
    assert 'value="12345"' in response.text
    assert "Texte tapé par l&#x27;admin" in response.text
    assert "error-summary" in response.text
    heure_joyeuse.refresh_from_db()
    assert heure_joyeuse.latest_revision_id == before


def test_a_file_that_is_not_an_image_is_refused_as_logo(client, people, heure_joyeuse):
    data = form_data(heure_joyeuse, city="Ville tapée")
    data["logo_file"] = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", "image/png")
    response = login(client, people["admin"]).post(url("edit", pk=heure_joyeuse.pk), data)
    assert response.status_code == 200
    assert 'value="Ville tapée"' in response.text
    assert "form-field--error" in response.text
    heure_joyeuse.refresh_from_db()
    assert heure_joyeuse.logo is None


def test_a_logo_becomes_a_wagtail_image_in_the_root_collection(client, people, heure_joyeuse):
    data = form_data(heure_joyeuse)
    data["logo_file"] = png_file()
    response = login(client, people["admin"]).post(url("edit", pk=heure_joyeuse.pk), data)
    assert response.status_code == 303
    heure_joyeuse.refresh_from_db()
    logo = heure_joyeuse.logo
    assert isinstance(logo, get_image_model())
    assert (logo.width, logo.height) == (64, 40)
    assert logo.collection == Collection.get_first_root_node()
    assert logo.uploaded_by_user == people["admin"]
    assert alias(heure_joyeuse, "fr").logo_id == logo.pk

    # And it can be removed again.
    client.post(url("edit", pk=heure_joyeuse.pk), form_data(heure_joyeuse, remove_logo="on"))
    heure_joyeuse.refresh_from_db()
    assert heure_joyeuse.logo is None


def test_coordinates_come_in_pairs(client, people, heure_joyeuse):
    response = login(client, people["admin"]).post(
        url("edit", pk=heure_joyeuse.pk), form_data(heure_joyeuse, latitude="33.6", longitude="")
    )
    assert response.status_code == 200
    assert "form-field--error" in response.text


def test_a_stale_form_is_refused_instead_of_overwriting(client, people, heure_joyeuse):
    data = form_data(heure_joyeuse, city="Version de l'admin")
    # Meanwhile staff publish another change.
    draft = heure_joyeuse.get_latest_revision_as_object()
    draft.city = "Version du staff"
    draft.save_revision(user=people["staff"]).publish()

    response = login(client, people["admin"]).post(url("edit", pk=heure_joyeuse.pk), data)
    assert response.status_code == 409
    assert "Someone else saved this profile" in response.text
    assert "Version de l&#x27;admin" in response.text
    heure_joyeuse.refresh_from_db()
    assert heure_joyeuse.city == "Version du staff"


def test_edit_page_uses_a_bounded_number_of_queries(
    client, people, heure_joyeuse, django_assert_max_num_queries
):
    """The page chrome and the taxonomies (names in two locales) make most of them."""
    login(client, people["admin"])
    with django_assert_max_num_queries(60):
        client.get(url("edit", pk=heure_joyeuse.pk))


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("Une ligne", "<p>Une ligne</p>"),
        ("A\nB\n\nC", "<p>A<br/>B</p><p>C</p>"),
        ("5 < 6 & 7", "<p>5 &lt; 6 &amp; 7</p>"),
        ("<p>Gras <b>ici</b></p><script>alert(1)</script>", "<p>Gras <b>ici</b></p>"),
        ('<a href="javascript:alert(1)" onclick="x()">lien</a>', "<p><a>lien</a></p>"),
        ("", ""),
    ],
)
def test_description_text_becomes_safe_rich_text(typed, stored):
    assert text_to_description(typed) == stored


def test_plain_paragraphs_are_edited_as_text():
    assert description_to_text("<p>Un &amp; deux</p><p>Trois<br/>quatre</p>") == (
        "Un & deux\n\nTrois\nquatre"
    )
    rich = "<p>Un <b>gras</b></p>"
    assert description_to_text(rich) == rich


# ---------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------
def only_admin(page, user):
    """Make `user` the association's only administrator (the demo admin steps down)."""
    Membership.objects.for_association(page).exclude(user=user).update(role=Membership.MEMBER)


def members_post(client, page, **data):
    return client.post(url("members", pk=page.pk), data)


def test_members_page_lists_people_and_pending_invitations(client, people, heure_joyeuse):
    Invitation.objects.create(
        association=heure_joyeuse, email="pending@example.org", invited_by=people["admin"]
    )
    response = login(client, people["admin"]).get(url("members", pk=heure_joyeuse.pk))
    assert people["member"].public_name in response.text
    assert people["admin"].public_name in response.text
    assert "pending@example.org" in response.text
    # Members' e-mail addresses are not shown.
    assert people["member"].email not in response.text


def test_members_page_uses_a_constant_number_of_queries(
    client, people, heure_joyeuse, django_assert_max_num_queries
):
    login(client, people["admin"])
    with django_assert_max_num_queries(40) as few:
        client.get(url("members", pk=heure_joyeuse.pk))
    for _ in range(8):
        Membership.objects.create(user=UserFactory(), association=heure_joyeuse)
        Invitation.objects.create(
            association=heure_joyeuse,
            email=f"x{_}@example.org",
            invited_by=people["admin"],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("members", pk=heure_joyeuse.pk))


def test_remove_a_member(client, people, heure_joyeuse):
    member = people["member"]
    membership = Membership.objects.get(user=member)
    response = members_post(
        login(client, people["admin"]), heure_joyeuse, action="remove", membership=membership.pk
    )
    assert response.status_code == 303
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not member.groups.filter(name="Members").exists()
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "/ar/my/associations/" in message.body  # the member's own language
    entry = PageLogEntry.objects.get(page=heure_joyeuse, action=history.MEMBER_REMOVED)
    assert entry.user == people["admin"]
    assert entry.data["name"] == member.public_name


def test_hand_over_the_administration(client, people, heure_joyeuse):
    admin, member = people["admin"], people["member"]
    membership = Membership.objects.get(user=member)
    response = members_post(
        login(client, admin),
        heure_joyeuse,
        action="handover",
        membership=membership.pk,
        step_down="1",
    )
    # The former admin no longer manages the association: back to their list.
    assert response.status_code == 303
    assert response.url == url("list")
    assert Membership.objects.get(user=member).role == Membership.ADMIN
    assert Membership.objects.get(user=admin).role == Membership.MEMBER
    assert [m.to for m in mail.outbox] == [[member.email]]
    changes = PageLogEntry.objects.filter(page=heure_joyeuse, action=history.ROLE_CHANGED)
    assert {(e.data["name"], e.data["role"], e.user_id) for e in changes} == {
        (member.public_name, "admin", admin.pk),
        (admin.public_name, "member", admin.pk),
    }
    assert client.get(url("members", pk=heure_joyeuse.pk)).status_code == 403


def test_the_last_admin_cannot_step_down_or_leave(client, people, heure_joyeuse):
    admin = people["admin"]
    mine = Membership.objects.get(user=admin)
    only_admin(heure_joyeuse, admin)
    login(client, admin)
    response = members_post(client, heure_joyeuse, action="role", membership=mine.pk, role="member")
    assert response.status_code == 303
    assert response.url == url("members", pk=heure_joyeuse.pk)
    page = client.get(response.url)
    assert "An association needs at least one administrator" in page.text
    assert Membership.objects.get(pk=mine.pk).role == Membership.ADMIN
    members_post(client, heure_joyeuse, action="remove", membership=mine.pk)
    assert Membership.objects.filter(pk=mine.pk).exists()
    # Staff cannot leave the association without an administrator either.
    client.logout()
    login(client, people["staff"])
    members_post(client, heure_joyeuse, action="remove", membership=mine.pk)
    assert Membership.objects.filter(pk=mine.pk).exists()


def test_an_admin_steps_down_when_another_admin_remains(client, people, heure_joyeuse):
    admin, member = people["admin"], people["member"]
    Membership.objects.filter(user=member).update(role=Membership.ADMIN)
    mine = Membership.objects.get(user=admin)
    response = members_post(
        login(client, admin), heure_joyeuse, action="role", membership=mine.pk, role="member"
    )
    assert response.url == url("list")
    assert Membership.objects.get(pk=mine.pk).role == Membership.MEMBER


def test_staff_act_for_any_association(client, people, heure_joyeuse):
    staff = people["staff"]
    membership = Membership.objects.get(user=people["member"])
    login(client, staff)
    members_post(client, heure_joyeuse, action="role", membership=membership.pk, role="admin")
    assert Membership.objects.get(pk=membership.pk).role == Membership.ADMIN
    entry = PageLogEntry.objects.get(page=heure_joyeuse, action=history.ROLE_CHANGED)
    assert entry.user == staff


def test_bad_member_actions_never_fail(client, people, heure_joyeuse):
    login(client, people["admin"])
    other = Membership.objects.get(user=people["other_member"])
    for data in (
        {"action": "remove", "membership": "not-a-number"},
        {"action": "remove", "membership": other.pk},  # another association's member
        {"action": "role", "membership": other.pk, "role": "admin"},
        {
            "action": "role",
            "membership": Membership.objects.get(user=people["member"]).pk,
            "role": "king",
        },
        {"action": "withdraw", "invitation": "999999"},
        {"action": "explode"},
        {},
    ):
        assert members_post(client, heure_joyeuse, **data).status_code == 303
    assert Membership.objects.get(pk=other.pk).role == Membership.ADMIN
    assert Membership.objects.get(user=people["member"]).role == Membership.MEMBER


def test_recent_changes_show_who_did_what(client, people, heure_joyeuse):
    login(client, people["admin"])
    members_post(client, heure_joyeuse, action="invite", email="history@example.org", role="admin")
    response = client.get(url("members", pk=heure_joyeuse.pk))
    changes = response.text.split('id="history-heading"', 1)[1]
    assert people["admin"].public_name in changes
    assert "history@example.org" in changes
    # The entries are Wagtail log entries: the page history in the admin shows them.
    client.logout()
    admin_history = login(client, people["staff"]).get(f"/admin/pages/{heure_joyeuse.pk}/history/")
    assert admin_history.status_code == 200
    # The invitation is one of the page's logged actions (its French label).
    assert re.search(r"Association\s*:\s*invitation", admin_history.text)


def test_an_edit_does_not_put_an_offline_profile_back_online(client, people, heure_joyeuse):
    heure_joyeuse.unpublish()
    response = login(client, people["admin"]).post(
        url("edit", pk=heure_joyeuse.pk), form_data(heure_joyeuse, city="Hors ligne")
    )
    assert response.status_code == 303
    heure_joyeuse.refresh_from_db()
    assert not heure_joyeuse.live
    assert heure_joyeuse.latest_revision.content["city"] == "Hors ligne"
