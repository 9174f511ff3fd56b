"""The committed relevance set (search/relevance.json) over the demo associations.

64 queries: Arabic with and without diacritics and article, ta marbuta as ha,
French with and without accents and elision, Latin-script Moroccan Arabic,
acronyms, one-typo queries and name + city. Runs on the database backend of the
suite (SQLite FTS5, or PostgreSQL full text in CI's second run).
"""

import json
from pathlib import Path

from django.conf import settings

from wagtail.models import Locale

import pytest

from directory.models import AssociationPage
from search.services import search_associations

pytestmark = pytest.mark.django_db

CASES = json.loads(
    (Path(settings.BASE_DIR) / "search" / "relevance.json").read_text(encoding="utf-8")
)


def ranked_numbers(query, language="ar"):
    locale = Locale.objects.get(language_code=language)
    pages = AssociationPage.objects.live().filter(locale=locale)
    found = search_associations(pages, query, locale=locale)
    return [page.registration_number for page in found[:3]]


def test_the_relevance_set_is_large_and_varied():
    assert len(CASES) >= 60
    kinds = {case["kind"].split("-")[0] for case in CASES}
    assert {"arabic", "french", "darija", "acronym", "typo"} <= kinds


def test_top_1_and_top_3_accuracy():
    misses_top1, misses_top3 = [], []
    for case in CASES:
        numbers = ranked_numbers(case["query"])
        if numbers[:1] != [case["expected"]]:
            misses_top1.append((case["query"], numbers))
        if case["expected"] not in numbers:
            misses_top3.append((case["query"], numbers))
    top1 = 1 - len(misses_top1) / len(CASES)
    top3 = 1 - len(misses_top3) / len(CASES)
    assert top1 >= 0.85, misses_top1
    assert top3 >= 0.95, misses_top3


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_same_queries_work_from_the_french_and_english_directories(language):
    """Names are indexed in every locale's page, whatever the interface language."""
    found = sum(1 for case in CASES if case["expected"] in ranked_numbers(case["query"], language))
    assert found / len(CASES) >= 0.95


def test_darija_finds_the_arabic_name():
    assert ranked_numbers("sa3at lfarah")[0] == "CASA-1959-0427"
    assert ranked_numbers("wa7at dra3a")[0] == "DEMO-007"


def test_unrelated_words_find_nothing():
    assert ranked_numbers("zzzzqqqq xxyyzz") == []
