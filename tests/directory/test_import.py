"""Bulk import of associations: the importer, `manage.py import_associations` and the
Wagtail admin upload.

Files are built in the tests (CSV text, XLSX with openpyxl) on top of the demo
directory of tests/directory/conftest.py:

    دليل الجمعيات /ar/associations/
    ├── L'Heure Joyeuse  CASA-1959-0427
    └── Al Amal          HAOUZ-2004-0113
"""

import io
import zipfile
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import Locale, Revision

import pytest
from openpyxl import Workbook

from directory import import_admin, importing
from directory.importing import import_associations
from directory.models import AssociationPage
from tests.conftest import ROLES
from tests.factories import UserFactory

HEADER = [
    "name_ar",
    "name_fr",
    "acronym",
    "other_spellings",
    "fields",
    "target_groups",
    "province",
    "city",
    "latitude",
    "longitude",
    "members",
    "staff",
    "volunteers",
    "budget_band",
    "founded_year",
    "registration_number",
    "registration_date",
    "public_utility",
    "email",
    "phone",
    "website",
]

NOUR = {
    "name_ar": "جمعية النور للتنمية",
    "name_fr": "Association Annour pour le développement",
    "acronym": "AND",
    "other_spellings": "jam3iat nnour|Annour",
    "fields": "education|Santé",
    "target_groups": "youth, النساء",
    "province": "Rabat",
    "city": "الرباط",
    "latitude": "34.02",
    "longitude": "-6.84",
    "members": "120",
    "staff": "4",
    "volunteers": "30",
    "budget_band": "50k-250k",
    "founded_year": "2008",
    "registration_number": "IMP-RABAT-001",
    "registration_date": "2008-03-15",
    "public_utility": "oui",
    "email": "contact@annour.ma",
    "phone": "0537 12 34 56",
    "website": "www.annour.ma",
}

AMAL = {
    "name_ar": "جمعية الأمل للشباب",
    "name_fr": "",
    "fields": "الشباب",
    "target_groups": "Jeunes",
    "province": "الدار البيضاء",
    "members": "15",
    "founded_year": "2019",
    "registration_number": "IMP-CASA-002",
    "public_utility": "non",
    "phone": "+212 661-23-45-67",
}


def csv_bytes(rows, header=HEADER, delimiter=",", bom=False):
    """A CSV file as Excel writes it: `rows` are dicts keyed by the header."""
    import csv

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


def xlsx_bytes(records):
    """An Excel workbook whose first sheet holds `records` (lists of cells)."""
    workbook = Workbook()
    sheet = workbook.active
    for record in records:
        sheet.append(record)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def source(number):
    return AssociationPage.objects.get(
        registration_number__iexact=number, locale=Locale.get_default()
    )


def run(content, filename="associations.csv", **options):
    with translation.override("en"):
        return import_associations(content, filename, **options)


def errors_of(report):
    return {(error.row, error.field) for error in report.errors}


# ---------------------------------------------------------------------------
# Valid files
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_csv_import_creates_associations_with_aliases_and_taxonomies():
    report = run(csv_bytes([NOUR, AMAL]))

    assert report.file_errors == [] and report.errors == []
    assert (report.created, report.updated, report.skipped) == (2, 0, 0)
    nour = source("IMP-RABAT-001")
    assert nour.live and nour.title == "جمعية النور للتنمية"
    assert nour.name_fr == "Association Annour pour le développement"
    assert nour.other_spelling_list() == ["jam3iat nnour", "Annour"]
    assert set(nour.fields_of_activity.values_list("slug", flat=True)) == {"education", "health"}
    assert set(nour.target_groups.values_list("slug", flat=True)) == {"youth", "women"}
    assert nour.province.slug == "rabat" and nour.region.slug == nour.province.region.slug
    assert (nour.latitude, nour.longitude) == (Decimal("34.02000"), Decimal("-6.84000"))
    assert (nour.members_count, nour.staff_count, nour.volunteers_count) == (120, 4, 30)
    assert nour.size_category == "medium"
    assert nour.budget_band == "50k-250k" and nour.founded_year == 2008
    assert nour.registration_date == date(2008, 3, 15) and nour.public_utility is True
    assert nour.phone == "+212537123456" and nour.website == "https://www.annour.ma"
    # The French and English versions exist as aliases of the Arabic page.
    aliases = AssociationPage.objects.filter(translation_key=nour.translation_key).exclude(
        pk=nour.pk
    )
    assert {page.locale.language_code for page in aliases} == {"fr", "en"}
    assert all(page.alias_of_id == nour.pk for page in aliases)

    amal = source("IMP-CASA-002")
    assert amal.province.slug == "casablanca" and amal.public_utility is False
    assert list(amal.fields_of_activity.values_list("slug", flat=True)) == ["youth"]
    assert list(amal.target_groups.values_list("slug", flat=True)) == ["youth"]
    assert amal.phone == "+212661234567" and amal.size_category == "small"


