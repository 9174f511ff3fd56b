"""Activities: recurrence (Morocco's Ramadan clock change), occurrences cancelled or
moved, registrations with capacity and waiting list, forms' errors."""

import datetime
import threading

from django.db import close_old_connections, connection
from django.utils import timezone

import pytest

from projects import activities as service
from projects.forms import ActivityForm
from projects.models import Activity, Frequency, Registration, Visibility
from tests.factories import UserFactory

from .conftest import at

pytestmark = pytest.mark.django_db


def test_every_association_has_a_calendar(heure_joyeuse, make_association):
    from schedule.models import Calendar

    assert Calendar.objects.filter(slug=f"association-{heure_joyeuse.pk}").exists()
    new = make_association()
    assert Calendar.objects.filter(slug=f"association-{new.pk}").exists()


def test_weekly_activity_keeps_its_local_time_across_the_ramadan_clock_change(make_activity):
    """Morocco leaves UTC+1 for UTC+0 during Ramadan (2026: mid-February to late March)."""
    activity = make_activity(
        start=at(2026, 2, 4, 18),
        frequency=Frequency.WEEKLY,
        weekdays="WE",
        repeat_until=datetime.date(2026, 4, 8),
    )
    items = service.occurrences(
        Activity.objects.filter(pk=activity.pk), at(2026, 2, 1, 0), at(2026, 4, 30, 0)
    )
    assert len(items) == 10  # every Wednesday from 4 February to 8 April
    assert {item.start.hour for item in items} == {18}
    assert {item.start.weekday() for item in items} == {2}
    offsets = {item.start.utcoffset() for item in items}
    assert offsets == {datetime.timedelta(hours=1), datetime.timedelta(0)}
    utc_hours = {item.occurrence.start.astimezone(datetime.UTC).hour for item in items}
    assert utc_hours == {17, 18}


def test_weekly_on_several_days(make_activity):
    activity = make_activity(
        start=at(2026, 5, 4, 10),  # a Monday
        frequency=Frequency.WEEKLY,
        weekdays="MO,WE",
        repeat_until=datetime.date(2026, 5, 17),
    )
    items = service.occurrences(
        Activity.objects.filter(pk=activity.pk), at(2026, 5, 1, 0), at(2026, 6, 1, 0)
    )
    assert [item.start.day for item in items] == [4, 6, 11, 13]


def test_recurrence_stops_at_its_end_date(make_activity):
    activity = make_activity(
        start=at(2026, 5, 1, 9), frequency=Frequency.DAILY, repeat_until=datetime.date(2026, 5, 5)
    )
    items = service.occurrences(
        Activity.objects.filter(pk=activity.pk), at(2026, 4, 1, 0), at(2026, 7, 1, 0)
    )
    assert len(items) == 5


def test_cancel_and_move_single_occurrences(make_activity):
    activity = make_activity(
        start=at(2026, 5, 6, 18),
        frequency=Frequency.WEEKLY,
        weekdays="WE",
        repeat_until=datetime.date(2026, 5, 27),
    )
    items = service.occurrences(
        Activity.objects.filter(pk=activity.pk), at(2026, 5, 1, 0), at(2026, 6, 1, 0)
    )
    second, third = items[1], items[2]
    occurrence = service.find_occurrence(activity, second.key)
    occurrence.cancel()
    moved = service.find_occurrence(activity, third.key)
    moved.move(at(2026, 5, 21, 17), at(2026, 5, 21, 19))
    items = service.occurrences(
        Activity.objects.filter(pk=activity.pk), at(2026, 5, 1, 0), at(2026, 6, 1, 0)
    )
    assert [item.cancelled for item in items] == [False, True, False, False]
    assert items[2].moved and items[2].start.day == 21 and items[2].start.hour == 17
    assert service.find_occurrence(activity, "20260513T999999Z") is None
    assert service.find_occurrence(activity, "20260514T170000Z") is None


