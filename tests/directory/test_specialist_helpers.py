"""Fixtures shared by the specialists' tests (imported by test_specialist_*.py).

    people["specialist"] ── SpecialistPage "Samira Test" (ar + fr/en aliases)
    L'Heure Joyeuse (people member/admin) ──request──▶ Samira Test   (make_request)
    Al Amal (people other_member)

No test lives here: pytest collects the module, finds only fixtures.
"""

from datetime import timedelta

from django.utils import timezone

import pytest

from directory.specialist_creation import create_specialist
from directory.specialists import SpecialistRequest

__all__ = ["specialist_page", "make_request"]


@pytest.fixture
def specialist_page(people):
    """A published specialist page for people["specialist"] (default locale)."""
    return create_specialist(
        user=people["specialist"],
        name="Samira Test",
        slug_hint="samira-test",
        headline="Accounting for associations",
        fields_of_activity=["childhood", "education"],
        regions=["casablanca-settat"],
        skills=["accounting"],
        languages=["ar", "fr"],
        hours_per_month=10,
    )


@pytest.fixture
def make_request(people, heure_joyeuse, specialist_page):
    """A request of L'Heure Joyeuse to the specialist, in a given state."""

    def make(status=SpecialistRequest.Status.PENDING, *, association=None, by=None, **fields):
        now = timezone.now()
        values = {
            "association": association or heure_joyeuse,
            "specialist": specialist_page,
            "requested_by": by or people["member"],
            "status": status,
            "need": "Help us with our accounts.",
            "preferred_start": timezone.localdate() + timedelta(days=10),
            "created_at": now,
            "waiting_since": now,
        }
        values.update(fields)
        return SpecialistRequest.objects.create(**values)

    return make
