"""(Re)build the Wagtail search index: `manage.py rebuild_search_index [--backend NAME]`.

Every backend of WAGTAILSEARCH_BACKENDS by default ("default", plus "database" when
Elasticsearch is configured), with a progress bar per model (indexed/total). It uses
modelsearch's index API, like its `wagtail_update_index` command (integration notes:
haystack's `update_index` shadows the name), so Elasticsearch is rebuilt atomically
into a new index behind an alias, and the database index in place.

Saving a page keeps the index up to date by itself (immediately, or through the
django-tasks worker when TASK_BACKEND=database); rebuild after changing the index
settings or the models' search fields, after loading data with signals off, and after
an Elasticsearch outage.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, TextField
from django.db.models.functions import Cast

from modelsearch.conf import get_app_config
from modelsearch.index import get_indexed_models
from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from home.indexing import (
    add_items,
    copy_alias_entries,
    deferred_title_norms,
    freeze_computed_search_fields,
)
from search.backends import ELASTICSEARCH_ERRORS

DEFAULT_CHUNK_SIZE = 500


def _postgres_backend():
    # Importable only where psycopg is (PostgreSQL configured).
    from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

    return PostgresSearchBackend


BAR_WIDTH = 30


class ProgressBar:
    """`label [#####-----] 120/400`: redrawn in place on a terminal; elsewhere (logs,
    CI) one line per tenth of the way, so output stays short."""

    def __init__(self, stream, label, total, interactive):
        self.stream = stream
        self.label = label
        self.total = total
        self.interactive = interactive
        self.last_tenth = -1

    def line(self, done):
        filled = BAR_WIDTH if not self.total else BAR_WIDTH * done // self.total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        return f"  {self.label:<32} [{bar}] {done}/{self.total}"

    def update(self, done):
        if self.interactive:
            self.stream.write("\r" + self.line(done), ending="")
            self.stream.flush()
            return
        tenth = 10 * done // self.total if self.total else 10
        if tenth > self.last_tenth and 0 < done < self.total:
            self.last_tenth = tenth
            self.stream.write(self.line(done))

    def finish(self, done):
        if self.interactive:
            self.stream.write("\r" + self.line(done))
        else:
            self.stream.write(self.line(done))


def delete_stale_entries(index):
    """Entries of objects that no longer exist, deleted with NOT EXISTS (an anti-join).

    modelsearch's PostgreSQL index deletes them with `NOT IN (every id of the
    model)`: beyond work_mem PostgreSQL cannot hash that list and compares each
    entry with each id. At 100,000 associations (300,000 entries) the DELETE was
    still running after 10 minutes; this one takes seconds."""
    for model in get_indexed_models():
        if model._meta.parents:  # deleted with their root model's entries
            continue
        exists = model._default_manager.annotate(object_id=Cast("pk", TextField())).filter(
            object_id=OuterRef("object_id")
        )
        index.entries.filter(content_type_id__in=get_descendants_content_types_pks(model)).exclude(
            Exists(exists)
        ).delete()


class Command(BaseCommand):
    help = "Rebuild the search index of every search backend (or --backend NAME), with progress."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            dest="backend_name",
            help="Only this backend of WAGTAILSEARCH_BACKENDS (e.g. default, database).",
        )
        parser.add_argument(
            "--schema-only",
            action="store_true",
            help="Create the index and its mappings without adding any object.",
        )
        parser.add_argument(
            "--no-compact",
            dest="compact",
            action="store_false",
            help="PostgreSQL: do not compact the index table afterwards (VACUUM FULL locks it).",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=DEFAULT_CHUNK_SIZE,
            help=f"Objects fetched and sent at once (default {DEFAULT_CHUNK_SIZE}).",
        )

    def handle(
        self,
        *args,
        backend_name=None,
        schema_only=False,
        chunk_size=None,
        compact=True,
        **options,
    ):
        self.verbosity = options["verbosity"]
        configured = list(get_app_config().get_search_backend_config())
        if backend_name and backend_name not in configured:
            raise CommandError(
                f"Unknown search backend {backend_name!r}; configured: {', '.join(configured)}."
            )
        if chunk_size is not None and chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        for name in [backend_name] if backend_name else configured:
            try:
                self.rebuild(name, schema_only, chunk_size or DEFAULT_CHUNK_SIZE, compact)
            except ELASTICSEARCH_ERRORS as error:
                raise CommandError(
                    f"{name}: Elasticsearch is unavailable ({type(error).__name__}: {error}). "
                    "Nothing was replaced; start it and run this command again."
                ) from error

    def write(self, message, **kwargs):
        if self.verbosity > 0:
            self.stdout.write(message, **kwargs)

    def rebuild(self, name, schema_only, chunk_size, compact):
        started = time.monotonic()
        backend = get_search_backend(name)
        if not backend.rebuilder_class:
            self.write(f"{name}: this backend needs no index.")
            return
        interactive = self.verbosity > 0 and self.stdout.isatty()
        total_indexed = 0
        for index, models in group_models_by_index(backend, get_indexed_models()).items():
            label = f"index {index.name}" if hasattr(index, "name") else "the database index"
            self.write(f"{name}: rebuilding {label}")
            rebuilder = backend.rebuilder_class(index)
            if connection.vendor == "postgresql" and isinstance(backend, _postgres_backend()):
                # Called by rebuilder.start(); SQLite runs NOT IN with a temporary index.
                index.delete_stale_entries = lambda index=index: delete_stale_entries(index)
            index = rebuilder.start()
            for model in models:
                index.add_model(model)
            if not schema_only:
                for model in models:
                    total_indexed += self.index_model(index, model, chunk_size, interactive)
            rebuilder.finish()
        self.compact(name, backend, compact)
        elapsed = time.monotonic() - started
        self.write(
            self.style.SUCCESS(f"{name}: indexed {total_indexed} objects in {elapsed:.1f} s")
        )

    def compact(self, name, backend, compact):
        """On PostgreSQL, rewrite the index table compactly, with fresh statistics.

        A rebuild writes each entry two or three times (the entry, then its title
        norm; the entry it replaces is dead too): the table is left several times
        its size, its live rows spread over mostly dead pages, and every search
        reads those pages. At 10,000 associations after a few rebuilds: 437 MB for
        42 MB of entries, searches p95 55 ms instead of 37, suggestions 33 ms
        instead of 10. VACUUM FULL locks the table while it runs (seconds per
        10,000 associations: searches and index updates wait); --no-compact skips
        it, leaving the statistics refreshed (ANALYZE) and the space to autovacuum.
        Inside a transaction (tests), only ANALYZE is possible."""
        from wagtail.search.models import IndexEntry

        if connection.vendor != "postgresql" or not isinstance(backend, _postgres_backend()):
            return
        table = IndexEntry._meta.db_table
        with connection.cursor() as cursor:
            if not compact or connection.in_atomic_block:
                cursor.execute(f"ANALYZE {table}")
                return
            started = time.monotonic()
            size = "SELECT pg_size_pretty(pg_total_relation_size(%s))"
            cursor.execute(size, [table])
            before = cursor.fetchone()[0]
            cursor.execute(f"VACUUM (FULL, ANALYZE) {table}")
            cursor.execute(size, [table])
            after = cursor.fetchone()[0]
        self.write(
            f"{name}: compacted the index table from {before} to {after}"
            f" in {time.monotonic() - started:.1f} s"
        )

    @transaction.atomic  # a stable set of objects while they are counted and read
    def index_model(self, index, model, chunk_size, interactive):
        queryset = model.get_indexed_objects().order_by("pk")
        # Aliases hold their source's content: on a database index, their entries
        # are copies of their source's, made in SQL after the sources are indexed.
        aliases = None
        if issubclass(model, Page) and hasattr(index, "entries"):
            aliases = queryset.filter(alias_of__isnull=False)
            queryset = queryset.filter(alias_of__isnull=True)
        total = queryset.count() + (aliases.count() if aliases is not None else 0)
        label = f"{model._meta.app_label}.{model.__name__}"
        progress = ProgressBar(self, label, total, interactive)
        done = 0
        progress.update(done)
        last_pk = None
        with deferred_title_norms(index):
            while True:
                chunk = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
                items = list(chunk[:chunk_size])
                if not items:
                    break
                freeze_computed_search_fields(model, items)
                add_items(index, model, items)
                done += len(items)
                last_pk = items[-1].pk
                progress.update(done)
        if aliases is not None:
            ids = list(aliases.values_list("pk", flat=True))
            for start in range(0, len(ids), chunk_size):
                copy_alias_entries(index, model, ids[start : start + chunk_size])
                done += len(ids[start : start + chunk_size])
                progress.update(done)
        progress.finish(done)
        return done

    def flush(self):
        self.stdout.flush()