# ---------------------------------------------------------------------------
# Registrations
# ---------------------------------------------------------------------------
def _first(activity):
    return service.upcoming(activity, count=1)[0].occurrence


def test_capacity_then_waiting_list_then_promotion(make_activity):
    activity = make_activity(capacity=2)
    occurrence = _first(activity)
    people = UserFactory.create_batch(4)
    statuses = [service.register(activity.pk, occurrence, person).status for person in people]
    assert statuses == ["confirmed", "confirmed", "waiting", "waiting"]
    service.unregister(activity, occurrence.original_start, people[0])
    assert Registration.objects.get(user=people[2]).status == "confirmed"
    assert Registration.objects.get(user=people[3]).status == "waiting"


@pytest.mark.parametrize("problem", ["twice", "cancelled-activity", "cancelled-date", "over"])
def test_registration_refused(make_activity, problem):
    person = UserFactory()
    start = None
    if problem == "over":
        start = timezone.localtime() - datetime.timedelta(days=2)
    activity = make_activity(start=start, frequency=Frequency.NONE)
    occurrence = service.upcoming(
        activity, count=1, after=timezone.now() - datetime.timedelta(days=3)
    )[0].occurrence
    if problem == "twice":
        service.register(activity.pk, occurrence, person)
    elif problem == "cancelled-activity":
        Activity.objects.filter(pk=activity.pk).update(cancelled=True)
    elif problem == "cancelled-date":
        occurrence.cancel()
    with pytest.raises(service.RegistrationError):
        service.register(activity.pk, occurrence, person)
    assert Registration.objects.filter(activity=activity, user=person).count() == (
        1 if problem == "twice" else 0
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_overbooking_under_concurrent_requests(heure_joyeuse):
    """Ten people click "Register" at the same time for the last three places."""
    start = timezone.localtime() + datetime.timedelta(days=2)
    activity = service.save_activity(
        Activity(association=heure_joyeuse, place="Salle", capacity=3),
        title="Concurrency",
        description="",
        start=start,
        end=start + datetime.timedelta(hours=1),
    )
    occurrence = _first(activity)
    people = UserFactory.create_batch(10)
    barrier = threading.Barrier(len(people))
    errors = []

    def attempt(person):
        try:
            barrier.wait()
            service.register(activity.pk, occurrence, person)
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    confirmed = Registration.objects.filter(activity=activity, status="confirmed").count()
    waiting = Registration.objects.filter(activity=activity, status="waiting").count()
    assert errors == []
    assert confirmed == 3
    assert waiting == 7
    assert connection.vendor in ("sqlite", "postgresql")


def test_pytz_and_zoneinfo_agree_on_morocco():
    """django-scheduler localises with pytz, Django with zoneinfo (settings: tzdata)."""
    import zoneinfo

    import pytz

    pytz_zone = pytz.timezone("Africa/Casablanca")
    zone = zoneinfo.ZoneInfo("Africa/Casablanca")
    day = datetime.datetime(2026, 1, 1, 18)
    for _week in range(52 * 3):
        assert pytz_zone.localize(day).utcoffset() == day.replace(tzinfo=zone).utcoffset(), day
        day += datetime.timedelta(days=7)


# ---------------------------------------------------------------------------
# The activity form's errors
# ---------------------------------------------------------------------------
def _form_data(**overrides):
    start = timezone.localtime() + datetime.timedelta(days=3)
    data = {
        "title": "Atelier",
        "description": "",
        "place": "Maison des jeunes",
        "visibility": Visibility.PUBLIC,
        "capacity": "",
        "frequency": Frequency.NONE,
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "repeat_until": "",
    }
    data.update(overrides)
    return data


def test_a_valid_activity_form(heure_joyeuse):
    form = ActivityForm(_form_data(), association=heure_joyeuse)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"end": "2020-01-01T10:00"}, "end"),
        ({"frequency": "weekly", "weekdays": ["MO"]}, "repeat_until"),
        ({"frequency": "weekly"}, "weekdays"),
        ({"frequency": "daily", "repeat_until": "2099-01-01"}, "repeat_until"),
        ({"start": "2020-01-01T10:00", "end": "2020-01-01T12:00"}, "start"),
        ({"start": "not a date"}, "start"),
        ({"capacity": "-1"}, "capacity"),
    ],
    ids=[
        "end-before-start",
        "recurrence-without-end",
        "weekly-without-days",
        "beyond-limit",
        "past",
        "invalid-date",
        "negative-capacity",
    ],
)
def test_activity_form_errors(heure_joyeuse, overrides, field):
    form = ActivityForm(_form_data(**overrides), association=heure_joyeuse)
    assert not form.is_valid()
    assert field in form.errors


