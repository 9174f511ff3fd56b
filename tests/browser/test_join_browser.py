"""The application to join in a real browser: accessibility of the steps in Arabic,
and a visitor filling the first step."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STEP1 = {
    "name_ar": "جمعية الأفق للتنمية والتربية",
    "name_fr": "Association Al Ofok",
    "short_description": "دعم التمدرس والأنشطة الثقافية لفائدة الشباب.",
    "city": "الرباط",
    "members_count": "45",
}


def fill_step_one(page):
    for name, value in STEP1.items():
        page.fill(f"[name={name}]", value)
    page.check("input[name=fields_of_activity][value=education]")
    page.check("input[name=target_groups][value=youth]")
    page.select_option("select[name=province]", "rabat")


def test_axe_finds_no_serious_violation_on_step_one_in_arabic(page, axe_violations):
    page.goto(page.base_url + "/ar/join/step/1/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert axe_violations(page) == []


def test_axe_finds_no_serious_violation_on_step_one_with_errors(page, axe_violations):
    page.goto(page.base_url + "/ar/join/step/1/")
    page.click("button[value=next]")
    page.wait_for_selector("#error-summary")
    assert axe_violations(page) == []


def test_axe_finds_no_serious_violation_on_step_three_in_arabic(page, axe_violations):
    page.goto(page.base_url + "/ar/join/step/1/")
    fill_step_one(page)
    page.click("button[value=next]")
    page.wait_for_url("**/ar/join/step/2/")
    page.fill("[name=registration_number]", "RABAT-2012-0042")
    page.fill("[name=email]", "contact@alofok.ma")
    page.fill("[name=phone]", "0537 12 34 56")
    page.click("button[value=next]")
    page.wait_for_url("**/ar/join/step/3/")
    assert page.locator("input[name=password1]").is_visible()
    assert axe_violations(page) == []


def test_a_visitor_fills_step_one_in_arabic_and_comes_back_to_it(page):
    page.goto(page.base_url + "/ar/join/")
    page.wait_for_url("**/ar/join/step/1/")
    current = page.locator('[aria-current="step"]')
    assert current.count() == 1
    assert "1" in current.inner_text()

    # The provinces are grouped by region.
    assert page.locator("select[name=province] optgroup").count() == 12

    # Sending an empty step keeps the page and lists the problems, focusable by link.
    page.fill("[name=name_fr]", STEP1["name_fr"])
    page.click("button[value=next]")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.locator("[name=name_fr]").input_value() == STEP1["name_fr"]
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.name") == "name_ar"

    fill_step_one(page)
    page.click("button[value=next]")
    page.wait_for_url("**/ar/join/step/2/")
    assert "2" in page.locator('[aria-current="step"]').inner_text()

    # Back: what was typed in step 1 is still there.
    page.click("button[value=back]")
    page.wait_for_url("**/ar/join/step/1/")
    assert page.locator("[name=name_ar]").input_value() == STEP1["name_ar"]
    assert page.locator("select[name=province]").input_value() == "rabat"
    assert page.locator("input[name=fields_of_activity][value=education]").is_checked()

    # Right to left: the Arabic name field starts at the right.
    field = page.locator("[name=name_ar]").bounding_box()
    viewport = page.viewport_size["width"]
    assert field["x"] + field["width"] > viewport / 2
