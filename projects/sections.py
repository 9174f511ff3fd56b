"""What projects/ adds to other pages: the association profile, the home page and
the member dashboard (hooks declared in home/ and directory/)."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Locale

from directory.models import Membership

from . import activities as service
from .models import Activity, ProgressUpdate, ProjectPage, Registration
from .permissions import can_edit

HOME_UPDATES = 4
SECTION_PROJECTS = 6
SECTION_ACTIVITIES = 5
SECTION_UPDATES = 4


def association_section(request, page):
    """Projects and upcoming activities on an association's profile (any locale)."""
    source = page.source_page
    projects = list(
        ProjectPage.objects.live()
        .child_of(page)
        .select_related("association")
        .order_by("-first_published_at")[:SECTION_PROJECTS]
    )
    now = timezone.now()
    items = service.occurrences(
        Activity.objects.visible_to(request.user).filter(association=source),
        now,
        now + datetime.timedelta(days=90),
        include_cancelled=False,
    )[:SECTION_ACTIVITIES]
    editable = can_edit(request.user, source)
    updates = _association_updates(page, source)
    if not projects and not items and not editable:
        return None
    return {
        "template": "projects/sections/association.html",
        "order": 20,
        "context": {
            "section_projects": projects,
            "section_activities": items,
            "section_updates": updates,
            "section_source": source,
            "section_can_edit": editable,
        },
    }


def _association_updates(page, source):
    """The latest progress updates of the association's projects, each with its
    project in the profile's language (two queries)."""
    updates = list(
        ProgressUpdate.objects.filter(project__association=source, project__live=True)
        .select_related("project")
        .only("pk", "title", "published_on", "project__translation_key", "project__title")[
            :SECTION_UPDATES
        ]
    )
    if not updates:
        return []
    localized = {
        project.translation_key: project
        for project in ProjectPage.objects.live()
        .child_of(page)
        .filter(translation_key__in=[update.project.translation_key for update in updates])
        .only("pk", "title", "url_path", "translation_key", "locale_id")
    }
    return [
        {"update": update, "project": localized.get(update.project.translation_key, update.project)}
        for update in updates
    ]


def home_section(request, page):
    """The latest progress updates of every project, in the visitor's language."""
    updates = list(
        ProgressUpdate.objects.select_related("project")
        .prefetch_related(
            Prefetch(
                "photo", queryset=get_image_model().objects.prefetch_renditions("fill-400x225")
            )
        )
        .filter(project__live=True)[:HOME_UPDATES]
    )
    if not updates:
        return None
    locale = Locale.get_active()
    translations = {
        project.translation_key: project
        for project in ProjectPage.objects.live().filter(
            locale=locale, translation_key__in=[u.project.translation_key for u in updates]
        )
    }
    rows = [
        {
            "update": update,
            "project": translations.get(update.project.translation_key, update.project),
        }
        for update in updates
    ]
    return {"template": "projects/sections/home.html", "order": 30, "rows": rows}


def dashboard_panel(request):
    """My upcoming registrations and my associations' projects."""
    user = request.user
    now = timezone.now()
    registrations = list(
        Registration.objects.filter(
            user=user, occurrence_start__gte=now - datetime.timedelta(hours=6)
        )
        .select_related("activity__event")
        .order_by("occurrence_start")[:8]
    )
    dates = service.actual_dates(registrations)
    associations = Membership.objects.filter(user=user).values("association_id")
    projects = list(
        ProjectPage.objects.live()
        .filter(association__in=associations, locale=Locale.get_active())
        .order_by("title")[:10]
    )
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("association")
        .order_by("association__title")
    )
    if not registrations and not projects and not memberships:
        return None
    return {
        "template": "projects/sections/dashboard.html",
        "order": 30,
        "registrations": [
            {"registration": r, "start": dates[r.pk][0], "cancelled": dates[r.pk][1]}
            for r in registrations
        ],
        "projects": projects,
        "memberships": memberships,
    }
