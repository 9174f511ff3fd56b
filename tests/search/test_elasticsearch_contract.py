"""What we send to Elasticsearch, checked without a server.

The index settings and mappings we create, and the bodies of a filtered, faceted
search and of an autocomplete, are captured by mocking the client (unittest.mock).
Live behaviour against a real Elasticsearch 9 is in test_elasticsearch_live.py.
"""

import importlib.util
from collections import OrderedDict
from io import StringIO
from pathlib import Path
from unittest import mock

from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from wagtail.models import Locale, Page

import pytest

from directory.models import AssociationPage
from directory.taxonomies import Region
from search.backends import RabitaElasticsearch9SearchBackend, availability
from search.services import search_associations

UNUSED_URL = "http://127.0.0.1:9"  # nothing listens: any real request would fail
PREFIX = "contract_"
INDEX = "contract_wagtailcore_page"
ASSOCIATION = "directory_associationpage__"

FOLDING_CHAR_FILTERS = ["typographic_apostrophe", "tatweel", "arabic_letter_variants"]
FOLDING_FILTERS = [
    "french_elision",
    "lowercase",
    "asciifolding",
    "decimal_digit",
    "arabic_normalization",
    "arabic_article",
]


@pytest.fixture(autouse=True)
def fresh_availability():
    availability.reset()
    yield
    availability.reset()


@pytest.fixture
def backend():
    return RabitaElasticsearch9SearchBackend({"URLS": [UNUSED_URL], "INDEX_PREFIX": PREFIX})


@pytest.fixture
def heure_joyeuse(db):
    return AssociationPage.objects.get(
        registration_number="CASA-1959-0427", locale__language_code="ar"
    )


def es_response(pages=(), buckets=None, field="region_id"):
    """A search response as Elasticsearch 9 sends it (hits with stored `pk`)."""
    response = {
        "hits": {
            "total": {"value": len(pages), "relation": "eq"},
            "hits": [{"fields": {"pk": [str(page.pk)]}, "_score": 1.0} for page in pages],
        }
    }
    if buckets is not None:
        response["aggregations"] = {field: {"buckets": buckets}}
    return response


# ---------------------------------------------------------------------------
# Index settings
# ---------------------------------------------------------------------------
def test_index_settings_define_the_arabic_and_french_analysis(backend):
    analysis = backend.settings["settings"]["analysis"]

    assert analysis["analyzer"]["arabic_folded"] == {
        "type": "custom",
        "char_filter": ["tatweel", "arabic_letter_variants"],
        "tokenizer": "standard",
        "filter": [
            "lowercase",
            "decimal_digit",
            "arabic_stop",
            "arabic_normalization",
            "arabic_stemmer",
        ],
    }
    assert analysis["analyzer"]["french_folded"] == {
        "type": "custom",
        "char_filter": ["typographic_apostrophe"],
        "tokenizer": "standard",
        "filter": [
            "french_elision",
            "lowercase",
            "french_stop",
            "asciifolding",
            "light_french_stemmer",
        ],
    }
    # The catch-all fields (and every field without its own analyser) fold both scripts.
    assert analysis["analyzer"]["default"] == {
        "type": "custom",
        "char_filter": FOLDING_CHAR_FILTERS,
        "tokenizer": "standard",
        "filter": FOLDING_FILTERS,
    }
    # Autocomplete: edge n-grams of folded words, queried with the same folding.
    assert analysis["analyzer"]["edgengram_analyzer"] == {
        "type": "custom",
        "char_filter": FOLDING_CHAR_FILTERS,
        "tokenizer": "standard",
        "filter": [
            "french_elision",
            "lowercase",
            "asciifolding",
            "decimal_digit",
            "arabic_normalization",
            "arabic_article_kept_and_removed",
            "edgengram",
        ],
    }
    assert analysis["analyzer"]["edgengram_search_analyzer"] == {
        "type": "custom",
        "char_filter": FOLDING_CHAR_FILTERS,
        "tokenizer": "standard",
        "filter": FOLDING_FILTERS,
    }

    assert analysis["char_filter"] == {
        "typographic_apostrophe": {
            "type": "mapping",
            "mappings": ["’ => '", "‘ => '", "ʼ => '", "` => '", "´ => '"],
        },
        "tatweel": {"type": "pattern_replace", "pattern": "\u0640", "replacement": ""},
        "arabic_letter_variants": {
            "type": "mapping",
            "mappings": ["ؤ => و", "ئ => ي", "ٱ => ا", "ڤ => ف", "ڭ => ك", "گ => ك", "پ => ب"],
        },
    }
    filters = analysis["filter"]
    assert filters["arabic_stop"] == {"type": "stop", "stopwords": "_arabic_"}
    assert filters["arabic_stemmer"] == {"type": "stemmer", "language": "arabic"}
    assert filters["arabic_article"] == {
        "type": "pattern_replace",
        "pattern": "^(?:[وفبك]?ال|لل)(?=\\p{L}{2,})",
        "replacement": "",
    }
    assert filters["arabic_article_kept_and_removed"] == {
        "type": "multiplexer",
        "filters": ["arabic_article"],
        "preserve_original": True,
    }
    assert filters["french_elision"]["type"] == "elision"
    assert filters["french_elision"]["articles_case"] is True
    assert {"l", "d", "qu", "jusqu", "lorsqu", "puisqu"} <= set(
        filters["french_elision"]["articles"]
    )
    assert filters["french_stop"] == {"type": "stop", "stopwords": "_french_"}
    assert filters["light_french_stemmer"] == {"type": "stemmer", "language": "light_french"}
    assert filters["edgengram"] == {"type": "edge_ngram", "min_gram": 1, "max_gram": 15}
    # The stock parts we do not replace are still there.
    assert "ngram_analyzer" in analysis["analyzer"]
    assert backend.settings["settings"]["index"]["max_ngram_diff"] == 12