@pytest.mark.django_db
def test_semicolon_csv_with_bom_and_french_headers():
    header = [
        "Nom (AR)",
        "Nom FR",
        "Domaines d'activité",
        "Préfecture ou province",
        "Latitude",
        "Longitude",
        "Membres",
        "N° récépissé",
        "Date récépissé",
        "Utilité publique",
        "Téléphone",
    ]
    row = {
        "Nom (AR)": "جمعية الواحة",
        "Nom FR": "Association L'Oasis; Marrakech",
        "Domaines d'activité": "Environnement|Culture et patrimoine",
        "Préfecture ou province": "Préfecture de Marrakech",
        "Latitude": "31,63",
        "Longitude": "-8,01",
        "Membres": "1 200",
        "N° récépissé": "IMP-MKH-003",
        "Date récépissé": "05/11/1999",
        "Utilité publique": "OUI",
        "Téléphone": "0661234567",
    }
    content = csv_bytes([row], header=header, delimiter=";", bom=True)

    report = run(content)

    assert report.errors == [] and report.created == 1
    page = source("IMP-MKH-003")
    assert page.name_ar == "جمعية الواحة" and page.name_fr == "Association L'Oasis; Marrakech"
    assert page.province.slug == "marrakech"
    assert set(page.fields_of_activity.values_list("slug", flat=True)) == {
        "environment",
        "culture-heritage",
    }
    assert page.latitude == Decimal("31.63") and page.members_count == 1200
    assert page.registration_date == date(1999, 11, 5) and page.public_utility


@pytest.mark.django_db
def test_xlsx_with_arabic_headers_and_typed_cells():
    content = xlsx_bytes(
        [
            ["الاسم بالعربية", "الإقليم", "مجالات النشاط", "رقم الوصل", "تاريخ الوصل", "الهاتف"]
            + ["سنة التأسيس", "المنفعة العامة", "الميزانية"],
            # A number cell lost the phone's leading 0; the date and year are typed.
            ["جمعية الأطلس", "الحوز", "التربية والتعليم", "IMP-HAOUZ-004", date(2012, 6, 1)]
            + [524123456, 2011, "نعم", "under 50,000 MAD"],
            [None, None, None, None, None, None, None, None, None],  # a blank line is skipped
        ]
    )

    report = run(content, "associations.xlsx")

    assert report.errors == [] and (report.total, report.created) == (1, 1)
    page = source("IMP-HAOUZ-004")
    assert page.province.slug == "al-haouz" and page.phone == "+212524123456"
    assert page.registration_date == date(2012, 6, 1) and page.founded_year == 2011
    assert page.public_utility and page.budget_band == "lt50k"
    assert list(page.fields_of_activity.values_list("slug", flat=True)) == ["education"]


@pytest.mark.django_db
def test_xlsx_renamed_csv_is_read_by_its_content():
    content = xlsx_bytes([["name_ar", "registration_number", "province"], ["جمعية", "X-1", "fes"]])

    report = run(content, "export.csv")

    assert report.created == 1 and source("X-1").province.slug == "fes"
    assert any("Excel workbook" in warning for warning in report.warnings)


