"""Public views of the directory: the list with its filters, the map, the statistics.

Routed by AssociationIndexPage (`""`, `"map/"`, `"statistics/"`). Every page works
without JavaScript; the list is the accessible primary view, the map an addition.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import QueryDict
from django.template.response import TemplateResponse
from django.utils.translation import get_language_bidi, ngettext
from django.utils.translation import gettext as _

from wagtail.images import get_image_model

from .filters import DirectoryFilters
from .models import SizeCategory
from .paging import page_links

# Beyond this many results the map groups associations by province (one marker
# with a count), so that the page stays light whatever the size of the directory.
MAP_MARKER_LIMIT = 300
LOGO_FILTER = "fill-96x96"


def directory_view(request, index):
    filters = DirectoryFilters(request.GET)
    context = list_context(request, filters)
    context.update(
        {
            "page": index,
            "form_action": index.get_url(request),
            "map_url": _subpage_url(request, index, "map", filters),
            "statistics_url": _subpage_url(request, index, "statistics"),
        }
    )
    return TemplateResponse(request, "directory/association_index_page.html", context)


def map_view(request, index):
    # No `page` in the context (only `index_page`): the language switcher then
    # translates this address, so it stays on the map (and keeps the filters).
    filters = DirectoryFilters(request.GET)
    context = list_context(request, filters)
    list_url = index.get_url(request)
    context.update(
        {
            "index_page": index,
            "form_action": list_url + index.reverse_subpage("map"),
            "list_url": list_url + filters.querystring(),
            "statistics_url": _subpage_url(request, index, "statistics"),
            "map_data": _map_data(request, index, filters),
            "tile_url": settings.DIRECTORY_MAP_TILE_URL,
            "breadcrumbs": [{"url": list_url, "title": index.title}, {"title": _("Map")}],
        }
    )
    return TemplateResponse(request, "directory/map.html", context)


def statistics_view(request, index):
    filters = DirectoryFilters(QueryDict())
    counts = filters.counts()
    total = filters.result_count
    rtl = get_language_bidi()
    regions = [
        (name, counts["region"].get(slug, 0)) for slug, name in filters.names["region"].items()
    ]
    fields = [(name, counts["field"].get(slug, 0)) for slug, name in filters.names["field"].items()]
    # Fields by number of associations: the chart reads as a ranking.
    fields.sort(key=lambda row: -row[1])
    sizes = [(label, counts["size"].get(value, 0)) for value, label in SizeCategory.choices]
    list_url = index.get_url(request)
    context = {
        "index_page": index,
        "total": total,
        "charts": [
            bar_chart("regions", _("Associations by region"), _("Region"), regions, rtl),
            bar_chart(
                "fields",
                _("Associations by field of activity"),
                _("Field of activity"),
                fields,
                rtl,
                note=_("An association may work in several fields of activity."),
            ),
            bar_chart("sizes", _("Associations by size"), _("Size"), sizes, rtl),
        ],
        "list_url": list_url,
        "map_url": list_url + index.reverse_subpage("map"),
        "breadcrumbs": [{"url": list_url, "title": index.title}, {"title": _("Statistics")}],
    }
    return TemplateResponse(request, "directory/statistics.html", context)


# ---------------------------------------------------------------------------
def list_context(request, filters):
    """What the list of results needs, in a constant number of queries."""
    page_obj = filters.paginate()
    associations = filters.attach_terms(_with_logos(page_obj.object_list))
    path = request.path
    for association in associations:
        _set_card_names(association)
    return {
        "query": "",  # the search page gives its query: cards highlight it
        "filters": filters,
        "facets": filters.facets(),
        "active_filters": filters.active_filters(path),
        "clear_url": path,
        "page_obj": page_obj,
        "associations": associations,
        "result_count": page_obj.paginator.count,
        "notices": filters.notices,
        "sort_options": [
            ("name", _("Name")),
            ("updated", _("Recently updated")),
            ("newest", _("Newest in the directory")),
        ],
        **page_links(path, filters, page_obj),
    }


def _with_logos(pages):
    """The page's logos with their rendition, in two queries (none without logos)."""
    pages = list(pages)
    prefetch_related_objects(
        pages,
        Prefetch("logo", queryset=get_image_model().objects.prefetch_renditions(LOGO_FILTER)),
    )
    return pages


def _set_card_names(page):
    """Both official names, each with its own language and direction."""
    ar = {"name": page.name_ar, "lang": "ar", "dir": "rtl"}
    fr = {"name": page.name_fr, "lang": "fr", "dir": "ltr"}
    first, second = (ar, fr) if page.display_name == page.name_ar else (fr, ar)
    page.card_name = first
    page.card_other_name = second if second["name"] and second["name"] != first["name"] else None


