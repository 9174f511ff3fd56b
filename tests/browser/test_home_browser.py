import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_arabic_home_is_right_to_left_and_switches_to_french(page):
    page.goto(page.base_url + "/")
    assert page.url.endswith("/ar/")  # Accept-Language ar-MA
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"

    # Right-to-left layout: the brand sits at the right edge of the header.
    brand = page.locator(".brand").bounding_box()
    viewport = page.viewport_size["width"]
    assert brand["x"] + brand["width"] > viewport * 0.75

    # The self-hosted Arabic font is used for the heading.
    page.wait_for_function("document.fonts.status === 'loaded'")
    assert page.evaluate("document.fonts.check('16px \"Rabita Naskh\"', 'رابطة')")

    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").inner_text().startswith("Rabita")
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] < viewport * 0.25


def test_switching_language_on_a_content_page_keeps_the_page(page):
    page.goto(page.base_url + "/fr/about/")
    page.get_by_role("link", name="العربية").click()
    page.wait_for_url("**/ar/about/")
    assert page.locator("h1").inner_text() == "من نحن"


def test_no_request_leaves_the_site(page):
    outside = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(page.base_url) else outside.append(request.url)
        ),
    )
    page.goto(page.base_url + "/ar/")
    page.wait_for_load_state("networkidle")
    assert outside == []


def test_keyboard_user_reaches_content_with_the_skip_link(page):
    page.goto(page.base_url + "/fr/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize(
    "path",
    ["/ar/", "/fr/", "/ar/about/", "/fr/accounts/login/", "/ar/accounts/login/", "/ar/library/"],
)
def test_axe_finds_no_serious_violation(page, axe_violations, path):
    page.goto(page.base_url + path)
    assert axe_violations(page) == []


def test_mobile_menu_opens_and_closes(browser, live_server, demo_site):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR")
    tab = context.new_page()
    tab.goto(live_server.url + "/fr/")
    nav = tab.locator("#site-nav")
    toggle = tab.get_by_role("button", name="Menu")
    assert nav.is_hidden()
    toggle.click()
    assert nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    context.close()
