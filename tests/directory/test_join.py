"""Applying to join the network: the four steps at /<lang>/join/, bad input, the
applicant's own applications.

Helpers here (`STEP1`… `fill_steps`, `send_application`, `pdf_file`) are reused by
test_join_admin.py, which covers the review in the Wagtail admin.
"""

import io

from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from allauth.account.models import EmailAddress
from PIL import Image

from accounts.models import User
from directory.models import MembershipApplication
from tests.conftest import ROLES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

STEP1 = {
    "name_ar": "جمعية الأفق للتنمية والتربية",
    "name_fr": "Association Al Ofok pour le développement",
    "acronym": "AOD",
    "short_description": "دعم التمدرس والأنشطة الثقافية لفائدة شباب حي يعقوب المنصور.",
    "fields_of_activity": ["education", "youth"],
    "target_groups": ["youth", "children"],
    "province": "rabat",
    "city": "الرباط",
    "address": "حي يعقوب المنصور، الرباط",
    "members_count": "45",
    "staff_count": "1",
    "volunteers_count": "12",
    "budget_band": "50k-250k",
    "founded_year": "2012",
}
STEP2 = {
    "registration_number": "RABAT-2012-0042",
    "registration_date": "2012-05-14",
    "email": "contact@alofok.ma",
    "phone": "0537 12 34 56",
    "website": "alofok.ma",
}
PASSWORD = "a-long-passphrase-2026"
STEP3_NEW = {
    "email": "salma.applicant@example.org",
    "display_name": "Salma Bennani",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "preferred_language": "ar",
    "position": "رئيسة الجمعية",
    "confirm": "on",
}
STEP3_SIGNED_IN = {"position": "Secrétaire général", "confirm": "on"}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth counts sign-ups per address in the cache: each test starts afresh."""
    cache.clear()
    yield
    cache.clear()


def pdf_file(name="receipt.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_file(width=40, height=30, name="receipt.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def post_step(client, number, data, lang="fr", **extra):
    return client.post(f"/{lang}/join/step/{number}/", {**data, **extra})


def fill_steps(client, lang="fr", step1=STEP1, step2=STEP2, step3=None, until=3):
    """Send steps 1 to `until` (each must succeed)."""
    pages = {1: step1, 2: step2, 3: step3 or STEP3_NEW}
    for number in range(1, until + 1):
        response = post_step(client, number, pages[number], lang)
        assert response.status_code == 302, response.context["form"].errors
        assert response["Location"] == f"/{lang}/join/step/{number + 1}/"


def draft_token(client):
    return client.session["join_application"]["token"]


def send_application(client, lang="fr", receipt=None, token=None):
    return client.post(
        f"/{lang}/join/step/4/",
        {
            "receipt": receipt or pdf_file(),
            "confirm": "on",
            "token": token or draft_token(client),
            "action": "send",
        },
    )


def make_application(applicant, **overrides):
    """A submitted application, saved directly (as step 4 would)."""
    data = {
        "name_ar": "جمعية الواحة للبيئة",
        "name_fr": "Association L'Oasis pour l'environnement",
        "short_description": "حماية الواحات",
        "province_slug": "errachidia",
        "city": "الرشيدية",
        "registration_number": "ERR-2018-0007",
        "email": "contact@oasis.ma",
        "phone": "+212535123456",
        "applicant_position": "Président",
    }
    data.update(overrides)
    from directory.models import FieldOfActivity, Province

    province = Province.source_terms().get(slug=data.pop("province_slug"))
    application = MembershipApplication(applicant=applicant, province=province, **data)
    application.registration_receipt.save("receipt-test.pdf", ContentFile(PDF), save=False)
    application.save()
    application.fields_of_activity.set(FieldOfActivity.source_terms().filter(slug="environment"))
    return application


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]]


# ---------------------------------------------------------------------------
# The steps
# ---------------------------------------------------------------------------
def test_join_starts_at_step_one(client):
    response = client.get("/fr/join/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/join/step/1/"


def test_step_one_groups_provinces_by_region_and_names_fields_in_the_page_language(client):
    from django.utils import translation

    from directory.models import FieldOfActivity, Region

    response = client.get("/ar/join/step/1/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<optgroup") == 12
    with translation.override("ar"):
        regions = Region.localized_names()
        fields = FieldOfActivity.localized_names()
    assert f'<optgroup label="{regions["casablanca-settat"]}">' in html
    assert fields["education"] in html
    # The progress indicator marks the current step for assistive technologies.
    assert html.count('aria-current="step"') == 1
    assert 'dir="rtl"' in html


def test_progress_says_which_step_of_four(client):
    fill_steps(client, "en", until=1)
    response = client.get("/en/join/step/2/")
    html = response.content.decode()
    assert "Step 2 of 4" in html
    assert 'aria-current="step"' in html
    # The step done is a link back to it.
    assert 'href="/en/join/step/1/"' in html


def test_back_keeps_what_was_typed(client):
    fill_steps(client, until=1)
    partial = {"registration_number": "RABAT-2012-0042", "phone": "0537 12 34 56"}
    response = post_step(client, 2, partial, action="back")
    assert response["Location"] == "/fr/join/step/1/"
    step1 = client.get("/fr/join/step/1/").content.decode()
    assert STEP1["name_ar"] in step1
    assert 'value="rabat" selected' in step1
    step2 = client.get("/fr/join/step/2/").content.decode()
    assert 'value="RABAT-2012-0042"' in step2
    assert 'value="0537 12 34 56"' in step2


def test_missing_fields_are_reported_in_the_page_language_and_input_is_kept(client):
    response = post_step(client, 1, {"name_fr": "Association Tafoukt", "city": ""}, lang="ar")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {
        "name_ar",
        "short_description",
        "fields_of_activity",
        "province",
        "city",
    }
    html = response.content.decode()
    assert "هذا الحقل مطلوب" in html  # Django's "This field is required." in Arabic
    assert 'value="Association Tafoukt"' in html
    assert 'id="error-summary"' in html
    assert not client.session.get("join_application", {}).get("steps")


def test_the_arabic_name_must_be_in_arabic_letters(client):
    response = post_step(client, 1, {**STEP1, "name_ar": "Jam3iat al ofok"})
    assert response.context["form"].has_error("name_ar", "not_arabic")


@pytest.mark.parametrize("phone", ["0461234567", "+33612345678", "066123456", "phone"], ids=str)
def test_phone_must_be_moroccan(client, phone):
    fill_steps(client, until=1)
    response = post_step(client, 2, {**STEP2, "phone": phone})
    assert response.status_code == 200
    assert response.context["form"].has_error("phone", "invalid_phone")
    assert f'value="{phone}"' in response.content.decode()


def test_phone_is_stored_in_international_form(client):
    fill_steps(client)
    send_application(client)
    assert MembershipApplication.objects.get().phone == "+212537123456"


@pytest.mark.parametrize("step", [2, 3, 4])
def test_a_step_reached_without_the_previous_ones_sends_back_to_step_one(client, step):
    response = client.get(f"/fr/join/step/{step}/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/join/step/1/"


def test_skipping_step_two_by_url_sends_back_to_step_two(client):
    fill_steps(client, until=1)
    assert client.get("/fr/join/step/4/")["Location"] == "/fr/join/step/2/"
    response = post_step(client, 3, STEP3_NEW)
    assert response["Location"] == "/fr/join/step/2/"


def test_sending_step_four_without_the_other_steps_creates_nothing(client):
    response = client.post(
        "/fr/join/step/4/", {"receipt": pdf_file(), "confirm": "on", "token": "x"}
    )
    assert response["Location"] == "/fr/join/step/1/"
    assert not MembershipApplication.objects.exists()


@pytest.mark.parametrize("number", [0, 5, 99])
def test_unknown_step_is_not_found(client, number):
    assert client.get(f"/fr/join/step/{number}/").status_code == 404


@pytest.mark.parametrize(
    "tamper, sent_back_to",
    [
        (lambda steps: steps["1"].update(province="atlantis"), 1),
        (lambda steps: steps["1"].update(fields_of_activity="education"), 1),
        (lambda steps: steps["1"].update(founded_year=["1990"]), 1),
        (lambda steps: steps.update({"2": "not a dict"}), 2),
        (lambda steps: steps["2"].update(registration_date=20120514), 2),
        (lambda steps: steps["3"].update(password_hash="plain-text"), 3),
    ],
    ids=["unknown-province", "list-as-text", "text-as-list", "step-replaced", "number", "hash"],
)
def test_a_tampered_session_is_refused(client, tamper, sent_back_to):
    fill_steps(client)
    session = client.session
    tamper(session["join_application"]["steps"])
    session.save()
    response = client.get("/fr/join/step/4/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"/fr/join/step/{sent_back_to}/")
    response = send_application(client)
    assert response.status_code == 302
    assert not MembershipApplication.objects.exists()
    assert not User.objects.filter(email=STEP3_NEW["email"]).exists()


def test_the_password_is_never_kept_in_the_session(client):
    fill_steps(client)
    stored = client.session["join_application"]["steps"]["3"]
    assert PASSWORD not in str(client.session.items())
    assert "password1" not in stored
    assert stored["password_hash"].startswith("md5$")  # the test hasher


def test_coming_back_to_step_three_keeps_the_chosen_password(client):
    fill_steps(client)
    response = post_step(client, 3, {**STEP3_NEW, "password1": "", "password2": ""})
    assert response["Location"] == "/fr/join/step/4/"
    send_application(client)
    assert User.objects.get(email=STEP3_NEW["email"]).check_password(PASSWORD)


def test_passwords_must_match_and_be_strong(client):
    fill_steps(client, until=2)
    response = post_step(client, 3, {**STEP3_NEW, "password2": "something-else-2026"})
    assert response.context["form"].has_error("password2")
    response = post_step(client, 3, {**STEP3_NEW, "password1": "12345678", "password2": "12345678"})
    assert response.context["form"].has_error("password1")


def test_an_existing_address_must_log_in_first(client):
    fill_steps(client, "en", until=2)
    owner = User.objects.get(email="heure.joyeuse@example.org")
    password = owner.password
    response = post_step(client, 3, {**STEP3_NEW, "email": "Heure.Joyeuse@example.org"}, "en")
    assert response.status_code == 200
    assert response.context["form"].has_error("email", "account_exists")
    html = response.content.decode()
    assert "/en/accounts/login/?next=/en/join/step/3/" in html
    owner.refresh_from_db()
    assert owner.password == password


def test_step_three_for_a_signed_in_person_asks_only_their_position(client):
    person = UserFactory(preferred_language="fr")
    client.force_login(person)
    fill_steps(client, until=2)
    response = client.get("/fr/join/step/3/")
    form = response.context["form"]
    assert set(form.fields) == {"position", "confirm"}
    assert person.email in response.content.decode()


# ---------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------
def test_summary_before_sending_shows_the_answers(client):
    fill_steps(client, "en")
    html = client.get("/en/join/step/4/").content.decode()
    for value in (STEP1["name_ar"], STEP1["name_fr"], "RABAT-2012-0042", "contact@alofok.ma"):
        assert value in html
    assert 'enctype="multipart/form-data"' in html


def test_anonymous_application_creates_an_account_and_e_mails_everyone(client, people):
    fill_steps(client)
    response = send_application(client)
    assert response["Location"] == "/fr/join/thanks/"

    application = MembershipApplication.objects.get()
    assert application.status == MembershipApplication.Status.SUBMITTED
    assert application.name_ar == STEP1["name_ar"]
    assert application.province.slug == "rabat"
    assert application.province.locale.language_code == "ar"
    assert sorted(t.slug for t in application.fields_of_activity.all()) == ["education", "youth"]
    assert application.founded_year == 2012
    assert str(application.registration_date) == "2012-05-14"
    assert application.website == "https://alofok.ma"
    assert application.applicant_position == STEP3_NEW["position"]
    assert application.registration_receipt.name.startswith("receipt")
    assert application.registration_receipt.name.endswith(".pdf")
    assert application.registration_receipt.read() == PDF

    applicant = application.applicant
    assert applicant.email == STEP3_NEW["email"]
    assert applicant.display_name == "Salma Bennani"
    assert applicant.preferred_language == "ar"
    assert applicant.check_password(PASSWORD)
    assert not EmailAddress.objects.get(user=applicant).verified

    to_applicant = [m for m in mail.outbox if m.to == [applicant.email]]
    assert len(to_applicant) == 2  # allauth's confirmation link + our acknowledgement
    received = next(m for m in to_applicant if STEP1["name_ar"] in m.subject)
    # In the applicant's language (Arabic), whatever the page's language (French).
    assert "/ar/join/applications/" in received.body
    assert "رابطة" in received.body
    assert any("/ar/accounts/confirm-email/" in m.body for m in to_applicant)

    to_staff = [m for m in mail.outbox if m.to == [people["staff"].email]]
    assert len(to_staff) == 1
    assert f"/admin/join-applications/{application.pk}/" in to_staff[0].body
    assert not [m for m in mail.outbox if m.to == [people["member"].email]]

    thanks = client.get("/fr/join/thanks/")
    assert STEP3_NEW["email"] in thanks.content.decode()
    assert "join_application" not in client.session


def test_a_french_speaking_member_gets_a_french_acknowledgement(client):
    person = UserFactory(preferred_language="fr")
    client.force_login(person)
    fill_steps(client, "ar", step3=STEP3_SIGNED_IN)
    response = send_application(client, "ar")
    assert response["Location"] == "/ar/join/thanks/"
    application = MembershipApplication.objects.get()
    assert application.applicant == person
    assert application.applicant_position == "Secrétaire général"
    received = [m for m in mail.outbox if m.to == [person.email]]
    assert len(received) == 1
    assert "/fr/join/applications/" in received[0].body
    assert "/ar/" not in received[0].body


def test_thanks_page_says_what_happens_next(client):
    fill_steps(client, "en")
    send_application(client, "en")
    html = client.get("/en/join/thanks/").content.decode()
    assert "What happens next" in html
    assert "confirm your address" in html
    assert 'href="/en/join/applications/"' in html


def test_thanks_page_without_an_application_goes_to_the_form(client):
    assert client.get("/fr/join/thanks/")["Location"] == "/fr/join/"


def test_a_double_click_sends_one_application(client):
    fill_steps(client)
    token = draft_token(client)
    first = send_application(client, token=token)
    second = send_application(client, token=token)
    assert first["Location"] == second["Location"] == "/fr/join/thanks/"
    assert MembershipApplication.objects.count() == 1
    follow = client.get(second["Location"])
    assert "Votre demande a déjà été envoyée." in messages_of(follow)


def test_the_same_registration_number_cannot_be_pending_twice(client):
    make_application(UserFactory(), registration_number="rabat-2012-0042")
    fill_steps(client, until=1)
    response = post_step(client, 2, STEP2)
    assert response.context["form"].has_error("registration_number", "already_pending")


def test_an_application_pending_meanwhile_is_refused_at_the_last_step(client):
    fill_steps(client)
    make_application(UserFactory(), registration_number="RABAT-2012-0042")
    response = send_application(client)
    assert response["Location"].startswith("/fr/join/step/2/")
    step2 = client.get(response["Location"])
    assert step2.context["form"].has_error("registration_number", "already_pending")
    assert MembershipApplication.objects.count() == 1
    assert not User.objects.filter(email=STEP3_NEW["email"]).exists()


def test_a_rejected_application_does_not_block_a_new_one(client):
    make_application(
        UserFactory(),
        registration_number="RABAT-2012-0042",
        status=MembershipApplication.Status.REJECTED,
    )
    fill_steps(client)
    assert send_application(client)["Location"] == "/fr/join/thanks/"


# ---------------------------------------------------------------------------
# The receipt
# ---------------------------------------------------------------------------
def test_a_png_receipt_is_accepted(client):
    fill_steps(client)
    send_application(client, receipt=png_file())
    assert MembershipApplication.objects.get().registration_receipt.name.endswith(".png")


@pytest.mark.parametrize(
    "upload, code",
    [
        (
            lambda: pdf_file("receipt.pdf", b"<html><script>alert(1)</script></html>"),
            "file_type_refused",
        ),
        (lambda: pdf_file("receipt.pdf", PDF + b"0" * (5 * 1024 * 1024)), "file_too_large"),
        (lambda: png_file(6001, 10), "image_too_large"),
        (lambda: pdf_file("receipt.pdf", PDF[:40]), "bad_pdf"),
        (
            lambda: SimpleUploadedFile("receipt.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
            "bad_image",
        ),
    ],
    ids=["html-named-pdf", "over-5-mb", "over-6000-px", "truncated", "broken-png"],
)
def test_bad_receipts_are_refused_and_nothing_is_created(client, upload, code):
    fill_steps(client)
    response = send_application(client, receipt=upload())
    assert response.status_code == 200
    assert response.context["form"].has_error("receipt", code)
    assert not MembershipApplication.objects.exists()
    assert not User.objects.filter(email=STEP3_NEW["email"]).exists()
    # The answers of the previous steps are still there.
    assert STEP1["name_ar"] in response.content.decode()


def test_the_receipt_and_the_confirmation_are_required(client):
    fill_steps(client)
    response = client.post("/fr/join/step/4/", {"token": draft_token(client)})
    form = response.context["form"]
    assert form.has_error("receipt") and form.has_error("confirm")


# ---------------------------------------------------------------------------
# Who may apply, and the applicant's own applications
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_anyone_may_apply(client, people, role):
    if people[role]:
        client.force_login(people[role])
    assert client.get("/fr/join/step/1/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_the_applications_list_shows_only_ones_own(client, people, role):
    mine = make_application(people["member"], name_ar="جمعية طلب العضو")
    theirs = make_application(
        people["other_member"], name_ar="جمعية طلب آخر", registration_number="X-2"
    )
    user = people[role]
    if user is None:
        response = client.get("/fr/join/applications/")
        assert response.status_code == 302
        assert response["Location"].startswith("/fr/accounts/login/")
        return
    client.force_login(user)
    html = client.get("/fr/join/applications/").content.decode()
    assert (mine.name_ar in html) is (role == "member")
    assert (theirs.name_ar in html) is (role == "other_member")
    own_page = client.get(f"/fr/join/applications/{mine.pk}/")
    assert own_page.status_code == (200 if role == "member" else 404)


def test_unknown_application_is_not_found(client, people):
    client.force_login(people["member"])
    assert client.get("/fr/join/applications/999999/").status_code == 404


def test_answering_is_refused_unless_information_was_requested(client, people):
    application = make_application(people["member"])
    client.force_login(people["member"])
    response = client.post(f"/fr/join/applications/{application.pk}/", {"city": "Tanger"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.city == "الرشيدية"