# ---------------------------------------------------------------------------
# Re-importing: idempotent on the registration number
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_reimport_updates_changed_fields_then_reports_unchanged():
    editor = UserFactory(roles=["Editors"])
    run(csv_bytes([NOUR]))
    page = source("IMP-RABAT-001")
    revisions = Revision.page_revisions.filter(object_id=str(page.pk)).count()

    changed = dict(NOUR, registration_number=" imp-rabat-001 ", members="700", phone="0661000000")
    report = run(csv_bytes([changed]), user=editor)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    pages = AssociationPage.objects.filter(registration_number__iexact="IMP-RABAT-001")
    assert pages.filter(locale=Locale.get_default()).count() == 1
    page = source("IMP-RABAT-001")
    assert page.members_count == 700 and page.size_category == "large"
    assert page.phone == "+212661000000"
    assert page.registration_number == "IMP-RABAT-001"  # kept as first written
    latest = page.latest_revision
    assert latest.user == editor
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == revisions + 1
    # The aliases follow the source page.
    french = AssociationPage.objects.get(
        translation_key=page.translation_key, locale__language_code="fr"
    )
    assert french.members_count == 700

    again = run(csv_bytes([changed]), user=editor)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == revisions + 1


@pytest.mark.django_db
def test_update_touches_only_the_columns_of_the_file(heure_joyeuse):
    editor = UserFactory(roles=["Editors"])
    before = source("CASA-1959-0427")
    content = csv_bytes(
        [{"name_ar": before.name_ar, "registration_number": "casa-1959-0427", "members": "333"}],
        header=["name_ar", "registration_number", "members"],
    )

    report = run(content, user=editor)

    assert report.updated == 1
    after = source("CASA-1959-0427")
    assert after.members_count == 333
    assert after.name_fr == before.name_fr and after.phone == before.phone
    assert after.province_id == before.province_id and after.verified is True
    assert set(after.fields_of_activity.values_list("slug", flat=True)) == {
        "youth",
        "human-rights",
        "childhood",
    }
    assert after.latest_revision.user == editor


