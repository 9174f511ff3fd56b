"""The public directory: list with filters and facet counts, map, statistics.

Most tests hide the demo associations first (`only_ours`) so that counts are
exact, then create the few associations they talk about with `make_association`.
"""

import json
import re

from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

import pytest

from directory import browse
from directory.models import AssociationPage
from tests.conftest import ROLES

DIRECTORY = "/{lang}/associations/"


@pytest.fixture
def only_ours(db):
    """Hide the demo associations (rolled back after the test)."""
    AssociationPage.objects.update(live=False, listed_locale=None)


@pytest.fixture
def trio(only_ours, make_association):
    """Three associations to filter:

    rabat   Rabat (Rabat-Salé-Kénitra), education, youth group, small
    casa    Casablanca, education + youth, women group, medium
    health  Casablanca, health, women group, large, verified
    """
    return {
        "rabat": make_association(
            name_fr="Association Rabat Savoir",
            province="rabat",
            fields_of_activity=["education"],
            target_groups=["youth"],
            members_count=10,
        ),
        "casa": make_association(
            name_fr="Association Casa Jeunes",
            province="casablanca",
            fields_of_activity=["education", "youth"],
            target_groups=["women"],
            members_count=120,
        ),
        "health": make_association(
            name_fr="Association Casa Santé",
            province="casablanca",
            fields_of_activity=["health"],
            target_groups=["women"],
            members_count=900,
            verified=True,
        ),
    }


def names(response):
    return [association.name_fr for association in response.context["associations"]]


def counts(response, facet):
    for found in response.context["facets"]:
        if found.name == facet:
            return {option.value: option.count for option in found.options}
    raise AssertionError(f"no facet {facet}")


def get(client, lang="fr", **params):
    return client.get(DIRECTORY.format(lang=lang), params)


# ---------------------------------------------------------------------------
# Filters and facet counts
# ---------------------------------------------------------------------------
def test_the_directory_lists_every_live_association_with_its_card(client, trio):
    response = get(client)
    assert response.status_code == 200
    assert sorted(names(response)) == [
        "Association Casa Jeunes",
        "Association Casa Santé",
        "Association Rabat Savoir",
    ]
    html = response.content.decode()
    assert "3 associations" in html
    # A card: both official names, the place, the fields, the size, a link to the profile.
    card = re.search(r'<article class="association-card">(.*?)</article>', html, re.S).group(1)
    assert 'href="/fr/associations/' in card
    assert "Association Casa Jeunes" in card
    assert trio["casa"].name_ar in card
    assert "Casablanca" in card
    assert "Éducation" in card and "Jeunesse" in card
    assert "Moyenne" in card or "Medium" in card
    # Verified badge only on the verified association.
    assert html.count('class="verified-badge"') == 1


def test_a_filter_counts_each_value_with_the_other_filters(client, trio):
    response = get(client, field="education")
    assert sorted(names(response)) == ["Association Casa Jeunes", "Association Rabat Savoir"]
    # The region facet counts the results of field=education by region…
    assert counts(response, "region")["rabat-sale-kenitra"] == 1
    assert counts(response, "region")["casablanca-settat"] == 1
    assert counts(response, "region")["oriental"] == 0
    # …and the field facet ignores its own filter: what ticking another field adds.
    fields = counts(response, "field")
    assert (fields["education"], fields["youth"], fields["health"]) == (2, 1, 1)
    assert counts(response, "size") == {"small": 1, "medium": 1, "large": 0}
    assert counts(response, "verified") == {"1": 0}
    # The count is shown next to each value, and the checkbox stays ticked.
    html = response.content.decode()
    assert re.search(
        r'value="education" checked>\s*<label[^>]*>[^<]*<span class="facet__count">\(2\)', html
    )


def test_values_of_one_facet_add_up_and_facets_narrow(client, trio):
    assert len(names(get(client, field=["education", "health"]))) == 3
    both = get(client, field=["education", "health"], region="casablanca-settat")
    assert sorted(names(both)) == ["Association Casa Jeunes", "Association Casa Santé"]
    assert counts(both, "field") == {
        **{slug: 0 for slug in counts(both, "field")},
        "education": 1,
        "youth": 1,
        "health": 1,
    }
    assert counts(both, "region")["rabat-sale-kenitra"] == 1
    assert names(get(client, field=["education", "health"], size="large")) == [
        "Association Casa Santé"
    ]
    assert names(get(client, size=["small", "medium"], group="women")) == [
        "Association Casa Jeunes"
    ]


