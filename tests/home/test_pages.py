import re

from wagtail.models import Locale, Page

import pytest

from home.models import DocumentLibraryPage, HomePage, StandardPage

pytestmark = pytest.mark.django_db

HTML_TAG = re.compile(r'<html lang="(?P<lang>[\w-]+)" dir="(?P<dir>rtl|ltr)">')


def html_attrs(response):
    match = HTML_TAG.search(response.content.decode())
    assert match, "no <html lang dir> tag"
    return match["lang"], match["dir"]


def page_in(page_class, language):
    return page_class.objects.live().get(locale=Locale.objects.get(language_code=language))


@pytest.mark.parametrize(
    "page_class", [HomePage, StandardPage, DocumentLibraryPage], ids=lambda c: c.__name__
)
@pytest.mark.parametrize(
    "language, direction", [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")], ids=["ar", "fr", "en"]
)
def test_every_page_type_renders_in_every_language(client, page_class, language, direction):
    page = page_class.objects.live().filter(locale__language_code=language).first()
    response = client.get(page.url)
    assert response.status_code == 200
    assert html_attrs(response) == (language, direction)
    assert page.title in response.content.decode()


@pytest.mark.parametrize(
    "accept, expected",
    [("fr-FR,fr;q=0.9", "/fr/"), ("en-GB", "/en/"), ("ar-MA", "/ar/"), ("de", "/ar/")],
)
def test_root_redirects_by_browser_language(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_language_switcher_links_to_the_translation_of_the_page(client):
    about_fr = StandardPage.objects.get(slug="about", locale__language_code="fr")
    about_ar = about_fr.get_translation(Locale.objects.get(language_code="ar"))
    about_ar.slug = "man-nahnou"
    about_ar.save_revision().publish()
    body = client.get(about_fr.url).content.decode()
    assert 'href="/ar/man-nahnou/" lang="ar" hreflang="ar" dir="rtl"' in body
    assert 'href="/en/about/" lang="en"' in body
    assert 'href="/fr/about/" lang="fr" hreflang="fr" dir="ltr" aria-current="true"' in body


def test_language_switcher_on_a_non_page_view_keeps_the_path(client):
    body = client.get("/fr/accounts/login/").content.decode()
    assert 'href="/ar/accounts/login/"' in body
    assert 'href="/en/accounts/login/"' in body


def test_arabic_home_page_shows_arabic_interface_and_content(client):
    body = client.get("/ar/").content.decode()
    assert "رابطة: شبكة جمعيات المجتمع المدني المغربي" in body
    assert "تسجيل الدخول" in body  # "Log in" in the Arabic catalogue
    assert "الانتقال إلى المحتوى" in body  # "Skip to content"
    assert "Skip to content" not in body


@pytest.mark.parametrize("path", ["/fr/no-such-page/", "/fr/about/nothing-here/"])
def test_unknown_paths_give_the_localised_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert html_attrs(response) == ("fr", "ltr")
    assert "Page introuvable" in response.content.decode()


def test_unknown_language_prefix_ends_on_a_localised_404(client):
    response = client.get("/xx/about/", follow=True)
    assert response.status_code == 404
    assert html_attrs(response)[0] == "fr"


def test_arabic_404_is_right_to_left(client):
    response = client.get("/ar/nothing/")
    assert response.status_code == 404
    assert html_attrs(response) == ("ar", "rtl")


@pytest.mark.parametrize(
    ("language", "direction", "title"),
    [("fr", "ltr", "La requête n'a pas pu être lue"), ("ar", "rtl", "تعذّرت قراءة الطلب")],
)
def test_a_body_over_the_limit_gets_the_localised_400(client, settings, language, direction, title):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(f"/{language}/accounts/login/", {"login": "x" * 2000})
    assert response.status_code == 400
    assert html_attrs(response) == (language, direction)
    assert title in response.content.decode()


@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [("fr", "ltr", "Une erreur s'est produite"), ("ar", "rtl", "حدث خطأ ما")],
)
def test_the_500_page_is_localised(rf, language, direction, heading):
    from django.utils import translation

    from home.views import server_error

    with translation.override(language):
        response = server_error(rf.get(f"/{language}/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body
    assert heading in body


def test_header_has_skip_link_landmarks_and_search(client):
    body = client.get("/fr/").content.decode()
    assert '<a class="skip-link" href="#main">' in body
    assert '<main id="main"' in body
    assert 'role="search"' in body
    assert 'action="/fr/search/"' in body


def test_navigation_lists_menu_pages_of_the_active_language(client):
    body = client.get("/fr/").content.decode()
    nav = body.split('id="site-nav"')[1].split("</nav>")[0]
    assert "Qui sommes-nous" in nav
    assert "Bibliothèque de documents" in nav
    assert "Mentions légales" not in nav  # not ticked "show in menus"


def test_footer_shows_site_settings_and_legal_pages(client):
    body = client.get("/fr/").content.decode()
    footer = body.split('class="site-footer"')[1]
    assert "contact@rabita.ma" in footer
    assert 'href="/fr/legal-notice/"' in footer
    assert 'href="/fr/privacy/"' in footer


def test_content_direction_follows_the_page_locale_for_an_alias(client):
    """An untranslated (alias) page keeps its Arabic content right-to-left in French."""
    home_ar = HomePage.objects.get(locale__language_code="ar")
    new_page = home_ar.add_child(instance=StandardPage(title="صفحة جديدة", slug="jadida"))
    from home.translation import sync_new_page

    sync_new_page(new_page)
    alias = Page.objects.get(alias_of=new_page, locale__language_code="fr")
    response = client.get(alias.url)
    assert html_attrs(response) == ("fr", "ltr")
    assert '<article class="container" lang="ar" dir="rtl">' in response.content.decode()


@pytest.mark.parametrize("path", ["/api/nothing/", "/admin/nothing/", "/documents/999999/x.pdf"])
def test_unknown_unprefixed_paths_are_plain_404s(client, admin_user, path):
    """Not redirected to a language-prefixed public page."""
    client.force_login(admin_user)
    response = client.get(path)
    assert response.status_code == 404
