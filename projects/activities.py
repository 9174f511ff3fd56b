"""Activities on django-scheduler: calendars, recurrence, occurrences, registrations.

Every date is computed in the portal's time zone (Africa/Casablanca): the scheduler
expands a rule in the time zone of the period it is asked for, so a weekly 18:00
workshop stays at 18:00 local time across the Ramadan clock change.

Scheduler quirk: a WEEKLY rule whose `byweekday` contains the start's weekday is
reduced to that single day (schedule.models.events._event_params). "Weekly on
Monday and Wednesday" is therefore stored as DAILY with `byweekday` — the same set
of dates; iCalendar feeds still say FREQ=WEEKLY (they are built from Activity).
"""

import calendar
import datetime
import time
from dataclasses import dataclass

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dateutil import rrule
from schedule.models import Calendar, Event, Occurrence, Rule

from .models import Activity, Frequency, Registration, Visibility
from .permissions import can_see_activity

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# A recurrence must end, within a year, with at most this many occurrences.
MAX_RECURRENCE_DAYS = 366
MAX_OCCURRENCES = 200


# ---------------------------------------------------------------------------
# Calendars
# ---------------------------------------------------------------------------
def calendar_for(association):
    """The association's calendar (default-locale page), created when missing."""
    source = association.source_page if hasattr(association, "source_page") else association
    slug = f"association-{source.pk}"
    calendar = Calendar.objects.filter(slug=slug).first()
    if calendar is None:
        calendar, _created = Calendar.objects.get_or_create(
            slug=slug, defaults={"name": (source.name_fr or source.name_ar)[:200]}
        )
    return calendar


# ---------------------------------------------------------------------------
# Recurrence
# ---------------------------------------------------------------------------
def rule_for(frequency, weekdays=()):
    """The scheduler Rule for a recurrence (shared between activities), or None."""
    if frequency in (None, "", Frequency.NONE):
        return None
    if frequency == Frequency.WEEKLY:
        days = [day for day in WEEKDAYS if day in weekdays]
        scheduler_frequency, params = "DAILY", f"byweekday:{','.join(days)}"
    else:
        scheduler_frequency, params = frequency.upper(), ""
    name = f"{scheduler_frequency} {params}".strip()[:32]
    rule, _created = Rule.objects.get_or_create(
        frequency=scheduler_frequency,
        params=params,
        defaults={"name": name, "description": name},
    )
    return rule


def end_of_day(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(23, 59, 59)))


def count_occurrences(start, end, frequency, weekdays, until):
    """How many occurrences a recurrence would have (for the limit), without saving."""

    if frequency in (None, "", Frequency.NONE):
        return 1
    local = timezone.localtime(start).replace(tzinfo=None)
    last = datetime.datetime.combine(until, datetime.time(23, 59, 59))
    if frequency == Frequency.DAILY:
        rules = rrule.rrule(rrule.DAILY, dtstart=local, until=last)
    elif frequency == Frequency.MONTHLY:
        rules = rrule.rrule(rrule.MONTHLY, dtstart=local, until=last)
    else:
        days = [getattr(rrule, day) for day in WEEKDAYS if day in weekdays]
        rules = rrule.rrule(rrule.DAILY, dtstart=local, until=last, byweekday=days)
    return rules.count()


@transaction.atomic
def save_activity(activity, *, title, description, start, end, user=None):
    """Create or update the activity's Event (on its association's calendar) and rule.

    When an existing activity changes its start, its people registered and its
    cancelled or moved dates follow (they are keyed by the dates' original start);
    when its capacity grows, people waiting move up."""
    event = activity.event if activity.event_id else Event(creator=user)
    previous_start = event.start if event.pk else None
    event.title = title
    event.description = description
    # Minute precision, like the form: an occurrence's identifier is its start.
    event.start = start.replace(second=0, microsecond=0)
    event.end = end.replace(second=0, microsecond=0)
    if previous_start is not None and previous_start != event.start:
        _shift_dates(activity, event, previous_start, event.start)
    event.calendar = calendar_for(activity.association)
    event.rule = rule_for(activity.frequency, activity.weekdays)
    event.end_recurring_period = end_of_day(activity.repeat_until) if event.rule else None
    event.save()
    activity.event = event
    if user is not None and not activity.created_by_id:
        activity.created_by = user
    activity.save()
    if previous_start is not None:
        fill_free_places(activity)
    return activity


