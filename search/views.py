from django.core.paginator import Paginator
from django.shortcuts import render

from wagtail.models import Locale, Page

from home.text import clean_query

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
