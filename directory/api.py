"""Open data: the directory as JSON and CSV.

    /api/associations.json?lang=fr&region=casablanca-settat&limit=50&offset=100
    /api/associations.csv?field=education&field=youth

Same filters as the directory page (directory/filters.py); `lang` (ar, fr, en;
default ar) chooses the language of names and addresses. Only the public profile
is published: never members, their e-mail addresses, receipt numbers or scans.
"""

import csv
from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .filters import DirectoryFilters

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
# Databases take 64-bit offsets at most; no directory is that long.
MAX_OFFSET = 10**9
CSV_CHUNK = 500
LANGUAGES = [code for code, _name in settings.LANGUAGES]
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE

CSV_COLUMNS = [
    "name_ar",
    "name_fr",
    "acronym",
    "slug",
    "url",
    "fields_of_activity",
    "fields_of_activity_names",
    "target_groups",
    "target_groups_names",
    "region",
    "region_name",
    "province",
    "province_name",
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
    "latitude",
    "longitude",
    "coordinates_exact",
    "last_updated",
]
# Several terms in one CSV cell.
CSV_LIST_SEPARATOR = " | "


def _language(request, notices):
    code = request.GET.get("lang", "").strip()
    if not code:
        return DEFAULT_LANGUAGE
    if code in LANGUAGES:
        return code
    notices.append(
        _("“%(value)s” is not an available language (%(choices)s): %(default)s is used.")
        % {"value": code[:10], "choices": ", ".join(LANGUAGES), "default": DEFAULT_LANGUAGE}
    )
    return DEFAULT_LANGUAGE


def _number(request, name, default, notices, *, maximum=None):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
        if value < 0:
            raise ValueError
    except ValueError:
        notices.append(
            _("“%(value)s” is not a valid %(name)s: %(default)s is used.")
            % {"value": raw[:20], "name": name, "default": default}
        )
        return default
    if maximum is not None and value > maximum:
        notices.append(_("%(name)s is at most %(maximum)s.") % {"name": name, "maximum": maximum})
        return maximum
    return value


def association_record(page, request):
    """The public fields of one association (pages from DirectoryFilters.attach_terms)."""
    latitude, longitude, exact = page.coordinates
    updated = page.last_updated
    return {
        "name_ar": page.name_ar,
        "name_fr": page.name_fr,
        "acronym": page.acronym,
        "slug": page.slug,
        # The address the client used (the Site record may name another host).
        "url": request.build_absolute_uri(page.get_url(request)),
        "fields_of_activity": [{"slug": slug, "name": name} for slug, name in page.field_list],
        "target_groups": [{"slug": slug, "name": name} for slug, name in page.group_list],
        "region": {"slug": page.region.slug, "name": page.region_name},
        "province": {"slug": page.province.slug, "name": page.province_name},
        "city": page.city,
        "size_category": page.size_category,
        "members_count": page.members_count,
        "staff_count": page.staff_count,
        "volunteers_count": page.volunteers_count,
        "budget_band": page.budget_band or None,
        "founded_year": page.founded_year,
        "verified": page.verified,
        "public_utility": page.public_utility,
        "website": page.website,
        "email": page.email,
        "phone": page.phone,
        "coordinates": {"latitude": latitude, "longitude": longitude, "exact": exact},
        "last_updated": updated.isoformat() if updated else None,
    }


@require_GET
def associations_json(request):
    notices = []
    language = _language(request, notices)
    with translation.override(language):
        limit = (
            _number(request, "limit", DEFAULT_LIMIT, notices, maximum=MAX_LIMIT) or DEFAULT_LIMIT
        )
        offset = _number(request, "offset", 0, notices, maximum=MAX_OFFSET)
        filters = DirectoryFilters(request.GET)
        total = filters.results.count()
        pages = filters.attach_terms(filters.slice(offset, offset + limit))
        data = {
            "count": total,
            "limit": limit,
            "offset": offset,
            "language": language,
            "next": _page_url(request, filters, language, limit, offset + limit)
            if offset + limit < total
            else None,
            "previous": _page_url(request, filters, language, limit, max(offset - limit, 0))
            if offset > 0
            else None,
            "notices": notices + filters.notices,
            "results": [association_record(page, request) for page in pages],
        }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read it from the browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page_url(request, filters, language, limit, offset):
    items = filters.query_items() + [("lang", language), ("limit", limit), ("offset", offset)]
    return request.build_absolute_uri(request.path) + "?" + urlencode(items)


class _Echo:
    """A file-like object for csv.writer that hands each line back."""

    def write(self, value):
        return value


def _csv_cell(value):
    """Cells that a spreadsheet would run as a formula are quoted with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_row(page, request):
    record = association_record(page, request)
    row = {
        **record,
        "fields_of_activity": CSV_LIST_SEPARATOR.join(
            t["slug"] for t in record["fields_of_activity"]
        ),
        "fields_of_activity_names": CSV_LIST_SEPARATOR.join(
            t["name"] for t in record["fields_of_activity"]
        ),
        "target_groups": CSV_LIST_SEPARATOR.join(t["slug"] for t in record["target_groups"]),
        "target_groups_names": CSV_LIST_SEPARATOR.join(t["name"] for t in record["target_groups"]),
        "region": record["region"]["slug"],
        "region_name": record["region"]["name"],
        "province": record["province"]["slug"],
        "province_name": record["province"]["name"],
        "latitude": record["coordinates"]["latitude"],
        "longitude": record["coordinates"]["longitude"],
        "coordinates_exact": record["coordinates"]["exact"],
    }
    cells = []
    for column in CSV_COLUMNS:
        value = row[column]
        if value is None:
            value = ""
        elif isinstance(value, bool):
            value = "1" if value else "0"
        # The phone is always +212… (normalised on save), not a formula.
        cells.append(value if column == "phone" else _csv_cell(value))
    return cells


@require_GET
def associations_csv(request):
    language = _language(request, [])
    with translation.override(language):
        filters = DirectoryFilters(request.GET)
        ids = list(filters.results.values_list("pk", flat=True))

    def lines():
        writer = csv.writer(_Echo())
        # The byte order mark makes Excel read the file as UTF-8 (Arabic names).
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        # The response is streamed after the view returns: set the language again.
        with translation.override(language):
            for start in range(0, len(ids), CSV_CHUNK):
                pages = filters.attach_terms(filters.fetch(ids[start : start + CSV_CHUNK]))
                for page in pages:
                    yield writer.writerow(_csv_row(page, request))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="associations-{language}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
