"""A member follows a project and schedules an activity, in a real browser.

Elements are found by their links and form actions, not their text: the interface
strings are translated after these tests are written.
"""

import datetime

from django.utils import timezone

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "heure.joyeuse@example.org"
PASSWORD = "demo-pass-2026"


def log_in(tab, lang="fr"):
    tab.goto(f"{tab.base_url}/{lang}/accounts/login/?next=/{lang}/associations/lheure-joyeuse/")
    tab.fill('input[name="login"]', EMAIL)
    tab.fill('input[name="password"]', PASSWORD)
    tab.locator('form [type="submit"]').last.click()
    tab.wait_for_url(f"**/{lang}/associations/lheure-joyeuse/")


def progress(tab):
    return int(tab.locator("#progress-project").get_attribute("value"))


def test_member_builds_a_timeline_and_sees_progress_move(page, axe_violations):
    log_in(page)
    page.locator('a[href*="/projects/new/"]').first.click()
    page.fill("#id_title", "Jardins partagés de Hay Mohammadi")
    page.fill("#id_summary", "Des jardins cultivés par les jeunes du quartier.")
    page.select_option("#id_status", "ongoing")
    page.locator('form [type="submit"]').last.click()
    page.wait_for_url("**/associations/lheure-joyeuse/jardins-partages-de-hay-mohammadi/")
    assert progress(page) == 0

    page.locator('a[href$="/phases/add/"]').first.click()
    page.fill("#id_title", "Préparation des parcelles")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_actual_start", timezone.localdate().isoformat())
    page.locator('form [type="submit"]').last.click()
    page.wait_for_url("**/jardins-partages-de-hay-mohammadi/#timeline")
    assert progress(page) == 50

    page.locator('a[href$="/milestones/add/"]').first.click()
    page.fill("#id_title", "Clôture posée")
    page.locator('form [type="submit"]').last.click()
    page.wait_for_url("**/jardins-partages-de-hay-mohammadi/#timeline")
    assert progress(page) == 0

    page.locator('form[action$="/done/"] button').first.click()
    page.wait_for_url("**/jardins-partages-de-hay-mohammadi/#timeline")
    assert progress(page) == 99
    assert page.locator(".milestone--done").count() == 1
    assert axe_violations(page) == []

    # The Arabic page mirrors: the timeline and the progress bar are right-to-left.
    page.goto(page.url.replace("/fr/", "/ar/").split("#")[0])
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".timeline").evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert axe_violations(page) == []


def test_member_schedules_a_weekly_activity_and_finds_it_in_the_agenda(page, axe_violations):
    log_in(page)
    page.locator('a[href*="/agenda/activities/new/"]').first.click()
    start = timezone.localtime() + datetime.timedelta(days=2)
    page.fill("#id_title", "Atelier de plaidoyer du mercredi")
    page.fill("#id_place", "Maison des jeunes de Aïn Chock")
    page.fill("#id_start", start.strftime("%Y-%m-%dT18:00"))
    page.fill("#id_end", start.strftime("%Y-%m-%dT20:00"))
    assert page.locator("#id_weekdays").is_hidden()  # shown for weekly only (projects.js)
    page.select_option("#id_frequency", "weekly")
    page.locator(
        f'#id_weekdays input[value="{["MO", "TU", "WE", "TH", "FR", "SA", "SU"][start.weekday()]}"]'
    ).check()
    page.fill("#id_repeat_until", (start + datetime.timedelta(days=60)).date().isoformat())
    page.locator('form [type="submit"]').last.click()
    page.wait_for_url("**/agenda/activities/*/")
    assert page.locator(".occurrence").count() >= 8

    page.goto(f"{page.base_url}/fr/agenda/")
    assert page.get_by_text("Atelier de plaidoyer du mercredi").count() >= 4
    assert axe_violations(page) == []
    page.goto(f"{page.base_url}/ar/agenda/month/?month={start.strftime('%Y-%m')}")
    assert page.get_by_text("Atelier de plaidoyer du mercredi").count() >= 1
    assert axe_violations(page) == []


def test_the_agenda_works_without_javascript(browser, live_server, demo_site):
    """Month and list views, their filters and month navigation are links and GET
    forms: a visitor without JavaScript uses all of them."""
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        tab.goto(f"{live_server.url}/fr/agenda/month/")
        this_month = tab.locator("#month-heading").inner_text()
        tab.locator('.month-nav a[rel="next"]').click()
        assert tab.locator("#month-heading").inner_text() != this_month
        # L'Heure Joyeuse's weekly workshop (Casablanca-Settat) runs every month.
        tab.select_option("#id_region", "casablanca-settat")
        tab.locator('.filters [type="submit"]').click()
        assert "region=casablanca-settat" in tab.url
        assert tab.locator('.month a[href*="/agenda/activities/"]').count() >= 4
        tab.locator(".agenda__views li").first.locator("a").click()
        assert "/fr/agenda/?" in tab.url and "region=casablanca-settat" in tab.url
        assert tab.locator(".agenda-item").count() >= 1
        tab.locator(".agenda-item a").first.click()
        assert tab.locator(".occurrence").count() >= 1
    finally:
        context.close()
