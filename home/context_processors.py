from django.utils.functional import SimpleLazyObject

from .navigation import localized_home, main_navigation


def site_chrome(request):
    """What the header and footer of every page need (computed only when used)."""
    return {
        "main_navigation": SimpleLazyObject(lambda: main_navigation(request)),
        "home_page": SimpleLazyObject(lambda: localized_home(request)),
    }