def test_province_group_and_verified_filters(client, trio):
    response = get(client, province="rabat")
    assert names(response) == ["Association Rabat Savoir"]
    # Only provinces with results are offered (not all 75), with their count.
    assert counts(response, "province") == {"casablanca": 2, "rabat": 1}
    assert names(get(client, group="youth")) == ["Association Rabat Savoir"]
    verified = get(client, verified="1")
    assert names(verified) == ["Association Casa Santé"]
    assert counts(verified, "verified") == {"1": 1}
    assert counts(verified, "size") == {"small": 0, "medium": 0, "large": 1}


def _expected_counts(pages, params):
    """Facet counts computed the slow way, page by page, for comparison."""

    def matches(page, ignore):
        for facet, wanted in params.items():
            if facet == ignore or not wanted:
                continue
            if facet == "verified":
                if not page["verified"]:
                    return False
            elif not set(wanted) & page[facet]:
                return False
        return True

    expected = {}
    for facet in ("field", "group", "region", "province", "size"):
        expected[facet] = {}
        for page in pages:
            if matches(page, facet):
                for value in page[facet]:
                    expected[facet][value] = expected[facet].get(value, 0) + 1
    expected["verified"] = sum(
        1 for page in pages if page["verified"] and matches(page, "verified")
    )
    expected["total"] = sum(1 for page in pages if matches(page, None))
    return expected


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"field": ["education"]},
        {"field": ["education", "health"], "group": ["women"]},
        {"region": ["casablanca-settat"], "size": ["large", "medium"]},
        {"province": ["casablanca"], "verified": "1"},
        # Every facet active: no shared query, each facet counted on its own.
        {
            "field": ["education", "health", "youth"],
            "group": ["women", "youth"],
            "region": ["casablanca-settat", "rabat-sale-kenitra"],
            "province": ["casablanca", "rabat"],
            "size": ["small", "medium", "large"],
            "verified": "1",
        },
    ],
    ids=["none", "field", "fields-and-group", "region-and-sizes", "province-verified", "all"],
)
def test_facet_counts_match_a_page_by_page_count(client, trio, make_association, params):
    make_association(
        province="marrakech",
        fields_of_activity=["culture-heritage", "youth"],
        target_groups=["youth", "children"],
        staff_count=30,
        verified=True,
    )
    pages = []
    for page in AssociationPage.objects.live().filter(locale__language_code="fr"):
        pages.append(
            {
                "field": set(page.fields_of_activity.values_list("slug", flat=True)),
                "group": set(page.target_groups.values_list("slug", flat=True)),
                "region": {page.region.slug},
                "province": {page.province.slug},
                "size": {page.size_category},
                "verified": page.verified,
            }
        )
    expected = _expected_counts(pages, params)
    response = get(client, **params)
    assert response.context["result_count"] == expected["total"]
    assert len(names(response)) == expected["total"]
    for facet in ("field", "group", "region", "province", "size"):
        shown = {value: count for value, count in counts(response, facet).items() if count}
        assert shown == expected[facet], facet
    assert counts(response, "verified") == {"1": expected["verified"]}


def test_active_filters_can_be_removed_one_by_one_and_cleared(client, trio):
    html = get(client, field="education", region="casablanca-settat").content.decode()
    assert 'href="/fr/associations/?region=casablanca-settat"' in html  # remove the field
    assert 'href="/fr/associations/?field=education"' in html  # remove the region
    assert ">Clear filters<" in html or 'href="/fr/associations/">' in html


@pytest.mark.parametrize(
    "params, notice",
    [
        ({"page": "abc"}, "“abc”"),
        ({"page": "99999"}, "99999"),
        ({"page": "-3"}, "“-3”"),
        ({"page": "9" * 30}, "9" * 30),
        ({"size": "huge"}, "“huge”"),
        ({"region": "<script>alert(1)</script>"}, "“&lt;script&gt;alert(1)&lt;/script&gt;”"),
        ({"field": "cooking"}, "“cooking”"),
        ({"province": "paris"}, "“paris”"),
        ({"group": "cats"}, "“cats”"),
        ({"verified": "yes"}, "“yes”"),
        ({"sort": "price"}, "“price”"),
    ],
    ids=[
        "page-abc",
        "page-too-far",
        "page-negative",
        "page-huge",
        "size-huge",
        "region-script",
        "unknown-field",
        "unknown-province",
        "unknown-group",
        "verified-yes",
        "unknown-sort",
    ],
)
def test_invalid_values_are_ignored_with_a_notice(client, trio, params, notice):
    response = get(client, **params)
    assert response.status_code == 200
    html = response.content.decode()
    # The value is quoted back (French quotes it « so », English “so”).
    assert notice.strip("“”") in html
    assert "<script>alert(1)</script>" not in html
    # The value is ignored: every association is still listed.
    assert len(names(response)) == 3
    assert len(response.context["notices"]) == 1


