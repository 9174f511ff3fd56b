"""Searching associations in every spelling, on every backend.

A query is reduced to the same keys as the indexed text (home.text): folded words
and cross-script skeletons. The keys are OR-ed, so a query in Arabic finds the
French name, and "sa3at lfarah" finds "ساعة الفرح"; the backend's ranking (BM25 on
SQLite FTS5, ts_rank on PostgreSQL, Elasticsearch scoring) puts the association
matching the most and rarest keys first.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from wagtail.search.backends import get_search_backend

from home.text import normalize, skeleton

MAX_TERMS = 24
# Words (and their skeletons) in most associations' names: they say nothing about
# which association is meant, and matching them would rank the whole directory.
# They are searched only when the query has nothing else.
COMMON_WORDS = {"association", "جمعيه", "pour", "developpement", "تنميه", "jm", "sctn", "tnm"}


def query_terms(query):
    """The search keys of a query, without duplicates, in order."""
    terms = []
    for term in normalize(query).split() + skeleton(query).split():
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def search_associations(queryset, query, limit=None):
    """`queryset` (AssociationPage) searched for `query`: best first (at most `limit`)."""
    ids = ranked_association_ids(queryset, query, limit)
    pages = queryset.in_bulk(ids)
    return [pages[pk] for pk in ids]


def ranked_association_ids(queryset, query, limit=None):
    """Ids of the associations of `queryset` matching `query`, best first."""
    terms = query_terms(query)
    terms = [term for term in terms if term not in COMMON_WORDS] or terms
    if not terms:
        return []
    if _on_sqlite_database_backend():
        match = "{title body} : (" + " OR ".join(_fts_quote(term) for term in terms) + ")"
        return _sqlite_ranked_ids(queryset, match, limit)
    results = queryset.search(" ".join(terms), operator="or")
    return [page.pk for page in (results[:limit] if limit else results)]


AUTOCOMPLETE_LIMIT = 10


def autocomplete_associations(queryset, query, limit=AUTOCOMPLETE_LIMIT):
    """Associations whose names start with what was typed (folded), best first.

    The last word is a prefix; the others must match whole (AND), so that
    "ساعة الف" narrows down to "ساعة الفرح".
    """
    words = normalize(query).split()[:MAX_TERMS]
    if not words:
        return []
    if _on_sqlite_database_backend():
        quoted = [_fts_quote(word) for word in words]
        match = "{autocomplete} : (" + " AND ".join(quoted) + "*)"
        ids = _sqlite_ranked_ids(queryset, match, limit)
        pages = queryset.in_bulk(ids)
        return [pages[pk] for pk in ids]
    return list(queryset.autocomplete(" ".join(words), operator="and")[:limit])


# --- SQLite ---------------------------------------------------------------------
# modelsearch's SQLite backend ranks with a correlated sub-query per row of the
# queryset (one FTS5 MATCH per association: seconds at a few thousand). The same
# index is read here in one query: the FTS5 match, ranked by bm25 with modelsearch's
# title weighting, then narrowed to the queryset (live, public, its locale).
# Every locale shares the index: more rows than needed are read, then filtered.
LOCALES_IN_INDEX = 4


def _on_sqlite_database_backend():
    if connection.vendor != "sqlite":
        return False
    # Importable only on SQLite (its module loads the FTS model).
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    return isinstance(get_search_backend(), SQLiteSearchBackend)


def _fts_quote(term):
    escaped = term.replace('"', '""')
    return f'"{escaped}"'


def _sqlite_ranked_ids(queryset, match, limit):
    from wagtail.search.models import IndexEntry

    entries = IndexEntry._meta.db_table
    content_type = ContentType.objects.get_for_model(queryset.model)
    sql = (
        f"SELECT entry.object_id FROM {entries}_fts"
        f" JOIN {entries} entry ON {entries}_fts.rowid = entry.id"
        f" WHERE {entries}_fts MATCH %s AND entry.content_type_id = %s"
        f" ORDER BY bm25({entries}_fts) * (entry.title_norm + 1)"
    )
    params = [match, content_type.pk]
    if limit:
        sql += " LIMIT %s"
        params.append(limit * LOCALES_IN_INDEX)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ranked = [int(row[0]) for row in cursor.fetchall()]
    kept = set(queryset.filter(pk__in=ranked).values_list("pk", flat=True))
    found = [pk for pk in ranked if pk in kept]
    return found[:limit] if limit else found