# ---------------------------------------------------------------------------
# Errors by row and column
# ---------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, field, fragment",
    [
        ({"name_ar": ""}, "name_ar", "required"),
        ({"province": "Casa"}, "province", "unknown province « Casa »"),
        ({"fields": "education|Astronomie"}, "fields", "unknown field of activity « Astronomie »"),
        ({"target_groups": "Martiens"}, "target_groups", "unknown target group « Martiens »"),
        ({"phone": "12345"}, "phone", "Moroccan phone number"),
        ({"founded_year": "1850"}, "founded_year", "between 1900 and this year"),
        ({"founded_year": "vers 1990"}, "founded_year", "not a whole number"),
        ({"latitude": "48.85", "longitude": "2.35"}, "latitude", "outside Morocco"),
        ({"latitude": "48.85", "longitude": "2.35"}, "longitude", "outside Morocco"),
        ({"longitude": ""}, "longitude", "both the latitude and the longitude"),
        ({"members": "-3"}, "members", "not a whole number"),
        ({"budget_band": "huge"}, "budget_band", "unknown budget band"),
        ({"registration_date": "31/02/2001"}, "registration_date", "not a date"),
        ({"public_utility": "maybe"}, "public_utility", "not yes or no"),
        ({"email": "contact@"}, "email", "not an e-mail address"),
        ({"website": "not a site"}, "website", "not a web address"),
        ({"acronym": "A" * 31}, "acronym", "at most 30 characters"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_invalid_cell_is_reported_by_row_and_column_and_the_row_skipped(changes, field, fragment):
    rows = [NOUR, dict(NOUR, registration_number="IMP-BAD-1", **changes), AMAL]

    report = run(csv_bytes(rows))

    bad = [error for error in report.errors if error.row == 3]
    assert (3, field) in errors_of(report)
    assert any(fragment in error.message for error in bad if error.field == field)
    assert {error.row for error in report.errors} == {3}
    assert (report.created, report.skipped) == (2, 1)
    assert not AssociationPage.objects.filter(registration_number="IMP-BAD-1").exists()


@pytest.mark.django_db
def test_every_error_of_every_row_is_reported_with_its_row_number():
    rows = [dict(AMAL, registration_number=f"IMP-{n}") for n in range(5)]
    rows.append(dict(AMAL, registration_number="IMP-7", province="Casa", phone="123"))
    rows.append(dict(AMAL, registration_number="IMP-8", name_ar="", founded_year="3000"))

    report = run(csv_bytes(rows))

    assert errors_of(report) == {
        (7, "province"),
        (7, "phone"),
        (8, "name_ar"),
        (8, "founded_year"),
    }
    province_error = next(error for error in report.errors if error.field == "province")
    with translation.override("en"):
        assert str(province_error) == "Row 7, province: unknown province « Casa »"
    assert (report.created, report.skipped, report.total) == (5, 2, 7)


@pytest.mark.django_db
def test_error_names_the_column_as_written_in_the_file():
    content = csv_bytes(
        [{"Nom AR": "جمعية", "Récépissé": "IMP-9", "Province": "Atlantide"}],
        header=["Nom AR", "Récépissé", "Province"],
    )

    [error] = run(content).errors

    assert (error.row, error.field, error.column) == (2, "province", "Province")


@pytest.mark.django_db
def test_duplicate_registration_number_within_the_file():
    rows = [NOUR, AMAL, dict(AMAL, name_ar="جمعية أخرى", registration_number="imp-casa-002 ")]

    report = run(csv_bytes(rows))

    [error] = report.errors
    assert (error.row, error.field) == (4, "registration_number")
    assert "row 3" in error.message
    assert (report.created, report.skipped) == (2, 1)
    assert AssociationPage.objects.filter(registration_number__iexact="IMP-CASA-002").count() == 3


@pytest.mark.django_db
def test_a_new_association_needs_a_province():
    content = csv_bytes(
        [{"name_ar": "جمعية", "registration_number": "IMP-NEW"}],
        header=["name_ar", "registration_number"],
    )

    report = run(content)

    assert errors_of(report) == {(2, "province")} and report.skipped == 1


@pytest.mark.django_db
def test_a_row_that_fails_to_save_does_not_lose_the_others(monkeypatch):
    real_create = importing.create_association

    def create(**data):
        if data["registration_number"] == "IMP-2":
            raise RuntimeError("disk full")
        return real_create(**data)

    monkeypatch.setattr(importing, "create_association", create)
    rows = [dict(AMAL, registration_number=f"IMP-{n}") for n in range(1, 5)]

    importer = importing.AssociationImporter(batch_size=2)
    with translation.override("en"):
        report = importer.run(csv_bytes(rows), "a.csv")

    assert (report.created, report.skipped) == (3, 1)
    assert [(error.row, error.field) for error in report.errors] == [(3, "")]
    assert not AssociationPage.objects.filter(registration_number="IMP-2").exists()
    assert AssociationPage.objects.filter(registration_number="IMP-4").exists()


# ---------------------------------------------------------------------------
# Files that cannot be read
# ---------------------------------------------------------------------------
def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, fragment",
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"\xef\xbb\xbf \r\n", "empty", id="only-a-bom"),
        pytest.param(
            bytes(range(256)) * 4, "neither an Excel workbook (.xlsx) nor a CSV", id="garbage"
        ),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither", id="png"),
        pytest.param("nom;ville\nAmal;Fès\n".encode("cp1252"), "UTF-8", id="latin1-csv"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls", id="xls"),
        pytest.param(docx_bytes(), "ZIP archive", id="docx"),
        pytest.param(b"PK\x03\x04broken", "ZIP archive", id="broken-zip"),
        pytest.param(
            "name_fr,city\nAmal,Fès\n".encode(),
            "required columns name_ar, registration_number are missing",
            id="missing-columns",
        ),
        pytest.param(
            b"name_ar,registration_number\n", "no association to import", id="header-only"
        ),
        pytest.param(
            "name_ar,nom_ar,registration_number\nا,ب,1\n".encode(),
            "are the same column",
            id="same-column-twice",
        ),
    ],
)
def test_unreadable_file_gives_one_clear_error(content, fragment):
    report = run(content)

    assert len(report.file_errors) == 1 and fragment in report.file_errors[0]
    assert report.errors == [] and report.total == 0