def test_an_invalid_value_next_to_valid_ones_keeps_the_valid_ones(client, trio):
    response = get(client, field=["education", "nope"], region="casablanca-settat")
    assert names(response) == ["Association Casa Jeunes"]
    assert len(response.context["notices"]) == 1
    # Pagination and facet links repeat only the valid values.
    results = response.content.decode().split('id="directory-results"')[1]
    assert "nope" not in results
    assert "region=casablanca-settat" in results


def test_notices_are_translated(client, trio):
    response = get(client, lang="ar", size="huge")
    assert response.status_code == 200
    assert response.context["notices"]


# ---------------------------------------------------------------------------
# Sorting and pagination
# ---------------------------------------------------------------------------
@pytest.fixture
def two_alphabets(only_ours, make_association):
    """Names whose order differs in Arabic and in French."""
    make_association(name_ar="جمعية باء", name_fr="Zénith")
    make_association(name_ar="جمعية ياء", name_fr="Azur")
    make_association(name_ar="جمعية ألف", name_fr="")  # no French name: falls back


def test_sort_by_name_uses_the_name_in_the_visitors_language(client, two_alphabets):
    arabic = get(client, lang="ar")
    assert [a.name_ar for a in arabic.context["associations"]] == [
        "جمعية ألف",
        "جمعية باء",
        "جمعية ياء",
    ]
    french = get(client, lang="fr", sort="name")
    # Latin names first (Azur before Zénith), then the Arabic name used as fallback.
    assert [a.name_ar for a in french.context["associations"]] == [
        "جمعية ياء",
        "جمعية باء",
        "جمعية ألف",
    ]
    html = french.content.decode()
    assert html.index("Azur") < html.index("Zénith")


def test_sort_by_newest_and_recently_updated(client, only_ours, make_association):
    first = make_association(name_fr="Première")
    make_association(name_fr="Deuxième")
    newest = get(client, sort="newest")
    assert names(newest) == ["Deuxième", "Première"]
    first.name_fr = "Première, mise à jour"
    first.save_revision().publish()
    updated = get(client, sort="updated")
    assert names(updated)[0] == "Première, mise à jour"
    # The chosen sort is kept in the form.
    assert '<option value="updated" selected>' in updated.content.decode()


def test_pagination_keeps_the_filters(client, only_ours, make_association):
    for number in range(23):
        make_association(name_fr=f"Association {number:02d}", province="casablanca")
    make_association(name_fr="Ailleurs", province="rabat")
    response = get(client, region="casablanca-settat")
    assert len(response.context["associations"]) == 20
    html = response.content.decode()
    assert "23 associations" in html
    assert response.context["page_obj"].paginator.num_pages == 2
    assert 'href="/fr/associations/?region=casablanca-settat&amp;page=2" rel="next"' in html
    second = get(client, region="casablanca-settat", page="2")
    assert names(second) == ["Association 20", "Association 21", "Association 22"]
    assert 'href="/fr/associations/?region=casablanca-settat" rel="prev"' in second.content.decode()
    too_far = get(client, region="casablanca-settat", page="99999")
    assert names(too_far) == names(second)


# ---------------------------------------------------------------------------
# Constant number of queries
# ---------------------------------------------------------------------------
def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    "url",
    [
        "/fr/associations/?field=education&region=casablanca-settat&sort=name",
        "/ar/associations/?size=small&group=youth&sort=updated",
        "/fr/associations/map/?field=education",
    ],
    ids=["list-fr", "list-ar", "map"],
)
def test_the_number_of_queries_does_not_grow_with_the_results(
    client, only_ours, make_association, django_assert_max_num_queries, url
):
    make_association(province="casablanca", target_groups=["youth"])
    client.get(url)  # warm the caches (site root paths)
    with_one, response = _count_queries(client, url)
    assert response.context["result_count"] in (0, 1)
    for _number in range(49):
        make_association(province="casablanca", target_groups=["youth"])
    with django_assert_max_num_queries(with_one):
        response = client.get(url)
    assert response.context["result_count"] in (0, 50)
    # Header, footer and navigation included; the directory itself takes about 30.
    assert with_one <= 70


