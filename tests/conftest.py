"""Shared fixtures.

The demo site is loaded once per test session, after migrations:

    Root
    ├── الرئيسية (ar, site root)      /ar/
    │   ├── من نحن  (about)           /ar/about/
    │   ├── legal-notice, privacy
    │   └── مكتبة الوثائق (library)   /ar/library/   + 7 documents in 4 topics
    ├── Accueil (fr translation)      /fr/  … same children, translated
    └── Home (en translation)         /en/  … same children, translated

plus the demo accounts of architecture.md. Each test runs in a transaction that is
rolled back, so it sees exactly this tree. Browser tests (transactional) reload it.
"""

from django.core.management import call_command

import pytest

from accounts import roles
from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo_data", verbosity=0)


@pytest.fixture
def client(client):
    """A test client speaking French unless a test says otherwise."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    return client


ROLE_USERS = {
    "anonymous": None,
    "member": [roles.MEMBERS],
    "specialist": [roles.SPECIALISTS],
    "moderator": [roles.MODERATORS],
    "editor": [roles.EDITORS],
}


@pytest.fixture
def user_with_role(db):
    """Build a user for a role name of ROLE_USERS ("staff" = superuser)."""

    def make(role):
        if role == "anonymous":
            return None
        if role == "staff":
            return UserFactory(is_staff=True, is_superuser=True)
        return UserFactory(roles=ROLE_USERS[role])

    return make