@pytest.mark.django_db
def test_damaged_xlsx_is_a_file_error():
    content = xlsx_bytes([["name_ar"]])
    damaged = content[: len(content) // 2]
    report = run(damaged, "a.xlsx")
    assert len(report.file_errors) == 1


@pytest.mark.django_db
def test_row_numbers_stay_those_of_the_sheet_across_blank_rows():
    content = xlsx_bytes(
        [
            ["name_ar", "registration_number", "province"],
            ["جمعية", "X-10", "fes"],
            [],
            [None, None, None],
            ["جمعية", "X-11", "Casa"],
        ]
    )

    report = run(content, "a.xlsx")

    assert errors_of(report) == {(5, "province")} and report.created == 1


@pytest.mark.django_db
def test_too_many_rows_is_a_file_error(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    rows = [dict(AMAL, registration_number=f"IMP-M{n}") for n in range(3)]

    report = run(csv_bytes(rows))

    assert report.file_errors == ["The file has more than 2 rows: split it into several files."]
    assert not AssociationPage.objects.filter(registration_number="IMP-M0").exists()


@pytest.mark.django_db
def test_unknown_columns_are_ignored_with_a_warning():
    header = ["name_ar", "registration_number", "province", "couleur préférée"]
    content = csv_bytes(
        [{"name_ar": "جمعية", "registration_number": "IMP-W", "province": "fes"}], header=header
    )

    report = run(content)

    assert report.created == 1
    assert report.warnings == ["The column « couleur préférée » is not known and was ignored."]


# ---------------------------------------------------------------------------
# Dry run, progress, queries
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_dry_run_writes_nothing_but_reports_what_would_happen(heure_joyeuse):
    pages = AssociationPage.objects.count()
    revisions = Revision.objects.count()
    update = {"name_ar": heure_joyeuse.name_ar, "registration_number": "CASA-1959-0427"}
    content = csv_bytes(
        [update | {"members": "1"}, dict(NOUR), dict(AMAL, province="Casa")],
        header=["name_ar", "registration_number", "members", "province"],
    )

    report = run(content, dry_run=True)

    assert report.dry_run
    assert (report.created, report.updated, report.skipped) == (1, 1, 1)
    assert AssociationPage.objects.count() == pages and Revision.objects.count() == revisions
    assert source("CASA-1959-0427").members_count == heure_joyeuse.members_count
    with translation.override("en"):
        assert "nothing was saved" in report.summary()


@pytest.mark.django_db
def test_progress_callback_counts_every_row():
    calls = []
    rows = [dict(AMAL, registration_number=f"IMP-P{n}") for n in range(3)]

    run(
        csv_bytes(rows + [dict(AMAL, registration_number="IMP-P9", province="?")]),
        progress=lambda *a: calls.append(a),
    )

    assert calls[0] == (0, 4) and calls[-1] == (4, 4)
    assert [done for done, _total in calls] == [0, 1, 2, 3, 4]


@pytest.mark.django_db
def test_validation_queries_do_not_grow_with_the_rows(django_assert_max_num_queries):
    def invalid_rows(count):
        rows = [
            dict(AMAL, registration_number=f"IMP-Q{n}", province="Atlantide") for n in range(count)
        ]
        return csv_bytes(rows)

    with CaptureQueriesContext(connection) as one_row:
        run(invalid_rows(1), dry_run=True)

    with django_assert_max_num_queries(len(one_row.captured_queries)):
        report = run(invalid_rows(50), dry_run=True)

    assert report.skipped == 50 and len(one_row.captured_queries) <= 10


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------
class TTY(io.StringIO):
    def isatty(self):
        return True


def command(*args, stdout=None):
    stdout = stdout or io.StringIO()
    with translation.override("en"):
        call_command("import_associations", *args, "--language", "en", stdout=stdout)
    return stdout.getvalue()


@pytest.fixture
def write_file(tmp_path):
    def write(content, name="associations.csv"):
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return write


@pytest.mark.django_db
def test_command_imports_and_prints_summary_and_errors(write_file):
    editor = UserFactory(email="editor.import@example.org", roles=["Editors"])
    rows = [NOUR, AMAL, dict(AMAL, registration_number="IMP-X", province="Casa")]

    output = command(write_file(csv_bytes(rows)), "--user", "Editor.Import@example.org")

    assert "100% 3/3" in output
    assert "2 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "Row 4, province: unknown province « Casa »" in output
    assert source("IMP-RABAT-001").latest_revision.user == editor


@pytest.mark.django_db
def test_command_draws_a_progress_bar_on_a_terminal(write_file):
    rows = [dict(AMAL, registration_number=f"IMP-T{n}") for n in range(4)]

    output = command(write_file(csv_bytes(rows)), stdout=TTY())

    assert "\r[" + "#" * 15 + "." * 15 + "]  50% 2/4" in output
    assert "[" + "#" * 30 + "] 100% 4/4" in output


@pytest.mark.django_db
def test_command_dry_run_writes_nothing(write_file):
    pages = AssociationPage.objects.count()

    output = command(write_file(csv_bytes([NOUR])), "--dry-run")

    assert "Dry run, nothing was saved: 1 would be created" in output
    assert AssociationPage.objects.count() == pages


@pytest.mark.django_db
def test_command_reads_xlsx(write_file):
    content = xlsx_bytes([["name_ar", "registration_number", "province"], ["جمعية", "X-2", "fes"]])

    output = command(write_file(content, "a.xlsx"))

    assert "1 created" in output and source("X-2")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, message",
    [
        pytest.param(b"", "The file is empty", id="empty"),
        pytest.param(b"\x00\xff\xfe garbage", "neither an Excel workbook", id="garbage"),
        pytest.param(b"city\nFes\n", "required columns", id="missing-columns"),
    ],
)
def test_command_fails_when_the_file_cannot_be_read(write_file, content, message):
    with pytest.raises(CommandError, match=message):
        command(write_file(content))


@pytest.mark.django_db
def test_command_fails_on_missing_file_or_unknown_user(tmp_path, write_file):
    with pytest.raises(CommandError, match="Cannot read"):
        command(str(tmp_path / "nowhere.csv"))
    with pytest.raises(CommandError, match="nobody@example.org"):
        command(write_file(csv_bytes([NOUR])), "--user", "nobody@example.org")
    member = UserFactory(roles=["Members"])
    with pytest.raises(CommandError, match="may not import"):
        command(write_file(csv_bytes([NOUR])), "--user", member.email)


# ---------------------------------------------------------------------------
# The Wagtail admin
# ---------------------------------------------------------------------------
IMPORT_URL = "/admin/directory/import/"


def upload(client, content, name="associations.csv", dry_run=False):
    data = {"file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(IMPORT_URL, data)


@pytest.fixture
def staff_client(client, people):
    client.force_login(people["staff"])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES + ["superuser"])
def test_import_page_permissions(client, people, role):
    user = UserFactory(is_superuser=True) if role == "superuser" else people[role]
    if user:
        client.force_login(user)

    response = client.get(IMPORT_URL)

    if role in ("staff", "superuser"):
        assert response.status_code == 200
        assert b'type="file"' in response.content
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"] or response["Location"] == "/admin/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_upload_refused_to_everyone_but_staff(client, people, role):
    pages = AssociationPage.objects.count()
    if people[role]:
        client.force_login(people[role])

    response = upload(client, csv_bytes([NOUR]))

    assert response.status_code == 302
    if role == "staff":
        assert response["Location"].startswith(IMPORT_URL)
        assert AssociationPage.objects.count() > pages
    else:
        assert response["Location"].startswith("/admin/login/")
        assert AssociationPage.objects.count() == pages


@pytest.mark.django_db
def test_editor_without_page_permission_is_refused(client):
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.get(IMPORT_URL)

    assert response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.django_db
def test_menu_item_only_for_staff(client, people):
    client.force_login(people["staff"])
    assert IMPORT_URL.encode() in client.get("/admin/").content
    client.force_login(UserFactory(is_superuser=True))
    assert IMPORT_URL.encode() in client.get("/admin/").content


@pytest.mark.django_db
def test_admin_import_shows_the_report_and_records_the_user(staff_client, people):
    rows = [NOUR, AMAL, dict(AMAL, registration_number="IMP-X", province="Casa")]

    response = upload(staff_client, csv_bytes(rows))

    assert response.status_code == 302
    results = staff_client.get(response["Location"])
    assert results.status_code == 200
    html = results.content.decode()
    assert 'data-count="created">2<' in html and 'data-count="skipped">1<' in html
    assert "<td>4</td>" in html and "Casa" in html
    assert "<progress" not in html
    for number in ("IMP-RABAT-001", "IMP-CASA-002"):
        assert source(number).latest_revision.user == people["staff"]


@pytest.mark.django_db
def test_admin_dry_run_saves_nothing(staff_client):
    pages = AssociationPage.objects.count()

    response = upload(staff_client, csv_bytes([NOUR]), dry_run=True)

    html = staff_client.get(response["Location"]).content.decode()
    assert 'data-count="created">1<' in html
    assert AssociationPage.objects.count() == pages


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, name",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", id="png-named-csv"),
        pytest.param(docx_bytes(), "letter.xlsx", id="docx-named-xlsx"),
        pytest.param(b"%PDF-1.7\n\x00\x01\x02\xff", "receipt.csv", id="pdf"),
        pytest.param(b"", "empty.csv", id="empty"),
    ],
)
def test_admin_upload_refuses_what_is_not_csv_or_xlsx(staff_client, content, name):
    pages = AssociationPage.objects.count()

    response = upload(staff_client, content, name)

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert AssociationPage.objects.count() == pages


