"""Searching associations in every spelling, on every backend.

A query is reduced to the same keys as the indexed text (home.text): folded words
and cross-script skeletons, so a query in Arabic finds the French name, and
"sa3at lfarah" finds "ساعة الفرح". On the database backends, the associations
matching every word typed (in one of its spellings) come first; when none does,
any word will do. The backend's ranking (BM25 on SQLite FTS5, ts_rank on
PostgreSQL, Elasticsearch scoring, where the keys are OR-ed) puts the association
matching the most and rarest keys first.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from wagtail.search.backends import get_search_backend

from directory.id_sets import id_list
from home.indexing import LOCALE_FIELD, computed_search_fields, locale_word
from home.text import STOP_WORDS, normalize, skeleton

MAX_TERMS = 24
# Words (and their skeletons) in most associations' names: they say nothing about
# which association is meant, and matching them would rank the whole directory.
# They are searched only when the query has nothing else.
COMMON_WORDS = {"association", "جمعيه", "pour", "developpement", "تنميه", "jm", "sctn", "tnm"}


def word_groups(query):
    """For each word typed, its keys (folded, skeleton), without the words in most
    names or in every sentence (those match everything: slow, and say nothing)."""
    groups = []
    for token in query.split()[:MAX_TERMS]:
        keys = normalize(token).split() + skeleton(token).split()
        keys = [key for key in dict.fromkeys(keys) if key not in COMMON_WORDS | STOP_WORDS]
        if keys and keys not in groups:
            groups.append(keys)
    return groups


def query_terms(query):
    """The search keys of a query, without duplicates, in order."""
    terms = []
    for term in normalize(query).split() + skeleton(query).split():
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def search_associations(queryset, query, limit=None, *, locale=None):
    """`queryset` (AssociationPage) searched for `query`: best first (at most `limit`).
    With `locale`, `queryset` holds only pages of that locale (see _ranked_ids)."""
    ids = ranked_association_ids(queryset, query, limit, locale=locale)
    pages = queryset.in_bulk(ids)
    return [pages[pk] for pk in ids]


def ranked_association_ids(queryset, query, limit=None, *, locale=None):
    """Ids of the associations of `queryset` matching `query`, best first."""
    terms = query_terms(query)
    terms = [term for term in terms if term not in COMMON_WORDS] or terms
    if not terms:
        return []
    if _database_index_vendor():
        groups = word_groups(query)
        if len(groups) > 1:
            every_word = _ranked_ids(queryset, groups, limit, locale, every_group=True)
            if every_word:
                return every_word
        return _ranked_ids(queryset, [[term] for term in terms], limit, locale)
    results = queryset.search(" ".join(terms), operator="or")
    return [page.pk for page in (results[:limit] if limit else results)]


AUTOCOMPLETE_LIMIT = 10
# Suggestions start at the second letter (as the search box's script does).
MIN_PREFIX = 2


def autocomplete_associations(queryset, query, limit=AUTOCOMPLETE_LIMIT, *, locale=None):
    """Associations whose names start with what was typed (folded), best first.

    The last word is a prefix; the others must match whole (AND), so that
    "ساعة الف" narrows down to "ساعة الفرح".
    """
    words = normalize(query).split()[:MAX_TERMS]
    if not words:
        return []
    if _database_index_vendor():
        # "جمعية ساع" suggests from "ساع"; "جمعي" alone would suggest any association
        # (and read the whole index): nothing until a telling letter is typed. Words
        # in every name ("association", "al") and a last letter typed alone ("al a":
        # every name with a word in "a") narrow nothing down either.
        *whole, prefix = words
        whole = [word for word in whole if word not in COMMON_WORDS | STOP_WORDS]
        if len(prefix) < MIN_PREFIX or prefix in STOP_WORDS:
            prefix = whole.pop() if whole else None
        if prefix is None or not whole and any(c.startswith(prefix) for c in COMMON_WORDS):
            return []
        words = whole + [prefix]
        ids = _ranked_ids(queryset, [[word] for word in words], limit, locale, autocomplete=True)
        pages = queryset.in_bulk(ids)
        return [pages[pk] for pk in ids]
    return list(queryset.autocomplete(" ".join(words), operator="and")[:limit])


# --- The database backends ----------------------------------------------------
# modelsearch's database backends rank the queryset's rows one by one (SQLite: one
# FTS5 MATCH per association, seconds at a few thousand; PostgreSQL: every page of
# the locale joined to its entry, the tsvector indexes unused). The index is read
# here in one ranked query that uses its full-text indexes, with modelsearch's
# weighting, then narrowed to the queryset (live, public, its locale). Every locale
# shares the index: given the locale, only its entries are read (each association's
# entry has a word naming its locale, home.indexing.locale_word); without it, more
# rows than needed are read, then filtered.
LOCALES_IN_INDEX = 4


def _database_index_vendor(backend=None):
    """ "sqlite" or "postgresql" when `backend` (the default one) is that database's
    index."""
    backend = backend or get_search_backend()
    # Each backend module is importable only on its own vendor.
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

        return "sqlite" if isinstance(backend, SQLiteSearchBackend) else None
    if connection.vendor == "postgresql":
        from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

        return "postgresql" if isinstance(backend, PostgresSearchBackend) else None
    return None


# Matches ranked at most: beyond, a word in thousands of names ranks an arbitrary
# part of them (the other words of the query narrow it down first). All of the
# visitor's language: over 100,000 associations the relevance set (search/
# relevance.json) ranks the same with 500, 1,000 or 2,000, and 1,000 reads half
# the rows of 2,000 for a common word.
MAX_RANKED = 1000
# Suggestions rank fewer: what was typed narrows them down with each letter.
AUTOCOMPLETE_RANKED = 500


def _ranked_ids(queryset, groups, limit, locale=None, *, every_group=False, autocomplete=False):
    """Ids of `queryset` whose entry matches a key of any group (of every group with
    `every_group`; with `autocomplete`, every group and the last key as a prefix),
    best first. With `locale`, only the entries of pages of that locale are read:
    the number of matches ranked (MAX_RANKED) is then all theirs."""
    from wagtail.search.models import IndexEntry

    # Without the locale's word, which only associations' entries have, every entry.
    word = (
        locale_word(locale.pk)
        if locale and LOCALE_FIELD in computed_search_fields(queryset.model)
        else None
    )

    table = IndexEntry._meta.db_table
    content_type = ContentType.objects.get_for_model(queryset.model).pk
    if _database_index_vendor() == "sqlite":
        quote = lambda key: '"' + key.replace('"', '""') + '"'  # noqa: E731
        alternatives = ["(" + " OR ".join(quote(key) for key in group) + ")" for group in groups]
        if autocomplete:
            words = [quote(group[0]) for group in groups]
            match = "{autocomplete} : (" + " AND ".join(words) + "*)"
        else:
            joined = (" AND " if every_group else " OR ").join(alternatives)
            match = "{title body} : (" + joined + ")"
        if word:
            match += " AND {body} : " + quote(word)
        sql = (
            f"SELECT object_id FROM (SELECT entry.object_id, entry.id,"
            f" bm25({table}_fts) * (entry.title_norm + 1) AS rank"
            f" FROM {table}_fts JOIN {table} entry ON {table}_fts.rowid = entry.id"
            f" WHERE {table}_fts MATCH %s AND entry.content_type_id = %s LIMIT %s)"
            f" ORDER BY rank, id"
        )
        params = [match, content_type, MAX_RANKED]
    else:
        from modelsearch.backends.database.postgres.weights import get_sql_weights

        quote = lambda key: "'" + key.replace("\\", "\\\\").replace("'", "''") + "'"  # noqa: E731
        alternatives = ["(" + " | ".join(quote(key) for key in group) + ")" for group in groups]
        weights = get_sql_weights()
        if autocomplete:
            sql = (
                f"SELECT object_id FROM (SELECT entry.object_id, entry.id,"
                f" ts_rank(entry.autocomplete, query) AS rank"
                f" FROM {table} entry, to_tsquery('simple', %s) query,"
                f" to_tsquery('simple', %s) matched"
                f" WHERE entry.content_type_id = %s AND entry.autocomplete @@ matched LIMIT %s)"
                f" AS matches ORDER BY rank DESC, id"
            )
            words = " & ".join(quote(group[0]) for group in groups) + ":*"
            matched = f"{words} & {quote(word)}" if word else words
            params = [words, matched, content_type, AUTOCOMPLETE_RANKED]
        else:
            # Every word of an association's title is in its body too (its names):
            # matching the body alone uses its index. The rank reads the small
            # columns, the title and the names with their keys (the autocomplete
            # column): the body (descriptions) would be read from TOAST storage for
            # every match, four times slower, to rank mostly by its names anyway.
            sql = (
                f"SELECT object_id FROM (SELECT entry.object_id, entry.id,"
                f" ts_rank(%s::real[], entry.title, query) * entry.title_norm"
                f" + ts_rank(entry.autocomplete, query) AS rank"
                f" FROM {table} entry, to_tsquery(%s::regconfig, %s) query,"
                f" to_tsquery(%s::regconfig, %s) matched"
                f" WHERE entry.content_type_id = %s AND entry.body @@ matched LIMIT %s)"
                f" AS matches ORDER BY rank DESC, id"
            )
            joined = (" & " if every_group else " | ").join(alternatives)
            matched = f"({joined}) & {quote(word)}" if word else joined
            config = get_search_backend().config or "simple"
            params = [weights, config, joined, config, matched, content_type, MAX_RANKED]
    if limit:
        sql += " LIMIT %s"
        params.append(limit * LOCALES_IN_INDEX)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The LIMIT makes a sequential scan look cheap to PostgreSQL when a word
            # is common ("the first 1,000 matches are near"): it then reads and
            # decompresses every entry's body to test it. At 100,000 associations
            # that took 228 ms where the full-text index takes 44 (cold).
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, params)
        ranked = [int(row[0]) for row in cursor.fetchall()]
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = on")
    kept = set(queryset.filter(pk__in=id_list(ranked)).order_by().values_list("pk", flat=True))
    found = [pk for pk in ranked if pk in kept]
    return found[:limit] if limit else found
