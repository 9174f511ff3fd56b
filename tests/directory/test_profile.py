"""The association profile page: names, facts, JSON-LD, notices, admins' links."""

import json
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

import pytest
import time_machine
from bs4 import BeautifulSoup

from directory.models import AssociationPage, FieldOfActivity, MembershipApplication
from directory.profile import SECTIONS_HOOK, manage_links
from tests.conftest import ROLES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A URLconf without the "manage" namespace (see test_missing_manage_views_hide_links).
urlpatterns = []

FIELDS = [
    "education",
    "health",
    "women-rights",
    "youth",
    "childhood",
    "disability",
    "elderly",
    "environment",
    "culture-heritage",
    "human-rights",
]
GROUPS = [
    "children",
    "youth",
    "women",
    "elderly",
    "people-with-disabilities",
    "migrants-refugees",
    "rural-population",
    "students",
    "unemployed",
    "precarious-families",
]


def in_language(page, language_code):
    return AssociationPage.objects.get(
        translation_key=page.translation_key, locale__language_code=language_code
    )


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def jsonld_of(soup):
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


@pytest.mark.parametrize(
    "language, direction, name, other, other_lang, other_dir",
    [
        ("ar", "rtl", "جمعية ساعة الفرح", "Association L'Heure Joyeuse", "fr", "ltr"),
        ("fr", "ltr", "Association L'Heure Joyeuse", "جمعية ساعة الفرح", "ar", "rtl"),
        ("en", "ltr", "Association L'Heure Joyeuse", "جمعية ساعة الفرح", "ar", "rtl"),
    ],
    ids=["ar", "fr", "en"],
)
def test_profile_shows_both_official_names_in_their_own_direction(
    client, heure_joyeuse, language, direction, name, other, other_lang, other_dir
):
    page = in_language(heure_joyeuse, language)
    soup = soup_of(client.get(page.url))

    assert soup.html["lang"] == language and soup.html["dir"] == direction
    heading = soup.find("h1")
    assert heading.get_text(strip=True) == name
    assert heading["lang"] == ("ar" if name.startswith("جمعية") else "fr")
    assert heading["dir"] == ("rtl" if name.startswith("جمعية") else "ltr")
    other_name = soup.select_one(".association__other-name")
    assert other_name.get_text(strip=True) == other
    assert (other_name["lang"], other_name["dir"]) == (other_lang, other_dir)
    assert soup.title.get_text().startswith(name)


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_untranslated_description_keeps_the_arabic_direction(client, heure_joyeuse, language):
    soup = soup_of(client.get(in_language(heure_joyeuse, language).url))

    description = soup.find(string=lambda text: text and "حماية الطفولة" in text).find_parent(
        attrs={"lang": True}
    )
    assert (description["lang"], description["dir"]) == ("ar", "rtl")


@pytest.mark.parametrize(
    "language, field_name, region_name",
    [("ar", "الشباب", "الدار البيضاء-سطات"), ("fr", "Jeunesse", "Casablanca-Settat")],
)
def test_facts_are_named_in_the_visitor_language(
    client, heure_joyeuse, language, field_name, region_name
):
    soup = soup_of(client.get(in_language(heure_joyeuse, language).url))
    text = soup.get_text(" ", strip=True)

    assert field_name in [li.get_text(strip=True) for li in soup.select(".association__terms li")]
    assert region_name in text
    # Legal identity, size, contacts and location.
    assert "CASA-1959-0427" in text and "1959" in text
    assert "320" in text and "24" in text and "150" in text
    assert soup.select_one(".association-badge--verified")
    assert soup.select_one(".association-badge--utility")
    assert soup.select_one('a[href="mailto:contact@heurejoyeuse.ma"]')
    phone = soup.select_one('a[href="tel:+212522241890"]')
    assert phone["dir"] == "ltr" and phone.get_text() == "+212 5 22 24 18 90"
    website = soup.select_one('a[href="https://www.heurejoyeuse.ma"]')
    assert "noopener" in website["rel"]
    map_link = soup.select_one(f'a[href="/{language}/associations/map/?province=casablanca"]')
    assert map_link is not None
    # The position, with north/west written in the visitor's language.
    assert "33.6045°" in text and "7.5327°" in text


def test_verified_badge_explains_itself_to_screen_readers(client, heure_joyeuse):
    soup = soup_of(client.get(in_language(heure_joyeuse, "fr").url))

    badge = soup.select_one(".association-badge--verified")
    assert badge.find("svg")["aria-hidden"] == "true"
    assert badge.select_one(".visually-hidden").get_text(strip=True)


