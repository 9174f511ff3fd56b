"""Searching associations in every spelling, on every backend.

A query is reduced to the same keys as the indexed text (home.text): folded words
and cross-script skeletons. The keys are OR-ed, so a query in Arabic finds the
French name, and "sa3at lfarah" finds "ساعة الفرح"; the backend's ranking (BM25 on
SQLite FTS5, ts_rank on PostgreSQL, Elasticsearch scoring) puts the association
matching the most and rarest keys first.
"""

from home.text import normalize, skeleton

MAX_TERMS = 24


def query_terms(query):
    """The search keys of a query, without duplicates, in order."""
    terms = []
    for term in normalize(query).split() + skeleton(query).split():
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def search_associations(queryset, query):
    """`queryset` (AssociationPage) searched for `query`: best first."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    return queryset.search(" ".join(terms), operator="or")


AUTOCOMPLETE_LIMIT = 10


def autocomplete_associations(queryset, query, limit=AUTOCOMPLETE_LIMIT):
    """Associations whose names start with what was typed (folded), best first.

    The last word is a prefix; the others must match whole (AND), so that
    "ساعة الف" narrows down to "ساعة الفرح".
    """
    words = normalize(query).split()[:MAX_TERMS]
    if not words:
        return []
    return list(queryset.autocomplete(" ".join(words), operator="and")[:limit])
