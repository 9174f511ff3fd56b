"""Server time of a filtered directory page with N associations (target: < 100 ms at 10,000).

Usage: .venv/bin/python bench/directory_page.py [N]   (default 10000)

The database is set up by bench/common.py (a temporary SQLite file, or the
PostgreSQL database of DATABASE_URL, kept: a second run reuses its associations).
The associations come from `directory.generate.generate_associations(N)` (bulk
inserts, realistic spread over regions, fields and sizes). Then the directory page
with two filters is requested through Django's test client: 3 warm-up requests,
30 timed ones (median and 95th percentile of the whole request: URL routing, Wagtail
page serving, the queries and the template), and one more to count the queries.
The map, the statistics and the open data JSON are timed the same way, for reference.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REQUESTS, WARM_UP, measure, prepare_database  # noqa: E402

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


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with prepare_database():
        from django.test import Client

        from directory.models import AssociationPage

        existing = AssociationPage.objects.filter(locale__language_code="ar").count()
        if existing >= count:  # a PostgreSQL database kept from an earlier run
            print(f"{existing} associations already there")
        else:
            started = time.monotonic()
            created, how = create_associations(count)
            print(
                f"{created} associations created with {how} in {time.monotonic() - started:.1f} s"
            )
        print(
            f"associations: {AssociationPage.objects.filter(locale__language_code='ar').count()}"
            f" per language, {AssociationPage.objects.count()} pages in all"
        )
        client = Client(HTTP_ACCEPT_LANGUAGE="ar")
        print(f"{REQUESTS} requests each, after {WARM_UP} warm-up requests:")
        for position, (name, url) in enumerate(PAGES):
            median, p95, queries, response = measure(client, url)
            context = response.context
            results = context["result_count"] if context and "result_count" in context else None
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
