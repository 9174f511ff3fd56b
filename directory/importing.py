"""Bulk import of associations from a CSV or XLSX file (command line and admin).

The file has a header row; columns are recognised by name in English, French or
Arabic, whatever the case or accents (see COLUMNS). Every row is validated and
every problem is reported with its row number (as a spreadsheet shows it: the
header is row 1) and its column, never stopping at the first one.

The registration receipt number is the key: a row whose number matches an
existing association (default locale, compared trimmed and case-insensitively)
updates it with a new published revision holding the changed fields only; other
rows create associations with `create_association`. Columns left out of the file
are not touched; an empty cell clears the value. An update starts from the live
page: a draft someone left unpublished stays in the history but is not carried over. Rows with errors are skipped,
the others are saved in batches, each batch in a transaction and each row in a
savepoint, so one row that fails to save never loses the others.
"""

import csv
import io
import logging
import re
import time
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.log_actions import LogContext
from wagtail.models import Locale

from .creation import create_association
from .models import (
    AssociationIndexPage,
    AssociationPage,
    BudgetBand,
    FieldOfActivity,
    Province,
    TargetGroup,
)
from .validators import normalize_moroccan_phone

logger = logging.getLogger(__name__)

# Column → accepted header names (compared through `_header_key`).
COLUMNS = {
    "name_ar": (
        "name_ar",
        "arabic_name",
        "name_arabic",
        "nom_ar",
        "nom_arabe",
        "nom_en_arabe",
        "الاسم بالعربية",
        "الاسم العربي",
        "الاسم الرسمي بالعربية",
    ),
    "name_fr": (
        "name_fr",
        "french_name",
        "name_french",
        "nom_fr",
        "nom_francais",
        "nom_en_francais",
        "nom",
        "الاسم بالفرنسية",
        "الاسم الفرنسي",
        "الاسم الرسمي بالفرنسية",
    ),
    "acronym": ("acronym", "abbreviation", "sigle", "acronyme", "الاختصار", "المختصر"),
    "other_spellings": (
        "other_spellings",
        "other_names",
        "aliases",
        "autres_graphies",
        "autres_noms",
        "أسماء أخرى",
        "تهجئات أخرى",
    ),
    "short_description": (
        "short_description",
        "description",
        "description_courte",
        "resume",
        "وصف مختصر",
        "الوصف",
        "نبذة",
    ),
    "fields": (
        "fields",
        "fields_of_activity",
        "field_of_activity",
        "domaines",
        "domaine",
        "domaines_d_activite",
        "domaine_d_activite",
        "مجالات النشاط",
        "مجال النشاط",
        "المجالات",
    ),
    "target_groups": (
        "target_groups",
        "target_group",
        "publics_cibles",
        "public_cible",
        "cibles",
        "الفئات المستهدفة",
        "الفئة المستهدفة",
    ),
    "province": (
        "province",
        "prefecture",
        "prefecture_or_province",
        "prefecture_province",
        "prefecture_ou_province",
        "الإقليم",
        "العمالة",
        "العمالة أو الإقليم",
        "العمالة او الاقليم",
    ),
    "city": ("city", "ville", "commune", "localite", "المدينة", "الجماعة"),
    "address": ("address", "adresse", "العنوان"),
    "latitude": ("latitude", "lat", "خط العرض"),
    "longitude": ("longitude", "lng", "lon", "long", "خط الطول"),
    "members": (
        "members",
        "members_count",
        "membres",
        "nombre_de_membres",
        "adherents",
        "الأعضاء",
        "عدد الأعضاء",
    ),
    "staff": (
        "staff",
        "staff_count",
        "paid_staff",
        "salaries",
        "employes",
        "personnel",
        "الأجراء",
        "عدد الأجراء",
        "المستخدمون",
    ),
    "volunteers": (
        "volunteers",
        "volunteers_count",
        "benevoles",
        "nombre_de_benevoles",
        "المتطوعون",
        "عدد المتطوعين",
    ),
    "budget_band": (
        "budget_band",
        "budget",
        "annual_budget",
        "budget_annuel",
        "tranche_de_budget",
        "الميزانية",
        "الميزانية السنوية",
    ),
    "founded_year": (
        "founded_year",
        "year_founded",
        "founded",
        "annee_de_creation",
        "annee_creation",
        "creation",
        "سنة التأسيس",
    ),
    "registration_number": (
        "registration_number",
        "registration",
        "receipt_number",
        "numero_de_recepisse",
        "numero_recepisse",
        "n_recepisse",
        "no_recepisse",
        "recepisse",
        "رقم الوصل",
        "رقم وصل الإيداع",
        "رقم الوصل النهائي",
        "رقم التسجيل",
    ),
    "registration_date": (
        "registration_date",
        "receipt_date",
        "date_de_recepisse",
        "date_recepisse",
        "تاريخ الوصل",
        "تاريخ التسجيل",
    ),
    "public_utility": (
        "public_utility",
        "utilite_publique",
        "reconnue_d_utilite_publique",
        "المنفعة العامة",
        "ذات المنفعة العامة",
        "صفة المنفعة العامة",
    ),
    "email": ("email", "e_mail", "courriel", "mail", "البريد الإلكتروني", "البريد الالكتروني"),
    "phone": ("phone", "telephone", "tel", "الهاتف", "رقم الهاتف"),
    "website": (
        "website",
        "web",
        "site",
        "site_web",
        "site_internet",
        "الموقع",
        "الموقع الإلكتروني",
    ),
}
REQUIRED_COLUMNS = ("name_ar", "registration_number")

