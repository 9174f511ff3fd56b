"""Who may do what: the permission matrix by role, and the members' front-end journeys."""

import datetime

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest

from projects import activities as service
from projects.models import Activity, ProgressUpdate, ProjectPage, Registration
from projects.permissions import check_calendar_permission, check_event_permission
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

EDITORS = {"member", "admin", "staff"}


def _status(role, editors=EDITORS):
    if role == "anonymous":
        return 302
    return 200 if role in editors else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "view",
    [
        "project_create",
        "project_edit",
        "phase_add",
        "update_add",
        "activity_create",
        "activity_edit",
        "attendees",
        "move",
    ],
)
def test_edit_views_permission_matrix(
    client, people, project, make_activity, heure_joyeuse, role, view
):
    activity = make_activity()
    key = service.upcoming(activity, count=1)[0].key
    url = {
        "project_create": f"/fr/projects/new/{heure_joyeuse.pk}/",
        "project_edit": f"/fr/projects/{project.pk}/edit/",
        "phase_add": f"/fr/projects/{project.pk}/phases/add/",
        "update_add": f"/fr/projects/{project.pk}/updates/add/",
        "activity_create": f"/fr/agenda/activities/new/{heure_joyeuse.pk}/",
        "activity_edit": f"/fr/agenda/activities/{activity.pk}/edit/",
        "attendees": f"/fr/agenda/activities/{activity.pk}/attendees/",
        "move": f"/fr/agenda/activities/{activity.pk}/dates/{key}/move/",
    }[view]
    if people[role]:
        client.force_login(people[role])
    assert client.get(url).status_code == _status(role)


@pytest.mark.parametrize("role", ROLES)
def test_posting_changes_is_refused_to_non_members(client, people, project, make_activity, role):
    activity = make_activity()
    key = service.upcoming(activity, count=1)[0].key
    phase_id = project.timeline[1].id
    milestone_id = project.timeline[1].value["milestones"].bound_blocks[1].id
    if people[role]:
        client.force_login(people[role])
    expected = _status(role, EDITORS)
    ok = 302
    responses = [
        client.post(f"/fr/agenda/activities/{activity.pk}/dates/{key}/cancel/"),
        client.post(f"/fr/agenda/activities/{activity.pk}/cancel/"),
        client.post(f"/fr/projects/{project.pk}/phases/{phase_id}/milestones/{milestone_id}/done/"),
    ]
    for response in responses:
        assert response.status_code == (ok if expected == 200 else expected)
    changed = Activity.objects.get(pk=activity.pk).cancelled
    assert changed is (role in EDITORS)


def test_scheduler_permission_functions(people, make_activity):
    activity = make_activity()
    assert check_event_permission(activity.event, people["member"])
    assert not check_event_permission(activity.event, people["other_member"])
    assert not check_event_permission(None, people["member"])
    assert check_event_permission(None, people["staff"])
    assert not check_calendar_permission(activity.event.calendar, people["admin"])


def test_scheduler_unsafe_views_are_not_mounted(client, people):
    client.force_login(people["member"])
    for url in ("/api/select_create/", "/fr/api/select_create/", "/schedule/api/move_or_resize/"):
        assert client.post(url, {"calendar_slug": "x"}, follow=True).status_code == 404


