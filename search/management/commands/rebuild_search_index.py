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

from modelsearch.conf import get_app_config
from modelsearch.index import get_indexed_models
from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index
from wagtail.search.backends import get_search_backend

from home.indexing import freeze_computed_search_fields
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
            "--chunk-size",
            type=int,
            default=DEFAULT_CHUNK_SIZE,
            help=f"Objects fetched and sent at once (default {DEFAULT_CHUNK_SIZE}).",
        )

    def handle(self, *args, backend_name=None, schema_only=False, chunk_size=None, **options):
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
                self.rebuild(name, schema_only, chunk_size or DEFAULT_CHUNK_SIZE)
            except ELASTICSEARCH_ERRORS as error:
                raise CommandError(
                    f"{name}: Elasticsearch is unavailable ({type(error).__name__}: {error}). "
                    "Nothing was replaced; start it and run this command again."
                ) from error

    def write(self, message, **kwargs):
        if self.verbosity > 0:
            self.stdout.write(message, **kwargs)

    def rebuild(self, name, schema_only, chunk_size):
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
            index = rebuilder.start()
            for model in models:
                index.add_model(model)
            if not schema_only:
                for model in models:
                    total_indexed += self.index_model(index, model, chunk_size, interactive)
            rebuilder.finish()
        self.refresh_statistics(backend)
        elapsed = time.monotonic() - started
        self.write(
            self.style.SUCCESS(f"{name}: indexed {total_indexed} objects in {elapsed:.1f} s")
        )

    def refresh_statistics(self, backend):
        """PostgreSQL plans full-text queries from the table's statistics, stale after
        a whole index was rewritten until autovacuum's next pass: meanwhile searches
        were measured 10 times slower at 100,000 associations (bench/search_queries.py)."""
        from wagtail.search.models import IndexEntry

        if connection.vendor == "postgresql" and isinstance(backend, _postgres_backend()):
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {IndexEntry._meta.db_table}")

    @transaction.atomic  # a stable set of objects while they are counted and read
    def index_model(self, index, model, chunk_size, interactive):
        queryset = model.get_indexed_objects().order_by("pk")
        total = queryset.count()
        label = f"{model._meta.app_label}.{model.__name__}"
        progress = ProgressBar(self, label, total, interactive)
        done = 0
        progress.update(done)
        last_pk = None
        while True:
            chunk = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
            items = list(chunk[:chunk_size])
            if not items:
                break
            freeze_computed_search_fields(model, items)
            index.add_items(model, items)
            done += len(items)
            last_pk = items[-1].pk
            progress.update(done)
        progress.finish(done)
        return done

    def flush(self):
        self.stdout.flush()
