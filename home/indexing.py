"""Indexing many pages at once.

modelsearch reads each search field once per pass (title, body, autocomplete): a
computed field (a method such as AssociationPage.search_text) runs three times per
object. `freeze_computed_search_fields` computes each once and pins the value on the
instance; objects sharing a `translation_key` (a page and its untranslated aliases,
which hold the same data) share it when `share_translations` is set.

On the database backends, whose index is a table of entries, an alias's entry is
the same as its source's (an alias holds its source's content): `copy_alias_entries`
copies it in SQL instead of building it again (about 4 ms a page on PostgreSQL).
`deferred_title_norms` keeps those indexes from recomputing their title norms after
each chunk added, and `add_items` writes entries to modelsearch's PostgreSQL index
several times faster than the index's own `add_items`.

An association's entry ends with a word naming its locale (`locale_word`, the
model's LOCALE_FIELD): a search reads only the entries of the visitor's language
through the full-text index itself (search/services.py). An alias's copied entry
has that word swapped for its own locale's.
"""

import contextlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router

from wagtail.models import Page
from wagtail.search import index

# Aliases per statement: well under SQLite's 32,766 variables.
ALIAS_BATCH = 400
# The search field (a method of the model) whose value is `locale_word(locale_id)`.
LOCALE_FIELD = "search_locale"


def locale_word(locale_id):
    """The indexed word naming a locale: one token for every tokenizer (letters and
    digits), and no locale's word is part of another's ("xlocale1x", "xlocale12x")."""
    return f"xlocale{int(locale_id)}x"


@contextlib.contextmanager
def deferred_title_norms(index, *, refresh=False):
    """modelsearch's database indexes recompute the title norms after each chunk
    added: the average title length over the whole table, then an update that scans
    it again. Over thousands of pages that is quadratic. Within this block it is not
    done; with `refresh`, it is done once on leaving (a rebuild leaves it to the
    rebuilder's `finish()`, which recomputes the whole table). New entries have the
    default norm, 1.0, until then."""
    refresh_norms = getattr(index, "_refresh_title_norms", None)
    if refresh_norms is None:  # Elasticsearch
        yield
        return
    index._refresh_title_norms = lambda full=False: None
    try:
        yield
    finally:
        del index._refresh_title_norms
    if refresh:
        refresh_norms()


def computed_search_fields(model):
    """Names of `model`'s search and autocomplete fields that are not model fields."""
    names = []
    for field in model.get_search_fields():
        if not isinstance(field, index.SearchField | index.AutocompleteField):
            continue
        try:
            model._meta.get_field(field.field_name)
        except FieldDoesNotExist:
            if field.field_name not in names:
                names.append(field.field_name)
    return names


def freeze_computed_search_fields(model, objects, *, share_translations=False):
    names = computed_search_fields(model)
    if not names:
        return
    shared = {}
    for obj in objects:
        key = getattr(obj, "translation_key", None) if share_translations else None
        values = shared.get(key) if key is not None else None
        if values is None:
            values = {name: _value(obj, name) for name in names if name != LOCALE_FIELD}
            if key is not None:
                shared[key] = values
        if LOCALE_FIELD in names:  # each translation's own
            values = {**values, LOCALE_FIELD: _value(obj, LOCALE_FIELD)}
        for name, value in values.items():
            setattr(obj, name, _constant(value))


def _value(obj, name):
    value = getattr(obj, name, None)
    return value() if callable(value) else value


def _constant(value):
    return lambda: value


def copy_alias_entries(search_index, model, alias_ids):
    """Give each alias page of `alias_ids` (pages of `model`) a copy of its source's
    entry in `search_index`, replacing its own. False when that index is not a
    table of entries (Elasticsearch): index the aliases as any page then."""
    entries = getattr(search_index, "entries", None)
    table_model = getattr(entries, "model", None)
    if table_model is None:
        return False
    connection = connections[router.db_for_write(table_model)]
    text_type = {"sqlite": "text", "postgresql": "varchar", "mysql": "char"}.get(connection.vendor)
    if text_type is None:
        return False
    quote = connection.ops.quote_name
    table = quote(table_model._meta.db_table)
    columns = [
        field.column
        for field in table_model._meta.concrete_fields
        if not field.primary_key and field.column != "object_id"
    ]
    swaps = _locale_swaps(connection.vendor, search_index) if _has_locale_word(model) else {}
    if swaps is None:
        return False
    selected = [swaps.get(column, ("e.{}", []))[0].format(quote(column)) for column in columns]
    content_type = ContentType.objects.get_for_model(model).pk
    insert = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}, {quote('object_id')}) "
        f"SELECT {', '.join(selected)}, "
        f"CAST(p.{quote('id')} AS {text_type}) "
        f"FROM {table} e INNER JOIN {quote(Page._meta.db_table)} p "
        f"ON e.{quote('object_id')} = CAST(p.{quote('alias_of_id')} AS {text_type}) "
        f"WHERE e.{quote('content_type_id')} = %s AND p.{quote('id')} IN "
    )
    delete = (
        f"DELETE FROM {table} WHERE {quote('content_type_id')} = %s AND {quote('object_id')} IN "
    )
    with connection.cursor() as cursor:
        for (source_locale, locale), ids in _by_locales(alias_ids).items():
            words = {OLD: locale_word(source_locale), NEW: locale_word(locale)}
            params = [
                words.get(param, param)
                for column in columns
                for param in swaps.get(column, ("", []))[1]
            ]
            for start in range(0, len(ids), ALIAS_BATCH):
                batch = ids[start : start + ALIAS_BATCH]
                placeholders = f"({', '.join(['%s'] * len(batch))})"
                cursor.execute(delete + placeholders, [content_type, *map(str, batch)])
                cursor.execute(insert + placeholders, [*params, content_type, *batch])
    return True