# Column → AssociationPage field.
MODEL_FIELDS = {
    "members": "members_count",
    "staff": "staff_count",
    "volunteers": "volunteers_count",
    "fields": "fields_of_activity",
}
COLUMN_OF_FIELD = {model_field: column for column, model_field in MODEL_FIELDS.items()}

TRUE_WORDS = {"yes", "y", "oui", "o", "1", "true", "vrai", "x", "نعم"}
FALSE_WORDS = {"no", "n", "non", "0", "false", "faux", "لا"}
LIST_SEPARATORS = re.compile(r"[|,،\n]")
SPELLING_SEPARATORS = re.compile(r"[|\n]")
LATITUDE_RANGE = (Decimal("20"), Decimal("36.5"))
LONGITUDE_RANGE = (Decimal("-17.5"), Decimal("-0.9"))
COORDINATE_STEP = Decimal("0.00001")
# A batch is one transaction: at most this many rows, or about this long. Creating
# an association costs a few hundred queries (revision, aliases, search index), and
# on SQLite a transaction holds the write lock that every other request waits for.
BATCH_SIZE = 50
MAX_ROWS = 100_000
BATCH_SECONDS = 1.0


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
class ImportFileError(Exception):
    """The file cannot be read at all (empty, not CSV/XLSX, missing columns…)."""


@dataclass
class RowError:
    row: int
    field: str  # the column's canonical name (see COLUMNS), "" for the whole row
    column: str  # the column's header as written in the file
    message: str

    def __str__(self):
        if self.column:
            return _("Row %(row)s, %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportReport:
    """What an import did (or would do, in a dry run). JSON-serialisable via `as_dict`."""

    dry_run: bool = False
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    file_errors: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data["errors"] = [RowError(**error) for error in data.get("errors", [])]
        return cls(**data)

    def summary(self):
        counts = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }
        if self.dry_run:
            return (
                _(
                    "Dry run, nothing was saved: %(created)d would be created, %(updated)d "
                    "updated, %(unchanged)d unchanged, %(skipped)d skipped because of errors."
                )
                % counts
            )
        return (
            _(
                "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                "%(skipped)d skipped because of errors."
            )
            % counts
        )


