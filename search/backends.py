"""Rabita's Elasticsearch 9 backend: Arabic/French analysis and a database fallback.

Configured in `portal/settings/base.py` when ELASTICSEARCH_URL is set:

    WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "search.backends", "URLS": [...], "TIMEOUT": 1,
                    "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
                    "FALLBACK": "database", ...},
        "database": {"BACKEND": "wagtail.search.backends.database"},
    }

On top of the stock `wagtail.search.backends.elasticsearch9` (= modelsearch's):

- the index settings of `search.elasticsearch_settings` (analysers for both scripts);
- per-language analysers on the `name_ar`/`name_fr` fields, which searches without
  `fields=` query as well as the catch-all fields;
- autocomplete queried with our folding analyser instead of the hard-coded `standard`;
- facets that return every bucket (`size`), and the operator always sent explicitly
  (AND by default, like the database backends);
- **fallback**: when Elasticsearch refuses the connection, does not answer within
  TIMEOUT, or fails, a search or autocomplete runs on the database backend instead
  and a warning is logged. After a failure Elasticsearch is left alone for
  RETRY_AFTER seconds (searches go straight to the database; index updates are
  skipped with a warning), so a page that counts, lists and facets pays the timeout
  once. The database index is kept up to date alongside (AUTO_UPDATE on both
  aliases), so the fallback finds what Elasticsearch would. After an outage,
  `manage.py rebuild_search_index --backend default` brings Elasticsearch up to date.
"""

import logging
import threading
import time
from collections import OrderedDict
from copy import deepcopy

from modelsearch.backends.base import EmptySearchResults, FilterFieldError
from modelsearch.backends.elasticsearchbase import Field
from modelsearch.conf import get_app_config
from modelsearch.utils import deep_update
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.elasticsearch9 import (
    Elasticsearch9AutocompleteQueryCompiler,
    Elasticsearch9Index,
    Elasticsearch9Mapping,
    Elasticsearch9SearchBackend,
    Elasticsearch9SearchQueryCompiler,
    Elasticsearch9SearchResults,
)
from wagtail.search.index import SearchField, get_indexed_models

from elastic_transport import ApiError, TransportError

from . import elasticsearch_settings as es_settings

logger = logging.getLogger(__name__)

# Everything the client raises when Elasticsearch is down, slow or failing:
# ConnectionError (refused, DNS, TLS), ConnectionTimeout, SerializationError, and
# ApiError for HTTP errors (a missing index, 5xx, 429…).
ELASTICSEARCH_ERRORS = (TransportError, ApiError)

DATABASE_BACKEND = "wagtail.search.backends.database"


# ---------------------------------------------------------------------------
# Availability: shared by every backend instance of the process (get_search_backend
# builds a new instance on each call).
# ---------------------------------------------------------------------------
class Availability:
    """Remembers that an Elasticsearch cluster failed, for `retry_after` seconds."""

    def __init__(self):
        self._down_until = {}
        self._lock = threading.Lock()

    def is_down(self, key):
        return time.monotonic() < self._down_until.get(key, 0.0)

    def mark_down(self, key, seconds):
        with self._lock:
            self._down_until[key] = time.monotonic() + seconds

    def reset(self):
        with self._lock:
            self._down_until.clear()


availability = Availability()


# ---------------------------------------------------------------------------
# Mapping, index and query compilers
# ---------------------------------------------------------------------------
class RabitaElasticsearch9Mapping(Elasticsearch9Mapping):
    edgengram_analyzer_config = dict(es_settings.AUTOCOMPLETE_ANALYZERS)
    field_analyzers = es_settings.FIELD_ANALYZERS

    def get_field_mapping(self, field):
        column_name, mapping = super().get_field_mapping(field)
        if isinstance(field, SearchField) and field.field_name in self.field_analyzers:
            # es_extra on the model still wins: it is the more specific choice.
            extra = field.kwargs.get("es_extra", {})
            for key, value in self.field_analyzers[field.field_name].items():
                if key not in extra:
                    mapping[key] = value
        return column_name, mapping


