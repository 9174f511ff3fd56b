"""Which associations the public directory lists (directory/listing.py): what a
visitor sees follows publishing, view restrictions and moves, in every language."""

from wagtail.models import Page, PageViewRestriction

import pytest

from directory.creation import association_index
from directory.models import AssociationIndexPage, AssociationPage


def listed_names(client, lang, **params):
    response = client.get(f"/{lang}/associations/", params)
    assert response.status_code == 200
    return {association.name_fr for association in response.context["associations"]}


def searched_names(client, lang, query):
    response = client.get(f"/{lang}/search/", {"q": query})
    assert response.status_code == 200
    return {association.name_fr for association in response.context["associations"]}


@pytest.fixture
def noor(make_association):
    return make_association(name_fr="Association Nour Listage", province="casablanca")


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_unpublishing_and_publishing_again_follow_in_every_language(client, noor, lang):
    assert "Association Nour Listage" in listed_names(client, lang, province="casablanca")
    noor.unpublish()
    assert "Association Nour Listage" not in listed_names(client, lang, province="casablanca")
    assert "Association Nour Listage" not in searched_names(client, lang, "Listage")
    noor.get_latest_revision().publish()
    assert "Association Nour Listage" in listed_names(client, lang, province="casablanca")


def test_a_plain_page_instance_unpublishing_the_association_hides_it(client, noor):
    # What Wagtail's admin and alias handling do: save a generic Page.
    Page.objects.get(pk=noor.pk).unpublish()
    assert "Association Nour Listage" not in listed_names(client, "ar", province="casablanca")


@pytest.mark.parametrize("restricted", ["association", "directory"])
def test_a_view_restriction_hides_associations_until_it_is_removed(client, noor, restricted):
    page = noor if restricted == "association" else association_index()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    # The search lists the directory's associations (a restricted directory
    # itself asks visitors to log in).
    assert "Association Nour Listage" not in searched_names(client, "ar", "Listage")
    assert not AssociationPage.objects.listed(noor.locale).filter(pk=noor.pk).exists()
    restriction.delete()
    assert "Association Nour Listage" in searched_names(client, "ar", "Listage")


def test_moving_the_directory_under_a_restricted_page_hides_it(client, noor):
    home = association_index().get_parent()
    private = home.add_child(instance=Page(title="Espace privé", slug="prive"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    index = AssociationIndexPage.objects.get(pk=association_index().pk)
    index.move(private, pos="last-child")
    noor.refresh_from_db()
    assert noor.listed_locale is None
    assert not AssociationPage.objects.listed(noor.locale).filter(pk=noor.pk).exists()


def test_what_is_listed_matches_wagtails_live_and_public(noor, make_association):
    hidden = make_association(name_fr="Cachée")
    hidden.unpublish()
    for page in AssociationPage.objects.all():
        public = AssociationPage.objects.live().public().filter(pk=page.pk).exists()
        assert (page.listed_locale_id == page.locale_id) == public, page.name_fr
        assert page.listed_locale_id in (None, page.locale_id)


def test_the_command_repairs_a_listing_changed_outside_wagtail(client, noor):
    from io import StringIO

    from django.core.management import call_command

    # As an SQL change would: no save, no signal.
    AssociationPage.objects.filter(pk=noor.pk).update(live=False)
    assert "Association Nour Listage" in listed_names(client, "ar", province="casablanca")
    out = StringIO()
    call_command("refresh_directory_listing", stdout=out)
    assert "Association Nour Listage" not in listed_names(client, "ar", province="casablanca")
    assert "Association Nour Listage" in listed_names(client, "fr", province="casablanca")
    assert "ar: " in out.getvalue() and "Listing refreshed" in out.getvalue()
