"""Live tests against a real Elasticsearch 9, run only when ELASTICSEARCH_URL is set:

    docker compose up -d elasticsearch
    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/pytest -m elasticsearch tests/search

The demo associations (plus one per region that has none, so that all 12 regions
exist) are indexed with `rebuild_search_index` into a throw-away index
(`rabita_test_<random>_…`, deleted afterwards). Any fallback to the database during
these tests fails them: what is checked is Elasticsearch's own answer.
"""

import os
import uuid
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from wagtail.models import Locale
from wagtail.search.backends import get_search_backend
from wagtail.search.query import MATCH_ALL

import pytest

from directory.creation import create_association
from directory.models import AssociationPage
from directory.taxonomies import Province, Region
from home.text import normalize, skeleton
from search.backends import RabitaElasticsearch9SearchBackend, availability

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(
        not ELASTICSEARCH_URL,
        reason="live Elasticsearch tests: start it (docker compose up -d elasticsearch) and "
        "set ELASTICSEARCH_URL=http://127.0.0.1:9200",
    ),
]

HEURE_JOYEUSE = "CASA-1959-0427"
AL_AMAL = "HAOUZ-2004-0113"


@pytest.fixture(scope="module")
def live(django_db_setup, django_db_blocker):
    """Our backend on a fresh index holding every association, in all 12 regions."""
    prefix = f"rabita_test_{uuid.uuid4().hex[:8]}_"
    backends = {
        "default": {
            "BACKEND": "search.backends",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": prefix,
            "TIMEOUT": 30,  # a cold cluster may be slow: never fall back here
            "FALLBACK": "database",
        },
        "database": {"BACKEND": "wagtail.search.backends.database"},
    }
    availability.reset()
    with django_db_blocker.unblock(), transaction.atomic():
        covered = set(
            AssociationPage.objects.filter(locale=Locale.get_default()).values_list(
                "region_id", flat=True
            )
        )
        for number, region in enumerate(Region.source_terms().exclude(pk__in=covered), 1):
            create_association(
                name_ar=f"جمعية الجهة رقم {number}",
                name_fr=f"Association de la région {number}",
                province=Province.source_terms().filter(region=region).first(),
                registration_number=f"LIVE-{number:02d}",
            )
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            call_command("rebuild_search_index", backend_name="default", stdout=StringIO())
            backend = get_search_backend("default")
            try:
                yield backend
            finally:
                for name in backend.es.indices.get(index=f"{prefix}*"):
                    backend.es.indices.delete(index=name)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def never_fall_back(live):
    with mock.patch.object(
        RabitaElasticsearch9SearchBackend,
        "get_fallback_backend",
        side_effect=AssertionError("Elasticsearch failed: the search fell back to the database"),
    ):
        yield


def associations():
    return AssociationPage.objects.live().public().filter(locale=Locale.get_default())


def search(live, query, **kwargs):
    kwargs.setdefault("operator", "and")
    return [page.registration_number for page in live.search(query, associations(), **kwargs)[:10]]


def autocomplete(live, query):
    return [page.registration_number for page in live.autocomplete(query, associations())[:10]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "ساعة الفرح",
        "سَاعَةُ الفَرَح",  # diacritics
        "ساعة الفـــرح",  # tatweel
        "ساعه فرح",  # ta marbuta written as ha, no article
        "جمعية ساعة الفرح",
    ],
)
def test_arabic_with_or_without_diacritics_and_article(live, query):
    assert search(live, query)[:1] == [HEURE_JOYEUSE]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["الأمل للتنمية والتعاون", "امل التنميه", "إمل والتنمية"])
def test_arabic_alef_variants_and_prefixed_articles(live, query):
    assert search(live, query)[:1] == [AL_AMAL]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["L'Heure Joyeuse", "l’heure joyeuse", "HEURE JOYEUSE", "heure joyeuse", "Heure Joyéuse"],
)
def test_french_with_or_without_accents_and_elision(live, query):
    assert search(live, query)[:1] == [HEURE_JOYEUSE]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["Al Amal développement coopération", "al amal developpement cooperation"]
)
def test_french_accents(live, query):
    assert search(live, query)[:1] == [AL_AMAL]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["jam3iat sa3at lfarah", "sa3at lfarah", "SAAT EL FARAH"])
def test_darija_in_latin_letters(live, query):
    assert search(live, query)[:1] == [HEURE_JOYEUSE]


@pytest.mark.django_db
def test_darija_through_the_cross_script_skeleton(live):
    """A Latin spelling nobody entered finds the Arabic name through the skeletons."""
    key = skeleton("sa3at el fara7")
    assert key and key == skeleton("ساعة الفرح")
    assert HEURE_JOYEUSE in search(live, key)[:3]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["ساعة الف", "ساعة الفر", "الساع", "سَاعَة", "heure jo", "l’heure", "AHJ"]
)
def test_autocomplete_folds_what_is_typed(live, query):
    assert HEURE_JOYEUSE in autocomplete(live, query)


@pytest.mark.django_db
def test_facets_return_all_twelve_regions(live):
    results = live.search(MATCH_ALL, associations())
    facets = results.facet("region_id")
    assert len(facets) == 12
    assert set(facets) == set(Region.source_terms().values_list("pk", flat=True))
    database = get_search_backend("database").search(MATCH_ALL, associations())
    assert dict(facets) == dict(database.facet("region_id"))
    assert sum(facets.values()) == results.count() == associations().count()


@pytest.mark.django_db
def test_filters_and_facets_together(live):
    casablanca = Region.source_terms().get(slug="casablanca-settat")
    queryset = associations().filter(region=casablanca, size_category="large")
    results = live.search("جمعية", queryset, operator="and")
    found = list(results)
    assert HEURE_JOYEUSE in [page.registration_number for page in found]
    assert {(page.region_id, page.size_category) for page in found} == {(casablanca.pk, "large")}
    assert dict(results.facet("size_category")) == {"large": len(found)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "جَمْعِيَّة",
        "جمعيـــة",
        "الجمعية",
        "والجمعية",
        "للجمعية",
        "إحسان أمل آمال",
        "مستشفى",
        "٢٠٢٤",
        "Éducation",
        "L'Heure Joyeuse",
        "l’heure",
        "d'Agadir",
        "FÈS-MEKNÈS",
    ],
)
def test_default_analyzer_folds_like_home_text_normalize(live, text):
    """The catch-all fields see the same words as the database backends."""
    index = live.get_index_for_model(AssociationPage).name
    analyzed = live.es.indices.analyze(index=index, analyzer="default", text=text)
    assert [token["token"] for token in analyzed["tokens"]] == normalize(text).split()
