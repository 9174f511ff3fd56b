"""When Elasticsearch is down or slow, search falls back to the database backend.

Two unreachable servers, both on this machine: a closed port (connection refused)
and a port that accepts connections but never answers. With either, a search, a
count, facets and autocomplete return the database backend's results in less than
1.5 s with a warning in the log, and saving a page still works, quickly, keeping the
database index (the fallback's) up to date.
"""

import logging
import socket
import threading
import time
from unittest import mock

from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import NotFoundError

from directory.creation import create_association
from directory.models import AssociationPage
from portal.settings.base import DATABASE_SEARCH
from search.backends import RabitaElasticsearch9SearchBackend, availability

FALLBACK_BUDGET = 1.5  # seconds, the promise


@pytest.fixture
def closed_port():
    """A port that refuses connections: bound to learn a free number, then closed."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def silent_port():
    """A server that accepts connections and reads requests but never answers."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    stop = threading.Event()
    connections = []

    def swallow():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:  # timeout: look at `stop` again
                continue
            connection.settimeout(0.1)
            connections.append(connection)
            for conn in connections:
                try:
                    conn.recv(65536)  # read and drop: never a byte back
                except OSError:
                    pass

    thread = threading.Thread(target=swallow, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    for connection in connections:
        connection.close()
    server.close()


@pytest.fixture(params=["refused", "silent"])
def unreachable_url(request):
    port = request.getfixturevalue("closed_port" if request.param == "refused" else "silent_port")
    return f"http://127.0.0.1:{port}"


def configure(settings, url, retry_after=30):
    """WAGTAILSEARCH_BACKENDS as portal/settings/base.py writes it for ELASTICSEARCH_URL."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends",
            "URLS": [url],
            "INDEX_PREFIX": "fallback_test_",
            "TIMEOUT": 1,
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
            "FALLBACK": "database",
            "RETRY_AFTER": retry_after,
            "AUTO_UPDATE": True,
        },
        "database": {**DATABASE_SEARCH, "AUTO_UPDATE": True},
    }


@pytest.fixture(autouse=True)
def fresh_availability():
    availability.reset()
    yield
    availability.reset()


@pytest.fixture
def es_down(settings, unreachable_url):
    configure(settings, unreachable_url)
    return unreachable_url


def associations():
    return AssociationPage.objects.live().public().filter(locale=Locale.get_default())


def registration_numbers(results):
    return [page.registration_number for page in results]


def fallback_warnings(caplog):
    return [
        record
        for record in caplog.records
        if record.name == "search.backends"
        and record.levelno == logging.WARNING
        and "Elasticsearch unavailable" in record.getMessage()
    ]


@pytest.mark.django_db
def test_search_falls_back_to_the_database_quickly_with_a_warning(es_down, caplog):
    backend = get_search_backend()
    assert isinstance(backend, RabitaElasticsearch9SearchBackend)

    started = time.monotonic()
    results = list(associations().search("heure joyeuse", operator="and")[:20])
    elapsed = time.monotonic() - started

    assert registration_numbers(results) == ["CASA-1959-0427"]
    assert elapsed < FALLBACK_BUDGET
    (warning,) = fallback_warnings(caplog)
    assert "using the database search backend" in warning.getMessage()


@pytest.mark.django_db
def test_a_whole_results_page_pays_the_timeout_once(es_down, caplog):
    """Count, one page of results and three facets: the first failure marks
    Elasticsearch down, the rest goes straight to the database."""
    started = time.monotonic()
    results = associations().search("جمعية", operator="and")
    count = results.count()
    page = list(results[:20])
    facets = [results.facet(name) for name in ("region_id", "province_id", "size_category")]
    elapsed = time.monotonic() - started

    database = get_search_backend("database").search("جمعية", associations(), operator="and")
    assert count == database.count() > 2
    assert set(registration_numbers(page)) == set(registration_numbers(database[:20]))
    assert {"CASA-1959-0427", "HAOUZ-2004-0113"} <= set(registration_numbers(database))
    assert facets[0] == database.facet("region_id")
    assert facets[2] == database.facet("size_category")
    assert elapsed < FALLBACK_BUDGET
    assert len(fallback_warnings(caplog)) == 1


@pytest.mark.django_db
def test_results_are_those_of_the_database_backend(es_down):
    queries = ["ساعة الفرح", "Heure Joyeuse", "jam3iat", "développement", "nothing-like-this"]
    database = get_search_backend("database")
    for query in queries:
        expected = registration_numbers(database.search(query, associations(), operator="and"))
        found = registration_numbers(associations().search(query, operator="and"))
        assert found == expected, query


@pytest.mark.django_db
def test_filters_and_scores_survive_the_fallback(es_down):
    large = associations().filter(size_category="large")
    page = list(large.search("جمعية", operator="and").annotate_score("score")[:5])
    expected = get_search_backend("database").search("جمعية", large, operator="and")[:5]
    assert registration_numbers(page) == registration_numbers(expected)
    assert "CASA-1959-0427" in registration_numbers(large.search("جمعية", operator="and"))
    assert {association.size_category for association in page} == {"large"}
    assert all(isinstance(association.score, float) for association in page)


@pytest.mark.django_db
def test_autocomplete_falls_back(es_down, caplog):
    started = time.monotonic()
    suggestions = list(associations().autocomplete("heure jo")[:10])
    elapsed = time.monotonic() - started
    assert registration_numbers(suggestions) == ["CASA-1959-0427"]
    assert elapsed < FALLBACK_BUDGET
    assert len(fallback_warnings(caplog)) == 1


@pytest.mark.django_db
def test_elasticsearch_is_tried_again_after_retry_after(settings, closed_port, caplog):
    configure(settings, f"http://127.0.0.1:{closed_port}", retry_after=0.2)
    list(associations().search("joyeuse", operator="and"))
    list(associations().search("joyeuse", operator="and"))  # still marked down: no new try
    assert len(fallback_warnings(caplog)) == 1
    time.sleep(0.25)
    list(associations().search("joyeuse", operator="and"))
    assert len(fallback_warnings(caplog)) == 2


@pytest.mark.django_db
def test_an_elasticsearch_error_answer_falls_back_too(settings, closed_port, caplog):
    """A missing index (never built) answers 404: the database still answers."""
    configure(settings, f"http://127.0.0.1:{closed_port}")
    backend = get_search_backend()
    meta = ApiResponseMeta(
        status=404,
        http_version="1.1",
        headers=HttpHeaders(),
        duration=0.0,
        node=NodeConfig("http", "127.0.0.1", closed_port),
    )
    missing = NotFoundError("index_not_found_exception", meta, {"error": "no such index"})
    results = backend.search("heure joyeuse", associations(), operator="and")
    with mock.patch.object(backend.es, "search", side_effect=missing):
        assert registration_numbers(results[:10]) == ["CASA-1959-0427"]
    assert "NotFoundError" in fallback_warnings(caplog)[0].getMessage()


@pytest.mark.django_db
def test_elasticsearch_answering_is_used(settings, closed_port):
    """No fallback while Elasticsearch answers: its hits are the results."""
    configure(settings, f"http://127.0.0.1:{closed_port}")
    backend = get_search_backend()
    al_amal = associations().get(registration_number="HAOUZ-2004-0113")
    hits = {"hits": {"hits": [{"fields": {"pk": [str(al_amal.pk)]}, "_score": 1.0}]}}
    results = backend.search("heure joyeuse", associations(), operator="and")
    with mock.patch.object(backend.es, "search", return_value=hits):
        assert registration_numbers(results[:10]) == ["HAOUZ-2004-0113"]
    assert not availability.is_down(backend.availability_key)


# ---------------------------------------------------------------------------
# Saving never waits for, nor fails because of, Elasticsearch
# ---------------------------------------------------------------------------
def publish_new_spelling(spelling):
    page = AssociationPage.objects.get(
        registration_number="CASA-1959-0427", locale=Locale.get_default()
    )
    page.other_spellings += f"\n{spelling}"
    started = time.monotonic()
    page.save_revision().publish()
    return time.monotonic() - started


@pytest.mark.django_db
def test_publishing_with_elasticsearch_unreachable_is_quick_and_indexed_in_the_database(
    settings, unreachable_url, caplog
):
    baseline = publish_new_spelling("zahrat al-amal")  # database backend only

    configure(settings, unreachable_url)
    elapsed = publish_new_spelling("zanbaqat al-amal")

    # Elasticsearch is tried once (at most TIMEOUT), then left alone: the other index
    # updates of the publication are skipped at once.
    assert elapsed - baseline < FALLBACK_BUDGET
    page = AssociationPage.objects.get(
        registration_number="CASA-1959-0427", locale=Locale.get_default()
    )
    assert "zanbaqat" in page.other_spellings  # the save went through
    found = get_search_backend("database").search("zanbaqat", associations(), operator="and")
    assert registration_numbers(found) == ["CASA-1959-0427"]  # the fallback's index too
    messages = [
        record.getMessage() for record in caplog.records if record.name == "search.backends"
    ]
    failed = [message for message in messages if "failed" in message]
    skipped = [message for message in messages if "skipped" in message]
    assert len(failed) == 1
    assert "rebuild_search_index" in failed[0]
    assert len(skipped) >= 1


def timed_delete(page):
    started = time.monotonic()
    page.delete()
    return time.monotonic() - started


@pytest.mark.django_db
def test_deleting_with_elasticsearch_unreachable_works(settings, unreachable_url, caplog):
    def new_association(number):
        return create_association(
            name_ar=f"جمعية الاختبار {number}",
            name_fr=f"Association Essai {number}",
            province="rabat",
            registration_number=f"FALLBACK-{number}",
        )

    first, second = new_association(1), new_association(2)
    baseline = timed_delete(first)  # database backend only

    configure(settings, unreachable_url)
    elapsed = timed_delete(second)

    assert elapsed - baseline < FALLBACK_BUDGET
    assert not associations().filter(registration_number="FALLBACK-2").exists()
    found = get_search_backend("database").search("Essai", associations(), operator="and")
    assert registration_numbers(found) == []
    messages = [
        record.getMessage() for record in caplog.records if record.name == "search.backends"
    ]
    assert len([message for message in messages if "failed" in message]) == 1  # one wait
    assert any("delete of" in message for message in messages)


# ---------------------------------------------------------------------------
# Background indexing (production: TASK_BACKEND=database and `manage.py db_worker`)
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_with_a_worker_saving_only_enqueues_and_the_worker_indexes(settings, closed_port):
    """The save queues the index update (django-tasks, database backend); the worker
    updates every backend, and an unreachable Elasticsearch fails nothing there either."""
    from django.core.management import call_command

    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    configure(settings, f"http://127.0.0.1:{closed_port}")

    elapsed = publish_new_spelling("nakhlat al-amal")
    assert elapsed < FALLBACK_BUDGET
    queued = DBTaskResult.objects.filter(task_path="modelsearch.tasks.insert_or_update_object_task")
    assert queued.exists()
    database = get_search_backend("database")
    assert not list(database.search("nakhlat", associations(), operator="and"))  # not yet

    # The worker closes "old" connections between tasks; inside this test's transaction
    # that would close PostgreSQL's connection (SQLite's in-memory one survives it).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert registration_numbers(database.search("nakhlat", associations(), operator="and")) == [
        "CASA-1959-0427"
    ]
    assert not queued.exclude(status="SUCCESSFUL").exists()