@pytest.mark.django_db
def test_admin_upload_accepts_xlsx_whatever_its_name(staff_client):
    content = xlsx_bytes([["name_ar", "registration_number", "province"], ["جمعية", "X-3", "fes"]])

    response = upload(staff_client, content, "export.txt")

    assert response.status_code == 302 and source("X-3")


@pytest.mark.django_db
def test_admin_upload_refuses_files_over_10_mb(staff_client):
    content = csv_bytes([NOUR]) + b" " * (10 * 1024 * 1024)

    response = upload(staff_client, content)

    assert response.status_code == 200 and "10 Mo" in str(response.context["form"].errors)


@pytest.mark.django_db
def test_admin_file_error_is_shown_on_the_report(staff_client):
    response = upload(staff_client, b"city;phone\nFes;0522000000\n")

    html = staff_client.get(response["Location"]).content.decode()
    assert "name_ar, registration_number" in html
    assert "data-count" not in html


@pytest.mark.django_db
def test_status_endpoint_returns_json(staff_client):
    response = upload(staff_client, csv_bytes([NOUR]))
    status_url = response["Location"] + "status/"

    status = staff_client.get(status_url)

    assert status["Content-Type"] == "application/json"
    assert status.json() == {"status": "done", "done": 1, "total": 1, "percent": 100}