def test_every_analysis_component_we_reference_is_defined_or_built_in(backend):
    analysis = backend.settings["settings"]["analysis"]
    built_in_filters = {"lowercase", "asciifolding", "decimal_digit", "arabic_normalization"}
    for name, analyzer in analysis["analyzer"].items():
        for char_filter in analyzer.get("char_filter", []):
            assert char_filter in analysis["char_filter"], (name, char_filter)
        for token_filter in analyzer["filter"]:
            assert token_filter in analysis["filter"] or token_filter in built_in_filters, (
                name,
                token_filter,
            )


def test_index_settings_from_django_settings_merge_into_ours():
    backend = RabitaElasticsearch9SearchBackend(
        {
            "URLS": [UNUSED_URL],
            "INDEX_SETTINGS": {"settings": {"index": {"number_of_replicas": 2}}},
        }
    )
    assert backend.settings["settings"]["index"] == {"max_ngram_diff": 12, "number_of_replicas": 2}
    assert "arabic_folded" in backend.settings["settings"]["analysis"]["analyzer"]
    # The class defaults are not modified by an instance's settings.
    assert (
        "number_of_replicas" not in RabitaElasticsearch9SearchBackend.settings["settings"]["index"]
    )


def test_creating_the_index_sends_our_settings(backend):
    index = backend.get_index_for_model(AssociationPage)
    assert index.name == INDEX  # every page type shares one index
    with mock.patch.object(backend.es.indices, "create") as create:
        index.put()
    create.assert_called_once_with(index=INDEX, settings=backend.settings["settings"])


def test_the_client_fails_fast(backend):
    """One attempt, one second to connect and answer (the fallback must be < 1.5 s)."""
    assert backend.es._request_timeout == 1
    assert backend.es._max_retries == 0
    assert backend.es._retry_on_timeout is False