# ---------------------------------------------------------------------------
# Journeys
# ---------------------------------------------------------------------------
def test_member_creates_a_project_and_moves_its_progress(client, people, heure_joyeuse):
    client.force_login(people["member"])
    response = client.post(
        f"/fr/projects/new/{heure_joyeuse.pk}/",
        {
            "title": "Jardins partagés",
            "summary": "Des jardins dans le quartier",
            "status": "ongoing",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "objectives": "Un\n\nDeux",
        },
    )
    assert response.status_code == 302
    page = ProjectPage.objects.get(title="Jardins partagés", locale=heure_joyeuse.locale)
    assert page.live and page.association_id == heure_joyeuse.pk
    assert page.objectives == "<p>Un</p><p>Deux</p>"
    assert ProjectPage.objects.filter(translation_key=page.translation_key).count() == 3
    client.post(
        f"/fr/projects/{page.pk}/phases/add/",
        {"title": "Semis", "status": "in_progress", "actual_start": "2026-02-01"},
    )
    page = ProjectPage.objects.get(pk=page.pk)
    phase_id = page.timeline[0].id
    assert page.progress == 50
    client.post(
        f"/fr/projects/{page.pk}/phases/{phase_id}/milestones/add/", {"title": "Premières graines"}
    )
    page = ProjectPage.objects.get(pk=page.pk)
    assert page.progress == 0
    milestone_id = page.timeline[0].value["milestones"].bound_blocks[0].id
    client.post(f"/fr/projects/{page.pk}/phases/{phase_id}/milestones/{milestone_id}/done/")
    page = ProjectPage.objects.get(pk=page.pk)
    assert page.progress == 99  # the milestone is reached, the phase is not marked done
    client.post(
        f"/fr/projects/{page.pk}/phases/{phase_id}/edit/",
        {
            "title": "Semis",
            "status": "done",
            "actual_start": "2026-02-01",
            "actual_end": "2026-03-01",
        },
    )
    page = ProjectPage.objects.get(pk=page.pk)
    assert page.progress == 100
    alias = ProjectPage.objects.get(
        translation_key=page.translation_key, locale__language_code="en"
    )
    assert alias.progress == 100


