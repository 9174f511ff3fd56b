"""The directory in a real browser: filtering without JavaScript tricks, the map,
the statistics, and axe-core on each page, right-to-left and left-to-right."""

import base64

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# A 1×1 transparent PNG: map tiles are answered locally, no request leaves the machine.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture
def tab(page):
    """The page, with map tiles served locally and script errors recorded."""
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda message: page.errors.append(message.text) if message.type == "error" else None,
    )
    return page


def test_a_visitor_filters_opens_a_profile_and_switches_to_french(tab):
    tab.goto(tab.base_url + "/ar/associations/")
    assert tab.locator("html").get_attribute("dir") == "rtl"
    # Right to left: the filters sit on the right of the results.
    filters = tab.locator(".directory-filters").bounding_box()
    results = tab.locator(".directory-results").bounding_box()
    assert filters["x"] > results["x"]

    tab.locator("#facet-region-casablanca-settat").check()
    tab.locator("#facet-field-youth").check()
    tab.locator(".directory-filters button[type=submit]").click()
    tab.wait_for_url("**/ar/associations/?*")
    assert "region=casablanca-settat" in tab.url and "field=youth" in tab.url
    # The form remembers the choice, and counts are shown next to each value.
    assert tab.locator("#facet-region-casablanca-settat").is_checked()
    assert tab.locator("#facet-field-youth").is_checked()
    assert tab.locator(".facet__count").count() > 20

    link = tab.get_by_role("link", name="جمعية ساعة الفرح")
    assert link.is_visible()
    with tab.expect_navigation() as navigation:
        link.click()
    assert navigation.value.status == 200
    assert tab.url.endswith("/ar/associations/lheure-joyeuse/")

    tab.get_by_role("link", name="Français").click()
    tab.wait_for_url("**/fr/associations/lheure-joyeuse/")
    assert tab.locator("html").get_attribute("lang") == "fr"
    assert tab.locator("html").get_attribute("dir") == "ltr"
    assert "Heure Joyeuse" in tab.locator("main").inner_text()


def test_filters_work_with_javascript_turned_off(browser, live_server, demo_site):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    tab = context.new_page()
    tab.goto(live_server.url + "/fr/associations/")
    tab.locator("#facet-verified-1").check()
    tab.select_option("#directory-sort", "newest")
    tab.locator(".directory-filters button[type=submit]").click()
    tab.wait_for_url("**/fr/associations/?*")
    assert "verified=1" in tab.url and "sort=newest" in tab.url
    assert tab.get_by_role("link", name="Association L'Heure Joyeuse").is_visible()
    context.close()


def test_the_map_shows_markers_and_mirrors_its_controls(tab):
    tab.goto(tab.base_url + "/ar/associations/map/?region=casablanca-settat")
    tab.wait_for_selector(".leaflet-marker-icon")
    markers = tab.locator(".leaflet-marker-icon")
    assert markers.count() >= 1
    assert tab.locator('.leaflet-marker-icon[alt="جمعية ساعة الفرح"]').count() == 1
    # Zoom buttons on the right in Arabic.
    zoom = tab.locator(".leaflet-control-zoom").bounding_box()
    box = tab.locator("#directory-map").bounding_box()
    assert zoom["x"] > box["x"] + box["width"] / 2
    # A marker opens a popup with a link to the profile, by keyboard too.
    markers.first.focus()
    tab.keyboard.press("Enter")
    assert (
        tab.locator(".leaflet-popup-content a")
        .first.get_attribute("href")
        .startswith("/ar/associations/")
    )
    # The list is still there, below the map.
    assert tab.get_by_role("link", name="جمعية ساعة الفرح").count() >= 1
    assert tab.errors == []


def test_the_map_in_french_has_its_controls_on_the_left(tab):
    tab.goto(tab.base_url + "/fr/associations/map/")
    tab.wait_for_selector(".leaflet-marker-icon")
    zoom = tab.locator(".leaflet-control-zoom").bounding_box()
    box = tab.locator("#directory-map").bounding_box()
    assert zoom["x"] < box["x"] + box["width"] / 2
    assert tab.errors == []


def test_statistics_bars_grow_from_the_labels_in_both_directions(tab):
    tab.goto(tab.base_url + "/ar/associations/statistics/")
    label = tab.locator("#chart-regions ~ svg .bar-chart__label").first.bounding_box()
    bar = tab.locator("#chart-regions ~ svg .bar-chart__bar").first.bounding_box()
    assert label["x"] > bar["x"]  # labels on the right, bars to their left
    assert label["x"] >= bar["x"] + bar["width"] - 1  # no overlap
    tab.goto(tab.base_url + "/fr/associations/statistics/")
    label = tab.locator("#chart-regions ~ svg .bar-chart__label").first.bounding_box()
    bar = tab.locator("#chart-regions ~ svg .bar-chart__bar").first.bounding_box()
    assert label["x"] + label["width"] <= bar["x"] + 1


@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize(
    "path",
    [
        "associations/",
        "associations/?region=casablanca-settat&field=youth&size=huge",
        "associations/map/",
        "associations/statistics/",
    ],
    ids=["directory", "filtered-with-notice", "map", "statistics"],
)
def test_directory_pages_pass_axe(tab, axe_violations, lang, path):
    tab.goto(f"{tab.base_url}/{lang}/{path}")
    if "map/" in path:
        tab.wait_for_selector(".leaflet-marker-icon")
    assert axe_violations(tab) == []
    assert tab.errors == []
