"""Top-1 and top-3 accuracy of the relevance set (search/relevance.json) on Elasticsearch.

Usage:
    docker compose up -d elasticsearch
    make demo      # the demo associations the relevance set is written for
    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python bench/search_relevance_es.py [--rebuild]

Runs every query of the set through `search.services.search_associations` (what the
search page and tests/search/test_relevance.py use) on the configured Elasticsearch
index, then on the database backend, and prints both figures with the misses and the
query times. `--rebuild` first (re)builds the Elasticsearch index
(`manage.py rebuild_search_index --backend default`). Settings: DJANGO_SETTINGS_MODULE,
portal.settings.dev by default (the database of `make run`).

Without ELASTICSEARCH_URL, or without the relevance file, it says so and exits 0. If
Elasticsearch fails during the run (the search would silently fall back to the
database), it says so and exits 1: the figures would not be Elasticsearch's.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEVANCE_FILE = ROOT / "search" / "relevance.json"


def measure(cases, language):
    from wagtail.models import Locale

    from directory.models import AssociationPage
    from search.services import search_associations

    pages = (
        AssociationPage.objects.live()
        .public()
        .filter(locale=Locale.objects.get(language_code=language))
    )
    top1 = top3 = 0
    misses, timings = [], []
    for case in cases:
        started = time.perf_counter()
        numbers = [
            page.registration_number for page in search_associations(pages, case["query"])[:3]
        ]
        timings.append((time.perf_counter() - started) * 1000)
        top1 += numbers[:1] == [case["expected"]]
        top3 += case["expected"] in numbers
        if numbers[:1] != [case["expected"]]:
            misses.append((case, numbers))
    return top1, top3, misses, timings


def report(name, cases, result):
    top1, top3, misses, timings = result
    total = len(cases)
    timings = sorted(timings)
    p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
    print(
        f"{name:<14} top-1 {top1}/{total} = {top1 / total:.1%}   "
        f"top-3 {top3}/{total} = {top3 / total:.1%}   "
        f"query p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms"
    )
    for case, numbers in misses:
        where = "not in top 3" if case["expected"] not in numbers else "top 3 only"
        print(
            f"    {where:<13} {case.get('kind', ''):<22} {case['query']!r} → {numbers}, expected {case['expected']}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the Elasticsearch index first"
    )
    parser.add_argument("--language", default="ar", help="directory locale searched (default ar)")
    args = parser.parse_args()

    if not os.environ.get("ELASTICSEARCH_URL"):
        print("ELASTICSEARCH_URL is not set: no Elasticsearch to measure (see the docstring).")
        print("The database figures are asserted by tests/search/test_relevance.py.")
        return 0
    if not RELEVANCE_FILE.exists():
        print(
            f"{RELEVANCE_FILE.relative_to(ROOT)} does not exist yet: no relevance set to measure."
        )
        return 0
    cases = json.loads(RELEVANCE_FILE.read_text(encoding="utf-8"))
    if not cases:
        print(f"{RELEVANCE_FILE.relative_to(ROOT)} is empty: nothing to measure.")
        return 0

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import override_settings

    from wagtail.search.backends import get_search_backend

    from search.backends import RabitaElasticsearch9SearchBackend, availability

    backend = get_search_backend("default")
    if not isinstance(backend, RabitaElasticsearch9SearchBackend):
        print(
            f"The default search backend is {type(backend).__name__}, not Elasticsearch: check the settings."
        )
        return 1
    if args.rebuild:
        call_command("rebuild_search_index", backend_name="default")

    print(
        f"{len(cases)} queries of {RELEVANCE_FILE.relative_to(ROOT)}, {args.language} directory, "
        f"Elasticsearch at {os.environ['ELASTICSEARCH_URL']}"
    )
    availability.reset()
    elasticsearch = measure(cases, args.language)
    if availability.is_down(backend.availability_key):
        print(
            "Elasticsearch failed during the run (see the warning above): the searches fell back "
            "to the database, so these are not Elasticsearch's figures."
        )
        return 1
    report("elasticsearch", cases, elasticsearch)

    database = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    with override_settings(WAGTAILSEARCH_BACKENDS=database):
        report("database", cases, measure(cases, args.language))
    return 0


if __name__ == "__main__":
    sys.exit(main())