# ---------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------
def _fold(text):
    """Text reduced for comparisons: no accents, Arabic diacritics, hamza or tatweel
    variants, case or punctuation."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(
        ch
        for ch in text
        if not unicodedata.combining(ch) and unicodedata.category(ch) not in ("Cc", "Cf")
    )
    text = text.replace("\u0640", "").translate(str.maketrans({"ة": "ه", "ى": "ي"}))
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def _header_key(text):
    return _fold(text).replace(" ", "_")


HEADER_ALIASES = {
    _header_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases
}


def detect_format(content):
    """'csv' or 'xlsx', judged by the bytes (never by the name); ImportFileError otherwise."""
    if not content or not content.strip().removeprefix(b"\xef\xbb\xbf").strip():
        raise ImportFileError(_("The file is empty."))
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) "
                "or as “CSV UTF-8” and try again."
            )
        )
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            names = set()
        if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
            return "xlsx"
        if "mimetype" in names:
            raise ImportFileError(
                _(
                    "OpenDocument spreadsheets are not supported. Save the file as an Excel "
                    "workbook (.xlsx) or as “CSV UTF-8” and try again."
                )
            )
        raise ImportFileError(
            _("This file is a ZIP archive, not an Excel workbook (.xlsx) or a CSV file.")
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise ImportFileError(
            _(
                "This file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8. "
                "In Excel, choose “Save as” › “CSV UTF-8”."
            )
        )
    return "csv"


def _csv_delimiter(text):
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(text[:65536], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = None
    if delimiter is None or delimiter not in first_line:
        # The sniffer hesitates on short files: the header line decides.
        delimiter = max(",;\t", key=first_line.count)
    return delimiter


def _numbered(records):
    """[(row number, cells)] of the records that are not blank, at most MAX_ROWS + 1."""
    numbered = []
    for number, record in enumerate(records, start=1):
        if any(_cell_text(cell) for cell in record):
            numbered.append((number, list(record)))
            if len(numbered) > MAX_ROWS + 1:
                raise ImportFileError(
                    _("The file has more than %(count)d rows: split it into several files.")
                    % {"count": MAX_ROWS}
                )
    return numbered


def _read_csv(content):
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text))
    try:
        return _numbered(reader)
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file could not be read (line %(line)s): %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error


def _read_xlsx(content):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on damaged files
        logger.info("Unreadable workbook: %r", error)
        raise ImportFileError(
            _("The Excel workbook could not be read: it may be damaged or protected.")
        ) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The Excel workbook has no sheet."))
        return _numbered(workbook.worksheets[0].iter_rows(values_only=True))
    except ImportFileError:
        raise
    except Exception as error:
        logger.info("Unreadable worksheet: %r", error)
        raise ImportFileError(
            _("The first sheet of the Excel workbook could not be read.")
        ) from error
    finally:
        workbook.close()


def read_table(content):
    """(format, records): [(row number, cells)] of the rows that are not blank, the
    header first. Row numbers are the spreadsheet's (the first line is row 1)."""
    kind = detect_format(content)
    records = _read_xlsx(content) if kind == "xlsx" else _read_csv(content)
    return kind, records


