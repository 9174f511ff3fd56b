"""The main navigation.

First the portal's sections, each shown once its URL name resolves (so a section
appears in the header as soon as the app serving it is installed), then the home
page's children that editors tick "Show in menus" for (library, about…).
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale, Page, Site

SECTIONS = [
    ("associations", _("Associations"), "directory:index"),
    ("projects", _("Projects"), "projects:index"),
    ("agenda", _("Agenda"), "projects:agenda"),
    ("forum", _("Forums"), "forum:index"),
    ("specialists", _("Specialists"), "specialists:index"),
]


def localized_home(request):
    """The home page in the active language (the site root's translation)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    return site.root_page.localized


def main_navigation(request):
    items = []
    for key, label, url_name in SECTIONS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"key": key, "label": label, "url": url})
    home = localized_home(request)
    if home is not None:
        locale = Locale.get_active()
        menu_pages = Page.objects.child_of(home).live().in_menu().filter(locale=locale)
        for page in menu_pages:
            items.append({"key": page.slug, "label": page.title, "url": page.get_url(request)})
    for item in items:
        item["active"] = request.path.startswith(item["url"])
    return items
