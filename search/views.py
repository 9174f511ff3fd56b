from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wagtail.models import Locale, Page, get_page_models

from directory.browse import list_context
from directory.models import AssociationPage
from home.text import clean_query

from .associations import AssociationSearch
from .services import autocomplete_associations

MAX_QUERY_LENGTH = 200


OTHER_PAGES = 10


def search(request):
    """Search associations (with the directory's filters and facets) and content pages.

    An empty query lists every association with its facets, like the directory.
    """
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    associations = AssociationSearch(request.GET, query)
    context = list_context(request, associations)
    context.update(
        {
            "query": query,
            "form_action": request.path,
            "clear_url": request.path + ("?" + urlencode({"q": query}) if query else ""),
            "query_only": urlencode({"q": query}),
            "other_pages": _other_pages(query),
            "closest": associations.closest_names()
            if query and not context["result_count"]
            else [],
            "sort_options": [("relevance", _("Relevance"))] * bool(associations.terms)
            + context["sort_options"],
        }
    )
    return render(request, "search/search.html", context)


def _other_pages(query):
    """Content pages (not associations) of the active language matching the query."""
    terms = clean_query(query)
    if not terms:
        return []
    # The other page types by name, not "not an association": with 100,000
    # associations that read every page of the language (22 ms), this reads the
    # pages of those types only.
    other_types = ContentType.objects.get_for_models(
        *[model for model in get_page_models() if model is not AssociationPage]
    )
    pages = (
        Page.objects.live()
        .public()
        .filter(locale=Locale.get_active(), content_type__in=other_types.values())
        .specific()
    )
    return list(pages.search(terms, operator="and")[:OTHER_PAGES])


@require_GET
@cache_control(max_age=60, public=True)
def autocomplete(request):
    """Suggestions for the search box: associations whose names start with `q`.

    JSON: {"query": …, "results": [{"name", "other_name", "acronym", "place", "url"}]},
    at most 10, names in both scripts, in the active language's directory.
    """
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    locale = Locale.get_active()
    pages = AssociationPage.objects.listed(locale)
    suggestions = autocomplete_associations(pages, query, locale=locale)
    return JsonResponse(
        {
            "query": query,
            "results": [
                {
                    "name": page.display_name,
                    "other_name": page.other_name,
                    "acronym": page.acronym,
                    "place": page.city,
                    "url": page.get_url(request),
                }
                for page in suggestions
            ],
        }
    )
