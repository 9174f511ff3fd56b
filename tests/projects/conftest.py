"""Fixtures of the projects tests.

    L'Heure Joyeuse (demo association, ar source page)
    ├── demo projects (youth-citizen-participation, reading-workshops…)
    └── `project`: "Test project" with two phases
          ├── phase 1 done (2 milestones reached)
          └── phase 2 in progress (1 of 2 milestones reached)

`make_activity(**fields)` schedules an activity of L'Heure Joyeuse through the
service (no form, so dates may be in the past).
"""

import datetime
import uuid

from django.utils import timezone

import pytest

from home.translation import sync_new_page
from projects import activities as service
from projects.models import Activity, Frequency, ProjectPage


def milestone(title, done_on=None, due=None):
    return {
        "type": "item",
        "id": str(uuid.uuid4()),
        "value": {"title": title, "done": bool(done_on), "done_on": done_on, "due_date": due},
    }


def phase(title, status, milestones=(), **dates):
    value = {"title": title, "status": status, "milestones": list(milestones)}
    value.update(dates)
    return {"type": "phase", "id": str(uuid.uuid4()), "value": value}


def make_project(association, slug="test-project", timeline=None, **fields):
    page = ProjectPage(
        title=fields.pop("title", "Test project"),
        slug=slug,
        summary="A project for the tests",
        status=fields.pop("status", "ongoing"),
        locale=association.locale,
        timeline=timeline
        if timeline is not None
        else [
            phase(
                "Preparation",
                "done",
                [milestone("Survey", "2026-01-10"), milestone("Report", "2026-01-20")],
                actual_start="2026-01-01",
                actual_end="2026-01-31",
            ),
            phase(
                "Trainings",
                "in_progress",
                [milestone("Trainers", "2026-02-10"), milestone("Guide")],
            ),
        ],
        **fields,
    )
    association.add_child(instance=page)
    page.save_revision().publish()
    sync_new_page(page)
    return ProjectPage.objects.get(pk=page.pk)


@pytest.fixture
def project(heure_joyeuse):
    return make_project(heure_joyeuse)


def at(year, month, day, hour=18, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


@pytest.fixture
def make_activity(heure_joyeuse):
    def make(title="Workshop", start=None, hours=2, association=None, **fields):
        start = start or timezone.localtime() + datetime.timedelta(days=3)
        fields.setdefault("place", "Maison des jeunes")
        fields.setdefault("frequency", Frequency.NONE)
        activity = Activity(association=association or heure_joyeuse, **fields)
        return service.save_activity(
            activity,
            title=title,
            description="",
            start=start,
            end=start + datetime.timedelta(hours=hours),
        )

    return make


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client
