"""Hostile input answers with a clear error or a 404, never a server error: ids too
large for the database, dates out of range, dates moved into the past."""

import datetime

from django.utils import timezone

import pytest

from projects import activities as service
from projects.forms import ActivityForm, OccurrenceMoveForm, ProjectForm

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # more than SQLite's 64-bit integers


@pytest.mark.parametrize(
    "url",
    [
        f"/fr/projects/{HUGE}.json",
        f"/fr/projects/{HUGE}/updates.atom",
        f"/fr/projects/{HUGE}/agenda.ics",
        f"/fr/agenda/associations/{HUGE}.ics",
        f"/fr/agenda/activities/{HUGE}/",
        f"/fr/agenda/calendar.ics?project={HUGE}",
        "/fr/agenda/calendar.ics?project=%C2%B2",  # "²" is a digit to str.isdigit()
    ],
    ids=["json", "atom", "project-ics", "association-ics", "activity", "ics-filter", "ics-sup"],
)
def test_ids_too_large_are_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query, message",
    [
        (f"project={HUGE}", None),
        ("start=9999-12-31", "Ensure this value is less than or equal to 2100-12-31."),
        ("end=2100-12-31", "Choose at most one year."),
        ("start=0001-01-01", "Ensure this value is greater than or equal to 1900-01-01."),
    ],
    ids=["huge-project", "far-start", "far-end-without-start", "year-one"],
)
@pytest.mark.parametrize("view", ["agenda", "agenda/month"])
def test_agenda_filters_out_of_range(client, view, query, message):
    response = client.get(f"/en/{view}/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    if message and view == "agenda":
        assert message in response.content.decode()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"provinces": [HUGE]}, "provinces"),
        ({"funders": [HUGE]}, "funders"),
        ({"beneficiaries_targeted": HUGE}, "beneficiaries_targeted"),
        ({"start_date": "0001-01-01"}, "start_date"),
        ({"end_date": "9999-12-31"}, "end_date"),
    ],
    ids=["huge-province", "huge-funder", "huge-number", "year-one", "year-9999"],
)
def test_project_form_refuses_out_of_range_values(client, people, project, overrides, field):
    form = ProjectForm({"title": "P", "summary": "S", "status": "ongoing", **overrides})
    assert not form.is_valid() and field in form.errors
    client.force_login(people["member"])
    response = client.post(
        f"/fr/projects/{project.pk}/edit/",
        {"title": "P", "summary": "S", "status": "ongoing", **overrides},
    )
    assert response.status_code == 200  # the form again, with its error


def _activity_data(**overrides):
    start = timezone.localtime() + datetime.timedelta(days=3)
    return {
        "title": "Atelier",
        "place": "Maison des jeunes",
        "visibility": "public",
        "frequency": "none",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        **overrides,
    }


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"project": HUGE}, "project"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": HUGE}, "capacity"),
        ({"start": "9999-12-31T10:00", "end": "9999-12-31T12:00"}, "start"),
    ],
    ids=["huge-project", "no-place", "huge-capacity", "year-9999"],
)
def test_activity_form_refuses_out_of_range_values(client, people, heure_joyeuse, overrides, field):
    form = ActivityForm(_activity_data(**overrides), association=heure_joyeuse)
    assert not form.is_valid() and field in form.errors
    client.force_login(people["member"])
    response = client.post(
        f"/fr/agenda/activities/new/{heure_joyeuse.pk}/", _activity_data(**overrides)
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "days, hours, message",
    [
        (-400, 1, "The start is in the past."),
        (1000, 1, "Activities are scheduled two years ahead at most."),
        (2, 24 * 30, "An activity lasts a week at most."),
    ],
    ids=["past", "years-ahead", "a-month-long"],
)
def test_a_date_cannot_be_moved_out_of_bounds(client, people, make_activity, days, hours, message):
    activity = make_activity()
    item = service.upcoming(activity, count=1)[0]
    start = timezone.localtime() + datetime.timedelta(days=days)
    data = {
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M"),
    }
    assert not OccurrenceMoveForm(data).is_valid()
    client.force_login(people["member"])
    response = client.post(
        f"/en/agenda/activities/{activity.pk}/dates/{item.key}/move/",
        data,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert message in response.content.decode()
    assert not service.upcoming(activity, count=1)[0].moved  # nothing changed


@pytest.mark.parametrize("key", ["99991231T235959Z", "00010101T000000Z", "20261301T000000Z"])
@pytest.mark.parametrize("action", ["register", "unregister", "cancel", "move"])
def test_dates_out_of_range_in_addresses_are_404(client, people, make_activity, key, action):
    activity = make_activity()
    client.force_login(people["member"])
    url = f"/fr/agenda/activities/{activity.pk}/dates/{key}/{action}/"
    response = client.get(url) if action == "move" else client.post(url)
    assert response.status_code == 404