def test_daily_for_a_year_exceeds_the_occurrence_limit(heure_joyeuse):
    start = timezone.localtime() + datetime.timedelta(days=3)
    until = (start + datetime.timedelta(days=300)).date().isoformat()
    form = ActivityForm(
        _form_data(frequency="daily", repeat_until=until), association=heure_joyeuse
    )
    assert not form.is_valid()
    assert "repeat_until" in form.errors


def test_capacity_below_registrations_is_refused(heure_joyeuse, make_activity):
    activity = make_activity(capacity=5)
    occurrence = _first(activity)
    for person in UserFactory.create_batch(3):
        service.register(activity.pk, occurrence, person)
    start = timezone.localtime(activity.event.start)
    data = _form_data(
        capacity="2",
        start=start.strftime("%Y-%m-%dT%H:%M"),
        end=timezone.localtime(activity.event.end).strftime("%Y-%m-%dT%H:%M"),
    )
    form = ActivityForm(data, instance=activity, association=heure_joyeuse)
    assert not form.is_valid()
    assert "capacity" in form.errors
    form = ActivityForm({**data, "capacity": "3"}, instance=activity, association=heure_joyeuse)
    assert form.is_valid(), form.errors


def test_form_errors_are_localised(client, people, heure_joyeuse):
    client.force_login(people["member"])
    url = f"/en/agenda/activities/new/{heure_joyeuse.pk}/"
    response = client.post(
        url, _form_data(end="2020-01-01T10:00", frequency="weekly"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "The end must be after the start." in content
    assert "Choose the days of the week it takes place." in content
    assert Activity.objects.filter(event__title="Atelier").count() == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"frequency": Frequency.WEEKLY, "weekdays": "MO,WE,SA"},
        {"frequency": Frequency.DAILY},
        {"frequency": Frequency.MONTHLY},
        {"frequency": Frequency.NONE},
    ],
    ids=["weekly", "daily", "monthly", "once"],
)
def test_agenda_expansion_matches_django_scheduler(make_activity, fields):
    """The agenda expands recurrences itself (speed); it must agree with the scheduler,
    including moved and cancelled dates and across the Ramadan clock change."""
    until = datetime.date(2026, 6, 30) if fields["frequency"] != Frequency.NONE else None
    activity = make_activity(start=at(2026, 1, 31, 20, 30), repeat_until=until, **fields)
    window = (at(2026, 1, 1, 0), at(2026, 7, 15, 0))
    event = activity.event
    expected = event.get_occurrences(*window)
    if len(expected) > 3:
        service.find_occurrence(
            activity, service.occurrence_key(expected[1].original_start)
        ).cancel()
        service.find_occurrence(activity, service.occurrence_key(expected[2].original_start)).move(
            at(2026, 7, 1, 9), at(2026, 7, 1, 11)
        )
        expected = event.get_occurrences(*window)
    mine = service.occurrences(Activity.objects.filter(pk=activity.pk), *window)
    assert sorted((o.start, o.end, o.cancelled) for o in expected) == [
        (i.occurrence.start, i.occurrence.end, i.occurrence.cancelled) for i in mine
    ]


