"""Matching specialists to an association (directory/matching.py), on crafted cases."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

import pytest

from directory.matching import suggest
from directory.specialist_creation import create_specialist
from directory.specialists import SpecialistPage, SpecialistRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(make_association):
    """An association in Rabat (Rabat-Salé-Kénitra) working in education and health."""
    return make_association(
        province="rabat", fields_of_activity=["education", "health"], target_groups=[]
    )


@pytest.fixture
def only(db):
    """Hide the demo specialists: each test ranks its own crafted ones."""
    SpecialistPage.objects.update(user=None)


def specialist(
    name,
    *,
    fields=(),
    regions=(),
    languages=("fr",),
    remote=False,
    hours=10,
    wait=None,
    verified=False,
):
    return create_specialist(
        user=UserFactory(),
        name=name,
        fields_of_activity=list(fields),
        regions=list(regions),
        languages=list(languages),
        works_remotely=remote,
        works_in_person=True,
        hours_per_month=hours,
        next_available=None if wait is None else timezone.localdate() + timedelta(days=wait),
        verified=verified,
    )


def names(suggestions):
    return [item.specialist.name for item in suggestions]


def test_ranked_by_fields_then_region_then_language_then_availability(only, association):
    specialist("Two fields", fields=["education", "health"])
    specialist("One field, region", fields=["education"], regions=["rabat-sale-kenitra"])
    specialist("One field, remote", fields=["education"], remote=True)
    specialist("One field, elsewhere", fields=["education"], regions=["oriental"])
    specialist("Region only", regions=["rabat-sale-kenitra"])
    specialist("Nothing in common", fields=["sport"], regions=["oriental"], remote=True)
    result = suggest(association, language="fr", limit=10)
    assert names(result) == [
        # 2 fields (6) + available (1) = 7, then field+region (3+2+1) = 6, …
        "Two fields",
        "One field, region",
        "One field, remote",
        "One field, elsewhere",
        "Region only",
    ]


def test_language_and_availability_break_ties(only, association):
    specialist("Speaks French, busy", fields=["education"], languages=["fr"], hours=0)
    specialist("Speaks Arabic", fields=["education"], languages=["ar"])
    specialist("Speaks Darija, next month", fields=["education"], languages=["ary"], wait=20)
    result = suggest(association, language="ar")
    assert names(result) == ["Speaks Arabic", "Speaks Darija, next month", "Speaks French, busy"]


def test_verified_first_on_equal_scores(only, association):
    specialist("B unverified", fields=["education"])
    specialist("A unverified", fields=["education"])
    specialist("Z verified", fields=["education"], verified=True)
    assert names(suggest(association, language="fr")) == [
        "Z verified",
        "A unverified",
        "B unverified",
    ]


def test_reasons_explain_the_suggestion(only, association):
    specialist("Amina", fields=["education"], regions=["rabat-sale-kenitra"], languages=["ar"])
    with translation.override("en"):
        [item] = suggest(association, language="ar")
        assert (
            item.reason_text
            == "speaks Arabic, works in Rabat-Sale-Kenitra, Education, available now"
        )


def test_remote_reason(only, association):
    specialist("Remote", fields=["health"], remote=True)
    with translation.override("en"):
        [item] = suggest(association, language="en")
    assert "works remotely" in item.reasons


def test_open_requests_and_oneself_are_left_out(only, association, people):
    busy = specialist("Busy with us", fields=["education"])
    SpecialistRequest.objects.create(
        association=association,
        specialist=busy,
        requested_by=people["member"],
        need="x",
        preferred_start=timezone.localdate(),
    )
    me = specialist("Myself", fields=["education"])
    specialist("Free", fields=["education"])
    assert names(suggest(association, language="fr", user=me.user)) == ["Free"]


def test_limit_and_constant_queries(only, association):
    specialist("S00", fields=["education"])
    suggest(association, language="fr")  # warm the locale cache
    with CaptureQueriesContext(connection) as one:
        suggest(association, language="fr", limit=5)
    for number in range(1, 12):
        specialist(f"S{number:02d}", fields=["education"])
    with CaptureQueriesContext(connection) as twelve:
        result = suggest(association, language="fr", limit=5)
    assert len(result) == 5
    assert len(twelve) == len(one)


def test_demo_suggestions_for_heure_joyeuse(heure_joyeuse):
    """L'Heure Joyeuse (Casablanca; youth, human rights, childhood): the demo specialist
    in childhood in Casablanca-Settat comes among the first."""
    result = suggest(heure_joyeuse, language="ar", limit=5)
    assert result
    assert all(item.reasons for item in result)
