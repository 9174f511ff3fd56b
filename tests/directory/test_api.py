"""Open data: /api/associations.json and /api/associations.csv.

Same filters as the directory page; only public fields, never members' e-mails,
receipt numbers or receipt scans.
"""

import csv
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from directory import api
from directory.models import AssociationPage, Membership, MembershipApplication, Province
from tests.conftest import ROLES
from tests.factories import UserFactory

JSON = "/api/associations.json"
CSV = "/api/associations.csv"

PUBLIC_FIELDS = {
    "name_ar",
    "name_fr",
    "acronym",
    "slug",
    "url",
    "fields_of_activity",
    "target_groups",
    "region",
    "province",
    "city",
    "size_category",
    "members_count",
    "staff_count",
    "volunteers_count",
    "budget_band",
    "founded_year",
    "verified",
    "public_utility",
    "website",
    "email",
    "phone",
    "coordinates",
    "last_updated",
}


@pytest.fixture
def only_ours(db):
    """Hide the demo associations (rolled back after the test)."""
    AssociationPage.objects.update(live=False, listed_locale=None)


@pytest.fixture
def association(only_ours, make_association):
    """One complete association with a member, an administrator and the
    application (with its receipt scan) that created it."""
    page = make_association(
        name_ar="جمعية البيانات المفتوحة",
        name_fr="Association Données Ouvertes",
        acronym="ADO",
        province="casablanca",
        city="الدار البيضاء",
        address="12 rue secrète, appartement 4",
        fields_of_activity=["education", "digital-inclusion"],
        target_groups=["youth", "students"],
        members_count=60,
        staff_count=3,
        volunteers_count=25,
        budget_band="50k-250k",
        founded_year=2011,
        registration_number="CASA-2011-7777",
        public_utility=True,
        email="contact@donnees-ouvertes.ma",
        phone="0522 11 22 33",
        website="https://donnees-ouvertes.ma",
        verified=True,
    )
    member = UserFactory(email="private.member@example.org")
    admin = UserFactory(email="private.admin@example.org")
    Membership.objects.create(user=member, association=page, role=Membership.MEMBER)
    Membership.objects.create(user=admin, association=page, role=Membership.ADMIN)
    application = MembershipApplication.objects.create(
        applicant=admin,
        name_ar=page.name_ar,
        name_fr=page.name_fr,
        short_description="…",
        province=Province.source_terms().get(slug="casablanca"),
        city="الدار البيضاء",
        registration_number="CASA-2011-7777",
        registration_receipt=SimpleUploadedFile(
            "recu-secret.pdf", b"%PDF-1.4 receipt", content_type="application/pdf"
        ),
        email="applicant.private@example.org",
        phone="0661234567",
        status=MembershipApplication.Status.APPROVED,
        association=page,
    )
    page.receipt_path = application.registration_receipt.name
    return page


def get_json(client, **params):
    response = client.get(JSON, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def get_csv(client, **params):
    response = client.get(CSV, params)
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content)
    return response, body


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------
def test_json_gives_the_public_profile(client, association):
    data = get_json(client)
    assert data["count"] == 1
    assert data["language"] == "ar"
    (record,) = data["results"]
    assert set(record) == PUBLIC_FIELDS
    assert record["name_ar"] == "جمعية البيانات المفتوحة"
    assert record["name_fr"] == "Association Données Ouvertes"
    assert record["acronym"] == "ADO"
    assert record["url"] == f"http://testserver/ar/associations/{association.slug}/"
    assert record["fields_of_activity"] == [
        {"slug": "education", "name": "التربية والتعليم"},
        {"slug": "digital-inclusion", "name": "الإدماج الرقمي"},
    ]
    assert [group["slug"] for group in record["target_groups"]] == ["youth", "students"]
    assert record["region"]["slug"] == "casablanca-settat"
    assert record["province"] == {"slug": "casablanca", "name": "الدار البيضاء"}
    assert record["size_category"] == "medium"
    assert (record["members_count"], record["staff_count"], record["volunteers_count"]) == (
        60,
        3,
        25,
    )
    assert record["budget_band"] == "50k-250k"
    assert record["founded_year"] == 2011
    assert record["verified"] is True and record["public_utility"] is True
    assert record["email"] == "contact@donnees-ouvertes.ma"
    assert record["phone"] == "+212522112233"
    assert record["website"] == "https://donnees-ouvertes.ma"
    assert record["coordinates"]["exact"] is False
    assert record["last_updated"].startswith("20")


