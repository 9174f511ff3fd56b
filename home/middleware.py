from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, without its 404 redirect outside the public site.

    Django redirects an unknown unprefixed path to its language-prefixed twin; with
    Wagtail serving every prefixed path, `/api/nothing` would become `/fr/api/nothing`.
    The admin, the API and file URLs are not language-prefixed: a 404 stays a 404.
    """

    UNPREFIXED = ("/admin/", "/django-admin/", "/api/", "/documents/", "/static/", "/media/")

    def process_response(self, request, response):
        if request.path_info.startswith(self.UNPREFIXED):
            return response
        return super().process_response(request, response)