def test_social_links_and_approximate_position(client, make_association):
    page = make_association(
        facebook_url="https://www.facebook.com/annour",
        instagram_url="https://www.instagram.com/annour",
    )
    soup = soup_of(client.get(in_language(page, "fr").url))

    links = soup.select(".association__social a")
    assert [link.get_text() for link in links] == ["Facebook", "Instagram"]
    assert all("noopener" in link["rel"] for link in links)
    # No coordinates of its own: the province's centre, said to be approximate.
    position = soup.select_one(".association__coordinates")
    assert "34.0" in position.get_text() and "6.8" in position.get_text()
    assert "geo" not in jsonld_of(soup)


def test_jsonld_describes_the_ngo(client, heure_joyeuse):
    page = in_language(heure_joyeuse, "fr")
    data = jsonld_of(soup_of(client.get(page.url)))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NGO"
    assert data["name"] == "Association L'Heure Joyeuse"
    assert {"جمعية ساعة الفرح", "AHJ", "jam3iat sa3at lfarah"} <= set(data["alternateName"])
    assert data["url"] == f"http://testserver{page.url}"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "عين السبع، الدار البيضاء",
        "addressLocality": "الدار البيضاء",
        "addressRegion": "Casablanca-Settat",
        "addressCountry": "MA",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 33.6045, "longitude": -7.5327}
    assert data["email"] == "contact@heurejoyeuse.ma"
    assert data["telephone"] == "+212522241890"
    assert data["foundingDate"] == "1959"
    assert data["sameAs"] == ["https://www.heurejoyeuse.ma"]
    assert data["areaServed"]["name"] == "Casablanca"
    assert data["description"].startswith("جمعية تعمل منذ 1959")


def test_jsonld_cannot_break_out_of_its_script(client, make_association):
    name = 'Association </script><script>alert("x")</script> & co'
    page = make_association(name_fr=name, acronym="<b>")
    response = client.get(in_language(page, "fr").url)

    assert b'</script><script>alert("x")' not in response.content
    assert b"<b>" not in response.content
    data = jsonld_of(soup_of(response))
    assert data["name"] == name
    assert "<b>" in data["alternateName"]


def test_private_data_is_never_on_the_profile(client, heure_joyeuse, people):
    application = MembershipApplication.objects.create(
        applicant=people["admin"],
        name_ar=heure_joyeuse.name_ar,
        short_description="-",
        province=heure_joyeuse.province,
        city="الدار البيضاء",
        registration_number="CASA-1959-0427",
        registration_receipt=SimpleUploadedFile("recu-secret.pdf", b"%PDF-1.4 receipt"),
        email="president.prive@example.org",
        phone="0661234567",
        association=heure_joyeuse,
    )
    members_emails = [people["member"].email, people["admin"].email]
    for viewer in ("anonymous", "staff", "admin"):
        client.logout()
        if people[viewer]:
            client.force_login(people[viewer])
        for language in ("ar", "fr"):
            content = client.get(in_language(heure_joyeuse, language).url).content.decode()
            assert application.registration_receipt.name not in content
            assert "recu-secret" not in content and "receipts/" not in content
            assert "president.prive@example.org" not in content
            for email in members_emails:
                assert email not in content


@pytest.mark.parametrize("role", ROLES)
def test_edit_links_only_for_the_association_admins_and_staff(client, heure_joyeuse, people, role):
    if people[role]:
        client.force_login(people[role])
    soup = soup_of(client.get(in_language(heure_joyeuse, "fr").url))

    edit_url = reverse("manage:edit", args=[heure_joyeuse.pk])
    members_url = reverse("manage:members", args=[heure_joyeuse.pk])
    links = {a["href"] for a in soup.select(".association__manage a")}
    if role in ("admin", "staff"):
        assert links == {edit_url, members_url}
    else:
        assert links == set()
        assert edit_url not in soup.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_missing_manage_views_hide_links(heure_joyeuse, people):
    request = RequestFactory().get("/")
    request.user = people["staff"]

    assert manage_links(request, heure_joyeuse) == []


@pytest.mark.parametrize(
    "days, shown", [(300, False), (364, False), (366, True), (800, True)], ids=str
)
def test_out_of_date_notice_after_twelve_months(client, make_association, days, shown):
    page = make_association()
    url = in_language(page, "fr").url
    with time_machine.travel(timezone.now() + timedelta(days=days), tick=False):
        soup = soup_of(client.get(url))

    assert bool(soup.select_one(".association__notice")) is shown
    assert soup.select_one(".association__updated time")["datetime"].startswith(
        str(timezone.localdate().year)
    )


