import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_arabic_typing_suggests_and_keyboard_opens_the_association(page):
    page.goto(page.base_url + "/ar/")
    box = page.get_by_role("combobox")
    box.press_sequentially("ساعة الف", delay=40)
    option = page.get_by_role("option").first
    option.wait_for()
    assert "جمعية ساعة الفرح" in option.inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    page.wait_for_url("**/ar/associations/lheure-joyeuse/")


def test_search_then_filter_the_results(page):
    page.goto(page.base_url + "/ar/")
    box = page.get_by_role("combobox")
    box.fill("الأمل")
    # Enter with no suggestion chosen submits the search (Escape would clear the box).
    box.press("Enter")
    page.wait_for_url("**/ar/search/?q=%D8%A7**")
    before = page.locator(".association-card").count()
    assert before >= 2
    # Keep only the associations in the health field, as a visitor would.
    page.locator("input[name=field][value=health]").check()
    page.locator(".directory-filters button[type=submit]").click()
    page.wait_for_url("**field=health**")
    cards = page.locator(".association-card")
    assert 1 <= cards.count() < before
    assert "السكري" in cards.first.inner_text()
    # The query is kept with the filter.
    assert page.locator("#search-q").input_value() == "الأمل"


def test_axe_on_the_search_page(page, axe_violations):
    page.goto(page.base_url + "/ar/search/?q=%D8%A7%D9%84%D8%A3%D9%85%D9%84")
    assert axe_violations(page) == []
