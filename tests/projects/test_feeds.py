"""iCalendar feeds parsed back with icalendar; the Atom feed of a project."""

import datetime
import xml.etree.ElementTree as ET

import icalendar
import pytest

from projects import activities as service
from projects.models import Activity, Frequency, ProgressUpdate, Visibility

from .conftest import at

pytestmark = pytest.mark.django_db


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return [component for component in calendar.walk("VEVENT")]


@pytest.fixture
def weekly(make_activity, project):
    activity = make_activity(
        title="Weekly workshop",
        start=at(2026, 12, 2, 18),
        frequency=Frequency.WEEKLY,
        weekdays="WE",
        repeat_until=datetime.date(2027, 1, 27),
        project=project,
    )
    items = service.occurrences(
        Activity.objects.filter(pk=activity.pk), at(2026, 12, 1, 0), at(2027, 2, 1, 0)
    )
    service.find_occurrence(activity, items[1].key).cancel()
    service.find_occurrence(activity, items[2].key).move(at(2026, 12, 17, 17), at(2026, 12, 17, 19))
    return activity


def test_portal_feed_carries_rrule_exdate_url_and_moved_dates(client, weekly):
    events = _events(client.get("/fr/agenda/calendar.ics"))
    mine = [event for event in events if str(event["uid"]) == f"activity-{weekly.pk}@rabita"]
    series = next(event for event in mine if "recurrence-id" not in event)
    rule = series["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["WE"]
    assert rule["UNTIL"][0].date() >= datetime.date(2027, 1, 27)
    exdates = [value.dt for exdate in _as_list(series["exdate"]) for value in exdate.dts]
    assert at(2026, 12, 9) in exdates and at(2026, 12, 16) in exdates
    assert str(series["url"]).endswith(f"/agenda/activities/{weekly.pk}/")
    assert series["dtstart"].dt == at(2026, 12, 2)
    assert str(series["dtstart"].dt.tzinfo) == "Africa/Casablanca"
    moved = next(event for event in mine if "recurrence-id" in event)
    assert moved["recurrence-id"].dt == at(2026, 12, 16)
    assert moved["dtstart"].dt == at(2026, 12, 17, 17)


def _as_list(value):
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("url", ["association", "project", "filter"])
def test_association_and_project_feeds(client, weekly, heure_joyeuse, project, url):
    address = {
        "association": f"/fr/agenda/associations/{heure_joyeuse.pk}.ics",
        "project": f"/fr/projects/{project.pk}/agenda.ics",
        "filter": f"/fr/agenda/calendar.ics?association={heure_joyeuse.slug}",
    }[url]
    uids = {str(event["uid"]) for event in _events(client.get(address))}
    assert f"activity-{weekly.pk}@rabita" in uids


def test_members_only_activities_never_reach_feeds(client, make_activity, people, heure_joyeuse):
    secret = make_activity(title="Secret board meeting", visibility=Visibility.MEMBERS)
    client.force_login(people["member"])  # even a member's feed client is anonymous by nature
    for address in ("/fr/agenda/calendar.ics", f"/fr/agenda/associations/{heure_joyeuse.pk}.ics"):
        body = client.get(address).content.decode()
        assert f"activity-{secret.pk}@" not in body and "Secret board meeting" not in body


def test_unknown_feed_is_404(client):
    assert client.get("/fr/agenda/associations/999999.ics").status_code == 404
    assert client.get("/fr/projects/999999/agenda.ics").status_code == 404
    assert client.get("/fr/projects/999999/updates.atom").status_code == 404


def test_atom_feed_of_updates(client, project, people):
    ProgressUpdate.objects.create(
        project=project, title="First <b>news</b>", text="Text", author=people["member"]
    )
    response = client.get(f"/fr/projects/{project.pk}/updates.atom")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.find("a:title", ns).text for entry in root.findall("a:entry", ns)]
    assert titles == ["First <b>news</b>"]
    link = root.find("a:entry/a:link", ns).attrib["href"]
    assert "/test-project/#update-" in link


@pytest.mark.parametrize("change", ["cancelled", "moved"])
def test_a_single_date_cancelled_or_moved_in_the_feed(client, make_activity, change):
    activity = make_activity(title="One-off forum", start=at(2026, 12, 20, 10))
    occurrence = service.find_occurrence(activity, service.occurrence_key(at(2026, 12, 20, 10)))
    if change == "cancelled":
        occurrence.cancel()
    else:
        occurrence.move(at(2026, 12, 21, 11), at(2026, 12, 21, 13))
    events = [
        event
        for event in _events(client.get("/fr/agenda/calendar.ics"))
        if str(event["uid"]) == f"activity-{activity.pk}@rabita"
    ]
    assert len(events) == 1 and "recurrence-id" not in events[0]
    if change == "cancelled":
        assert str(events[0]["status"]) == "CANCELLED"
    else:
        assert events[0]["dtstart"].dt == at(2026, 12, 21, 11)
        assert str(events[0]["status"]) == "CONFIRMED"


def test_the_agenda_feed_keeps_the_agenda_region_filter(client, weekly, heure_joyeuse):
    region = heure_joyeuse.region.slug
    other = "oriental" if region != "oriental" else "souss-massa"
    uid = f"activity-{weekly.pk}@rabita"
    mine = {str(e["uid"]) for e in _events(client.get(f"/fr/agenda/calendar.ics?region={region}"))}
    others = {str(e["uid"]) for e in _events(client.get(f"/fr/agenda/calendar.ics?region={other}"))}
    assert uid in mine and uid not in others


def test_a_first_date_off_the_chosen_days_is_excluded_from_the_feed(client, make_activity):
    """Created on a Monday, weekly on Wednesdays: the portal's first date is Wednesday;
    calendar applications count DTSTART itself unless an EXDATE removes it."""
    activity = make_activity(
        start=at(2026, 12, 7, 18),
        frequency=Frequency.WEEKLY,
        weekdays="WE",
        repeat_until=datetime.date(2027, 1, 27),
    )
    first = service.occurrences(
        Activity.objects.filter(pk=activity.pk), at(2026, 12, 1, 0), at(2027, 2, 1, 0)
    )[0]
    assert first.start == at(2026, 12, 9, 18)
    series = next(
        event
        for event in _events(client.get("/fr/agenda/calendar.ics"))
        if str(event["uid"]) == f"activity-{activity.pk}@rabita"
    )
    exdates = [value.dt for exdate in _as_list(series["exdate"]) for value in exdate.dts]
    assert at(2026, 12, 7, 18) in exdates


def test_control_characters_typed_in_an_update_do_not_break_the_feed(client, project, people):
    ProgressUpdate.objects.create(
        project=project, title="Tab\x0bbed", text="Form\x0cfeed", author=people["member"]
    )
    response = client.get(f"/fr/projects/{project.pk}/updates.atom")
    assert response.status_code == 200
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = ET.fromstring(response.content).find("a:entry", ns)
    assert entry.find("a:title", ns).text == "Tabbed"