class RabitaElasticsearch9Index(Elasticsearch9Index):
    pass


class ExplicitOperatorMixin:
    """AND by default, like the database backends, and always written in the body."""

    DEFAULT_OPERATOR = "and"

    def _compile_plaintext_query(self, query, fields, boost=1.0):
        compiled = super()._compile_plaintext_query(query, fields, boost)
        body = compiled.get("multi_match") or next(iter(compiled["match"].values()))
        body["operator"] = query.operator
        return compiled

    def _compile_fuzzy_query(self, query, fields):
        compiled = super()._compile_fuzzy_query(query, fields)
        body = compiled.get("multi_match") or next(iter(compiled["match"].values()))
        body["operator"] = query.operator
        return compiled


class RabitaElasticsearch9SearchQueryCompiler(
    ExplicitOperatorMixin, Elasticsearch9SearchQueryCompiler
):
    mapping_class = RabitaElasticsearch9Mapping

    def _remap_fields(self, fields):
        """Without `fields=`, also query the per-language name fields (their own
        analysers stem), next to the catch-all fields."""
        remapped = super()._remap_fields(fields)
        if fields:
            return remapped
        seen = {field.field_name for field in remapped}
        for model in get_indexed_models():
            if not issubclass(model, self.queryset.model):
                continue
            mapping = self.mapping_class(model)
            for search_field in model.get_searchable_search_fields():
                if search_field.field_name not in mapping.field_analyzers:
                    continue
                column_name = mapping.get_field_column_name(search_field)
                if column_name not in seen:
                    seen.add(column_name)
                    remapped.append(Field(column_name, search_field.boost or 1))
        return remapped


class RabitaElasticsearch9AutocompleteQueryCompiler(
    ExplicitOperatorMixin, Elasticsearch9AutocompleteQueryCompiler
):
    mapping_class = RabitaElasticsearch9Mapping


# ---------------------------------------------------------------------------
# Results: every bucket, and the database backend when Elasticsearch fails
# ---------------------------------------------------------------------------
class RabitaElasticsearch9SearchResults(Elasticsearch9SearchResults):
    def _fallback(self, error=None):
        """The same search on the database backend, with our limits and score field."""
        if error is not None:
            self.backend.mark_down(error)
        else:
            logger.info("Elasticsearch was down moments ago: searching the database backend")
        method, query, model_or_queryset, kwargs = self.query_compiler.rabita_call
        results = getattr(self.backend.get_fallback_backend(), method)(
            query, model_or_queryset, **kwargs
        )
        if self.start or self.stop is not None:
            results = results[self.start : self.stop]
        if self._score_field:
            results = results.annotate_score(self._score_field)
        return results

    def _do_search(self):
        if self.backend.is_down():
            return list(self._fallback())
        try:
            # The stock method is a generator: consume it here to catch its errors.
            return list(super()._do_search())
        except ELASTICSEARCH_ERRORS as error:
            return list(self._fallback(error))

    def _do_count(self):
        if self.backend.is_down():
            return self._fallback().count()
        try:
            return super()._do_count()
        except ELASTICSEARCH_ERRORS as error:
            return self._fallback(error).count()

    def facet(self, field_name):
        if self.backend.is_down():
            return self._fallback().facet(field_name)
        try:
            return self._facet(field_name)
        except ELASTICSEARCH_ERRORS as error:
            return self._fallback(error).facet(field_name)

    def _facet(self, field_name):
        """The stock facet, with `size` so that every bucket comes back."""
        field = self.query_compiler._get_filterable_field(field_name)
        if field is None:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add '
                f"index.FilterField('{field_name}') to "
                f"{self.query_compiler.queryset.model.__name__}.search_fields.",
                field_name=field_name,
            )
        body = self._get_es_body()
        column_name = self.query_compiler.mapping.get_field_column_name(field)
        body["aggregations"] = {
            field_name: {
                "terms": {"field": column_name, "missing": 0, "size": self.backend.facet_size}
            }
        }
        response = self._backend_do_search(
            body,
            index=self.backend.get_index_for_model(self.query_compiler.queryset.model).name,
            size=0,
        )
        return OrderedDict(
            (bucket["key"] if bucket["key"] != 0 else None, bucket["doc_count"])
            for bucket in response["aggregations"][field_name]["buckets"]
        )


