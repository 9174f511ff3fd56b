"""Shared fixtures.

The demo site is loaded once per test session, after migrations:

    Root
    ├── الرئيسية (ar, site root)      /ar/
    │   ├── من نحن  (about)           /ar/about/
    │   ├── legal-notice, privacy
    │   └── مكتبة الوثائق (library)   /ar/library/   + 7 documents in 4 topics
    ├── Accueil (fr translation)      /fr/  … same children, translated
    └── Home (en translation)         /en/  … same children, translated

plus the demo accounts of architecture.md, and the directory:

    دليل الجمعيات /ar/associations/  (+ /fr/, /en/ translations)
    ├── L'Heure Joyeuse (Casablanca; youth, human rights, childhood; large, verified)
    │     admin: heure.joyeuse@example.org
    └── Al Amal (Al Haouz; rural development…; medium)
          member: member@example.org

`make_association(**fields)` adds one more association (published, with fr/en
aliases), and `people` gives one user per role (ROLES) around L'Heure Joyeuse. Each test runs in a transaction that is
rolled back, so it sees exactly this tree. Browser tests (transactional) reload it.
"""

import itertools

from django.core.management import call_command

import pytest

from accounts import roles
from directory.creation import create_association
from directory.models import AssociationPage, Membership
from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo data, and its snapshot for the transactional tests.

    A transactional test commits for real and the database is flushed after it;
    marked `serialized_rollback=True`, it starts from this snapshot instead of an
    empty database (pytest-django runs them after the others). wagtail-localize's
    post_save receiver on LocaleSynchronization fails on the snapshot's raw saves:
    it is disconnected (no test saves one; home.signals uses bulk_create)."""
    from django.db import connection
    from django.db.models.signals import post_save

    from wagtail_localize.models import LocaleSynchronization, sync_trees_on_locale_sync_save

    with django_db_blocker.unblock():
        call_command("load_demo_data", verbosity=0)
        post_save.disconnect(sync_trees_on_locale_sync_save, sender=LocaleSynchronization)
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()


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


_numbers = itertools.count(1)


@pytest.fixture
def make_association(db):
    def make(**overrides):
        number = next(_numbers)
        data = {
            "name_ar": f"جمعية النور رقم {number}",
            "name_fr": f"Association Annour {number}",
            "short_description": "جمعية للتربية والتكوين",
            "province": "rabat",
            "city": "الرباط",
            "fields_of_activity": ["education"],
            "target_groups": ["youth"],
            "members_count": 30,
            "registration_number": f"TEST-{number:05d}",
        }
        data.update(overrides)
        return create_association(**data)

    return make


@pytest.fixture
def heure_joyeuse(db):
    """L'Heure Joyeuse in the default (Arabic) locale."""
    return AssociationPage.objects.get(
        registration_number="CASA-1959-0427", locale__language_code="ar"
    )


@pytest.fixture
def people(db, heure_joyeuse):
    """One user per role, around L'Heure Joyeuse.

    anonymous: None; other_member: member of another association; member and admin:
    of L'Heure Joyeuse; specialist; moderator; staff: an editor (communications staff).
    """
    other = AssociationPage.objects.get(
        registration_number="HAOUZ-2004-0113", locale__language_code="ar"
    )
    other_member = UserFactory(roles=[roles.MEMBERS])
    Membership.objects.create(user=other_member, association=other, role=Membership.ADMIN)
    member = UserFactory(roles=[roles.MEMBERS])
    Membership.objects.create(user=member, association=heure_joyeuse, role=Membership.MEMBER)
    admin = UserFactory(roles=[roles.MEMBERS])
    Membership.objects.create(user=admin, association=heure_joyeuse, role=Membership.ADMIN)
    return {
        "anonymous": None,
        "other_member": other_member,
        "member": member,
        "admin": admin,
        "specialist": UserFactory(roles=[roles.SPECIALISTS]),
        "moderator": UserFactory(roles=[roles.MODERATORS]),
        "staff": UserFactory(roles=[roles.EDITORS]),
    }


ROLES = ["anonymous", "other_member", "member", "admin", "specialist", "moderator", "staff"]
