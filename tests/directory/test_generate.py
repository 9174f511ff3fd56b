"""Generated demo associations (directory/generate.py): realistic, complete, idempotent."""

import json
from decimal import Decimal

from django.core.management import call_command
from django.test import Client

from wagtail.models import Locale, Page

import pytest

from directory.generate import DATA, generate_associations, registration_number
from directory.models import (
    AssociationPage,
    FieldOfActivity,
    Membership,
    Region,
    SizeCategory,
    size_category,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COUNT = 30


def generated(language_code="ar"):
    return AssociationPage.objects.filter(
        locale__language_code=language_code, registration_number__startswith="GEN-"
    )


@pytest.fixture
def thirty(db):
    assert generate_associations(COUNT) == COUNT
    return list(generated().order_by("registration_number"))


def test_creates_published_associations_covering_every_region_field_and_size(thirty):
    assert [page.registration_number for page in thirty] == [
        registration_number(i) for i in range(1, COUNT + 1)
    ]
    assert all(page.live and page.title == page.name_ar for page in thirty)
    regions = set(Region.source_terms().values_list("pk", flat=True))
    assert {page.region_id for page in thirty} == regions
    fields = set(
        AssociationPage.fields_of_activity.through.objects.filter(
            associationpage__in=thirty
        ).values_list("fieldofactivity_id", flat=True)
    )
    assert fields == set(FieldOfActivity.source_terms().values_list("pk", flat=True))
    assert {page.size_category for page in thirty} == set(SizeCategory.values)
    for page in thirty:
        assert page.size_category == size_category(
            page.members_count, page.staff_count, page.volunteers_count, page.budget_band
        )
        assert 1960 <= page.founded_year <= 2024
        assert page.province.region_id == page.region_id


def test_names_descriptions_and_coordinates_are_realistic(thirty):
    darija = {name["darija"] for name in json.loads(DATA.read_text(encoding="utf-8"))["names"]}
    for page in thirty:
        assert page.name_ar and page.name_fr and page.name_fr != page.name_ar
        # A Latin-script darija spelling, findable by people who type it that way.
        assert set(page.other_spelling_list()) & darija
        assert page.short_description and "مجالات" in page.short_description
        province = page.province
        assert abs(page.latitude - province.latitude) <= Decimal("0.1")
        assert abs(page.longitude - province.longitude) <= Decimal("0.1")
        assert page.email.endswith(".example.org")
        assert page.phone.startswith("+212") and len(page.phone) == 13


def test_is_idempotent_and_only_adds_what_is_missing(thirty):
    pages = Page.objects.count()
    users = Membership.objects.count()

    assert generate_associations(COUNT) == 0
    assert Page.objects.count() == pages
    assert Membership.objects.count() == users

    assert generate_associations(COUNT + 5) == 5
    assert generated().count() == COUNT + 5
    assert Page.objects.count() == pages + 5 * 3  # each with its fr and en aliases


def test_page_tree_stays_consistent(thirty):
    assert all(not problems for problems in Page.find_problems())
    generate_associations(COUNT + 3)
    assert all(not problems for problems in Page.find_problems())


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_association_has_an_alias_in_the_other_languages(thirty, language):
    aliases = {page.alias_of_id: page for page in generated(language)}

    assert set(aliases) == {page.pk for page in thirty}
    index = AssociationPage.objects.filter(locale__language_code=language).first().get_parent()
    for source in thirty:
        alias = aliases[source.pk]
        assert alias.translation_key == source.translation_key
        assert alias.slug == source.slug
        assert alias.get_parent().pk == index.pk
        assert alias.url == f"/{language}/associations/{source.slug}/"
        assert list(alias.fields_of_activity.all()) == list(source.fields_of_activity.all())


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_generated_profiles_are_served(thirty, language):
    client = Client()
    for page in generated(language)[:3]:
        response = client.get(page.url)
        assert response.status_code == 200
        assert page.name_ar in response.content.decode()


def test_source_pages_have_a_published_revision(thirty):
    page = thirty[0]

    assert page.live_revision_id == page.latest_revision_id is not None
    as_saved = page.get_latest_revision_as_object()
    assert as_saved.name_ar == page.name_ar
    assert list(as_saved.fields_of_activity.all()) == list(page.fields_of_activity.all())


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_search_finds_a_generated_association_by_its_arabic_name(thirty, language):
    page = thirty[6]
    locale = Locale.objects.get(language_code=language)
    results = list(
        AssociationPage.objects.live().filter(locale=locale).search(page.name_ar, operator="and")
    )

    assert page.translation_key in {result.translation_key for result in results}


def test_search_finds_it_by_its_darija_spelling(thirty):
    page = thirty[6]
    spelling = page.other_spelling_list()[0]
    results = AssociationPage.objects.live().filter(locale=page.locale).search(spelling)

    assert page.pk in {result.pk for result in results}


def test_index_entries_are_weighted_by_title_length_as_saving_would(thirty):
    # The title norms (average title length / this title's length) are computed once
    # after the batch, not after every chunk; an alias's entry is its source's copy.
    from wagtail.search.models import IndexEntry

    norms = dict(
        IndexEntry.objects.filter(object_id__in=[str(page.pk) for page in thirty]).values_list(
            "object_id", "title_norm"
        )
    )
    assert len(norms) == COUNT
    assert len(set(norms.values())) > 5  # 1.0 is the default, before any computation
    page = thirty[3]
    alias = AssociationPage.objects.get(alias_of=page, locale__language_code="fr")
    alias_norm = IndexEntry.objects.get(object_id=str(alias.pk)).title_norm
    assert alias_norm == norms[str(page.pk)]


def test_some_associations_get_a_generated_administrator(thirty):
    admins = Membership.objects.filter(association__in=thirty, role=Membership.ADMIN)

    assert admins.exists()
    for membership in admins.select_related("user"):
        user = membership.user
        number = int(membership.association.registration_number.removeprefix("GEN-"))
        assert user.email == f"gen-{number}@example.org"
        assert user.display_name and not user.has_usable_password()
        assert user.groups.filter(name="Members").exists()


def test_load_demo_data_generates_associations():
    call_command("load_demo_data", associations=12, verbosity=0)

    assert generated().count() == 12
    assert AssociationPage.objects.filter(registration_number="CASA-1959-0427").count() == 3


def test_generated_pages_behave_like_wagtail_pages(thirty, client):
    """Editors open them in the admin, and publishing updates the aliases."""
    page = thirty[3]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200

    page.short_description = "وصف جديد"
    page.save_revision().publish()

    alias = generated("fr").get(alias_of=page)
    assert alias.short_description == "وصف جديد"
    assert all(not problems for problems in Page.find_problems())