# ---------------------------------------------------------------------------
# The backend
# ---------------------------------------------------------------------------
class RabitaElasticsearch9SearchBackend(Elasticsearch9SearchBackend):
    mapping_class = RabitaElasticsearch9Mapping
    index_class = RabitaElasticsearch9Index
    query_compiler_class = RabitaElasticsearch9SearchQueryCompiler
    autocomplete_query_compiler_class = RabitaElasticsearch9AutocompleteQueryCompiler
    results_class = RabitaElasticsearch9SearchResults
    # The stock defaults with our analysis merged in; INDEX_SETTINGS (settings) merge on top.
    settings = deep_update(
        deepcopy(Elasticsearch9SearchBackend.settings), deepcopy(es_settings.INDEX_SETTINGS)
    )

    def __init__(self, params):
        params = dict(params)
        self.fallback_name = params.pop("FALLBACK", None)
        self.retry_after = float(params.pop("RETRY_AFTER", 10))
        self.facet_size = int(params.pop("FACET_SIZE", es_settings.FACET_SIZE))
        params.pop("AUTO_UPDATE", None)
        # Fail fast: one attempt, and TIMEOUT (seconds) for connecting and answering.
        params.setdefault("TIMEOUT", 1)
        options = dict(params.pop("OPTIONS", {}))
        options.setdefault("max_retries", 0)
        options.setdefault("retry_on_timeout", False)
        params["OPTIONS"] = options
        super().__init__(params)
        self.availability_key = repr(self.hosts)

    # --- availability -----------------------------------------------------
    def is_down(self):
        return availability.is_down(self.availability_key)

    def mark_down(self, error):
        availability.mark_down(self.availability_key, self.retry_after)
        logger.warning(
            "Elasticsearch unavailable (%s: %s): using the database search backend "
            "for the next %g s",
            type(error).__name__,
            error,
            self.retry_after,
        )

    def get_fallback_backend(self):
        name = self.fallback_name
        if name is None:
            configured = get_app_config().get_search_backend_config()
            name = "database" if "database" in configured else DATABASE_BACKEND
        return get_search_backend(name)

    # --- searching --------------------------------------------------------
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        results = super()._search(query_compiler_class, query, model_or_queryset, **kwargs)
        if not isinstance(results, EmptySearchResults):
            method = (
                "autocomplete"
                if query_compiler_class is self.autocomplete_query_compiler_class
                else "search"
            )
            results.query_compiler.rabita_call = (method, query, model_or_queryset, kwargs)
        return results

    # --- indexing (post_save / post_delete) -------------------------------
    def add(self, obj):
        self._index_update("add", obj)

    def delete(self, obj):
        self._index_update("delete", obj)

    def _index_update(self, action, obj):
        """Never lets Elasticsearch block or break a save: the database index is
        updated separately; a missed update is logged (rebuild the index later)."""
        if self.is_down():
            logger.warning(
                "Elasticsearch is down: %s of %r skipped "
                "(run `manage.py rebuild_search_index --backend default` once it is back)",
                action,
                obj,
            )
            return
        try:
            getattr(super(), action)(obj)
        except ELASTICSEARCH_ERRORS as error:
            self.mark_down(error)
            logger.warning(
                "Elasticsearch %s of %r failed "
                "(run `manage.py rebuild_search_index --backend default` once it is back)",
                action,
                obj,
            )


SearchBackend = RabitaElasticsearch9SearchBackend