def _shift_dates(activity, event, old_start, new_start):
    """Move the registrations and persisted occurrences of `event` as its start moves
    (by the same local-time difference: 18:00 → 19:00 stays 19:00 across the
    Ramadan clock change)."""
    shift = _naive_local(new_start) - _naive_local(old_start)

    def moved(moment):
        return timezone.make_aware(_naive_local(moment) + shift)

    since = timezone.now() - datetime.timedelta(days=1)
    registrations = list(
        Registration.objects.filter(activity=activity, occurrence_start__gte=since).order_by(
            "-occurrence_start" if shift > datetime.timedelta(0) else "occurrence_start"
        )
    )
    for registration in registrations:
        registration.occurrence_start = moved(registration.occurrence_start)
    # One by one, latest first when moving later: never two rows on the same key.
    for registration in registrations:
        registration.save(update_fields=["occurrence_start"])
    for occurrence in Occurrence.objects.filter(event=event, original_start__gte=since):
        was_moved = occurrence.moved
        occurrence.original_start = moved(occurrence.original_start)
        occurrence.original_end = moved(occurrence.original_end)
        if not was_moved:
            occurrence.start, occurrence.end = occurrence.original_start, occurrence.original_end
        occurrence.save()


def _naive_local(moment):
    return timezone.localtime(moment).replace(tzinfo=None)


# ---------------------------------------------------------------------------
# Occurrences
# ---------------------------------------------------------------------------
@dataclass
class Item:
    """One occurrence of an activity, as the agenda shows it."""

    activity: Activity
    occurrence: Occurrence

    @property
    def start(self):
        return _in_current_zone(self.occurrence.start)

    @property
    def end(self):
        return _in_current_zone(self.occurrence.end)

    @property
    def original_start(self):
        return self.occurrence.original_start

    @property
    def cancelled(self):
        return self.activity.cancelled or self.occurrence.cancelled

    @property
    def moved(self):
        return bool(self.occurrence.pk) and self.occurrence.moved

    @property
    def key(self):
        """The occurrence's identifier in URLs: its original start, in UTC."""
        return occurrence_key(self.occurrence.original_start)

    @property
    def title(self):
        return self.activity.title


def _in_current_zone(moment):
    zone = timezone.get_current_timezone()
    return moment if moment.tzinfo is zone else moment.astimezone(zone)


