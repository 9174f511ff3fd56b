"""The directory's filters: the one place that reads a directory query string.

    ?field=education&field=youth&region=casablanca-settat&size=small&verified=1&sort=name&page=2

Used by the directory page, its map, and the open data API, so that the same
address gives the same associations everywhere. Values are taxonomy slugs (the
same in every language). Several values of one facet are OR-ed, facets are AND-ed.
A value that does not exist is ignored and reported in `notices` (never an error).

Facet counts follow the usual faceting rule: the count shown next to a value is
the number of results the visitor would get by ticking it, i.e. with every OTHER
active filter applied. They cost one aggregate query per facet, whatever the
number of values or of associations.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.models import Locale

from .models import AssociationPage, SizeCategory
from .paging import quote_value, requested_page
from .taxonomies import FieldOfActivity, Province, Region, TargetGroup

PAGE_SIZE = 20
# More values than this in one facet is not a visitor ticking boxes.
MAX_VALUES_PER_FACET = 30

FieldsThrough = AssociationPage.fields_of_activity.through
GroupsThrough = AssociationPage.target_groups.through
# The facets whose values are taxonomy terms.
TAXONOMIES = {
    "field": FieldOfActivity,
    "group": TargetGroup,
    "region": Region,
    "province": Province,
}

SORTS = ("name", "updated", "newest")
DEFAULT_SORT = "name"


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str  # the query parameter
    label: str
    options: list = field(default_factory=list)

    @property
    def selected_options(self):
        return [option for option in self.options if option.selected]


class DirectoryFilters:
    """The filters of one request, read from `params` (a QueryDict).

    `locale` defaults to the active one; pages of that locale are listed.
    """

    # Facets with values to tick (query parameters), in the order the form shows them.
    VALUE_FACETS = ("field", "region", "province", "size", "group")

    def __init__(self, params, *, locale=None):
        self.params = params
        self.locale = locale or Locale.get_active()
        self.notices = []
        # {facet: {slug: name}} to show, {facet: {slug: id}} to query (pages point
        # to the default locale's terms: filtering by id spares a join per facet).
        self.names, self.ids = {"size": dict(SizeCategory.choices)}, {}
        for name, taxonomy in TAXONOMIES.items():
            self.names[name], self.ids[name] = taxonomy.names_and_ids()
        self.selected = {facet: self._read_values(facet) for facet in self.VALUE_FACETS}
        self.verified = self._read_verified()
        self.sort = self._read_sort()

    # -- reading the query string ------------------------------------------
    def _read_values(self, facet):
        known = self.names[facet]
        values = []
        for raw in self.params.getlist(facet)[:MAX_VALUES_PER_FACET]:
            value = raw.strip()
            if not value:
                continue  # an empty select option means "all"
            if value not in known:
                self.notices.append(self._unknown_value_notice(facet, raw))
            elif value not in values:
                values.append(value)
        return values

    def _unknown_value_notice(self, facet, raw):
        messages = {
            "field": _("“%(value)s” is not a field of activity: this filter was ignored."),
            "region": _("“%(value)s” is not a region: this filter was ignored."),
            "province": _("“%(value)s” is not a prefecture or province: this filter was ignored."),
            "size": _(
                "“%(value)s” is not a size (small, medium or large): this filter was ignored."
            ),
            "group": _("“%(value)s” is not a target group: this filter was ignored."),
        }
        return messages[facet] % {"value": quote_value(raw)}

    def _read_verified(self):
        raw = self.params.get("verified", "").strip()
        if raw in ("", "0"):
            return False
        if raw in ("1", "on", "true"):
            return True
        self.notices.append(
            _("“%(value)s” is not a valid choice for “verified only”: this filter was ignored.")
            % {"value": quote_value(raw)}
        )
        return False

    def _read_sort(self):
        raw = self.params.get("sort", "").strip()
        if not raw:
            return DEFAULT_SORT
        if raw in SORTS:
            return raw
        self.notices.append(
            _("“%(value)s” is not a way of sorting: the list is sorted by name.")
            % {"value": quote_value(raw)}
        )
        return DEFAULT_SORT

    @property
    def is_filtered(self):
        return self.verified or any(self.selected.values())

    # -- querysets -----------------------------------------------------------
    @cached_property
    def base(self):
        """Every live public association of the locale (see directory/listing.py)."""
        return AssociationPage.objects.listed(self.locale)

    def selected_ids(self, facet):
        return [self.ids[facet][slug] for slug in self.selected[facet]]

    def filtered(self, *, exclude=None):
        """`base` with every active filter except the facet `exclude`."""
        queryset = self.base
        selected = self.selected
        if exclude != "field" and selected["field"]:
            queryset = queryset.filter(
                pk__in=FieldsThrough.objects.filter(
                    fieldofactivity_id__in=self.selected_ids("field")
                ).values("associationpage_id")
            )
        if exclude != "group" and selected["group"]:
            queryset = queryset.filter(
                pk__in=GroupsThrough.objects.filter(
                    targetgroup_id__in=self.selected_ids("group")
                ).values("associationpage_id")
            )
        if exclude != "region" and selected["region"]:
            queryset = queryset.filter(region_id__in=self.selected_ids("region"))
        if exclude != "province" and selected["province"]:
            queryset = queryset.filter(province_id__in=self.selected_ids("province"))
        if exclude != "size" and selected["size"]:
            queryset = queryset.filter(size_category__in=selected["size"])
        if exclude != "verified" and self.verified:
            queryset = queryset.filter(verified=True)
        return queryset

    @cached_property
    def results(self):
        """The filtered associations, sorted, with what a card or a row needs."""
        queryset = self.filtered().select_related("province", "region")
        if self.sort == "updated":
            # Aliases (untranslated pages) get last_published_at only when their
            # source is published again; the revision date is copied at creation.
            queryset = queryset.annotate(
                updated=Coalesce("last_published_at", "latest_revision_created_at")
            ).order_by(F("updated").desc(nulls_last=True), "pk")
        elif self.sort == "newest":
            # Creation order in this locale (aliases have no first_published_at).
            queryset = queryset.order_by("-pk")
        else:
            queryset = queryset.annotate(sort_name=Lower(self.display_name_expression())).order_by(
                "sort_name", "pk"
            )
        return queryset

    @staticmethod
    def display_name_expression():
        """The name a visitor reads: Arabic in Arabic, French otherwise (falling back)."""
        if (get_language() or "ar").startswith("ar"):
            return Coalesce(NullIf("name_ar", Value("")), "name_fr")
        return Coalesce(NullIf("name_fr", Value("")), "name_ar")

    # -- facets --------------------------------------------------------------
    # Facets stored on the page row, and the column each one groups by.
    COLUMNS = {"region": "region_id", "province": "province_id", "size": "size_category"}

    @cached_property
    def _counts(self):
        """{facet: {value: count}} plus "verified" (a count) and "total" (the results).

        A facet's counts ignore its own filter, so facets WITHOUT an active filter
        all count the same set, the results: one GROUP BY over the page's own columns
        serves all of them, and its sum is the number of results. Each facet with an
        active filter needs a query of its own, as do the many-to-many ones.
        """
        counts = {name: {} for name in self.VALUE_FACETS}
        counts["verified"] = 0
        shared = [name for name in self.COLUMNS if not self.selected[name]]
        if not self.verified:
            shared.append("verified")
        total = None
        if shared:
            total = 0
            columns = [self.COLUMNS.get(name, name) for name in shared]
            rows = self.filtered().order_by().values_list(*columns).annotate(count=Count("pk"))
            for *values, count in rows:
                total += count
                for name, value in zip(shared, values, strict=True):
                    if name == "verified":
                        counts["verified"] += count if value else 0
                    else:
                        counts[name][value] = counts[name].get(value, 0) + count
        for name, column in self.COLUMNS.items():
            if self.selected[name]:
                counts[name] = _value_counts(self.filtered(exclude=name), column)
        if self.verified:
            counts["verified"] = self.filtered(exclude="verified").filter(verified=True).count()
        for name, through, term in (
            ("field", FieldsThrough, "fieldofactivity_id"),
            ("group", GroupsThrough, "targetgroup_id"),
        ):
            pages = self.filtered(exclude=name) if self.selected[name] else self.filtered()
            counts[name] = _through_counts(through, term, pages)
        # Counted by term id: back to the slugs the form and the addresses use.
        for name, ids in self.ids.items():
            slugs = {pk: slug for slug, pk in ids.items()}
            counts[name] = {slugs[pk]: n for pk, n in counts[name].items() if pk in slugs}
        counts["total"] = total
        return counts

    def counts(self):
        """{facet: {value: number of results}}, each facet ignoring its own filter."""
        return {name: value for name, value in self._counts.items() if name != "total"}

    @cached_property
    def result_count(self):
        total = self._counts["total"]
        return self.results.count() if total is None else total

    def facets(self):
        counts = self.counts()
        labels = {
            "field": _("Field of activity"),
            "region": _("Region"),
            "province": _("Prefecture or province"),
            "size": _("Size"),
            "group": _("Target group"),
        }
        facets = []
        for name in self.VALUE_FACETS:
            facet = Facet(name=name, label=labels[name])
            for value, label in self.names[name].items():
                count = counts[name].get(value, 0)
                selected = value in self.selected[name]
                # 75 provinces: only those with results (or ticked) are offered.
                if name == "province" and not count and not selected:
                    continue
                facet.options.append(Option(value, str(label), count, selected))
            if name == "province":
                facet.options.sort(key=lambda option: option.label)
            facets.append(facet)
        verified = Facet(name="verified", label=_("Verification"))
        verified.options.append(
            Option("1", _("Verified associations only"), counts["verified"], self.verified)
        )
        facets.append(verified)
        return facets

    def active_filters(self, path=""):
        """Each active filter with the address of the same list without it."""
        active = []
        for name in self.VALUE_FACETS:
            for value in self.selected[name]:
                active.append(
                    {
                        "label": str(self.names[name][value]),
                        "remove_url": path + self.querystring(remove=(name, value)),
                    }
                )
        if self.verified:
            active.append(
                {
                    "label": _("Verified associations only"),
                    "remove_url": path + self.querystring(remove=("verified", "1")),
                }
            )
        return active

    # -- addresses -------------------------------------------------------------
    def query_items(self, *, remove=None, sort=True):
        """The valid filters as (parameter, value) pairs, in a stable order."""
        items = []
        for name in self.VALUE_FACETS:
            items += [(name, value) for value in self.selected[name]]
        if self.verified:
            items.append(("verified", "1"))
        if sort and self.sort != DEFAULT_SORT:
            items.append(("sort", self.sort))
        return [item for item in items if item != remove]

    def querystring(self, *, page=None, remove=None, **extra):
        """'?field=…&page=2' with only valid values (invalid ones are not repeated)."""
        items = self.query_items(remove=remove)
        items += [(key, value) for key, value in extra.items() if value is not None]
        if page and page > 1:
            items.append(("page", page))
        return "?" + urlencode(items) if items else ""

    # -- pagination ------------------------------------------------------------
    def slice(self, start, stop):
        """Results `start` to `stop`, as pages.

        Sorting drags every selected column along, so the database sorts the ids
        alone and only the rows shown are fetched: on SQLite with 10,000
        associations, page 250 takes 20 ms instead of 190.
        """
        return self.fetch(list(self.results.values_list("pk", flat=True)[start:stop]))

    @staticmethod
    def fetch(ids):
        """The pages of `ids`, in that order, with their province and region."""
        pages = AssociationPage.objects.filter(pk__in=ids).select_related("province", "region")
        by_id = {page.pk: page for page in pages}
        return [by_id[pk] for pk in ids if pk in by_id]

    def paginate(self, per_page=PAGE_SIZE):
        """The requested page of results (`object_list`: pages, see `slice`)."""
        paginator = Paginator(self.results.values_list("pk", flat=True), per_page)
        # Known from the facet counts: no COUNT query of its own (count is a
        # cached_property, so the instance attribute takes its place).
        paginator.count = self.result_count
        return requested_page(paginator, self.params, self.notices, self.fetch)

    # -- what cards and rows show ------------------------------------------------
    def attach_terms(self, pages):
        """Give each page `field_list` and `group_list` [(slug, name)], in 2 queries."""
        pages = list(pages)
        ids = [page.pk for page in pages]
        fields, groups = {}, {}
        for page_id, slug in FieldsThrough.objects.filter(associationpage_id__in=ids).values_list(
            "associationpage_id", "fieldofactivity__slug"
        ):
            fields.setdefault(page_id, []).append(slug)
        for page_id, slug in GroupsThrough.objects.filter(associationpage_id__in=ids).values_list(
            "associationpage_id", "targetgroup__slug"
        ):
            groups.setdefault(page_id, []).append(slug)
        field_order = list(self.names["field"])
        group_order = list(self.names["group"])
        for page in pages:
            page.field_list = [
                (slug, self.names["field"][slug])
                for slug in sorted(fields.get(page.pk, []), key=field_order.index)
            ]
            page.group_list = [
                (slug, self.names["group"][slug])
                for slug in sorted(groups.get(page.pk, []), key=group_order.index)
            ]
            page.province_name = self.names["province"].get(page.province.slug, "")
            # "Casablanca, Casablanca" says nothing more than "Casablanca".
            page.city_is_province = page.city in ("", page.province_name, page.province.name)
            page.region_name = self.names["region"].get(page.region.slug, "")
        return pages


def _value_counts(queryset, column):
    return dict(
        queryset.order_by()
        .values_list(column)
        .annotate(count=Count("pk"))
        .values_list(column, "count")
    )


def _through_counts(through, column, pages):
    return dict(
        through.objects.filter(associationpage_id__in=pages.order_by().values("pk"))
        .values_list(column)
        .annotate(count=Count("associationpage_id"))
        .values_list(column, "count")
    )
