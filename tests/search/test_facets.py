"""With a query, the facets are counted in Python over the matches
(search/associations.py): the same counts and the same pages as the directory's
aggregate queries (directory/filters.py) would give."""

from django.db import connection
from django.http import QueryDict

from wagtail.models import Locale

import pytest

from directory.filters import DirectoryFilters
from directory.models import AssociationPage
from search.associations import AssociationSearch

pytestmark = pytest.mark.django_db

QUERIES = ["association", "الأمل", "jam3iat", "femmes rurales", "تنمية", "sa3at lfarah"]


def combinations():
    """Filter combinations over the demo associations' own values."""
    pages = list(AssociationPage.objects.filter(locale__language_code="fr", live=True))
    page = pages[0]
    field = page.fields_of_activity.first().slug
    group = page.target_groups.first().slug
    other_field = next(
        term.slug
        for other in pages
        for term in other.fields_of_activity.all()
        if term.slug != field
    )
    return [
        {},
        {"region": [page.region.slug]},
        {"region": [page.region.slug], "field": [field]},
        {"field": [field, other_field]},
        {"size": ["small", "medium"], "verified": ["1"]},
        {"group": [group], "province": [page.province.slug]},
        {"verified": ["1"], "sort": ["relevance"]},
    ]


def params(values):
    query = QueryDict(mutable=True)
    for key, items in values.items():
        query.setlist(key, items)
    return query


def test_counts_and_pages_are_those_of_the_aggregate_queries():
    locale = Locale.objects.get(language_code="fr")
    totals = []
    for values in combinations():
        for query in QUERIES:
            found = AssociationSearch(params(values), query, locale=locale)
            expected = DirectoryFilters._counts.func(found)  # one query per facet
            assert found._counts == expected, (query, values)
            shown = [page.pk for page in found.paginate().object_list]
            assert shown == list(found.results.values_list("pk", flat=True)[:20])
            totals.append(expected["total"])
    assert min(totals) == 0 < max(totals)  # both empty and full results were compared


def test_a_search_page_takes_fewer_queries_than_facets(django_assert_max_num_queries):
    locale = Locale.objects.get(language_code="fr")
    filters = params({"region": ["casablanca-settat"], "size": ["large"]})
    found = AssociationSearch(filters, "jam3iat sa3at lfarah", locale=locale)
    # Ranking, in a savepoint, and keeping the listed ones (4; on PostgreSQL 6, with
    # the planner setting set and reset around the ranking), the matches with their
    # fields and target groups (3), the page of results (1). One aggregate query per
    # facet took 11 (13 on PostgreSQL), each carrying the list of matches.
    with django_assert_max_num_queries(10 if connection.vendor == "postgresql" else 8):
        found.facets()
        list(found.paginate().object_list)