# ---------------------------------------------------------------------------
# Editing an activity people registered to
# ---------------------------------------------------------------------------
def _edit(client, activity, **overrides):
    """Post the activity's edit form as its member would, with `overrides`."""
    event = activity.event
    data = _form_data(
        title=event.title,
        place=activity.place,
        capacity="" if activity.capacity is None else str(activity.capacity),
        frequency=activity.frequency,
        weekdays=[day for day in activity.weekdays.split(",") if day],
        repeat_until=activity.repeat_until.isoformat() if activity.repeat_until else "",
        start=timezone.localtime(event.start).strftime("%Y-%m-%dT%H:%M"),
        end=timezone.localtime(event.end).strftime("%Y-%m-%dT%H:%M"),
    )
    data.update(overrides)
    return client.post(f"/en/agenda/activities/{activity.pk}/edit/", data)


def test_a_larger_capacity_moves_people_up_from_the_waiting_list(client, people, make_activity):
    activity = make_activity(capacity=1)
    occurrence = _first(activity)
    first, second, third = UserFactory.create_batch(3)
    for person in (first, second, third):
        service.register(activity.pk, occurrence, person)
    client.force_login(people["member"])
    assert _edit(client, activity, capacity="2").status_code == 302
    statuses = dict(Registration.objects.filter(activity=activity).values_list("user", "status"))
    assert statuses == {first.pk: "confirmed", second.pk: "confirmed", third.pk: "waiting"}
    assert _edit(client, Activity.objects.get(pk=activity.pk), capacity="").status_code == 302
    assert Registration.objects.get(user=third).status == "confirmed"
    client.force_login(third)
    page = client.get(activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You are registered." in page


def test_a_new_start_time_keeps_registrations_and_cancelled_dates(client, people, make_activity):
    """A weekly 18:00 workshop moved to 19:00, over the Ramadan clock change (2027)."""
    activity = make_activity(
        start=at(2027, 2, 1, 18),
        frequency=Frequency.WEEKLY,
        weekdays="MO",
        repeat_until=datetime.date(2027, 3, 29),
    )
    items = service.occurrences(
        Activity.objects.filter(pk=activity.pk), at(2027, 2, 1, 0), at(2027, 3, 30, 0)
    )
    person = UserFactory()
    registered = items[5]  # during Ramadan (UTC+0 instead of UTC+1)
    service.register(activity.pk, registered.occurrence, person)
    service.find_occurrence(activity, items[2].key).cancel()
    client.force_login(people["member"])
    response = _edit(
        client,
        activity,
        start=timezone.localtime(activity.event.start).strftime("%Y-%m-%dT19:00"),
        end=timezone.localtime(activity.event.end).strftime("%Y-%m-%dT21:00"),
    )
    assert response.status_code == 302
    after = service.occurrences(
        Activity.objects.filter(pk=activity.pk), at(2027, 2, 1, 0), at(2027, 3, 30, 0)
    )
    assert [item.start.hour for item in after] == [19] * len(items)
    assert [item.cancelled for item in after] == [index == 2 for index in range(len(items))]
    registration = Registration.objects.get(user=person)
    assert registration.occurrence_start == after[5].original_start
    client.force_login(person)
    page = client.get(activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You are registered." in page


# ---------------------------------------------------------------------------
# People registered are told of a change (a message from the portal, e-mailed)
# ---------------------------------------------------------------------------
def _notices(person):
    from postman.models import Message

    return list(
        Message.objects.filter(recipient=person).order_by("pk").values_list("subject", "body")
    )


def _post_date(client, activity, occurrence, action, data=None):
    key = service.occurrence_key(occurrence.original_start)
    return client.post(f"/en/agenda/activities/{activity.pk}/dates/{key}/{action}/", data or {})


def test_cancelling_a_date_tells_the_registered_and_the_waiting(client, people, make_activity):
    activity = make_activity(title="Reading club", capacity=1)
    occurrence = _first(activity)
    registered, waiting = UserFactory(preferred_language="en"), UserFactory()
    waiting.preferred_language = "fr"
    waiting.save()
    service.register(activity.pk, occurrence, registered)
    service.register(activity.pk, occurrence, waiting)
    client.force_login(people["member"])
    assert _post_date(client, activity, occurrence, "cancel").status_code == 302
    [(subject, body)] = _notices(registered)
    assert subject == "Change to “Reading club”"
    assert "cancelled “Reading club” on" in body
    assert activity.get_absolute_url().replace("/ar/", "/en/") in body
    [(subject, body)] = _notices(waiting)
    assert "a annulé « Reading club » le" in body
    # Cancelling it again changes nothing, and tells nobody again.
    _post_date(client, activity, occurrence, "cancel")
    assert len(_notices(registered)) == 1
    _post_date(client, activity, occurrence, "cancel", {"cancelled": "0"})
    assert "restored “Reading club” on" in _notices(registered)[-1][1]


def test_moving_a_date_tells_the_old_and_new_times(client, people, make_activity):
    start = timezone.localtime() + datetime.timedelta(days=5)
    start = start.replace(hour=18, minute=0, second=0, microsecond=0)
    activity = make_activity(title="Workshop", start=start)
    occurrence = _first(activity)
    person = UserFactory(preferred_language="en")
    service.register(activity.pk, occurrence, person)
    client.force_login(people["member"])
    new_start = start + datetime.timedelta(days=1, hours=1)
    response = _post_date(
        client,
        activity,
        occurrence,
        "move",
        {
            "start": new_start.strftime("%Y-%m-%dT%H:%M"),
            "end": (new_start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    [(_subject, body)] = _notices(person)
    assert "moved “Workshop” from" in body
    assert "18:00" in body and "19:00" in body
    assert "Your registration stands" in body


def test_cancelling_an_activity_tells_each_person_once(client, people, make_activity):
    activity = make_activity(
        title="Weekly sport",
        frequency=Frequency.WEEKLY,
        weekdays="MO",
        repeat_until=timezone.localdate() + datetime.timedelta(days=60),
    )
    person, other = UserFactory(), UserFactory()
    for item in service.upcoming(activity, count=3):
        service.register(activity.pk, item.occurrence, person)
    client.force_login(people["member"])
    assert client.post(f"/en/agenda/activities/{activity.pk}/cancel/").status_code == 302
    assert len(_notices(person)) == 1
    assert _notices(other) == []


def test_an_activity_made_members_only_withdraws_the_others(client, people, make_activity):
    activity = make_activity(title="Open day", capacity=1)
    occurrence = _first(activity)
    outsider = UserFactory(preferred_language="en")
    service.register(activity.pk, occurrence, outsider)
    service.register(activity.pk, occurrence, people["admin"])  # waiting
    client.force_login(people["member"])
    assert _edit(client, activity, visibility=Visibility.MEMBERS).status_code == 302
    rows = dict(Registration.objects.filter(activity=activity).values_list("user", "status"))
    assert rows == {people["admin"].pk: Registration.CONFIRMED}
    [(_subject, body)] = _notices(outsider)
    assert "is now for the members of" in body and "registration is withdrawn" in body
    assert activity.get_absolute_url() not in body


def test_no_reminder_for_a_members_only_activity_to_someone_else(people, make_activity):
    from django.core import mail
    from django.core.management import call_command

    start = timezone.localtime() + datetime.timedelta(days=1)
    activity = make_activity(start=start.replace(hour=18, minute=0))
    occurrence = _first(activity)
    outsider, member = UserFactory(), people["member"]
    service.register(activity.pk, occurrence, outsider)
    service.register(activity.pk, occurrence, member)
    # Made members-only outside the form (the admin, a script): the reminders check too.
    Activity.objects.filter(pk=activity.pk).update(visibility=Visibility.MEMBERS)
    call_command("send_activity_reminders", stdout=open("/dev/null", "w"))
    assert [message.to for message in mail.outbox] == [[member.email]]