def _has_locale_word(model):
    return LOCALE_FIELD in computed_search_fields(model)


def _by_locales(alias_ids):
    """{(source's locale id, alias's locale id): [alias ids]}"""
    groups = {}
    rows = Page.objects.filter(pk__in=list(alias_ids)).values_list(
        "pk", "alias_of__locale_id", "locale_id"
    )
    for pk, source_locale, locale in rows.order_by("pk"):
        groups.setdefault((source_locale, locale), []).append(pk)
    return groups


# Stand-ins for the source's and the alias's locale words in `_locale_swaps`.
OLD, NEW = object(), object()


def _locale_swaps(vendor, search_index):
    """{column: (SQL copying `e.{column}` with the source's locale word swapped for
    the alias's, its parameters)}.

    PostgreSQL: the word is the last of the body and of the autocomplete vectors,
    so deleting it and appending the new one gives it the same position, as
    indexing the alias would (test_rebuild_gives_aliases_a_copy_of_their_sources_entry).
    SQLite: plain texts. None on other databases."""
    text = ("replace(e.{}, %s, %s)", [OLD, NEW])
    if vendor == "sqlite":
        return {"body": text, "autocomplete": text}
    if vendor != "postgresql":
        return None
    from modelsearch.backends.database.postgres.weights import get_weight

    backend = search_index.backend
    swaps = {"body_text": text}
    for column, config in (("body", backend.config), ("autocomplete", backend.autocomplete_config)):
        # As add_items: without a config, the database's default one.
        vector, params = ("%s::regconfig, %s", [config, NEW]) if config else ("%s", [NEW])
        swaps[column] = (
            f"ts_delete(e.{{}}, %s::text) || setweight(to_tsvector({vector}), %s)",
            # The word's weight: a search field's without boost, an autocomplete field's.
            [OLD, *params, get_weight(None)],
        )
    return swaps


def add_items(search_index, model, objects):
    """`search_index.add_items(model, objects)`, faster on modelsearch's PostgreSQL
    index: the same rows, written by one INSERT whose SQL is built here.

    modelsearch reads every search field five times per object (title, body,
    autocomplete and their plain texts) and builds each text's tsvector through
    Django expressions: most of the 8 ms an association took (the database's share
    is under a fifth). Here each field is read once and the SQL is the one those
    expressions compile to: setweight(to_tsvector(config, text), weight), joined
    with ||. tests/search/test_indexing.py checks the rows are identical."""
    from modelsearch.backends.database.postgres.postgres import (
        ObjectIndexer,
        PostgresIndex,
    )

    if not isinstance(search_index, PostgresIndex):
        return search_index.add_items(model, objects)
    from modelsearch.index import AutocompleteField, SearchField
    from modelsearch.utils import get_content_type_pk

    if not objects or not model.get_search_fields():
        return None
    backend = search_index.backend
    content_type = get_content_type_pk(model)
    rows, params = [], []
    for obj in objects:
        indexer = ObjectIndexer(obj, backend)
        texts = {"title": [], "autocomplete": [], "body": []}
        for search_field in indexer.search_fields:
            for field, weight, value in indexer.prepare_field(obj, search_field):
                if isinstance(field, AutocompleteField):
                    part = "autocomplete"
                elif isinstance(field, SearchField):
                    part = "title" if field.field_name == "title" else "body"
                else:
                    continue
                texts[part].append((value.strip(), weight))
        vectors = []
        params.extend([content_type, indexer.id])
        for part, config in (
            ("title", backend.config),
            ("autocomplete", backend.autocomplete_config),
            ("body", backend.config),
        ):
            parts = [(text, weight) for text, weight in texts[part] if text]
            if not parts:
                vectors.append("''::tsvector")
                continue
            # No config: the database's default_text_search_config, as Django does.
            vector = "to_tsvector(%s::regconfig, %s)" if config else "to_tsvector(%s)"
            vectors.append(" || ".join([f"setweight({vector}, %s)"] * len(parts)))
            for text, weight in parts:
                params.extend([config, text, weight] if config else [text, weight])
        params.append(" ".join(text for text, _weight in texts["title"] if text))
        params.append(" ".join(text for text, _weight in texts["body"] if text))
        rows.append(f"(%s, %s, {vectors[0]}, {vectors[1]}, {vectors[2]}, 1.0, %s, %s)")
    table = search_index.entries.model._meta.db_table
    with search_index.write_connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body,"
            f" title_norm, title_text, body_text) VALUES {', '.join(rows)}"
            " ON CONFLICT (content_type_id, object_id) DO UPDATE SET"
            " title = EXCLUDED.title, title_norm = 1.0,"
            " autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,"
            " title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
            params,
        )
    search_index._refresh_title_norms()
    return None