@pytest.mark.django_db
def test_running_import_shows_a_progress_bar_and_refresh_link(staff_client, people):
    import_id = "6f1c5b2e-6d0a-4d4e-9a53-3f1b0c2d9e10"
    cache.set(
        import_admin._job_key(import_id),
        {
            "user_id": people["staff"].pk,
            "filename": "big.csv",
            "dry_run": False,
            "language": "fr",
            "status": "running",
            "done": 250,
            "total": 1000,
            "started_at": "",
            "report": None,
        },
    )

    html = staff_client.get(f"{IMPORT_URL}{import_id}/").content.decode()
    status = staff_client.get(f"{IMPORT_URL}{import_id}/status/").json()

    assert '<progress max="100" value="25"' in html
    assert f'href="{IMPORT_URL}{import_id}/"' in html  # the Refresh link, without JavaScript
    assert "js/import-progress.js" in html
    assert 'data-template="' in html
    assert status == {"status": "running", "done": 250, "total": 1000, "percent": 25}


@pytest.mark.django_db
def test_another_persons_import_is_not_found(client, staff_client):
    response = upload(staff_client, csv_bytes([NOUR]))
    results_url = response["Location"]
    other = UserFactory(roles=["Editors"])
    client.force_login(other)

    # Gone rather than 404: a 404 outside the language prefixes is redirected to /fr/….
    refused = client.get(results_url)
    assert refused.status_code == 410 and "a expiré".encode() in refused.content
    assert b"IMP-RABAT-001" not in refused.content
    assert client.get(results_url + "status/").json() == {"status": "unknown"}
    assert client.get(IMPORT_URL + "00000000-0000-0000-0000-000000000000/").status_code == 410


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in ROLES if role != "staff"])
def test_status_endpoint_refused_to_non_staff(client, people, role):
    if people[role]:
        client.force_login(people[role])

    response = client.get(
        IMPORT_URL + "00000000-0000-0000-0000-000000000000/status/",
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code in (302, 403)
    assert response.get("Content-Type") != "application/json"


@pytest.mark.django_db
def test_an_import_that_crashes_shows_a_failure(staff_client, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(import_admin, "run_importer", crash)

    response = upload(staff_client, csv_bytes([NOUR]))

    results = staff_client.get(response["Location"])
    assert results.status_code == 200 and b"help-critical" in results.content
    assert staff_client.get(response["Location"] + "status/").json()["status"] == "failed"
