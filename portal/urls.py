from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import dashboard as dashboard_views
from search import views as search_views

# Not prefixed: administration, document downloads, APIs and feeds.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("directory.api_urls")),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
    ),
]

# Every public page lives under a language prefix; `/` redirects by Accept-Language.
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("search/", search_views.search, name="search"),
    path("search/autocomplete/", search_views.autocomplete, name="search_autocomplete"),
    path("join/", include("directory.join_urls")),
    path("my/associations/", include("directory.manage_urls")),
    path("my/", dashboard_views.dashboard, name="dashboard"),
    path("specialists/", include("directory.specialist_urls")),
    path("forum/", include("community.forums.urls")),
    path("messages/", include("community.messaging.urls")),
    path("", include("projects.urls")),
    # Wagtail's page serving stays last: it catches every remaining path.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
