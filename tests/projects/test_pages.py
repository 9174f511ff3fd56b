"""Project pages, the projects index, the agenda and the JSON: rendering in every
language, filters, members-only activities kept private, constant query counts."""

import datetime
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Locale

import pytest

from directory.models import AssociationPage
from projects.models import Activity, ProgressUpdate, ProjectPage, Visibility
from tests.conftest import ROLES

from .conftest import make_project, milestone, phase

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_project_page_in_every_language(client, project, language):
    page = project.get_translation(project.locale.__class__.objects.get(language_code=language))
    response = client.get(page.url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    content = response.content.decode()
    assert '<progress id="progress-project" max="100" value="75">' in content
    assert "Preparation" in content and "Trainings" in content
    assert f"/{language}/projects/{page.pk}.json" in content


def test_project_page_text_in_english(client, project):
    page = project.get_translation(project.locale.__class__.objects.get(language_code="en"))
    content = client.get(page.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 of 2 phases done" in content
    assert "3 of 4 milestones reached" in content
    assert "Current phase: Trainings." in content


def test_arabic_project_page_is_right_to_left(client, project):
    content = client.get(project.url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert 'dir="rtl"' in content.split('class="container project"')[1][:200]


def test_demo_project_of_heure_joyeuse(client):
    page = ProjectPage.objects.get(slug="youth-citizen-participation", locale__language_code="fr")
    response = client.get(page.url)
    assert response.status_code == 200
    assert 0 < page.progress < 100 and page.behind_schedule
    statuses = {child.value["status"] for child in page.timeline}
    assert statuses == {"done", "in_progress", "delayed", "not_started"}


def test_project_json(client, project):
    response = client.get(f"/fr/projects/{project.pk}.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["progress"]["percent"] == 75
    assert [phase["status"] for phase in data["timeline"]] == ["done", "in_progress"]
    assert data["timeline"][0]["milestones"][0] == {
        "title": "Survey",
        "due_date": None,
        "done": True,
        "done_on": "2026-01-10",
    }
    assert client.get("/fr/projects/999999.json").status_code == 404


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", True),
        ("?status=ongoing", True),
        ("?status=completed", False),
        ("?field=education", True),
        ("?field=health", False),
        ("?region=casablanca-settat", True),
        ("?region=oriental", False),
        ("?association=__none__", True),
        ("?status=<script>", True),
    ],
    ids=[
        "all",
        "status",
        "other-status",
        "field",
        "other-field",
        "region",
        "other-region",
        "unknown-association",
        "bad-status",
    ],
)
def test_projects_index_filters(client, heure_joyeuse, query, expected):
    from directory.models import FieldOfActivity, Province

    page = make_project(heure_joyeuse, slug="filtered", title="Filtered project")
    page.fields_of_activity.set(FieldOfActivity.source_terms().filter(slug="education"))
    page.provinces.set(Province.source_terms().filter(slug="casablanca"))
    page.save_revision().publish()  # the en alias follows
    response = client.get(f"/en/projects/{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert ("Filtered project" in response.content.decode()) is expected


def test_projects_index_by_association(client, heure_joyeuse):
    response = client.get(f"/fr/projects/?association={heure_joyeuse.slug}")
    titles = [p.title for p in response.context["projects"]]
    assert titles and all(
        p.association_id == heure_joyeuse.pk for p in response.context["projects"]
    )


def test_projects_index_offers_the_associations_with_projects(client, heure_joyeuse):
    response = client.get("/fr/projects/")
    offered = dict(response.context["associations"])
    assert offered[heure_joyeuse.slug] == heure_joyeuse.name_fr
    with_projects = set(ProjectPage.objects.live().values_list("association__slug", flat=True))
    assert set(offered) == with_projects
    page = client.get(f"/fr/projects/?association={heure_joyeuse.slug}").content.decode()
    assert f'<option value="{heure_joyeuse.slug}" selected dir="auto">' in page


def test_agenda_offers_the_associations_whose_activities_one_may_see(
    client, people, make_activity, heure_joyeuse
):
    make_activity(title="Board meeting", visibility=Visibility.MEMBERS)
    Activity.objects.exclude(association=heure_joyeuse).delete()
    Activity.objects.filter(association=heure_joyeuse, visibility=Visibility.PUBLIC).delete()
    choices = client.get("/fr/agenda/").context["form"].fields["association"].widget.choices
    assert heure_joyeuse.slug not in dict(choices)
    client.force_login(people["member"])
    choices = client.get("/fr/agenda/").context["form"].fields["association"].widget.choices
    assert dict(choices)[heure_joyeuse.slug] == heure_joyeuse.name_fr
    # A profile's link to an association without activities keeps it selected.
    quiet = AssociationPage.objects.filter(locale=heure_joyeuse.locale).exclude(
        pk=heure_joyeuse.pk
    )[0]
    page = client.get(f"/fr/agenda/?association={quiet.slug}").content.decode()
    assert f'<option value="{quiet.slug}" selected>' in page
    assert client.get("/fr/agenda/?association=no-such-association").status_code == 200


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_projects_index_constant_queries(client, heure_joyeuse):
    ProjectPage.objects.all().delete()  # rolled back after the test
    make_project(heure_joyeuse, slug="p-0")
    one = _count(client, "/fr/projects/")
    for number in range(1, 50):  # 50 projects: more than a page of the index
        make_project(heure_joyeuse, slug=f"p-{number}")
    many = _count(client, "/fr/projects/")
    assert many <= one


def test_project_page_constant_queries(client, heure_joyeuse, people):
    small = make_project(
        heure_joyeuse, slug="small", timeline=[phase("One", "in_progress", [milestone("m")])]
    )
    ProgressUpdate.objects.create(project=small, title="u", text="t", author=people["member"])
    one = _count(client, small.url)
    big = make_project(
        heure_joyeuse,
        slug="big",
        timeline=[
            phase(f"Phase {n}", "in_progress", [milestone(f"m{n}-{k}") for k in range(5)])
            for n in range(50)
        ],
    )
    for number in range(50):
        ProgressUpdate.objects.create(
            project=big, title=f"u{number}", text="t", author=people["member"]
        )
    assert _count(client, big.url) <= one


def test_agenda_constant_queries(client, make_activity):
    Activity.objects.all().delete()
    make_activity()
    one = _count(client, "/fr/agenda/")
    one_month = _count(client, "/fr/agenda/month/")
    for number in range(49):
        make_activity(
            title=f"A{number}",
            start=timezone.localtime() + datetime.timedelta(days=2, hours=number),
        )
    assert _count(client, "/fr/agenda/") <= one
    assert _count(client, "/fr/agenda/month/") <= one_month


# ---------------------------------------------------------------------------
# Members-only activities
# ---------------------------------------------------------------------------
@pytest.fixture
def secret(make_activity, project):
    return make_activity(
        title="Secret board meeting", visibility=Visibility.MEMBERS, project=project
    )


SEES_SECRET = {
    "anonymous": False,
    "other_member": False,
    "member": True,
    "admin": True,
    "specialist": False,
    "moderator": False,
    "staff": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_members_only_activity_reaches_members_only(
    client, people, secret, project, heure_joyeuse, role
):
    if people[role]:
        client.force_login(people[role])
    sees = SEES_SECRET[role]
    detail = client.get(f"/fr/agenda/activities/{secret.pk}/")
    assert detail.status_code == (200 if sees else 404)
    for url in (
        "/fr/agenda/",
        "/fr/agenda/month/?month=" + timezone.localtime(secret.event.start).strftime("%Y-%m"),
        f"/fr/agenda/?association={heure_joyeuse.slug}",
        project.url,
        heure_joyeuse.url,
    ):
        body = client.get(url).content.decode()
        assert ("Secret board meeting" in body) is sees, url
    # Never in the public feeds or the JSON, whoever asks.
    assert "Secret board meeting" not in client.get("/fr/agenda/calendar.ics").content.decode()
    assert (
        "Secret board meeting" not in client.get(f"/fr/projects/{project.pk}.json").content.decode()
    )


def test_projects_index_shows_a_project_fallen_behind_since_its_last_save(client, heure_joyeuse):
    """A milestone falls overdue without anyone saving the project."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page = make_project(
        heure_joyeuse,
        slug="late-project",
        title="Late project",
        timeline=[phase("Survey", "in_progress", [milestone("Report", due=yesterday.isoformat())])],
    )
    ProjectPage.objects.filter(translation_key=page.translation_key).update(behind_schedule=False)
    body = client.get("/en/projects/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = body[body.index("Late project") :].split("</li>")[0]
    assert "behind schedule" in card


def test_progress_updates_on_the_association_profile(client, heure_joyeuse, project, people):
    update = ProgressUpdate.objects.create(
        project=project, title="Forty youth trained", text="Text", author=people["member"]
    )
    profile = client.get(heure_joyeuse.url.replace("/ar/", "/fr/")).content.decode()
    french_project = project.get_translation(Locale.objects.get(language_code="fr"))
    assert f'href="{french_project.url}#update-{update.pk}">Forty youth trained</a>' in profile


def test_unknown_ids_are_404(client):
    for url in (
        "/fr/agenda/activities/999999/",
        "/fr/projects/999999/edit/",
        "/fr/agenda/activities/999999/edit/",
    ):
        assert client.get(url).status_code in (302, 404)


def test_month_view_navigation_and_bad_month(client):
    assert client.get("/fr/agenda/month/?month=2026-13").status_code == 200
    assert client.get("/fr/agenda/month/?month=abc").status_code == 200
    assert client.get("/fr/agenda/month/?month=1-01").status_code == 200
    assert client.get("/fr/agenda/month/?month=9999-12").status_code == 200
    response = client.get("/en/agenda/month/?month=2026-12", HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "month=2026-11" in response.content.decode()
        and "month=2027-01" in response.content.decode()
    )


def test_agenda_filter_errors_are_shown(client):
    response = client.get("/en/agenda/?start=2026-12-10&end=2026-12-01", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()


def test_sections_on_home_profile_and_dashboard(client, people, heure_joyeuse):
    home = client.get("/en/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "News from the projects" in home
    profile = client.get(heure_joyeuse.url.replace("/ar/", "/en/"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Projects and activities" in profile.content.decode()
    client.force_login(people["member"])
    dashboard = client.get("/en/my/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My upcoming activities" in dashboard and "My projects" in dashboard
