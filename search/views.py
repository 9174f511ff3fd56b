from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wagtail.models import Locale, Page

from directory.models import AssociationPage
from home.text import clean_query

from .services import autocomplete_associations

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200


def search(request):
    """Site search over the published pages of the active language."""
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    terms = clean_query(query)
    results = Page.objects.none()
    if terms:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        results = pages.search(terms, operator="and")
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "search/search.html", {"query": query, "results": page_obj})


@require_GET
@cache_control(max_age=60, public=True)
def autocomplete(request):
    """Suggestions for the search box: associations whose names start with `q`.

    JSON: {"query": …, "results": [{"name", "other_name", "acronym", "place", "url"}]},
    at most 10, names in both scripts, in the active language's directory.
    """
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    pages = AssociationPage.objects.live().public().filter(locale=Locale.get_active())
    suggestions = autocomplete_associations(pages, query)
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