def _cell_text(value):
    """A cell as stripped text (XLSX cells may be numbers, dates or booleans)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# ---------------------------------------------------------------------------
# Vocabularies: terms found by slug or by name in any language
# ---------------------------------------------------------------------------
class Vocabulary:
    """Every term of the taxonomies by slug and by name in any language (4 queries)."""

    PROVINCE_PREFIXES = (
        "prefecture de ",
        "prefecture d ",
        "prefecture du ",
        "prefecture ",
        "province de ",
        "province d ",
        "province du ",
        "province ",
        "عماله ",
        "اقليم ",
    )

    def __init__(self):
        self.fields = self._lookup(FieldOfActivity)
        self.target_groups = self._lookup(TargetGroup)
        self.provinces = self._lookup(Province)
        self.province_ids = dict(Province.source_terms().values_list("slug", "pk"))
        self.budget_bands = {}
        for code, label in BudgetBand.choices:
            self.budget_bands[_fold(code)] = code
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    self.budget_bands[_fold(str(label))] = code

    @staticmethod
    def _lookup(model):
        found = {}
        for slug, name in model.objects.values_list("slug", "name"):
            found.setdefault(_fold(slug), slug)
            found.setdefault(_fold(name), slug)
        return found

    def province(self, value):
        key = _fold(value)
        if key in self.provinces:
            return self.provinces[key]
        for prefix in self.PROVINCE_PREFIXES:
            if key.startswith(prefix) and key[len(prefix) :] in self.provinces:
                return self.provinces[key[len(prefix) :]]
        return None


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------
class CellError(Exception):
    pass


@dataclass
class Row:
    number: int
    data: dict  # AssociationPage field → value, for the columns of the file
    errors: list
    key: str = ""  # folded registration number


def _max_length(name):
    return AssociationPage._meta.get_field(name).max_length


def _text(value, name):
    limit = _max_length(name)
    if limit and len(value) > limit:
        raise CellError(
            ngettext(
                "at most %(limit)d character (it has %(length)d)",
                "at most %(limit)d characters (it has %(length)d)",
                limit,
            )
            % {"limit": limit, "length": len(value)}
        )
    return value


def _integer(value):
    if value == "":
        return None
    # Spaces may group thousands (1 200); decimals and signs are errors.
    compact = re.sub(r"[\s\u00a0\u202f]", "", value)
    if not compact.isdecimal():
        raise CellError(_("« %(value)s » is not a whole number") % {"value": value})
    return int(compact)


def _coordinate(value, bounds, axis):
    if value == "":
        return None
    try:
        number = Decimal(value.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CellError(_("« %(value)s » is not a number") % {"value": value})
    low, high = bounds
    if not low <= number <= high:
        raise CellError(
            _("« %(value)s » is outside Morocco (%(axis)s between %(low)s and %(high)s)")
            % {"value": value, "axis": axis, "low": low, "high": high}
        )
    return number.quantize(COORDINATE_STEP)


def _date(value):
    if value == "":
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            parsed = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if parsed > timezone.localdate():
            raise CellError(_("« %(value)s » is in the future") % {"value": value})
        return parsed
    raise CellError(
        _("« %(value)s » is not a date: write it as YYYY-MM-DD or DD/MM/YYYY") % {"value": value}
    )


def _phone(value):
    if value == "":
        return ""
    if value.isdigit() and len(value) == 9 and value[0] in "5678":
        # A spreadsheet that stored the number as a number dropped its leading 0.
        value = "0" + value
    try:
        return normalize_moroccan_phone(value)
    except ValidationError as error:
        raise CellError(str(error.messages[0])) from error


def _website(value):
    if value == "":
        return ""
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I):
        value = "https://" + value
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as error:
        raise CellError(_("« %(value)s » is not a web address") % {"value": value}) from error
    return _text(value, "website")


def _email(value):
    if value == "":
        return ""
    try:
        EmailValidator()(value)
    except ValidationError as error:
        raise CellError(_("« %(value)s » is not an e-mail address") % {"value": value}) from error
    return _text(value, "email")


def _boolean(value):
    folded = _fold(value)
    if folded == "":
        return False
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    raise CellError(_("« %(value)s » is not yes or no") % {"value": value})


def _terms(value, lookup, unknown_message):
    slugs, unknown = [], []
    for part in LIST_SEPARATORS.split(value):
        part = part.strip()
        if not part:
            continue
        slug = lookup.get(_fold(part))
        if slug is None:
            unknown.append(part)
        elif slug not in slugs:
            slugs.append(slug)
    if unknown:
        raise CellError(unknown_message % {"value": " », « ".join(unknown)})
    return slugs


class RowParser:
    """Turns the cells of one row into AssociationPage field values, or errors."""

    def __init__(self, vocabulary):
        self.vocabulary = vocabulary

    def parse(self, column, value):
        vocabulary = self.vocabulary
        if column in ("name_ar", "registration_number"):
            if value == "":
                raise CellError(_("this value is required"))
            return _text(value, column)
        if column in ("name_fr", "acronym", "short_description", "city", "address"):
            return _text(value, column)
        if column == "other_spellings":
            return "\n".join(
                part.strip() for part in SPELLING_SEPARATORS.split(value) if part.strip()
            )
        if column == "fields":
            return _terms(value, vocabulary.fields, _("unknown field of activity « %(value)s »"))
        if column == "target_groups":
            return _terms(value, vocabulary.target_groups, _("unknown target group « %(value)s »"))
        if column == "province":
            if value == "":
                return None
            slug = vocabulary.province(value)
            if slug is None:
                raise CellError(_("unknown province « %(value)s »") % {"value": value})
            return slug
        if column == "latitude":
            return _coordinate(value, LATITUDE_RANGE, _("latitude"))
        if column == "longitude":
            return _coordinate(value, LONGITUDE_RANGE, _("longitude"))
        if column in ("members", "staff", "volunteers"):
            return _integer(value)
        if column == "budget_band":
            if value == "":
                return ""
            code = vocabulary.budget_bands.get(_fold(value))
            if code is None:
                raise CellError(
                    _("unknown budget band « %(value)s » (use one of: %(codes)s)")
                    % {"value": value, "codes": ", ".join(BudgetBand.values)}
                )
            return code
        if column == "founded_year":
            year = _integer(value)
            if year is not None and not 1900 <= year <= timezone.localdate().year:
                raise CellError(
                    _("« %(value)s » is not a year between 1900 and this year") % {"value": value}
                )
            return year
        if column == "registration_date":
            return _date(value)
        if column == "public_utility":
            return _boolean(value)
        if column == "email":
            return _email(value)
        if column == "phone":
            return _phone(value)
        if column == "website":
            return _website(value)
        raise AssertionError(column)  # every column of COLUMNS is handled above


# ---------------------------------------------------------------------------
# The import
# ---------------------------------------------------------------------------
def can_import(user):
    """Superusers, and staff who may add associations to the directory (Editors)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    index = AssociationIndexPage.objects.filter(locale=Locale.get_default()).first()
    return index is not None and index.permissions_for_user(user).can_add_subpage()


