"""Associations found by a query, with the directory's filters and facet counts.

The directory's filters (directory/filters.py) restricted to the associations that
match the query, ranked by relevance unless the visitor chooses another order.
"""

import difflib

from django.core.cache import cache
from django.utils.functional import cached_property

from directory.filters import DirectoryFilters
from directory.id_sets import id_list, id_position
from directory.models import AssociationPage
from home.text import normalize

from .services import COMMON_WORDS, query_terms, ranked_association_ids

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
        # With a query, results come by relevance unless a sort was chosen.
        if self.terms and not self.params.get("sort", "").strip():
            return RELEVANCE
        return super()._read_sort()

    def _every_association(self):
        # Not `super().base`: both cached properties are stored under the name "base".
        return AssociationPage.objects.listed(self.locale)

    @cached_property
    def ranked_ids(self):
        """Ids of the matching associations, best first (None: no query, everything)."""
        if not self.terms:
            return None
        return ranked_association_ids(self._every_association(), self.query, MAX_MATCHES)

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

    def query_items(self, *, remove=None, sort=True):
        items = super().query_items(remove=remove, sort=sort and self.sort != RELEVANCE)
        return ([("q", self.query)] if self.query else []) + items

    def closest_names(self, limit=5):
        """Associations whose names look most like the query (for an empty result):
        each word typed is compared with the words of every name."""
        names = _names_by_locale(self.locale)
        ids = []
        for word in normalize(self.query).split():
            if len(word) >= MIN_WORD:
                for close in difflib.get_close_matches(word, names.keys(), n=limit, cutoff=0.75):
                    ids.extend(names[close])
        ids = ids[:limit]
        pages = {page.pk: page for page in AssociationPage.objects.filter(pk__in=ids)}
        return [pages[pk] for pk in dict.fromkeys(ids) if pk in pages]


def _names_by_locale(locale):
    """{folded word of a name: [page ids]} for every live association of `locale`
    (cached 5 minutes)."""
    key = f"search:association-names:{locale.pk}"
    names = cache.get(key)
    if names is None:
        names = {}
        rows = AssociationPage.objects.listed(locale).values_list(
            "pk", "name_ar", "name_fr", "acronym"
        )
        for pk, *spellings in rows:
            for spelling in spellings:
                for word in normalize(spelling or "").split():
                    if len(word) >= MIN_WORD and word not in COMMON_WORDS:
                        names.setdefault(word, []).append(pk)
        cache.set(key, names, 300)
    return names