# ---------------------------------------------------------------------------
# Who sees what
# ---------------------------------------------------------------------------
def test_unpublished_associations_are_never_listed(client, only_ours, make_association):
    shown = make_association(name_fr="Visible")
    hidden = make_association(name_fr="Retirée", province="casablanca")
    hidden.unpublish()
    for lang in ("ar", "fr", "en"):
        response = get(client, lang=lang)
        assert [a.translation_key for a in response.context["associations"]] == [
            shown.translation_key
        ]
    assert "Retirée" not in client.get("/fr/associations/map/").content.decode()
    statistics = client.get("/fr/associations/statistics/").content.decode()
    assert "1 association is listed" in statistics or "1 association" in statistics
    assert counts(get(client), "region")["casablanca-settat"] == 0


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["", "map/", "statistics/"], ids=["list", "map", "statistics"])
def test_everyone_sees_the_same_public_directory(client, people, role, path):
    url = f"/fr/associations/{path}?region=casablanca-settat"
    anonymous = client.get(url)
    if people[role]:
        client.force_login(people[role])
    response = client.get(url)
    assert response.status_code == 200
    if path == "statistics/":
        assert main(response) == main(anonymous)
    else:
        assert "L&#x27;Heure Joyeuse" in response.content.decode()
        assert names(response) == names(anonymous)
        assert response.context["result_count"] == anonymous.context["result_count"]


def main(response):
    return response.content.decode().split("<main")[1].split("</main>")[0]


def test_each_language_lists_its_own_pages(client, heure_joyeuse):
    for lang in ("ar", "fr", "en"):
        response = get(client, lang=lang, region="casablanca-settat")
        pages = response.context["associations"]
        assert pages and {page.locale.language_code for page in pages} == {lang}
        assert f'href="/{lang}/associations/lheure-joyeuse/"' in response.content.decode()


