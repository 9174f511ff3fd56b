"""Server time of a filtered directory page with N associations (target: < 100 ms at 10,000).

Usage: .venv/bin/python bench/directory_page.py [N]   (default 10000)

Without DATABASE_URL, a temporary SQLite file is created, migrated and deleted
afterwards. With DATABASE_URL (PostgreSQL), that database must exist and be empty;
it is migrated and left as is (drop it afterwards):

    createdb -h 127.0.0.1 -U postgres rabita_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rabita_bench \\
        .venv/bin/python bench/directory_page.py
    dropdb -h 127.0.0.1 -U postgres rabita_bench

The associations come from `directory.generate.generate_associations(N)` (bulk
inserts, realistic spread over regions, fields and sizes). Then the directory page
with two filters is requested through Django's test client: 3 warm-up requests,
30 timed ones (median and 95th percentile of the whole request: URL routing, Wagtail
page serving, the queries and the template), and one more to count the queries.
The map, the statistics and the open data JSON are timed the same way, for reference.
"""

import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 30
WARM_UP = 3
TARGET_MS = 100
PAGES = [
    # (name, URL): the first one is the measure the issue asks for.
    ("directory, 2 filters", "/ar/associations/?region=casablanca-settat&field=education"),
    (
        "directory, 2 filters, page 2, fr",
        "/fr/associations/?region=casablanca-settat&size=small&page=2",
    ),
    ("directory, no filter", "/ar/associations/"),
    ("map, 2 filters", "/ar/associations/map/?region=casablanca-settat&field=education"),
    ("statistics", "/ar/associations/statistics/"),
    (
        "open data JSON, 2 filters",
        "/api/associations.json?region=casablanca-settat&field=education",
    ),
    # For comparison on a busy machine: a plain content page (header, footer, no list).
    ("reference: the About page", "/ar/about/"),
]


def create_associations(count):
    try:
        from directory.generate import generate_associations
    except ImportError:  # before the generator existed: slow, through Wagtail
        return _create_one_by_one(count), "a minimal loop of create_association()"
    return generate_associations(count), "directory.generate.generate_associations()"


def _create_one_by_one(count):
    from directory.creation import create_association
    from directory.models import FieldOfActivity, Province

    provinces = list(Province.source_terms().values_list("slug", flat=True))
    fields = list(FieldOfActivity.source_terms().values_list("slug", flat=True))
    for number in range(count):
        create_association(
            name_ar=f"جمعية رقم {number}",
            name_fr=f"Association numéro {number}",
            province=provinces[number % len(provinces)],
            fields_of_activity=[fields[number % len(fields)], fields[(number * 7) % len(fields)]],
            members_count=(number * 37) % 700,
            registration_number=f"BENCH-{number:06d}",
        )
    return count


def measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    context = response.context
    results = context["result_count"] if context and "result_count" in context else None
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return statistics.median(timings), p95, len(queries), results


@contextlib.contextmanager
def prepare_database():
    """Django set up on a migrated database with the base demo site; yields the
    connection. A temporary SQLite file without DATABASE_URL, deleted afterwards."""
    temporary = None
    if not os.environ.get("DATABASE_URL"):
        handle, temporary = tempfile.mkstemp(prefix="rabita-bench-", suffix=".sqlite3")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    # Keeps templates and contexts on responses (result counts) like the test suite.
    setup_test_environment()
    try:
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("load_demo_data", verbosity=0)
        print(f"migrate + base demo data: {time.monotonic() - started:.1f} s")
        yield connection
    finally:
        connection.close()
        if temporary:
            for suffix in ("", "-wal", "-shm"):
                Path(temporary + suffix).unlink(missing_ok=True)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with prepare_database():
        from django.test import Client

        from directory.models import AssociationPage

        started = time.monotonic()
        created, how = create_associations(count)
        print(f"{created} associations created with {how} in {time.monotonic() - started:.1f} s")
        print(
            f"associations: {AssociationPage.objects.filter(locale__language_code='ar').count()}"
            f" per language, {AssociationPage.objects.count()} pages in all"
        )
        client = Client(HTTP_ACCEPT_LANGUAGE="ar")
        print(f"{REQUESTS} requests each, after {WARM_UP} warm-up requests:")
        for position, (name, url) in enumerate(PAGES):
            median, p95, queries, results = measure(client, url)
            verdict = ""
            if position == 0:
                verdict = f"  ({'met' if median < TARGET_MS else 'MISSED'}: < {TARGET_MS} ms)"
            shown = f", {results} results" if results is not None else ""
            print(
                f"  {name:36} median {median:6.1f} ms, p95 {p95:6.1f} ms, "
                f"{queries} queries{shown}{verdict}"
            )
            print(f"    {url}")


if __name__ == "__main__":
    main()
