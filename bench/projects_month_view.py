"""Server time of the agenda's month view with N activities (target: < 150 ms at 5,000).

Usage: .venv/bin/python bench/projects_month_view.py [N]   (default 5000)

Without DATABASE_URL, a temporary SQLite file is created, migrated and deleted
afterwards; with DATABASE_URL (PostgreSQL) that empty database is migrated and left
as is (see bench/directory_page.py).

N activities of the demo associations are bulk-created over twelve months around
today: 70 % one-off, 20 % weekly (one or two days a week, for up to ten weeks), 10 %
monthly; a tenth are members-only; some dates are cancelled or moved. Then the
month view (this month and next), the list and the iCalendar feed are requested
through Django's test client: 3 warm-up requests, 30 timed ones (median and 95th
percentile of the whole request), and one more to count the queries.
"""

import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REQUESTS, WARM_UP, measure, prepare_database  # noqa: E402

TARGET_MS = 150


def create_activities(count):
    from django.utils import timezone

    from schedule.models import Event, Occurrence

    from directory.models import AssociationPage
    from projects import activities as service
    from projects.models import Activity, Frequency, Visibility

    rng = random.Random(2026)
    associations = list(AssociationPage.objects.filter(locale__language_code="ar"))
    calendars = {a.pk: service.calendar_for(a) for a in associations}
    today = timezone.localdate()
    weekly_rules = {
        days: service.rule_for(Frequency.WEEKLY, days) for days in ("MO", "WE", "SA", "TU,TH")
    }
    monthly = service.rule_for(Frequency.MONTHLY)
    events, extras = [], []
    for number in range(count):
        association = associations[number % len(associations)]
        day = today + datetime.timedelta(days=rng.randint(-180, 180))
        start = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.choice([9, 10, 14, 16, 18]), 0))
        )
        kind = rng.random()
        rule, until, frequency, weekdays = None, None, Frequency.NONE, ""
        if kind < 0.2:
            weekdays = rng.choice(list(weekly_rules))
            rule, frequency = weekly_rules[weekdays], Frequency.WEEKLY
            until = day + datetime.timedelta(weeks=rng.randint(2, 10))
        elif kind < 0.3:
            rule, frequency = monthly, Frequency.MONTHLY
            until = day + datetime.timedelta(days=rng.randint(60, 300))
        events.append(
            Event(
                title=f"Activité n° {number}",
                start=start,
                end=start + datetime.timedelta(hours=2),
                calendar=calendars[association.pk],
                rule=rule,
                end_recurring_period=service.end_of_day(until) if until else None,
            )
        )
        extras.append((association, frequency, weekdays, until))
    Event.objects.bulk_create(events, batch_size=500)
    activities = [
        Activity(
            event=event,
            association=association,
            place="Maison des jeunes",
            visibility=Visibility.MEMBERS if number % 10 == 0 else Visibility.PUBLIC,
            capacity=30,
            frequency=frequency,
            weekdays=weekdays,
            repeat_until=until,
        )
        for number, (event, (association, frequency, weekdays, until)) in enumerate(
            zip(events, extras, strict=True)
        )
    ]
    Activity.objects.bulk_create(activities, batch_size=500)
    occurrences = []
    for event in events[::25]:
        occurrences.append(
            Occurrence(
                event=event,
                start=event.start,
                end=event.end,
                original_start=event.start,
                original_end=event.end,
                cancelled=True,
            )
        )
    Occurrence.objects.bulk_create(occurrences)
    return len(activities)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    with prepare_database():
        from django.test import Client
        from django.utils import timezone

        from projects import activities as service
        from projects.models import Activity

        started = time.monotonic()
        created = create_activities(count)
        print(f"{created} activities bulk-created in {time.monotonic() - started:.1f} s")
        today = timezone.localdate()
        this_month = today.strftime("%Y-%m")
        following = (today.replace(day=28) + datetime.timedelta(days=7)).strftime("%Y-%m")
        start = timezone.make_aware(
            datetime.datetime.combine(today.replace(day=1), datetime.time())
        )
        shown = len(
            service.occurrences(
                Activity.objects.public(), start, start + datetime.timedelta(days=31)
            )
        )
        print(
            f"activities in the database: {Activity.objects.count()}; "
            f"public occurrences this month: about {shown}"
        )
        pages = [
            ("month view, this month", f"/ar/agenda/month/?month={this_month}"),
            ("month view, next month", f"/fr/agenda/month/?month={following}"),
            (
                "month view, region filter",
                f"/ar/agenda/month/?month={this_month}&region=casablanca-settat",
            ),
            ("agenda list (31 days, page 1)", "/ar/agenda/"),
            (
                "iCalendar feed of one association",
                "/ar/agenda/calendar.ics?association=lheure-joyeuse",
            ),
        ]
        client = Client(HTTP_ACCEPT_LANGUAGE="ar")
        print(f"{REQUESTS} requests each, after {WARM_UP} warm-up requests:")
        for position, (name, url) in enumerate(pages):
            median, p95, queries, _response = measure(client, url)
            verdict = ""
            if position == 0:
                verdict = f"  ({'met' if median < TARGET_MS else 'MISSED'}: < {TARGET_MS} ms)"
            print(
                f"  {name:36} median {median:6.1f} ms, p95 {p95:6.1f} ms, {queries} queries{verdict}"
            )
            print(f"    {url}")


if __name__ == "__main__":
    main()