# ---------------------------------------------------------------------------
# Mappings
# ---------------------------------------------------------------------------
def test_association_mapping_has_per_language_name_fields(backend):
    index = backend.get_index_for_model(AssociationPage)
    with mock.patch.object(backend.es.indices, "put_mapping") as put_mapping:
        index.add_model(AssociationPage)
    kwargs = put_mapping.call_args.kwargs
    assert kwargs["index"] == INDEX
    properties = kwargs["properties"]

    assert properties[f"{ASSOCIATION}name_ar"] == {
        "type": "text",
        "analyzer": "arabic_folded",
        "search_analyzer": "arabic_folded",
        "copy_to": ["_all_text", "_all_text_boost_3_0"],
    }
    assert properties[f"{ASSOCIATION}name_fr"] == {
        "type": "text",
        "analyzer": "french_folded",
        "search_analyzer": "french_folded",
        "copy_to": ["_all_text", "_all_text_boost_3_0"],
    }
    # Folded names and cross-script skeletons: the index default analyser, kept whole.
    assert properties[f"{ASSOCIATION}search_text"] == {
        "type": "text",
        "copy_to": ["_all_text", "_all_text_boost_2_0"],
    }
    for field in ("acronym", "other_spellings", "city", "description"):
        assert "analyzer" not in properties[f"{ASSOCIATION}{field}"], field
    # Autocomplete is queried with our folding analyser, not the stock "standard".
    autocomplete = {
        "type": "text",
        "analyzer": "edgengram_analyzer",
        "search_analyzer": "edgengram_search_analyzer",
    }
    for field in ("_edgengrams", "title_edgengrams"):
        assert properties[field] == autocomplete, field
    for field in ("name_ar", "name_fr", "acronym"):
        assert properties[f"{ASSOCIATION}{field}_edgengrams"] == autocomplete, field
    assert not [
        name for name, mapping in properties.items() if mapping.get("search_analyzer") == "standard"
    ]
    # The filters and facets of the directory.
    assert properties[f"{ASSOCIATION}region_id_filter"] == {"type": "integer"}
    assert properties[f"{ASSOCIATION}size_category_filter"] == {"type": "keyword"}
    assert properties["locale_id_filter"] == {"type": "integer"}
    for catch_all in ("_all_text", "_all_text_boost_2_0", "_all_text_boost_3_0"):
        assert properties[catch_all] == {"type": "text"}


def test_association_document_carries_folded_names_and_skeletons(backend, heure_joyeuse):
    mapping = backend.mapping_class(AssociationPage)
    document = mapping.get_document(heure_joyeuse)
    assert document[f"{ASSOCIATION}name_ar"] == "جمعية ساعة الفرح"
    # search_text: folded words ("فرح" without article, ta marbuta as ha) + skeletons.
    search_text = document[f"{ASSOCIATION}search_text"].split()
    assert {"ساعه", "فرح", "heure", "joyeuse", "frh"} <= set(search_text)
    assert document[f"{ASSOCIATION}region_id_filter"] == heure_joyeuse.region_id
    assert "جمعية ساعة الفرح" in document["_edgengrams"]


# ---------------------------------------------------------------------------
# Query bodies
# ---------------------------------------------------------------------------
SEARCH_FIELDS = [
    "_all_text",
    "_all_text_boost_2_0^2.0",
    "_all_text_boost_3_0^3.0",
    f"{ASSOCIATION}name_ar^3",
    f"{ASSOCIATION}name_fr^3",
]


def directory_queryset(region_slug=None, size=None):
    """What the directory search runs on: live, public, active-locale associations,
    filtered by region (its slug → the ar term ids) and size."""
    queryset = AssociationPage.objects.live().public().filter(locale=Locale.get_default())
    if region_slug:
        queryset = queryset.filter(region__in=Region.source_terms().filter(slug=region_slug))
    if size:
        queryset = queryset.filter(size_category=size)
    return queryset


