"""What every benchmark script shares: a migrated database with the demo site, and
the timing of a page through Django's test client.

Without DATABASE_URL, a temporary SQLite file is created and deleted afterwards.
With DATABASE_URL (PostgreSQL), that database is migrated and left as is:

    createdb -h 127.0.0.1 -U postgres rabita_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rabita_bench .venv/bin/python bench/…
    dropdb -h 127.0.0.1 -U postgres rabita_bench
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


@contextlib.contextmanager
def prepare_database():
    """Django set up on a migrated database with the demo site; yields the connection."""
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
        if temporary or not _demo_data_loaded():
            call_command("load_demo_data", verbosity=0)
        else:
            # Loading again would also create the forum of every association
            # generated since: not what is measured.
            print("demo data already loaded in this kept database")
        print(f"migrate + demo data: {time.monotonic() - started:.1f} s")
        print(f"machine speed: {reference_loop_ms():.0f} ms for a reference Python loop")
        yield connection
    finally:
        connection.close()
        if temporary:
            for suffix in ("", "-wal", "-shm"):
                Path(temporary + suffix).unlink(missing_ok=True)


def _demo_data_loaded():
    from accounts.models import User

    return User.objects.filter(email="heure.joyeuse@example.org").exists()


def reference_loop_ms():
    """The time of a fixed pure-Python loop: these machines' speed varies by half
    from one hour to the next (shared cores), so results are compared with it (the
    same loop took 179 ms on a quiet machine, 305 ms on a busy one)."""
    started = time.perf_counter()
    sum(i * i for i in range(3_000_000))
    return (time.perf_counter() - started) * 1000


def percentiles(timings):
    """(median, 95th percentile) of a list of timings."""
    timings = sorted(timings)
    return statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)]


def measure(client, url, requests=REQUESTS, warm_up=WARM_UP):
    """(median ms, p95 ms, queries, last response) of `requests` GETs of `url`, after
    `warm_up` ones; the queries are counted on one more request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warm_up):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    median, p95 = percentiles(timings)
    return median, p95, len(queries), response