def occurrence_key(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def parse_occurrence_key(key):
    try:
        moment = datetime.datetime.strptime(key, "%Y%m%dT%H%M%SZ")
    except (TypeError, ValueError):
        return None
    if not 2000 <= moment.year <= 2100:
        return None  # no activity there, and local time at year 1 or 9999 overflows
    return moment.replace(tzinfo=datetime.UTC)


class ActivityRow:
    """The few fields of an activity a list shows, without building model instances
    (the month view may expand thousands of activities)."""

    __slots__ = (
        "pk",
        "title",
        "place",
        "visibility",
        "cancelled",
        "association_id",
        "association_name",
    )

    url_pattern = None

    def __init__(self, row, association_name=""):
        self.pk = row["pk"]
        self.title = row["event__title"]
        self.place = row["place"]
        self.visibility = row["visibility"]
        self.cancelled = row["cancelled"]
        self.association_id = row["association_id"]
        self.association_name = association_name

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC

    def get_absolute_url(self):
        # Reversed once per language: a month view links to hundreds of activities.
        language = get_language()
        prefix = _URL_PREFIXES.get(language)
        if prefix is None:
            prefix = _URL_PREFIXES[language] = reverse("projects:activity", args=[0])[:-2]
        return f"{prefix}{self.pk}/"


_URL_PREFIXES = {}


class Slot:
    """One occurrence computed from the recurrence, or read from the scheduler's
    Occurrence rows (moved or cancelled): the same attributes as Occurrence."""

    __slots__ = ("pk", "start", "end", "original_start", "original_end", "cancelled")

    def __init__(
        self, start, end, original_start=None, original_end=None, cancelled=False, pk=None
    ):
        self.pk = pk
        self.start = start
        self.end = end
        self.original_start = original_start or start
        self.original_end = original_end or end
        self.cancelled = cancelled

    @property
    def moved(self):
        return self.start != self.original_start or self.end != self.original_end


def _local_starts(row, local_start, until, window_start, window_end):
    """Local (naive) starts of a recurring activity within the window, computed the
    way dateutil's rrule does for the scheduler's rules (see rule_for): every day,
    on chosen weekdays, or on the start's day of the month (months without that day
    are skipped). Day arithmetic instead of rrule iteration from the first date."""
    last = window_end if until is None else min(window_end, until)
    first_day = max(local_start.date(), window_start.date())
    last_day = last.date()
    time_of_day = local_start.time()
    frequency = row["frequency"]
    if frequency == Frequency.MONTHLY:
        year, month = first_day.year, first_day.month
        while (year, month) <= (last_day.year, last_day.month):
            if local_start.day <= calendar.monthrange(year, month)[1]:
                moment = datetime.datetime.combine(
                    datetime.date(year, month, local_start.day), time_of_day
                )
                if local_start <= moment and window_start <= moment <= last:
                    yield moment
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return
    days = None
    if frequency == Frequency.WEEKLY:
        days = {index for index, day in enumerate(WEEKDAYS) if day in (row["weekdays"] or "")}
        days = days or {local_start.weekday()}
    day = first_day
    while day <= last_day:
        if days is None or day.weekday() in days:
            moment = datetime.datetime.combine(day, time_of_day)
            if local_start <= moment and window_start <= moment <= last:
                yield moment
        day += datetime.timedelta(days=1)


def occurrences(activities, start, end, include_cancelled=True):
    """Items of `activities` (a queryset) between `start` and `end`, by start time.

    Three queries whatever the number of activities: the activities' fields, the
    names of their associations, the persisted (moved or cancelled) occurrences.
    Recurrences are expanded here, in local time, exactly as django-scheduler does
    (its Event.get_occurrences instantiates models and takes ~0.4 ms per activity:
    too slow for a month of thousands of activities); a test keeps both in step."""
    zone = timezone.get_current_timezone()
    start, end = start.astimezone(zone), end.astimezone(zone)
    rows = list(
        activities.overlapping(start, end).values(
            "pk",
            "event_id",
            "event__title",
            "event__start",
            "event__end",
            "event__end_recurring_period",
            "event__rule_id",
            "place",
            "visibility",
            "cancelled",
            "association_id",
            "frequency",
            "weekdays",
        )
    )
    if not rows:
        return []
    names = _association_names({row["association_id"] for row in rows})
    longest = max(row["event__end"] - row["event__start"] for row in rows)
    persisted = {}
    moved_in = []
    for occurrence in (
        Occurrence.objects.filter(event_id__in=[row["event_id"] for row in rows])
        .filter(
            Q(original_start__lt=end, original_end__gt=start - longest)
            | Q(start__lt=end, end__gt=start)
        )
        .values("pk", "event_id", "start", "end", "original_start", "original_end", "cancelled")
    ):
        slot = Slot(
            occurrence["start"].astimezone(zone),
            occurrence["end"].astimezone(zone),
            occurrence["original_start"].astimezone(zone),
            occurrence["original_end"].astimezone(zone),
            occurrence["cancelled"],
            occurrence["pk"],
        )
        persisted[(occurrence["event_id"], slot.original_start.timestamp())] = slot
        moved_in.append((occurrence["event_id"], slot))
    by_event = {}
    items = []
    for row in rows:
        activity = ActivityRow(row, names.get(row["association_id"], ""))
        by_event[row["event_id"]] = activity
        for slot in _expand(row, start, end, zone):
            slot = persisted.get((row["event_id"], slot.original_start.timestamp()), slot)
            if slot.start < end and slot.end > start:
                items.append(Item(activity, slot))
    seen = {(id(item.activity), item.occurrence.original_start) for item in items}
    for event_id, slot in moved_in:
        activity = by_event.get(event_id)
        if (
            activity is not None
            and (id(activity), slot.original_start) not in seen
            and slot.start < end
            and slot.end > start
        ):
            items.append(Item(activity, slot))
    if not include_cancelled:
        items = [item for item in items if not item.cancelled]
    items.sort(key=lambda item: (item.occurrence.start, item.activity.pk))
    return items


def _expand(row, start, end, zone):
    """The computed slots of one activity overlapping [start, end)."""
    event_start, event_end = row["event__start"], row["event__end"]
    duration = event_end - event_start
    if row["event__rule_id"] is None or row["frequency"] == Frequency.NONE:
        if event_start < end and event_end > start:
            return [Slot(event_start.astimezone(zone), event_end.astimezone(zone))]
        return []
    local_start = event_start.astimezone(zone).replace(tzinfo=None)
    until = row["event__end_recurring_period"]
    until = until.astimezone(zone).replace(tzinfo=None) if until else None
    window_start = (start - duration).replace(tzinfo=None)
    window_end = end.replace(tzinfo=None)
    slots = []
    for moment in _local_starts(row, local_start, until, window_start, window_end):
        begins = moment.replace(tzinfo=zone)
        slots.append(Slot(begins, begins + duration))
    return slots


def _association_names(pks):
    from directory.models import AssociationPage

    arabic = (get_language() or "ar").startswith("ar")
    names = {}
    for pk, name_ar, name_fr in AssociationPage.objects.filter(pk__in=pks).values_list(
        "pk", "name_ar", "name_fr"
    ):
        names[pk] = (name_ar or name_fr) if arabic else (name_fr or name_ar)
    return names


def upcoming(activity, count=10, after=None):
    """The next `count` occurrences of one activity (moved and cancelled included)."""
    after = timezone.localtime(after or timezone.now())
    horizon = after + datetime.timedelta(days=MAX_RECURRENCE_DAYS + 31)
    found = []
    for occurrence in activity.event.get_occurrences(after, horizon, clear_prefetch=False):
        found.append(Item(activity, occurrence))
    found.sort(key=lambda item: item.occurrence.start)
    return found[:count]


def find_occurrence(activity, key):
    """The occurrence of `activity` whose original start is `key`, or None."""
    moment = parse_occurrence_key(key)
    if moment is None:
        return None
    persisted = activity.event.occurrence_set.filter(original_start=moment).first()
    if persisted is not None:
        return persisted
    local = timezone.localtime(moment)
    for occurrence in activity.event.get_occurrences(
        local - datetime.timedelta(seconds=1), local + datetime.timedelta(seconds=1)
    ):
        if occurrence.original_start == moment:
            return occurrence
    return None


# ---------------------------------------------------------------------------
# Registrations
# ---------------------------------------------------------------------------
class RegistrationError(Exception):
    pass


def register(activity_pk, occurrence, user, attempts=20):
    """`_register`, tried again while SQLite (the embedded default) reports its
    database locked by a concurrent registration; PostgreSQL waits on the row lock."""
    for attempt in range(attempts):
        try:
            return _register(activity_pk, occurrence, user)
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
    return None  # pragma: no cover - the loop returns or raises


def _register(activity_pk, occurrence, user):
    """Register `user` to `occurrence`: a place if one is left, else the waiting list.

    Safe under concurrent requests: the activity row is updated first, inside the
    transaction, which locks it (PostgreSQL: row lock; SQLite: the write lock), so
    two requests cannot both see the last free place."""
    with transaction.atomic():
        Activity.objects.filter(pk=activity_pk).update(
            registration_version=F("registration_version") + 1
        )
        activity = Activity.objects.select_for_update().get(pk=activity_pk)
        if activity.cancelled or occurrence.cancelled:
            raise RegistrationError(_("This activity is cancelled: registrations are closed."))
        if occurrence.end <= timezone.now():
            raise RegistrationError(_("This activity is over: registrations are closed."))
        mine = Registration.objects.filter(
            activity=activity, occurrence_start=occurrence.original_start, user=user
        )
        if mine.exists():
            raise RegistrationError(_("You are already registered to this activity."))
        confirmed = Registration.objects.filter(
            activity=activity,
            occurrence_start=occurrence.original_start,
            status=Registration.CONFIRMED,
        ).count()
        full = activity.capacity is not None and confirmed >= activity.capacity
        try:
            with transaction.atomic():
                return Registration.objects.create(
                    activity=activity,
                    occurrence_start=occurrence.original_start,
                    user=user,
                    status=Registration.WAITING if full else Registration.CONFIRMED,
                )
        except IntegrityError as error:
            raise RegistrationError(_("You are already registered to this activity.")) from error


def unregister(activity, occurrence_start, user):
    """Withdraw; the first person waiting gets the place. Returns the promoted registration."""
    with transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(
            registration_version=F("registration_version") + 1
        )
        deleted, _rows = Registration.objects.filter(
            activity=activity, occurrence_start=occurrence_start, user=user
        ).delete()
        if not deleted:
            return None
        return promote_waiting(Activity.objects.get(pk=activity.pk), occurrence_start)


def promote_waiting(activity, occurrence_start):
    confirmed = Registration.objects.filter(
        activity=activity, occurrence_start=occurrence_start, status=Registration.CONFIRMED
    ).count()
    if activity.capacity is not None and confirmed >= activity.capacity:
        return None
    waiting = (
        Registration.objects.filter(
            activity=activity, occurrence_start=occurrence_start, status=Registration.WAITING
        )
        .order_by("created_at", "pk")
        .first()
    )
    if waiting is not None:
        waiting.status = Registration.CONFIRMED
        waiting.save(update_fields=["status"])
    return waiting


def fill_free_places(activity):
    """Give the places a larger capacity frees to the people waiting, in order."""
    since = timezone.now() - datetime.timedelta(hours=6)
    with transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(
            registration_version=F("registration_version") + 1
        )
        fresh = Activity.objects.get(pk=activity.pk)
        starts = (
            Registration.objects.filter(
                activity=fresh, status=Registration.WAITING, occurrence_start__gte=since
            )
            .values_list("occurrence_start", flat=True)
            .distinct()
        )
        for start in list(starts):
            while promote_waiting(fresh, start) is not None:
                pass


def upcoming_registrations(activity, occurrence_start=None):
    """The registrations (confirmed and waiting) to the activity's dates still to
    come, or to one date (by its original start)."""
    registrations = Registration.objects.filter(activity=activity).select_related("user")
    if occurrence_start is not None:
        return registrations.filter(occurrence_start=occurrence_start)
    return registrations.filter(occurrence_start__gte=timezone.now())


def withdraw_outsiders(activity):
    """A members-only activity keeps no registration of anyone else (people who
    registered while it was public, or who left the association): they are
    withdrawn, and the people waiting take the places freed. Returns them."""
    if activity.visibility == Visibility.PUBLIC:
        return []
    outsiders = [
        registration
        for registration in upcoming_registrations(activity)
        if not can_see_activity(registration.user, activity)
    ]
    if outsiders:
        Registration.objects.filter(pk__in=[row.pk for row in outsiders]).delete()
        fill_free_places(activity)
    return outsiders


def most_registrations(activity):
    """The largest number of confirmed registrations at any future occurrence."""
    row = (
        Registration.objects.filter(
            activity=activity,
            status=Registration.CONFIRMED,
            occurrence_start__gte=timezone.now() - datetime.timedelta(days=1),
        )
        .values("occurrence_start")
        .annotate(count=Count("pk"))
        .order_by("-count")
        .first()
    )
    return row["count"] if row else 0


def actual_dates(registrations):
    """{registration pk: (start, cancelled)} as the date stands now (moved or
    cancelled since people registered), in one query."""
    registrations = list(registrations)
    changed = {}
    if registrations:
        # values(): django-scheduler's Occurrence.__init__ reads fields a deferred
        # (.only) instance would load one by one.
        for row in Occurrence.objects.filter(
            event_id__in={r.activity.event_id for r in registrations},
            original_start__in={r.occurrence_start for r in registrations},
        ).values("event_id", "original_start", "start", "cancelled"):
            changed[(row["event_id"], row["original_start"])] = row
    dates = {}
    for registration in registrations:
        row = changed.get((registration.activity.event_id, registration.occurrence_start))
        start = row["start"] if row else registration.occurrence_start
        cancelled = registration.activity.cancelled or bool(row and row["cancelled"])
        dates[registration.pk] = (timezone.localtime(start), cancelled)
    return dates


def registration_counts(activity, starts):
    """{original start: (confirmed, waiting)} for the given occurrences."""
    counts = {}
    rows = (
        Registration.objects.filter(activity=activity, occurrence_start__in=list(starts))
        .values("occurrence_start")
        .annotate(
            confirmed=Count("pk", filter=Q(status=Registration.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=Registration.WAITING)),
        )
    )
    for row in rows:
        counts[row["occurrence_start"]] = (row["confirmed"], row["waiting"])
    return counts