def test_sections_from_other_apps_are_shown_in_order(client, heure_joyeuse, settings, tmp_path):
    (tmp_path / "section.html").write_text(
        "<h2>{{ section.heading }}</h2><p>{{ count }} {{ page.acronym }}</p>", encoding="utf-8"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], str(tmp_path)]}
    ]

    def projects(request, page):
        return {
            "template": "section.html",
            "order": 20,
            "heading": "Projects",
            "context": {"count": 3},
        }

    def forum(request, page):
        return {"template": "section.html", "order": 10, "heading": "Forum", "context": {}}

    def nothing(request, page):
        return None

    with (
        hooks.register_temporarily(SECTIONS_HOOK, projects),
        hooks.register_temporarily(SECTIONS_HOOK, forum),
        hooks.register_temporarily(SECTIONS_HOOK, nothing),
    ):
        soup = soup_of(client.get(in_language(heure_joyeuse, "fr").url))

    sections = soup.select(".association__section")
    ours = [s.h2.get_text() for s in sections if s.h2.get_text() in ("Forum", "Projects")]
    assert ours == ["Forum", "Projects"]
    projects_section = next(s for s in sections if s.h2.get_text() == "Projects")
    assert projects_section.p.get_text() == "3 AHJ"


def test_queries_do_not_grow_with_fields_and_groups(
    client, make_association, django_assert_num_queries
):
    few = make_association(fields_of_activity=FIELDS[:1], target_groups=GROUPS[:1])
    many = make_association(fields_of_activity=FIELDS, target_groups=GROUPS)
    few_url, many_url = in_language(few, "fr").url, in_language(many, "fr").url
    client.get(few_url)  # warm the per-process caches (content types, site root paths)

    with CaptureQueriesContext(connection) as few_queries:
        soup = soup_of(client.get(few_url))
    assert len(soup.select(".association__terms li")) == 2

    with django_assert_num_queries(len(few_queries)):
        soup = soup_of(client.get(many_url))
    assert len(soup.select(".association__terms li")) == 20


def test_query_budget_of_a_profile(client, heure_joyeuse, people, django_assert_max_num_queries):
    client.force_login(people["admin"])
    url = in_language(heure_joyeuse, "fr").url
    client.get(url)

    # 62 since the profile shows the projects' latest progress updates (2 queries);
    # 8 of them are wagtail's uncached Locale lookups (Locale.get_active/get_default).
    with django_assert_max_num_queries(62):
        assert client.get(url).status_code == 200


def test_translated_page_links_to_the_source_for_editing(client, heure_joyeuse):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    soup = soup_of(client.get(in_language(heure_joyeuse, "en").url))

    hrefs = [a["href"] for a in soup.select(".association__manage a")]
    assert reverse("manage:edit", args=[heure_joyeuse.pk]) in hrefs


def test_logo_is_shown_and_described_in_jsonld(client, make_association):
    logo = get_image_model().objects.create(title="Logo", file=get_test_image_file())
    page = make_association(logo=logo)
    soup = soup_of(client.get(in_language(page, "fr").url))

    image = soup.select_one("img.association__logo")
    assert image["alt"] == ""  # the name is right beside it
    assert image["src"].startswith("/media/") or "images/" in image["src"]
    assert jsonld_of(soup)["logo"] == f"http://testserver{image['src']}"


def test_editors_preview_changes_and_new_profiles(heure_joyeuse, people):
    """The Wagtail admin previews pages held in memory (changed fields, new pages)."""
    page = AssociationPage.objects.get(pk=heure_joyeuse.pk)
    page.short_description = "وصف في المعاينة"
    page.fields_of_activity = list(FieldOfActivity.source_terms().filter(slug="sport"))
    response = page.make_preview_request()
    soup = soup_of(response)
    assert "وصف في المعاينة" in soup.get_text()
    assert [li.get_text() for li in soup.select(".association__terms li")][0] == "الرياضة"

    parent = heure_joyeuse.get_parent()
    new = AssociationPage(
        title="جمعية جديدة",
        slug="nouvelle",
        name_ar="جمعية جديدة",
        province=heure_joyeuse.province,
        locale=heure_joyeuse.locale,
    )
    new.depth = parent.depth + 1
    new.path = parent.get_last_child()._inc_path()
    new.set_url_path(parent)
    soup = soup_of(new.make_preview_request())
    assert soup.h1.get_text() == "جمعية جديدة"