def _subpage_url(request, index, name, filters=None):
    url = index.get_url(request) + index.reverse_subpage(name)
    return url + filters.querystring() if filters and filters.is_filtered else url


def _map_data(request, index, filters):
    """Markers for the map: one per association, or one per province when many."""
    results = filters.results
    total = filters.result_count
    if total <= MAP_MARKER_LIMIT:
        markers = []
        for page in results.only(
            "pk",
            "url_path",
            "name_ar",
            "name_fr",
            "city",
            "latitude",
            "longitude",
            "province__latitude",
            "province__longitude",
            "province__slug",
            "region__slug",
        ):
            latitude, longitude, exact = page.coordinates
            markers.append(
                {
                    "name": page.display_name,
                    "url": page.get_url(request),
                    "lat": latitude,
                    "lng": longitude,
                    "exact": exact,
                    "place": page.city or filters.names["province"].get(page.province.slug, ""),
                }
            )
        return {"grouped": False, "total": total, "markers": markers}
    list_url = index.get_url(request)
    markers = []
    rows = (
        results.order_by()
        .values("province__slug", "province__latitude", "province__longitude")
        .annotate(count=Count("pk"))
    )
    for row in rows:
        slug = row["province__slug"]
        name = filters.names["province"].get(slug, slug)
        markers.append(
            {
                "name": name,
                "url": list_url + _with_province(filters, slug),
                "lat": float(row["province__latitude"]),
                "lng": float(row["province__longitude"]),
                "exact": False,
                "place": ngettext("%(count)s association", "%(count)s associations", row["count"])
                % {"count": row["count"]},
                "count": row["count"],
            }
        )
    return {"grouped": True, "total": total, "markers": markers}


def _with_province(filters, slug):
    """The directory list for one province, with the other filters kept."""
    items = [item for item in filters.query_items() if item[0] != "province"]
    return "?" + urlencode(items + [("province", slug)])


# ---------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------
CHART_WIDTH = 720
LABEL_WIDTH = 300
# Longer labels are shortened in the chart (the table below gives them in full).
LABEL_MAX_CHARS = 44
VALUE_WIDTH = 50
ROW_HEIGHT = 28
BAR_HEIGHT = 18
GAP = 8


def bar_chart(slug, title, category_label, rows, rtl, *, note=""):
    """A horizontal bar chart drawn on the server, mirrored right-to-left.

    Returns the geometry the template draws as inline SVG, plus the rows for the
    data table that follows it. With a `note` (categories that overlap), the table
    has no total row. Labels sit against the bars: at the start side of
    the chart (left in French, right in Arabic), bars grow towards the end side.
    """
    largest = max((count for _label, count in rows), default=0) or 1
    area = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * GAP
    bars = []
    for position, (label, count) in enumerate(rows):
        length = round(area * count / largest, 1)
        top = position * ROW_HEIGHT
        if rtl:
            bar_end = CHART_WIDTH - LABEL_WIDTH - GAP
            bar_x = bar_end - length
            label_x = CHART_WIDTH - LABEL_WIDTH + GAP  # the label's end (left edge in RTL)
            value_x = bar_x - 4
        else:
            bar_x = LABEL_WIDTH + GAP
            label_x = LABEL_WIDTH - GAP
            value_x = bar_x + length + 4
        bars.append(
            {
                "label": str(label),
                "short_label": _shorten(str(label)),
                "count": count,
                # SVG coordinates as plain strings: templates would localise floats
                # ("258,5" in French), which SVG does not read.
                "x": _svg_number(bar_x),
                "y": _svg_number(top + (ROW_HEIGHT - BAR_HEIGHT) / 2),
                "width": _svg_number(length),
                "height": _svg_number(BAR_HEIGHT),
                "label_x": _svg_number(label_x),
                "value_x": _svg_number(value_x),
                "text_y": _svg_number(top + ROW_HEIGHT / 2),
            }
        )
    total = sum(count for _label, count in rows)
    return {
        "slug": slug,
        "title": title,
        "category_label": category_label,
        "description": "; ".join(f"{bar['label']}: {bar['count']}" for bar in bars),
        "width": _svg_number(CHART_WIDTH),
        "height": _svg_number(max(len(rows), 1) * ROW_HEIGHT),
        "direction": "rtl" if rtl else "ltr",
        "bars": bars,
        "total": total,
        "note": note,
    }


def _svg_number(value):
    return f"{round(value, 1):g}"


def _shorten(label):
    if len(label) <= LABEL_MAX_CHARS:
        return label
    return label[: LABEL_MAX_CHARS - 1].rstrip() + "…"