def registration_key(number):
    return " ".join(str(number or "").split()).casefold()


class AssociationImporter:
    """Validate a file then create or update its associations.

    `progress(done, total)` is called as rows are handled. With `dry_run`, nothing
    is written but the report says what would happen.
    """

    def __init__(self, *, user=None, dry_run=False, progress=None, batch_size=BATCH_SIZE):
        self.user = user
        self.dry_run = dry_run
        self.progress = progress or (lambda done, total: None)
        self.batch_size = batch_size
        self.report = ImportReport(dry_run=dry_run)

    # Reading and validating -------------------------------------------------
    def _columns(self, header):
        """{column: index}, and the headers as written; ImportFileError if unusable."""
        positions, written = {}, {}
        for index, cell in enumerate(header):
            title = _cell_text(cell)
            if not title:
                continue
            column = HEADER_ALIASES.get(_header_key(title))
            if column is None:
                self.report.warnings.append(
                    _("The column « %(column)s » is not known and was ignored.") % {"column": title}
                )
            elif column in positions:
                raise ImportFileError(
                    _("The columns « %(first)s » and « %(second)s » are the same column.")
                    % {"first": written[column], "second": title}
                )
            else:
                positions[column], written[column] = index, title
        missing = [column for column in REQUIRED_COLUMNS if column not in positions]
        if missing:
            raise ImportFileError(
                ngettext(
                    "The required column %(columns)s is missing. The first row must name "
                    "the columns.",
                    "The required columns %(columns)s are missing. The first row must name "
                    "the columns.",
                    len(missing),
                )
                % {"columns": ", ".join(missing)}
            )
        return positions, written

    def _rows(self, records, positions, written):
        parser = RowParser(self.vocabulary)
        rows = []
        for number, record in records[1:]:
            cells = {
                column: _cell_text(record[index]) if index < len(record) else ""
                for column, index in positions.items()
            }
            if not any(cells.values()):
                continue  # only cells of ignored columns
            row = Row(number=number, data={}, errors=[])
            for column, value in cells.items():
                try:
                    parsed = parser.parse(column, value)
                except CellError as error:
                    row.errors.append(RowError(number, column, written[column], str(error)))
                    continue
                row.data[MODEL_FIELDS.get(column, column)] = parsed
            latitude, longitude = row.data.get("latitude"), row.data.get("longitude")
            if (latitude is None) != (longitude is None) and not any(
                error.field in ("latitude", "longitude") for error in row.errors
            ):
                missing = "longitude" if longitude is None else "latitude"
                row.errors.append(
                    RowError(
                        number,
                        missing,
                        written.get(missing, missing),
                        _("give both the latitude and the longitude, or neither"),
                    )
                )
            row.key = registration_key(row.data.get("registration_number"))
            rows.append(row)
        return rows

    def _flag_duplicates(self, rows, written):
        first_row = {}
        for row in rows:
            if not row.key:
                continue
            if row.key in first_row:
                row.errors.append(
                    RowError(
                        row.number,
                        "registration_number",
                        written["registration_number"],
                        _(
                            "the registration number « %(number)s » is already on row %(row)s "
                            "of this file"
                        )
                        % {"number": row.data["registration_number"], "row": first_row[row.key]},
                    )
                )
            else:
                first_row[row.key] = row.number

    # Writing ---------------------------------------------------------------
    def _existing(self):
        """{registration key: page id} of the associations in the default locale."""
        pages = AssociationPage.objects.filter(locale=Locale.get_default()).exclude(
            registration_number=""
        )
        return {
            registration_key(number): pk
            for pk, number in pages.values_list("pk", "registration_number").order_by("-pk")
            if registration_key(number)
        }

    def _changes(self, page, data):
        """{field: new value} of what differs from the page."""
        changes = {}
        for name, value in data.items():
            if name == "registration_number":
                continue  # the key matched; keep the number as it was written before
            if name in ("fields_of_activity", "target_groups"):
                current = set(getattr(page, name).values_list("slug", flat=True))
                if current != set(value):
                    changes[name] = value
            elif name == "province":
                if value is not None and self.vocabulary.province_ids[value] != page.province_id:
                    changes[name] = value
            elif getattr(page, name) != value:
                changes[name] = value
        return changes

    def _update(self, page, changes):
        model = {"fields_of_activity": FieldOfActivity, "target_groups": TargetGroup}
        for name, value in changes.items():
            if name in model:
                setattr(page, name, list(model[name].source_terms().filter(slug__in=value)))
            elif name == "province":
                page.province_id = self.vocabulary.province_ids[value]
            else:
                if name == "name_ar" and page.title == page.name_ar:
                    page.title = value
                    page.draft_title = value
                setattr(page, name, value)
        revision = page.save_revision(user=self.user, log_action=True)
        # Whoever started the import was allowed to (see can_import).
        revision.publish(user=self.user, skip_permission_checks=True)

    def _create(self, data):
        data = {name: value for name, value in data.items() if value is not None}
        create_association(user=self.user, **data)

    def _save(self, row, existing):
        """'created', 'updated' or 'unchanged' (raises ValidationError on bad data)."""
        page_id = existing.get(row.key)
        if page_id is None:
            if not row.data.get("province"):
                raise ValidationError(
                    {"province": _("a province is required for a new association")}
                )
            if not self.dry_run:
                self._create(row.data)
            return "created"
        page = AssociationPage.objects.get(pk=page_id)
        changes = self._changes(page, row.data)
        if not changes:
            return "unchanged"
        if not self.dry_run:
            self._update(page, changes)
        return "updated"

    def _save_errors(self, row, error, written):
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                column = COLUMN_OF_FIELD.get(name, name)
                for message in messages:
                    row.errors.append(
                        RowError(row.number, column, written.get(column, column), message)
                    )
        elif isinstance(error, ValidationError):
            for message in error.messages:
                row.errors.append(RowError(row.number, "", "", message))
        else:
            row.errors.append(
                RowError(
                    row.number,
                    "",
                    "",
                    _("this row could not be saved (%(error)s)") % {"error": type(error).__name__},
                )
            )

    def run(self, content, filename=""):
        report = self.report
        try:
            kind, records = read_table(content)
            if not records:
                raise ImportFileError(_("The file is empty."))
            positions, written = self._columns(records[0][1])
        except ImportFileError as error:
            report.file_errors.append(str(error))
            return report
        if kind == "xlsx" and filename.lower().endswith(".csv"):
            report.warnings.append(
                _("The file is named .csv but it is an Excel workbook: it was read as a workbook.")
            )
        self.vocabulary = Vocabulary()
        rows = self._rows(records, positions, written)
        if not rows:
            report.file_errors.append(_("The file has no association to import."))
            return report
        self._flag_duplicates(rows, written)
        report.total = len(rows)
        existing = self._existing()
        done = 0
        self.progress(done, report.total)
        with LogContext(user=self.user):
            while done < len(rows):
                started = time.monotonic()
                with transaction.atomic():
                    for row in rows[done : done + self.batch_size]:
                        self._handle(row, existing, written)
                        done += 1
                        self.progress(done, report.total)
                        if time.monotonic() - started > BATCH_SECONDS:
                            break
        report.errors = [error for row in rows for error in row.errors]
        return report

    def _handle(self, row, existing, written):
        report = self.report
        if not row.errors:
            try:
                with transaction.atomic():
                    outcome = self._save(row, existing)
            except ValidationError as error:
                self._save_errors(row, error, written)
            except Exception as error:
                logger.exception("Import of row %s failed", row.number)
                self._save_errors(row, error, written)
            else:
                setattr(report, outcome, getattr(report, outcome) + 1)
                return
        report.skipped += 1


def import_associations(content, filename="", *, user=None, dry_run=False, progress=None):
    """Import associations from the bytes of a CSV or XLSX file; returns an ImportReport."""
    importer = AssociationImporter(user=user, dry_run=dry_run, progress=progress)
    return importer.run(content, filename)
