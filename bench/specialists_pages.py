"""Server time of the specialists' pages with N extra specialists (default 500).

Usage: .venv/bin/python bench/specialists_pages.py [N]

A temporary SQLite database (or DATABASE_URL, see bench/directory_page.py) is
migrated and given the demo data (30 specialists and their requests), then N more
specialists are written in bulk the way the demo writes them. Timed through Django's
test client (3 warm-up requests, 30 timed; median and 95th percentile, and the
number of queries): the filtered directory, a profile, and the member dashboard of
L'Heure Joyeuse's administrator (requests and matching suggestions).
"""

import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import measure, prepare_database  # noqa: E402

TARGET_MS = 100


def extra_specialists(count):
    from django.utils import timezone

    from accounts.models import User
    from directory.specialist_demo import _BulkSpecialists
    from directory.specialists import Language, Pricing, Skill
    from directory.taxonomies import FieldOfActivity, Region

    rng = random.Random("bench")
    fields = list(FieldOfActivity.source_terms().values_list("slug", flat=True))
    regions = list(Region.source_terms().values_list("slug", flat=True))
    User.objects.bulk_create([User(email=f"bench-{number}@example.org") for number in range(count)])
    users = list(User.objects.filter(email__startswith="bench-"))
    drafts = [
        {
            "user": user,
            "name": f"Bench {number}",
            "slug_hint": f"bench-{number}",
            "headline": "Bench",
            "fields_of_activity": rng.sample(fields, 2),
            "skills": rng.sample(list(Skill.values), 2),
            "languages": [Language.ARABIC, rng.choice(list(Language.values))],
            "regions": rng.sample(regions, 2),
            "works_remotely": rng.random() < 0.7,
            "works_in_person": True,
            "hours_per_month": rng.choice([0, 5, 10]),
            "next_available": timezone.localdate() + timedelta(days=rng.randint(0, 60)),
            "pricing": rng.choice(list(Pricing.values)),
            "biography": "<p>Bench</p>",
            "verified": rng.random() < 0.5,
        }
        for number, user in enumerate(users)
    ]
    _BulkSpecialists(rng).create(drafts)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with prepare_database():
        from django.test import Client

        from accounts.models import User
        from directory.specialists import SpecialistPage

        started = time.monotonic()
        extra_specialists(count)
        print(f"{count} extra specialists in bulk in {time.monotonic() - started:.1f} s")
        total = SpecialistPage.objects.filter(locale__language_code="ar").count()
        profile = SpecialistPage.objects.get(
            user__email="specialist@example.org", locale__language_code="fr"
        )
        client = Client(HTTP_ACCEPT_LANGUAGE="fr")
        pages = [
            ("directory, 2 filters", "/fr/specialists/?region=casablanca-settat&language=fr"),
            ("directory, no filter, page 3", "/ar/specialists/?page=3"),
            ("a profile", profile.url),
            # For comparison on a busy machine: a plain content page.
            ("reference: the About page", "/fr/about/"),
        ]
        print(f"{total} specialists per language")
        for name, url in pages:
            median, p95, queries, response = measure(client, url)
            context = response.context
            results = context.get("result_count") if context else None
            shown = f", {results} results" if results is not None else ""
            print(
                f"  {name:30} median {median:6.1f} ms, p95 {p95:6.1f} ms, {queries} queries{shown}"
            )
        client.force_login(User.objects.get(email="heure.joyeuse@example.org"))
        median, p95, queries, _ = measure(client, "/fr/my/")
        print(
            f"  {'dashboard (matching)':30} median {median:6.1f} ms, p95 {p95:6.1f} ms, {queries} queries"
        )


if __name__ == "__main__":
    main()
