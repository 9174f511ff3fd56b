from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def page_not_found(request, exception=None):
    """The 404 page, in the language of the URL (or the browser's)."""
    return render(request, "404.html", status=404)


def server_error(request):
    """A minimal 500 page that renders without database or context processors."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request": request}))