@pytest.mark.django_db
def test_filtered_faceted_search_body(backend, heure_joyeuse):
    casablanca = Region.source_terms().get(slug="casablanca-settat")
    results = backend.search(
        "ساعة الفرح", directory_queryset("casablanca-settat", "large"), operator="and"
    )
    twelve_buckets = [{"key": region.pk, "doc_count": 1} for region in Region.source_terms()]
    assert len(twelve_buckets) == 12

    with mock.patch.object(backend.es, "search") as search:
        search.return_value = es_response(buckets=twelve_buckets)
        facets = results.facet("region_id")
        search.return_value = es_response([heure_joyeuse])
        page = list(results[:20])

    expected_query = {
        "bool": {
            "must": {
                "multi_match": {
                    "query": "ساعة الفرح",
                    "operator": "and",
                    "fields": SEARCH_FIELDS,
                }
            },
            "filter": [
                {"match": {"_django_content_type": "directory.AssociationPage"}},
                {
                    "bool": {
                        "must": [
                            {"term": {"live_filter": True}},
                            {"term": {"locale_id_filter": Locale.get_default().pk}},
                            {"terms": {f"{ASSOCIATION}region_id_filter": [casablanca.pk]}},
                            {"term": {f"{ASSOCIATION}size_category_filter": "large"}},
                        ]
                    }
                },
            ],
        }
    }
    facet_call, results_call = search.call_args_list
    assert facet_call.kwargs == {
        "query": expected_query,
        "aggregations": {
            "region_id": {
                "terms": {
                    "field": f"{ASSOCIATION}region_id_filter",
                    "missing": 0,
                    "size": 100,
                }
            }
        },
        "index": INDEX,
        "size": 0,
    }
    assert results_call.kwargs == {
        "query": expected_query,
        "index": INDEX,
        "_source": False,
        "stored_fields": "pk",
        "from_": 0,
        "size": 20,
    }
    # All twelve regions come back, not the first ten.
    assert facets == OrderedDict((region.pk, 1) for region in Region.source_terms())
    assert page == [heure_joyeuse]


@pytest.mark.django_db
def test_autocomplete_body(backend, heure_joyeuse):
    results = backend.autocomplete("ساعة الف", directory_queryset())
    with mock.patch.object(
        backend.es, "search", return_value=es_response([heure_joyeuse])
    ) as search:
        suggestions = list(results[:10])

    assert search.call_args.kwargs == {
        "query": {
            "bool": {
                "must": {
                    "match": {"_edgengrams": {"query": "ساعة الف", "operator": "and"}},
                },
                "filter": [
                    {"match": {"_django_content_type": "directory.AssociationPage"}},
                    {
                        "bool": {
                            "must": [
                                {"term": {"live_filter": True}},
                                {"term": {"locale_id_filter": Locale.get_default().pk}},
                            ]
                        }
                    },
                ],
            }
        },
        "index": INDEX,
        "_source": False,
        "stored_fields": "pk",
        "from_": 0,
        "size": 10,
    }
    assert suggestions == [heure_joyeuse]


@pytest.mark.django_db
def test_autocomplete_on_named_fields(backend):
    results = backend.autocomplete("heure jo", directory_queryset(), fields=["name_fr", "name_ar"])
    with mock.patch.object(backend.es, "search", return_value=es_response()) as search:
        list(results[:10])
    must = search.call_args.kwargs["query"]["bool"]["must"]
    assert must == {
        "multi_match": {
            "query": "heure jo",
            "operator": "and",
            "fields": [f"{ASSOCIATION}name_fr_edgengrams", f"{ASSOCIATION}name_ar_edgengrams"],
        }
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "operator, sent",
    [(None, "and"), ("and", "and"), ("or", "or")],  # AND by default, like the database
)
def test_operator_is_always_sent(backend, operator, sent):
    results = backend.search("heure joyeuse", directory_queryset(), operator=operator)
    with mock.patch.object(backend.es, "search", return_value=es_response()) as search:
        list(results[:5])
    assert search.call_args.kwargs["query"]["bool"]["must"]["multi_match"]["operator"] == sent


@pytest.mark.django_db
def test_search_on_named_fields_queries_only_those(backend):
    results = backend.search("joyeuse", directory_queryset(), fields=["name_fr"])
    with mock.patch.object(backend.es, "search", return_value=es_response()) as search:
        list(results[:5])
    assert search.call_args.kwargs["query"]["bool"]["must"] == {
        "match": {f"{ASSOCIATION}name_fr": {"query": "joyeuse", "operator": "and", "boost": 3.0}}
    }


