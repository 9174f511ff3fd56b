"""Associations found by a query, with the directory's filters and facet counts.

The directory's filters (directory/filters.py) restricted to the associations that
match the query, ranked by relevance unless the visitor chooses another order.

A query has at most MAX_MATCHES matches: their facets are counted here, from three
small queries (the matches' own columns, their fields, their target groups),
instead of one aggregate query per facet each carrying the list of matches, and
the relevance order is paged from the same rows.
"""

import difflib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from directory.filters import (
    DEFAULT_SORT,
    PAGE_SIZE,
    DirectoryFilters,
    FieldsThrough,
    GroupsThrough,
)
from directory.id_sets import id_list, id_position
from directory.models import AssociationPage
from directory.paging import requested_page
from home.text import normalize

from .services import COMMON_WORDS, query_terms, ranked_association_ids, search_associations

# The best matches considered: beyond this, results are noise for a visitor.
MAX_MATCHES = 500
RELEVANCE = "relevance"
# Words shorter than this, or in every other name, say nothing about which association.
MIN_WORD = 4


class AssociationSearch(DirectoryFilters):
    def __init__(self, params, query, *, locale=None):
        self.query = query
        self.terms = query_terms(query)
        super().__init__(params, locale=locale)

    def _read_sort(self):
        # With a query, results come by relevance unless another sort was chosen.
        # The form sends sort=relevance (its selected option) with every filter;
        # without a query (the visitor emptied the box) that means the default.
        if self.params.get("sort", "").strip() in ("", RELEVANCE):
            return RELEVANCE if self.terms else DEFAULT_SORT
        return super()._read_sort()

    def _every_association(self):
        # Not `super().base`: both cached properties are stored under the name "base".
        return AssociationPage.objects.listed(self.locale)

    @cached_property
    def ranked_ids(self):
        """Ids of the matching associations, best first (None: no query, everything)."""
        if not self.terms:
            return None
        return ranked_association_ids(
            self._every_association(), self.query, MAX_MATCHES, locale=self.locale
        )

    @cached_property
    def base(self):
        queryset = self._every_association()
        if self.ranked_ids is None:
            return queryset
        return queryset.filter(pk__in=id_list(self.ranked_ids))

    @cached_property
    def results(self):
        if self.sort != RELEVANCE:
            return super().results
        rank = id_position(self.ranked_ids)
        return self.filtered().select_related("province", "region").order_by(rank, "pk")

    # -- with a query: the matches, counted and paged here ------------------------
    @cached_property
    def _matches(self):
        """The listed matches, best first: {"pk", "region", "province", "size",
        "verified", "field": {term ids}, "group": {term ids}} each."""
        rows = {
            pk: {"pk": pk, "region": region, "province": province, "size": size,
                 "verified": verified, "field": set(), "group": set()}
            for pk, region, province, size, verified in self.base.order_by().values_list(
                "pk", "region_id", "province_id", "size_category", "verified"
            )
        }  # fmt: skip
        for name, through, column in (
            ("field", FieldsThrough, "fieldofactivity_id"),
            ("group", GroupsThrough, "targetgroup_id"),
        ):
            links = through.objects.filter(associationpage_id__in=id_list(list(rows)))
            for page_id, term_id in links.values_list("associationpage_id", column):
                rows[page_id][name].add(term_id)
        return [rows[pk] for pk in self.ranked_ids if pk in rows]

    def _passes(self, row, exclude=None):
        """Whether `row` passes every active filter but the facet `exclude`."""
        for name in self.VALUE_FACETS:
            if name == exclude or not self.selected[name]:
                continue
            wanted = self.selected[name] if name == "size" else self.selected_ids(name)
            value = row[name]
            if not (value & set(wanted) if isinstance(value, set) else value in wanted):
                return False
        return exclude == "verified" or not self.verified or row["verified"]

    @cached_property
    def _counts(self):
        """As DirectoryFilters._counts, counted over the matches."""
        if self.ranked_ids is None:
            return DirectoryFilters._counts.func(self)
        counts = {name: {} for name in self.VALUE_FACETS}
        for name in self.VALUE_FACETS:
            for row in self._matches:
                if self._passes(row, exclude=name):
                    values = row[name] if isinstance(row[name], set) else [row[name]]
                    for value in values:
                        counts[name][value] = counts[name].get(value, 0) + 1
        counts["verified"] = sum(
            1 for row in self._matches if row["verified"] and self._passes(row, "verified")
        )
        for name, ids in self.ids.items():  # term ids back to slugs
            slugs = {pk: slug for slug, pk in ids.items()}
            counts[name] = {slugs[pk]: n for pk, n in counts[name].items() if pk in slugs}
        counts["total"] = len(self._result_ids)
        return counts

    @cached_property
    def _result_ids(self):
        return [row["pk"] for row in self._matches if self._passes(row)]

    def paginate(self, per_page=PAGE_SIZE):
        if self.sort != RELEVANCE:
            return super().paginate(per_page)
        paginator = Paginator(self._result_ids, per_page)
        return requested_page(paginator, self.params, self.notices, self.fetch)

    def query_items(self, *, remove=None, sort=True):
        items = super().query_items(remove=remove, sort=sort and self.sort != RELEVANCE)
        return ([("q", self.query)] if self.query else []) + items

    def closest_names(self, limit=5):
        """Associations whose names look most like the query (for an empty result):
        each word typed is compared with the words of every name, then the
        associations with the closest words are searched for (without filters)."""
        vocabulary = _name_words(self.locale)
        close = []
        for word in normalize(self.query).split():
            if len(word) >= MIN_WORD:
                close += difflib.get_close_matches(word, vocabulary, n=limit, cutoff=0.75)
        if not close:
            return []
        return search_associations(
            self._every_association(), " ".join(dict.fromkeys(close)), limit, locale=self.locale
        )


def _name_words(locale):
    """The folded words of every listed association's names in `locale`, but the
    short and the common ones (cached 30 minutes). Each distinct word is folded once:
    folding word by word gives the same words as folding each name (normalize works
    word by word), 17 times faster over 100,000 associations."""
    key = f"search:name-words:{locale.pk}"
    words = cache.get(key)
    if words is None:
        spellings = set()
        rows = AssociationPage.objects.listed(locale).values_list("name_ar", "name_fr", "acronym")
        for row in rows.iterator(chunk_size=5000):
            for spelling in row:
                spellings.update((spelling or "").split())
        words = sorted(
            {
                word
                for spelling in spellings
                for word in normalize(spelling).split()
                if len(word) >= MIN_WORD and word not in COMMON_WORDS
            }
        )
        cache.set(key, words, 1800)
    return words