def test_lang_chooses_the_language_of_names_and_addresses(client, association):
    data = get_json(client, lang="fr")
    (record,) = data["results"]
    assert data["language"] == "fr"
    assert record["url"].endswith(f"/fr/associations/{association.slug}/")
    assert record["fields_of_activity"][0] == {"slug": "education", "name": "Éducation"}
    assert record["region"]["name"] == "Casablanca-Settat"
    english = get_json(client, lang="en")["results"][0]
    assert english["url"].endswith(f"/en/associations/{association.slug}/")
    assert english["fields_of_activity"][0]["name"] == "Education"


def test_an_unknown_language_falls_back_to_arabic_with_a_notice(client, association):
    data = get_json(client, lang="xx")
    assert data["language"] == "ar"
    assert any("xx" in notice for notice in data["notices"])
    assert data["results"][0]["url"].endswith(f"/ar/associations/{association.slug}/")


def test_private_data_is_never_published(client, association):
    raw = client.get(JSON, {"lang": "fr"}).content.decode()
    _response, body = get_csv(client, lang="fr")
    for published in (raw, body.decode("utf-8-sig")):
        assert "contact@donnees-ouvertes.ma" in published  # the public contact is there
        for secret in (
            "private.member@example.org",
            "private.admin@example.org",
            "applicant.private@example.org",
            association.receipt_path,
            "recu-secret",
            "receipts/",
            "CASA-2011-7777",  # registration receipt number
            "rue secrète",  # postal address is shown on the profile only
        ):
            assert secret not in published, secret


def test_json_uses_the_directory_filters(client, association, make_association):
    make_association(name_fr="Ailleurs", province="rabat", fields_of_activity=["health"])
    assert get_json(client)["count"] == 2
    assert [r["name_fr"] for r in get_json(client, region="casablanca-settat")["results"]] == [
        "Association Données Ouvertes"
    ]
    assert get_json(client, field=["health", "education"])["count"] == 2
    assert get_json(client, field="health", verified="1")["count"] == 0
    # Invalid values are ignored and reported, never an error.
    data = get_json(client, size="huge", region="<script>")
    assert data["count"] == 2
    assert len(data["notices"]) == 2
    # The sort of the directory page too.
    names = [r["name_fr"] for r in get_json(client, lang="fr", sort="name")["results"]]
    assert names == ["Ailleurs", "Association Données Ouvertes"]


def test_json_is_paginated_with_a_maximum(client, only_ours, make_association):
    for number in range(5):
        make_association(name_fr=f"Association {number}")
    first = get_json(client, limit="2", lang="fr")
    assert (first["count"], first["limit"], first["offset"]) == (5, 2, 0)
    assert [r["name_fr"] for r in first["results"]] == ["Association 0", "Association 1"]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/associations.json?lang=fr&limit=2&offset=2"
    second = json.loads(client.get(first["next"]).content)
    assert [r["name_fr"] for r in second["results"]] == ["Association 2", "Association 3"]
    last = get_json(client, limit="2", offset="4", lang="fr")
    assert [r["name_fr"] for r in last["results"]] == ["Association 4"]
    assert last["next"] is None
    assert "offset=2" in last["previous"]
    clamped = get_json(client, limit="100000")
    assert clamped["limit"] == api.MAX_LIMIT and clamped["notices"]
    for bad in ({"limit": "abc"}, {"offset": "-1"}, {"offset": "x"}):
        data = get_json(client, **bad)
        assert data["count"] == 5 and data["notices"]
    assert get_json(client, offset="99")["results"] == []
    assert get_json(client, offset="9" * 30)["results"] == []