@pytest.mark.django_db
def test_site_wide_search_also_queries_the_name_fields(backend):
    """A search over every page (the header box) reaches the association name fields."""
    results = backend.search("joyeuse", Page.objects.live().filter(locale=Locale.get_default()))
    with mock.patch.object(backend.es, "search", return_value=es_response()) as search:
        list(results[:5])
    fields = search.call_args.kwargs["query"]["bool"]["must"]["multi_match"]["fields"]
    assert f"{ASSOCIATION}name_ar^3" in fields
    assert f"{ASSOCIATION}name_fr^3" in fields
    assert fields[0] == "_all_text"


@pytest.mark.django_db
def test_count_body(backend):
    results = backend.search("joyeuse", directory_queryset(size="large"))
    with mock.patch.object(backend.es, "count", return_value={"count": 3}) as count:
        assert results.count() == 3
    assert count.call_args.kwargs["index"] == INDEX
    assert count.call_args.kwargs["body"]["query"]["bool"]["must"]["multi_match"]["query"] == (
        "joyeuse"
    )


# ---------------------------------------------------------------------------
# Settings (portal/settings/base.py with ELASTICSEARCH_URL)
# ---------------------------------------------------------------------------
def load_base_settings(monkeypatch, **environ):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    path = Path(django_settings.BASE_DIR) / "portal" / "settings" / "base.py"
    spec = importlib.util.spec_from_file_location("_rabita_settings_probe", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_elasticsearch_url_the_database_backend_is_the_only_one(monkeypatch):
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    module = load_base_settings(monkeypatch)
    assert module.WAGTAILSEARCH_BACKENDS == {
        "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
    }


def test_elasticsearch_url_switches_to_our_backend_with_a_database_fallback(monkeypatch):
    module = load_base_settings(monkeypatch, ELASTICSEARCH_URL="http://127.0.0.1:9200")
    default = module.WAGTAILSEARCH_BACKENDS["default"]
    assert default["BACKEND"] == "search.backends"
    assert default["URLS"] == ["http://127.0.0.1:9200"]
    assert default["TIMEOUT"] == 1
    assert default["OPTIONS"] == {"max_retries": 0, "retry_on_timeout": False}
    assert default["FALLBACK"] == "database"
    assert default["AUTO_UPDATE"] is True
    # The fallback's index is kept up to date too.
    assert module.WAGTAILSEARCH_BACKENDS["database"] == {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "simple",
        "AUTO_UPDATE": True,
    }


def test_configured_backend_loads(settings, monkeypatch):
    module = load_base_settings(monkeypatch, ELASTICSEARCH_URL="http://127.0.0.1:9")
    settings.WAGTAILSEARCH_BACKENDS = module.WAGTAILSEARCH_BACKENDS
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend("default")
    assert isinstance(backend, RabitaElasticsearch9SearchBackend)
    assert backend.index_prefix == "rabita_"
    assert backend.fallback_name == "database"
    assert backend.settings["settings"]["index"]["number_of_shards"] == 1


# ---------------------------------------------------------------------------
# rebuild_search_index
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_rebuild_database_index_shows_progress_per_model():
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    output = out.getvalue()
    associations = AssociationPage.get_indexed_objects().count()  # ar pages and fr/en aliases
    assert "directory.AssociationPage" in output
    assert f"{associations}/{associations}" in output
    assert "[" + "#" * 30 + "]" in output
    assert "default: rebuilding the database index" in output
    assert "default: indexed" in output
    # The rebuilt index still finds the demo association.
    found = AssociationPage.objects.filter(locale=Locale.get_default()).search(
        "heure joyeuse", operator="and"
    )
    assert [page.registration_number for page in found] == ["CASA-1959-0427"]


@pytest.mark.django_db
def test_rebuild_gives_aliases_a_copy_of_their_sources_entry():
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    IndexEntry.objects.all().delete()
    call_command("rebuild_search_index", stdout=StringIO())
    pages = AssociationPage.objects.filter(registration_number="CASA-1959-0427")
    for page in pages:  # the Arabic page and its French and English aliases
        found = search_associations(
            AssociationPage.objects.filter(locale=page.locale), "heure joyeuse", locale=page.locale
        )
        assert [result.pk for result in found] == [page.pk]

    def entry(page):
        columns = ("content_type_id", "title", "autocomplete", "body")
        return IndexEntry.objects.filter(object_id=str(page.pk)).values(*columns).get()

    copies = {page.pk: entry(page) for page in pages}
    assert len({str(copy) for copy in copies.values()}) == 3  # each with its locale's word
    index = get_search_backend().get_index_for_model(AssociationPage)
    for page in pages:  # the copies are what indexing each alias gives
        index.add_item(page)
        assert entry(page) == copies[page.pk]


@pytest.mark.django_db
def test_rebuild_deletes_the_entries_of_objects_that_no_longer_exist():
    from django.contrib.contenttypes.models import ContentType

    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from search.management.commands.rebuild_search_index import delete_stale_entries

    content_type = ContentType.objects.get_for_model(AssociationPage)
    kept = IndexEntry.objects.filter(content_type=content_type).count()
    missing = Page.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    stale = IndexEntry.objects.create(
        content_type=content_type, object_id=str(missing), title_norm=1.0
    )
    delete_stale_entries(get_search_backend().get_index_for_model(AssociationPage))
    assert not IndexEntry.objects.filter(pk=stale.pk).exists()
    assert IndexEntry.objects.filter(content_type=content_type).count() == kept > 0


@pytest.mark.django_db
def test_rebuild_shows_intermediate_progress_in_chunks():
    out = StringIO()
    call_command("rebuild_search_index", backend_name="default", chunk_size=1, stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "directory.AssociationPage" in line]
    total = AssociationPage.get_indexed_objects().count()
    assert lines[-1].endswith(f" {total}/{total}")
    assert 2 < len(lines) <= 11  # a line per tenth of the way, then the total
    assert all(line.endswith(f"/{total}") for line in lines)


@pytest.mark.django_db
def test_rebuild_unknown_backend_is_refused():
    with pytest.raises(CommandError, match="Unknown search backend 'nope'; configured: default"):
        call_command("rebuild_search_index", backend_name="nope")


@pytest.mark.django_db
def test_rebuild_elasticsearch_creates_index_with_our_settings_and_mappings(settings):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends",
            "URLS": [UNUSED_URL],
            "INDEX_PREFIX": PREFIX,
            "ATOMIC_REBUILD": False,
        },
    }
    client = mock.MagicMock(name="Elasticsearch")
    with (
        mock.patch.object(RabitaElasticsearch9SearchBackend, "client_class", client),
        mock.patch.object(RabitaElasticsearch9SearchBackend, "bulk") as bulk,
    ):
        out = StringIO()
        call_command("rebuild_search_index", backend_name="default", stdout=out)
    indices = client.return_value.indices

    assert mock.call(index=INDEX) in indices.delete.call_args_list
    (create,) = [
        call.kwargs for call in indices.create.call_args_list if call.kwargs["index"] == INDEX
    ]
    assert "arabic_folded" in create["settings"]["analysis"]["analyzer"]
    mapped = {
        name
        for call in indices.put_mapping.call_args_list
        if call.kwargs["index"] == INDEX
        for name in call.kwargs["properties"]
    }
    assert {f"{ASSOCIATION}name_ar", f"{ASSOCIATION}name_fr", f"{ASSOCIATION}search_text"} <= mapped
    sent = [action for call in bulk.call_args_list for action in call.args[1]]
    sent_associations = [
        action for action in sent if action.get(f"{ASSOCIATION}name_ar") == "جمعية ساعة الفرح"
    ]
    assert sent_associations  # L'Heure Joyeuse was sent, in each locale
    assert f"default: rebuilding index {INDEX}" in out.getvalue()
    assert "default: indexed" in out.getvalue()


@pytest.mark.django_db
def test_rebuild_with_elasticsearch_down_says_so(settings):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "search.backends", "URLS": [UNUSED_URL], "INDEX_PREFIX": PREFIX},
    }
    with pytest.raises(CommandError, match="default: Elasticsearch is unavailable"):
        call_command("rebuild_search_index", backend_name="default", stdout=StringIO())
