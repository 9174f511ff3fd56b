"""L'Heure Joyeuse asks a specialist for help and the specialist accepts, in a real
browser; axe-core on the specialists' directory, a profile and the dashboard."""

from datetime import timedelta

from django.utils import timezone

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "demo-pass-2026"
ASSOCIATION_ADMIN = "heure.joyeuse@example.org"
SPECIALIST = "specialist@example.org"


def log_in(tab, email, lang="fr", next_path="/my/"):
    tab.context.clear_cookies()
    tab.goto(f"{tab.base_url}/{lang}/accounts/login/?next=/{lang}{next_path}")
    tab.fill('input[name="login"]', email)
    tab.fill('input[name="password"]', PASSWORD)
    tab.locator('form [type="submit"]').last.click()
    tab.wait_for_url(f"**/{lang}{next_path}")


def nadia():
    from directory.specialists import SpecialistPage

    return SpecialistPage.objects.get(user__email=SPECIALIST, locale__language_code="ar")


def test_heure_joyeuse_requests_and_the_specialist_accepts(page):
    from directory.specialists import SpecialistRequest

    specialist = nadia()
    log_in(page, ASSOCIATION_ADMIN, "fr", "/specialists/")
    # The directory, filtered without JavaScript: childhood in Casablanca-Settat.
    page.check("#facet-field-childhood")
    page.check("#facet-region-casablanca-settat")
    page.locator(".directory-filters button[type=submit]").click()
    page.wait_for_url("**/fr/specialists/?*")
    page.locator(".specialist-card__name a", has_text=specialist.name).click()
    page.wait_for_url(f"**/fr/specialists/{specialist.slug}/")
    page.locator(f'a[href="/fr/specialists/requests/new/{specialist.pk}/"]').click()

    start = timezone.localdate() + timedelta(days=10)
    page.fill("#id_need", "Nous avons besoin d'une formation pour nos éducateurs.")
    page.select_option("#id_field", "childhood")
    page.select_option("#id_expected_format", "training")
    page.fill("#id_preferred_start", start.isoformat())
    page.check("#id_urgency_2")  # urgent
    page.locator("#specialist-request-form button[type=submit]").click()
    page.wait_for_url("**/fr/specialists/requests/*/")
    created = SpecialistRequest.objects.get(
        specialist=specialist,
        status=SpecialistRequest.Status.PENDING,
        requested_by__email=ASSOCIATION_ADMIN,
    )
    assert created.urgency == "high"
    assert page.locator("[data-status=pending]").is_visible()

    # The specialist finds it on the dashboard and accepts.
    log_in(page, SPECIALIST, "ar", "/my/")
    page.locator(f'a[href="/ar/specialists/requests/{created.pk}/"]').first.click()
    page.wait_for_url(f"**/ar/specialists/requests/{created.pk}/")
    page.locator(f'form[action="/ar/specialists/requests/{created.pk}/accept/"] button').click()
    page.wait_for_url(f"**/ar/specialists/requests/{created.pk}/")
    assert page.locator("[data-status=accepted]").is_visible()
    created.refresh_from_db()
    assert created.status == SpecialistRequest.Status.ACCEPTED

    # Both sides land in the same conversation (community.messaging's receiver): the
    # specialist follows the request page's link to it, the association's
    # administrator opens it from the inbox.
    from postman.models import Message

    first = Message.objects.filter(
        sender=specialist.user, recipient__email=ASSOCIATION_ADMIN
    ).first()
    assert first is not None
    thread = first.thread_id or first.pk
    page.locator(f"main a[href='/ar/messages/view/t/{thread}/']").click()
    page.wait_for_url(f"**/ar/messages/view/t/{thread}/")
    assert page.locator(f"article.pm-thread[data-thread='{thread}']").is_visible()
    specialist_sees = page.locator(".pm-thread__messages").inner_text()

    log_in(page, ASSOCIATION_ADMIN, "fr", "/messages/inbox/")
    page.locator(f"a.pm__subject[href$='/{thread}/']").first.click()
    assert page.locator(f"article.pm-thread[data-thread='{thread}']").is_visible()
    assert page.locator(".pm-thread__party").is_visible()  # "Conversation with the association …"
    assert page.locator(".pm-thread__messages").inner_text().strip()
    assert specialist_sees.strip()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_axe_on_the_directory_and_a_profile(page, axe_violations, lang):
    page.goto(f"{page.base_url}/{lang}/specialists/?language=fr")
    assert axe_violations(page) == []
    page.goto(f"{page.base_url}/{lang}/specialists/{nadia().slug}/")
    assert axe_violations(page) == []
    # A visitor applies and creates their account in the same form.
    page.goto(f"{page.base_url}/{lang}/specialists/apply/")
    assert page.locator("#id_account-email").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize("email", [ASSOCIATION_ADMIN, SPECIALIST])
def test_axe_on_the_dashboard_and_a_request(page, axe_violations, lang, email):
    from directory.specialists import SpecialistRequest

    log_in(page, email, lang, "/my/")
    assert axe_violations(page) == []
    item = SpecialistRequest.objects.filter(
        specialist__user__email=SPECIALIST, status="pending"
    ).first()
    if email == SPECIALIST:
        page.goto(f"{page.base_url}/{lang}/specialists/requests/{item.pk}/")
        assert axe_violations(page) == []