@pytest.mark.parametrize(
    "data, field",
    [
        ({"title": "P", "status": "done"}, "actual_end"),
        (
            {
                "title": "P",
                "status": "in_progress",
                "planned_start": "2026-05-01",
                "planned_end": "2026-04-01",
            },
            "planned_end",
        ),
    ],
    ids=["done-without-end", "end-before-start"],
)
def test_phase_form_errors_keep_the_timeline(client, people, project, data, field):
    client.force_login(people["member"])
    response = client.post(
        f"/en/projects/{project.pk}/phases/add/", data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert len(ProjectPage.objects.get(pk=project.pk).timeline) == 2


def test_milestone_done_without_date_is_refused(client, people, project):
    client.force_login(people["member"])
    phase_id = project.timeline[1].id
    response = client.post(
        f"/en/projects/{project.pk}/phases/{phase_id}/milestones/add/",
        {"title": "X", "done": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "A milestone marked as done needs the date it was reached." in response.content.decode()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (11, 107, 79)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, stored",
    [("report.pdf", PDF, "evidence_document"), ("photo.png", _png(), "evidence_image")],
    ids=["pdf", "photo"],
)
def test_a_milestone_carries_its_evidence(client, people, project, name, content, stored):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["member"])
    phase_id = project.timeline[1].id
    response = client.post(
        f"/fr/projects/{project.pk}/phases/{phase_id}/milestones/add/",
        {"title": "Atelier tenu", "evidence": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302
    page = ProjectPage.objects.get(pk=project.pk)
    milestone = page.timeline[1].value["milestones"][-1]
    assert milestone["title"] == "Atelier tenu" and milestone[stored] is not None
    shown = client.get(page.url).content.decode()
    link = milestone[stored].url if stored == "evidence_document" else milestone[stored].file.url
    assert link in shown


def test_evidence_that_is_not_a_photo_or_a_pdf_is_refused(client, people, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["member"])
    phase_id = project.timeline[1].id
    before = len(project.timeline[1].value["milestones"])
    response = client.post(
        f"/fr/projects/{project.pk}/phases/{phase_id}/milestones/add/",
        {"title": "Atelier", "evidence": SimpleUploadedFile("fake.pdf", b"<script>x</script>")},
    )
    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    page = ProjectPage.objects.get(pk=project.pk)
    assert len(page.timeline[1].value["milestones"]) == before


def test_project_form_end_before_start(client, people, project):
    client.force_login(people["member"])
    response = client.post(
        f"/en/projects/{project.pk}/edit/",
        {
            "title": "T",
            "summary": "S",
            "status": "ongoing",
            "start_date": "2026-05-01",
            "end_date": "2026-04-01",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "The end date must be on or after the start date." in response.content.decode()


def test_member_posts_an_update(client, people, project):
    client.force_login(people["member"])
    response = client.post(
        f"/fr/projects/{project.pk}/updates/add/",
        {
            "title": "Nouvelles",
            "text": "<script>alert(1)</script>",
            "published_on": timezone.localdate().isoformat(),
            "phase": "Trainings",
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(project=project)
    assert update.phase == "Trainings" and update.author == people["member"]
    body = client.get(project.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body


def test_member_schedules_weekly_activity_and_finds_it_in_the_agenda(client, people, heure_joyeuse):
    client.force_login(people["member"])
    start = timezone.localtime() + datetime.timedelta(days=1)
    response = client.post(
        f"/fr/agenda/activities/new/{heure_joyeuse.pk}/",
        {
            "title": "Atelier hebdo",
            "place": "Salle",
            "visibility": "public",
            "frequency": "weekly",
            "weekdays": ["MO", "TH"],
            "repeat_until": (start + datetime.timedelta(days=30)).date().isoformat(),
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "1",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(event__title="Atelier hebdo")
    assert activity.weekdays == "MO,TH" and activity.created_by == people["member"]
    client.logout()
    agenda = client.get("/fr/agenda/").content.decode()
    assert agenda.count("Atelier hebdo") >= 8
    # Registration through the page: one place, then the waiting list.
    key = service.upcoming(activity, count=1)[0].key
    client.force_login(people["specialist"])
    assert (
        client.post(f"/fr/agenda/activities/{activity.pk}/dates/{key}/register/").status_code == 302
    )
    client.post(f"/fr/agenda/activities/{activity.pk}/dates/{key}/register/")  # twice: refused
    client.force_login(people["moderator"])
    client.post(f"/fr/agenda/activities/{activity.pk}/dates/{key}/register/")
    assert list(
        Registration.objects.filter(activity=activity).values_list("status", flat=True)
    ) == ["confirmed", "waiting"]
    client.force_login(people["admin"])
    attendees = client.get(f"/fr/agenda/activities/{activity.pk}/attendees/").content.decode()
    assert people["specialist"].email in attendees and people["moderator"].email in attendees


def test_member_moves_and_cancels_dates(client, people, make_activity):
    activity = make_activity(
        start=timezone.localtime() + datetime.timedelta(days=1),
        frequency="daily",
        repeat_until=(timezone.localdate() + datetime.timedelta(days=5)),
    )
    first, second = service.upcoming(activity, count=2)
    client.force_login(people["member"])
    client.post(f"/fr/agenda/activities/{activity.pk}/dates/{first.key}/cancel/")
    new_start = second.start + datetime.timedelta(hours=3)
    response = client.post(
        f"/en/agenda/activities/{activity.pk}/dates/{second.key}/move/",
        {
            "start": new_start.strftime("%Y-%m-%dT%H:%M"),
            "end": (new_start - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "The end must be after the start." in response.content.decode()
    client.post(
        f"/fr/agenda/activities/{activity.pk}/dates/{second.key}/move/",
        {
            "start": new_start.strftime("%Y-%m-%dT%H:%M"),
            "end": (new_start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    first, second = service.upcoming(activity, count=2)
    assert first.cancelled and second.moved and second.start == new_start
    assert (
        client.post(
            f"/fr/agenda/activities/{activity.pk}/dates/20000101T000000Z/cancel/"
        ).status_code
        == 404
    )


def test_reminders_the_day_before(people, make_activity):
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    activity = make_activity(start=tomorrow.replace(hour=18, minute=0, second=0, microsecond=0))
    later = make_activity(title="Later", start=tomorrow + datetime.timedelta(days=3))
    occurrence = service.upcoming(activity, count=1)[0].occurrence
    service.register(activity.pk, occurrence, people["member"])
    service.register(later.pk, service.upcoming(later, count=1)[0].occurrence, people["admin"])
    mail.outbox.clear()
    call_command("send_activity_reminders", verbosity=0)
    assert [message.to for message in mail.outbox] == [[people["member"].email]]
    assert "Workshop" in mail.outbox[0].subject
    call_command("send_activity_reminders", verbosity=0)
    assert len(mail.outbox) == 1  # never twice


def test_update_with_photo_and_a_refused_document(client, people, project):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "PNG")
    photo = SimpleUploadedFile("atelier.png", buffer.getvalue(), content_type="image/png")
    document = SimpleUploadedFile("notes.txt", b"not a pdf", content_type="text/plain")
    client.force_login(people["member"])
    data = {"title": "Atelier", "text": "Texte", "published_on": timezone.localdate().isoformat()}
    response = client.post(
        f"/en/projects/{project.pk}/updates/add/",
        {**data, "photos": photo, "document": document},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Send the document as a PDF file." in response.content.decode()
    assert "Describe the photo in a few words." in response.content.decode()
    photo.seek(0)
    response = client.post(
        f"/fr/projects/{project.pk}/updates/add/",
        {**data, "photos": photo, "photo_alt": "Des jeunes en atelier"},
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(project=project)
    assert update.photo.title == "Des jeunes en atelier"
    body = client.get(project.url).content.decode()
    assert 'alt="Des jeunes en atelier"' in body


def test_reminders_follow_a_date_moved_to_another_day(people, make_activity):
    tomorrow = (timezone.localtime() + datetime.timedelta(days=1)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    moved_away = make_activity(title="Moved away", start=tomorrow)
    moved_in = make_activity(title="Moved in", start=tomorrow + datetime.timedelta(days=4))
    for activity, new_start in (
        (moved_away, tomorrow + datetime.timedelta(days=2)),
        (moved_in, tomorrow + datetime.timedelta(hours=1)),
    ):
        occurrence = service.upcoming(activity, count=1)[0].occurrence
        service.register(activity.pk, occurrence, people["member"])
        occurrence.move(new_start, new_start + datetime.timedelta(hours=2))
    mail.outbox.clear()
    call_command("send_activity_reminders", verbosity=0)
    subjects = [message.subject for message in mail.outbox]
    assert sum("Moved in" in subject for subject in subjects) == 1
    assert not any("Moved away" in subject for subject in subjects)


def _png(name, colour):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_update_with_several_photos(client, people, project):
    client.force_login(people["member"])
    data = {"title": "Atelier", "text": "Texte", "published_on": timezone.localdate().isoformat()}
    too_many = [_png(f"p{number}.png", "green") for number in range(7)]
    response = client.post(
        f"/en/projects/{project.pk}/updates/add/",
        {**data, "photos": too_many, "photo_alt": "Atelier"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Up to 6 photos (JPEG, PNG, WebP), 10 MB each." in response.content.decode()
    assert not ProgressUpdate.objects.filter(project=project).exists()
    photos = [_png("a.png", "green"), _png("b.png", "blue")]
    response = client.post(
        f"/fr/projects/{project.pk}/updates/add/",
        {**data, "photos": photos, "photo_alt": "Jeunes en atelier"},
    )
    assert response.status_code == 302
    body = client.get(project.url).content.decode()
    assert 'alt="Jeunes en atelier (1/2)"' in body and 'alt="Jeunes en atelier (2/2)"' in body


def test_attendees_and_dashboard_show_a_date_as_it_stands(client, people, make_activity):
    start = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    activity = make_activity(start=start)
    occurrence = service.upcoming(activity, count=1)[0].occurrence
    service.register(activity.pk, occurrence, people["specialist"])
    new_start = start + datetime.timedelta(days=1, hours=7)  # 17:00 the next day
    occurrence.move(new_start, new_start + datetime.timedelta(hours=2))
    moved = new_start.strftime("%Y-%m-%dT%H:%M")
    client.force_login(people["member"])
    attendees = client.get(f"/fr/agenda/activities/{activity.pk}/attendees/").content.decode()
    assert f'datetime="{moved}' in attendees
    client.force_login(people["specialist"])
    assert f'datetime="{moved}' in client.get("/fr/my/").content.decode()
    occurrence.cancel()
    dashboard = client.get("/en/my/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "badge--cancelled" in dashboard
