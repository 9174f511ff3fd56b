"""Each language's directory is searched in its own entries of the shared index.

The database backends rank at most MAX_RANKED matches (AUTOCOMPLETE_RANKED for
suggestions). Every association has an entry per language (its page and its
aliases), so a word in many names once filled that quota with other languages'
entries: a French or English visitor got a few of them, or none. Each entry now
carries a word naming its locale (home.indexing.locale_word) that the query
requires."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from wagtail.models import Locale
from wagtail.search.models import IndexEntry

import pytest

from directory.models import AssociationPage
from home.indexing import locale_word
from search import services

pytestmark = pytest.mark.django_db

COUNT = 4


@pytest.fixture
def zerkatouna(make_association):
    return [
        make_association(name_fr=f"Zerkatouna {n}", name_ar=f"زركاطونة {n}") for n in range(COUNT)
    ]


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_a_word_in_many_names_finds_them_all_in_every_language(zerkatouna, monkeypatch, language):
    monkeypatch.setattr(services, "MAX_RANKED", COUNT)
    locale = Locale.objects.get(language_code=language)
    pages = AssociationPage.objects.listed(locale)

    found = services.search_associations(pages, "zerkatouna", locale=locale)

    assert len(found) == COUNT
    assert {page.translation_key for page in found} == {page.translation_key for page in zerkatouna}


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_suggestions_for_a_prefix_of_many_names_in_every_language(
    zerkatouna, monkeypatch, language
):
    monkeypatch.setattr(services, "AUTOCOMPLETE_RANKED", COUNT)  # PostgreSQL
    monkeypatch.setattr(services, "MAX_RANKED", COUNT)  # SQLite
    locale = Locale.objects.get(language_code=language)
    pages = AssociationPage.objects.listed(locale)

    found = services.autocomplete_associations(pages, "zerkat", locale=locale)

    assert len(found) == COUNT
    assert all(page.locale_id == locale.pk for page in found)


def test_every_entry_names_its_pages_locale(zerkatouna):
    pages = AssociationPage.objects.filter(translation_key=zerkatouna[0].translation_key)
    assert pages.count() == 3  # the Arabic page and its French and English aliases
    for page in pages:
        entry = IndexEntry.objects.get(object_id=str(page.pk))
        words = _words(entry)
        word = locale_word(page.locale_id)
        assert word in words["body"] and word in words["autocomplete"]
        others = {locale_word(other.locale_id) for other in pages if other != page}
        assert not others & (words["body"] | words["autocomplete"])


@pytest.mark.parametrize("default", ["database", "elasticsearch"])
def test_the_migration_gives_entries_indexed_before_their_locale_word(
    zerkatouna, settings, default
):
    ids = [
        str(pk)
        for pk in AssociationPage.objects.filter(
            translation_key__in=[page.translation_key for page in zerkatouna]
        ).values_list("pk", flat=True)
    ]
    indexed = {
        entry.object_id: _words(entry) for entry in IndexEntry.objects.filter(object_id__in=ids)
    }
    _remove_locale_words(ids)
    assert all(
        not any(word.startswith("xlocale") for word in _words(entry)["body"])
        for entry in IndexEntry.objects.filter(object_id__in=ids)
    )

    migration = importlib.import_module("search.migrations.0001_locale_words")
    database = settings.WAGTAILSEARCH_BACKENDS["default"]
    if default == "elasticsearch":  # the database index is then Elasticsearch's fallback
        settings.WAGTAILSEARCH_BACKENDS = {
            "default": {"BACKEND": "search.backends", "URLS": ["http://127.0.0.1:9"]},
            "database": database,
        }
    # What the migration needs of a schema editor (SQLite's refuses to open here).
    migration.add_locale_words(apps, SimpleNamespace(connection=connection))
    settings.WAGTAILSEARCH_BACKENDS = {"default": database}

    assert {
        entry.object_id: _words(entry) for entry in IndexEntry.objects.filter(object_id__in=ids)
    } == indexed
    locale = Locale.objects.get(language_code="fr")
    found = services.search_associations(
        AssociationPage.objects.listed(locale), "zerkatouna", locale=locale
    )
    assert len(found) == COUNT


def _words(entry):
    """{"body": {words}, "autocomplete": {words}} of an index entry, on either vendor."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tsvector_to_array(body), tsvector_to_array(autocomplete), body_text"
                f" FROM {IndexEntry._meta.db_table} WHERE id = %s",
                [entry.pk],
            )
            body, autocomplete, body_text = cursor.fetchone()
        return {"body": set(body), "autocomplete": set(autocomplete), "text": body_text}
    return {"body": set(entry.body.split()), "autocomplete": set(entry.autocomplete.split())}


def _remove_locale_words(ids):
    """The entries of `ids` as they were indexed before locale words."""
    table = IndexEntry._meta.db_table
    with connection.cursor() as cursor:
        for entry in IndexEntry.objects.filter(object_id__in=ids):
            page = AssociationPage.objects.get(pk=entry.object_id)
            word = locale_word(page.locale_id)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"UPDATE {table} SET body = ts_delete(body, %s::text),"
                    " autocomplete = ts_delete(autocomplete, %s::text),"
                    " body_text = rtrim(replace(body_text, %s, '')) WHERE id = %s",
                    [word, word, word, entry.pk],
                )
            else:
                cursor.execute(
                    f"UPDATE {table} SET body = rtrim(replace(body, %s, '')),"
                    " autocomplete = rtrim(replace(autocomplete, %s, '')) WHERE id = %s",
                    [word, word, entry.pk],
                )


def test_a_word_is_found_with_li_glued_to_it(make_association):
    # "حماية" (protection) in the name "… لحماية الطفولة" (for the protection of…).
    page = make_association(name_ar="جمعية زركاطونة لحماية الطفولة", name_fr="")
    locale = page.locale

    for query in ("حماية", "لحماية", "hmaya"):
        found = services.search_associations(
            AssociationPage.objects.listed(locale), query, locale=locale
        )
        assert page in found, query


@pytest.mark.parametrize("query", ["santé", "صحة", "health", "sante fes", "الصحة فاس"])
def test_fields_of_activity_and_provinces_are_searched_in_every_language(make_association, query):
    page = make_association(
        name_ar="جمعية زركاطونة",
        name_fr="Zerkatouna",
        fields_of_activity=["health"],
        province="fes",
    )
    other = make_association(name_ar="جمعية زركاطونة للرياضة", fields_of_activity=["sport"])
    pages = AssociationPage.objects.listed(page.locale)

    found = services.search_associations(pages, query, locale=page.locale)

    assert page in found and other not in found