def test_json_needs_a_constant_number_of_queries(client, only_ours, make_association):
    make_association()
    client.get(JSON)
    with CaptureQueriesContext(connection) as one:
        client.get(JSON)
    for _number in range(10):
        make_association(target_groups=["youth", "women"])
    with CaptureQueriesContext(connection) as eleven:
        data = get_json(client)
    assert data["count"] == 11
    assert len(eleven) == len(one)


def test_unpublished_associations_are_not_published(client, association):
    association.unpublish()
    assert get_json(client)["count"] == 0
    _response, body = get_csv(client)
    assert len(body.decode("utf-8-sig").splitlines()) == 1  # the header only


@pytest.mark.parametrize("role", ROLES)
def test_everyone_gets_the_same_open_data(client, people, role):
    anonymous_json = client.get(JSON, {"region": "casablanca-settat"}).content
    _response, anonymous_csv = get_csv(client, region="casablanca-settat")
    if people[role]:
        client.force_login(people[role])
    assert client.get(JSON, {"region": "casablanca-settat"}).content == anonymous_json
    assert get_csv(client, region="casablanca-settat")[1] == anonymous_csv
    assert "heure.joyeuse@example.org" not in anonymous_json.decode()


def test_only_get_is_allowed(client, association):
    assert client.post(JSON).status_code == 405
    assert client.post(CSV).status_code == 405


def test_the_api_is_open_to_other_sites(client, association):
    assert client.get(JSON)["Access-Control-Allow-Origin"] == "*"


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------
def test_csv_streams_every_row_with_a_byte_order_mark(client, association, make_association):
    for number in range(3):
        make_association(name_fr=f"Suivante {number}")
    response, body = get_csv(client)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="associations-ar.csv"'
    # Excel reads UTF-8 (Arabic) only with the byte order mark.
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 4
    assert list(rows[0]) == api.CSV_COLUMNS
    ours = next(row for row in rows if row["acronym"] == "ADO")
    assert ours["name_ar"] == "جمعية البيانات المفتوحة"
    assert ours["fields_of_activity"] == "education | digital-inclusion"
    assert ours["fields_of_activity_names"] == "التربية والتعليم | الإدماج الرقمي"
    assert ours["province"] == "casablanca" and ours["province_name"] == "الدار البيضاء"
    assert (ours["verified"], ours["public_utility"], ours["coordinates_exact"]) == ("1", "1", "0")
    assert ours["phone"] == "+212522112233"
    assert ours["url"] == f"http://testserver/ar/associations/{association.slug}/"


def test_csv_uses_the_filters_and_the_language(client, association, make_association):
    make_association(name_fr="Ailleurs", province="rabat")
    response, body = get_csv(client, lang="fr", region="casablanca-settat")
    assert response["Content-Disposition"] == 'attachment; filename="associations-fr.csv"'
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row["name_fr"] for row in rows] == ["Association Données Ouvertes"]
    assert rows[0]["fields_of_activity_names"] == "Éducation | Inclusion numérique" or rows[0][
        "fields_of_activity_names"
    ].startswith("Éducation | ")


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, only_ours, make_association):
    make_association(name_fr='=HYPERLINK("http://evil.example","clic")', acronym="@SUM")
    _response, body = get_csv(client)
    (row,) = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    assert row["name_fr"] == '\'=HYPERLINK("http://evil.example","clic")'
    assert row["acronym"] == "'@SUM"


def test_csv_of_many_associations_is_sent_in_chunks(
    client, only_ours, make_association, monkeypatch
):
    monkeypatch.setattr(api, "CSV_CHUNK", 2)
    for number in range(5):
        make_association(name_fr=f"Association {number}")
    _response, body = get_csv(client, lang="fr")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row["name_fr"] for row in rows] == [f"Association {n}" for n in range(5)]