# ---------------------------------------------------------------------------
# Map
# ---------------------------------------------------------------------------
def map_data(response):
    html = response.content.decode()
    found = re.search(
        r'<script id="directory-map-data" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(found.group(1))


def test_the_map_shows_the_filtered_associations_at_their_coordinates(
    client, trio, make_association
):
    exact = make_association(
        name_fr="Au bord de la mer",
        province="casablanca",
        fields_of_activity=["environment"],
        latitude="33.60000",
        longitude="-7.60000",
    )
    response = client.get("/fr/associations/map/", {"region": "casablanca-settat"})
    assert response.status_code == 200
    data = map_data(response)
    assert data["grouped"] is False and data["total"] == 3
    by_name = {marker["name"]: marker for marker in data["markers"]}
    assert set(by_name) == {
        "Association Casa Jeunes",
        "Association Casa Santé",
        "Au bord de la mer",
    }
    # Without its own coordinates, an association sits at its province's.
    province = trio["casa"].province
    casa = by_name["Association Casa Jeunes"]
    assert (casa["lat"], casa["lng"], casa["exact"]) == (
        float(province.latitude),
        float(province.longitude),
        False,
    )
    assert (by_name["Au bord de la mer"]["lat"], by_name["Au bord de la mer"]["exact"]) == (
        33.6,
        True,
    )
    assert casa["url"] == "/fr/associations/" + trio["casa"].slug + "/"
    assert exact.slug in by_name["Au bord de la mer"]["url"]
    # The list stays on the page, and says so.
    html = response.content.decode()
    assert "La liste est la version accessible" in html  # French interface
    assert names(response) == sorted(by_name)  # the same associations, listed
    # Leaflet, the tiles and the script come from settings and the app.
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/js/directory-map.js" in html
    assert "<script>" not in html.split('id="directory-map-data"')[1].split("</script>")[0]


def test_the_map_groups_associations_by_province_when_there_are_many(client, trio, monkeypatch):
    monkeypatch.setattr(browse, "MAP_MARKER_LIMIT", 2)
    data = map_data(client.get("/fr/associations/map/", {"size": ["small", "medium", "large"]}))
    assert data["grouped"] is True and data["total"] == 3
    groups = {marker["name"]: marker for marker in data["markers"]}
    assert groups["Casablanca"]["count"] == 2
    assert groups["Casablanca"]["url"] == (
        "/fr/associations/?size=small&size=medium&size=large&province=casablanca"
    )
    assert groups["Rabat"]["count"] == 1


@override_settings(DIRECTORY_MAP_TILE_URL="https://tiles.example.ma/{z}/{x}/{y}.png")
def test_the_tile_server_is_a_setting(client, trio):
    html = client.get("/ar/associations/map/").content.decode()
    assert 'data-tile-url="https://tiles.example.ma/{z}/{x}/{y}.png"' in html


def test_the_default_tile_server_is_allowed_by_the_content_security_policy(client, trio):
    response = client.get("/fr/associations/map/")
    policy = response.headers["Content-Security-Policy"]
    img_src = re.search(r"img-src ([^;]*)", policy).group(1)
    assert "https://tile.openstreetmap.org" in img_src
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_leaflet_is_served_by_the_app():
    for name in ("leaflet.js", "leaflet.css", "images/marker-icon.png"):
        assert finders.find(f"vendor/leaflet/{name}"), name


# ---------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------
def table_rows(html, slug):
    section = html.split(f'id="chart-{slug}"')[1].split("</section>")[0]
    table = section.split("<table")[1]
    return dict(
        (label.strip(), int(count))
        for label, count in re.findall(r'<th scope="row">([^<]*)</th><td>(\d+)</td>', table)
    )


def test_statistics_count_associations_by_region_field_and_size(client, trio):
    response = client.get("/fr/associations/statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 associations sont inscrites" in html  # French interface
    regions = table_rows(html, "regions")
    assert regions["Casablanca-Settat"] == 2
    assert regions["Rabat-Salé-Kénitra"] == 1
    assert regions["Total"] == 3
    assert len(regions) == 12 + 1
    fields = table_rows(html, "fields")
    assert (fields["Éducation"], fields["Jeunesse"], fields["Santé"]) == (2, 1, 1)
    assert "Total" not in fields  # an association may have several fields
    sizes = table_rows(html, "sizes")
    assert sizes == {"Petite": 1, "Moyenne": 1, "Grande": 1, "Total": 3} or sizes == {
        "Small": 1,
        "Medium": 1,
        "Large": 1,
        "Total": 3,
    }


def test_statistics_charts_are_accessible_svg_with_a_table(client, trio):
    html = client.get("/fr/associations/statistics/").content.decode()
    charts = re.findall(r"<svg class=\"bar-chart\"[^>]*>", html)
    assert len(charts) == 3
    for svg in charts:
        assert 'role="img"' in svg and "aria-label=" in svg
    assert html.count("<title>") >= 3 and html.count("<desc ") == 3
    assert html.count("<caption>") == 3
    assert "<script" not in html.split("<main")[1].split("</main>")[0]
    assert 'style="' not in html


def _bars(html, slug):
    section = html.split(f'id="chart-{slug}"')[1].split("</svg>")[0]
    return [
        (float(x), float(width))
        for x, width in re.findall(
            r'<rect class="bar-chart__bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', section
        )
    ]


def test_statistics_bars_mirror_right_to_left(client, trio):
    french = _bars(client.get("/fr/associations/statistics/").content.decode(), "sizes")
    arabic_html = client.get("/ar/associations/statistics/").content.decode()
    arabic = _bars(arabic_html, "sizes")
    # Left to right: every bar starts at the same place, after the labels.
    assert len({x for x, _width in french}) == 1
    # Right to left: every bar ends at the same place, before the labels (on the right).
    assert len({round(x + width, 1) for x, width in arabic}) == 1
    assert arabic[0][0] + arabic[0][1] > browse.CHART_WIDTH / 2
    assert french[0][0] < browse.CHART_WIDTH / 2
    assert 'direction="rtl"' in arabic_html
    # Same lengths in both directions.
    assert [width for _x, width in french] == [width for _x, width in arabic]


def test_chart_coordinates_are_not_localised(client, trio):
    """French formats 1.5 as "1,5": SVG would not read it."""
    html = client.get("/fr/associations/statistics/").content.decode()
    assert not re.search(r'(x|y|width)="\d+,\d', html)


@pytest.mark.parametrize("path", ["map/", "statistics/"])
def test_switching_language_keeps_the_map_or_the_statistics(client, trio, path):
    html = client.get(f"/ar/associations/{path}?region=casablanca-settat").content.decode()
    assert f'href="/fr/associations/{path}?region=casablanca-settat" lang="fr"' in html
    assert '<a href="/ar/associations/">' in html  # breadcrumb back to the list
