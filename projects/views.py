"""Views of projects and activities.

Public: the projects index, project pages (Wagtail serves them, `project_context`
fills them), the project JSON, the agenda (list and month), activity pages.
Members of the association: project, timeline and update forms; activity forms,
occurrence cancel/move, attendee list. Signed-in people: registration.

Members-only activities answer 404 to everyone else, as if they did not exist.
"""

import calendar
import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.images import ImageFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale

from directory.models import AssociationPage, FieldOfActivity, Province, Region
from home.translation import sync_new_page

from . import activities as service
from . import notifications
from .blocks import PhaseStatus
from .forms import (
    ActivityForm,
    AgendaFilterForm,
    MilestoneForm,
    OccurrenceMoveForm,
    PhaseForm,
    ProgressUpdateForm,
    ProjectForm,
)
from .models import (
    Activity,
    ProgressUpdate,
    ProgressUpdatePhoto,
    ProjectPage,
    ProjectStatus,
    Registration,
)
from .permissions import can_edit, can_see_activity

PER_PAGE = 20
UPDATE_PHOTO = "fill-640x360"
MONTH_DAY_LIMIT = 4


def _crumbs(*items):
    return [{"title": title, "url": url} for title, url in items]


def _localized(page):
    """`page` in the active language when it exists and is live, else itself."""
    localized = page.get_translation_or_none(Locale.get_active())
    return localized if localized is not None and localized.live else page


def _source_project(pk):
    page = get_object_or_404(ProjectPage, pk=pk)
    return page.source_page


def _source_association(pk):
    page = get_object_or_404(AssociationPage, pk=pk)
    return page.source_page


def _require_editor(user, association):
    if not can_edit(user, association):
        raise PermissionDenied


def _publish(page, user):
    page.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)


# ---------------------------------------------------------------------------
# Project page
# ---------------------------------------------------------------------------
def project_context(request, page):
    """What a project page shows besides its fields (constant number of queries)."""
    user = request.user
    source = page.source_page
    association_page = page.get_parent().specific
    detail = page.progress_detail
    updates = list(
        ProgressUpdate.objects.filter(project=source)
        .select_related("document")
        .prefetch_related(
            Prefetch("photo", queryset=get_image_model().objects.prefetch_renditions(UPDATE_PHOTO)),
            Prefetch(
                "more_photos",
                queryset=ProgressUpdatePhoto.objects.prefetch_related(
                    Prefetch(
                        "image",
                        queryset=get_image_model().objects.prefetch_renditions(UPDATE_PHOTO),
                    )
                ),
            ),
        )[:10]
    )
    now = timezone.now()
    items = service.occurrences(
        Activity.objects.visible_to(user).filter(project=source),
        now,
        now + datetime.timedelta(days=120),
    )[:6]
    editable = can_edit(user, source.association) if source.association_id else False
    province_names = Province.localized_names()
    field_names = FieldOfActivity.localized_names()
    return {
        "province_names": [
            province_names.get(slug, slug) for slug in page.provinces.values_list("slug", flat=True)
        ],
        "field_names": [
            field_names.get(slug, slug)
            for slug in page.fields_of_activity.values_list("slug", flat=True)
        ],
        "association_page": association_page,
        "progress": detail,
        "phases": list(page.timeline),
        "updates": updates,
        "activities": items,
        "can_edit": editable,
        "source_pk": source.pk,
        "today": timezone.localdate(),
        "phase_statuses": PhaseStatus,
    }


def project_json(request, pk):
    """The project, its timeline and computed progress, as JSON (public data only)."""
    page = get_object_or_404(ProjectPage.objects.live(), pk=pk)
    detail = page.progress_detail
    phases = []
    for child in page.timeline:
        phase = child.value
        phases.append(
            {
                "id": child.id,
                "title": phase["title"],
                "status": phase["status"],
                "planned_start": _iso(phase.get("planned_start")),
                "planned_end": _iso(phase.get("planned_end")),
                "actual_start": _iso(phase.get("actual_start")),
                "actual_end": _iso(phase.get("actual_end")),
                "late": phase.is_late(),
                "milestones": [
                    {
                        "title": milestone["title"],
                        "due_date": _iso(milestone.get("due_date")),
                        "done": bool(milestone.get("done")),
                        "done_on": _iso(milestone.get("done_on")),
                    }
                    for milestone in phase["milestones"]
                ],
            }
        )
    association = page.association
    data = {
        "id": page.pk,
        "url": request.build_absolute_uri(page.get_url(request)),
        "title": page.title,
        "language": page.locale.language_code,
        "association": {
            "id": association.pk if association else None,
            "name_ar": association.name_ar if association else "",
            "name_fr": association.name_fr if association else "",
        },
        "summary": page.summary,
        "status": page.status,
        "start_date": _iso(page.start_date),
        "end_date": _iso(page.end_date),
        "budget_mad": float(page.budget_mad) if page.budget_mad is not None else None,
        "beneficiaries": {
            "targeted": page.beneficiaries_targeted,
            "reached": page.beneficiaries_reached,
        },
        "provinces": list(page.provinces.values_list("slug", flat=True)),
        "areas": page.areas,
        "fields_of_activity": list(page.fields_of_activity.values_list("slug", flat=True)),
        "funders": list(page.funders.values_list("name", flat=True)),
        "partners": list(page.partners.values_list("name", flat=True)),
        "progress": {
            "percent": detail.percent,
            "phases_done": detail.phases_done,
            "phases": detail.phases,
            "milestones_done": detail.milestones_done,
            "milestones": detail.milestones,
            "behind_schedule": detail.behind_schedule,
            "current_phase": detail.current_phase,
        },
        "timeline": phases,
        "updates_feed": request.build_absolute_uri(reverse("projects:updates_feed", args=[pk])),
        "calendar": request.build_absolute_uri(reverse("projects:project_ics", args=[pk])),
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _iso(value):
    return value.isoformat() if value else None


# ---------------------------------------------------------------------------
# Projects index
# ---------------------------------------------------------------------------
def association_choices(association_ids, selected=None):
    """(slug, name) of the associations among `association_ids` (a values()
    queryset of source pages' ids), by name in the interface language; the
    `selected` slug is kept among them even when it has nothing to show."""
    chosen = Q(pk__in=association_ids)
    if selected:
        chosen |= Q(slug=selected)
    rows = AssociationPage.objects.filter(chosen, locale=Locale.get_default()).only(
        "slug", "name_ar", "name_fr"
    )
    return sorted(((row.slug, row.display_name) for row in rows), key=lambda row: row[1])


def project_index(request):
    region_names = Region.localized_names()
    field_names = FieldOfActivity.localized_names()
    locale = Locale.get_active()
    projects = (
        ProjectPage.objects.live()
        .filter(locale=locale)
        .select_related("association")
        .order_by("-first_published_at", "pk")
    )
    status = request.GET.get("status", "")
    region = request.GET.get("region", "")
    field = request.GET.get("field", "")
    association = request.GET.get("association", "")
    if status in ProjectStatus.values:
        projects = projects.filter(status=status)
    else:
        status = ""
    if region in region_names:
        projects = projects.filter(
            pk__in=ProjectPage.objects.filter(provinces__region__slug=region).values("pk")
        )
    else:
        region = ""
    if field in field_names:
        projects = projects.filter(
            pk__in=ProjectPage.objects.filter(fields_of_activity__slug=field).values("pk")
        )
    else:
        field = ""
    association_page = None
    if association:
        association_page = (
            AssociationPage.objects.filter(slug=association, locale=Locale.get_default())
            .only("pk", "name_ar", "name_fr", "slug", "locale_id")
            .first()
        )
        if association_page is None:
            association = ""
        else:
            projects = projects.filter(association=association_page)
    page_obj = Paginator(projects, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_index.html",
        {
            "page_obj": page_obj,
            "projects": page_obj.object_list,
            "statuses": ProjectStatus.choices,
            "regions": sorted(region_names.items(), key=lambda item: item[1]),
            "fields": sorted(field_names.items(), key=lambda item: item[1]),
            "associations": association_choices(
                ProjectPage.objects.live().filter(locale=locale).values("association"),
                association,
            ),
            "selected": {
                "status": status,
                "region": region,
                "field": field,
                "association": association,
            },
            "association_filter": association_page,
            "breadcrumbs": _crumbs((_("Projects"), None)),
        },
    )


# ---------------------------------------------------------------------------
# Project forms
# ---------------------------------------------------------------------------
@login_required
def project_create(request, association_pk):
    association = _source_association(association_pk)
    _require_editor(request.user, association)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        page = ProjectPage(locale=association.locale, association=association)
        page.title = form.cleaned_data["title"]
        form.apply(page)
        page.slug = _unique_slug(association, form.cleaned_data["title"])
        association.add_child(instance=page)
        _publish(page, request.user)
        sync_new_page(page)
        messages.success(request, _("The project is published."))
        return HttpResponseRedirect(_localized(page).url)
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "association": association,
            "creating": True,
            "breadcrumbs": _crumbs(
                (_("Projects"), reverse("projects:index")), (_("New project"), None)
            ),
        },
    )


def _unique_slug(parent, title):
    from django.utils.text import slugify

    base = slugify(title)[:60].strip("-") or "project"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@login_required
def project_edit(request, pk):
    page = _source_project(pk)
    _require_editor(request.user, page.association)
    form = ProjectForm(request.POST or None, initial=ProjectForm.initial_for(page))
    if request.method == "POST" and form.is_valid():
        form.apply(page)
        _publish(page, request.user)
        messages.success(request, _("The project is updated."))
        return HttpResponseRedirect(_localized(page).url)
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "association": page.association,
            "project": page,
            "breadcrumbs": _crumbs((page.title, _localized(page).url), (_("Edit"), None)),
        },
    )


# ---------------------------------------------------------------------------
# Timeline forms (they edit the source page's StreamField and publish it)
# ---------------------------------------------------------------------------
def _raw_timeline(page):
    return [dict(item) for item in page.timeline.raw_data]


def _locked(page):
    """The page read again under a row lock, inside the caller's transaction: two
    members changing the timeline at the same time both keep their change
    (PostgreSQL; SQLite serialises writes anyway)."""
    return ProjectPage.objects.select_for_update().get(pk=page.pk)


def _set_timeline(page, raw):
    page.timeline = raw


def _find_phase(raw, phase_id):
    for item in raw:
        if item.get("id") == phase_id and item.get("type") == "phase":
            return item
    raise Http404


def _phase_raw(data):
    return {
        "title": data["title"],
        "status": data["status"],
        "planned_start": _iso(data.get("planned_start")),
        "planned_end": _iso(data.get("planned_end")),
        "actual_start": _iso(data.get("actual_start")),
        "actual_end": _iso(data.get("actual_end")),
        "description": data.get("description", ""),
    }


def _timeline_form(request, page, form, title, phase=None):
    return render(
        request,
        "projects/timeline_form.html",
        {
            "form": form,
            "project": page,
            "phase": phase,
            "form_title": title,
            "breadcrumbs": _crumbs((page.title, _localized(page).url), (title, None)),
        },
    )


@login_required
def phase_add(request, pk):
    page = _source_project(pk)
    _require_editor(request.user, page.association)
    form = PhaseForm(request.POST or None, initial={"status": PhaseStatus.NOT_STARTED})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            page = _locked(page)
            raw = _raw_timeline(page)
            value = _phase_raw(form.cleaned_data)
            value["milestones"] = []
            raw.append({"type": "phase", "value": value, "id": str(uuid.uuid4())})
            _set_timeline(page, raw)
            _publish(page, request.user)
        messages.success(request, _("The phase is added to the timeline."))
        return HttpResponseRedirect(_localized(page).url + "#timeline")
    return _timeline_form(request, page, form, _("Add a phase"))


@login_required
def phase_edit(request, pk, phase_id):
    page = _source_project(pk)
    _require_editor(request.user, page.association)
    raw = _raw_timeline(page)
    item = _find_phase(raw, phase_id)
    stored = item["value"]
    form = PhaseForm(
        request.POST or None,
        initial={key: stored.get(key) for key in PhaseForm.base_fields},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            page = _locked(page)
            raw = _raw_timeline(page)
            item = _find_phase(raw, phase_id)
            item["value"] = {**item["value"], **_phase_raw(form.cleaned_data)}
            _set_timeline(page, raw)
            _publish(page, request.user)
        messages.success(request, _("The phase is updated."))
        return HttpResponseRedirect(_localized(page).url + "#timeline")
    return _timeline_form(request, page, form, _("Edit the phase"), phase=stored)


def _milestone_raw(data):
    return {
        "title": data["title"],
        "due_date": _iso(data.get("due_date")),
        "done": bool(data.get("done")),
        "done_on": _iso(data.get("done_on")),
        "evidence_document": None,
        "evidence_image": None,
    }


@login_required
def milestone_add(request, pk, phase_id):
    page = _source_project(pk)
    _require_editor(request.user, page.association)
    raw = _raw_timeline(page)
    item = _find_phase(raw, phase_id)
    form = MilestoneForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        milestone = _milestone_raw(form.cleaned_data)
        evidence = form.cleaned_data.get("evidence")
        if evidence and form.evidence_type == "application/pdf":
            milestone["evidence_document"] = (
                get_document_model()
                .objects.create(
                    title=milestone["title"], file=evidence, uploaded_by_user=request.user
                )
                .pk
            )
        elif evidence:
            milestone["evidence_image"] = (
                get_image_model()
                .objects.create(
                    title=milestone["title"][:255],
                    file=ImageFile(evidence, name=evidence.name),
                    uploaded_by_user=request.user,
                )
                .pk
            )
        with transaction.atomic():
            page = _locked(page)
            raw = _raw_timeline(page)
            item = _find_phase(raw, phase_id)
            milestones = list(item["value"].get("milestones") or [])
            milestones.append({"type": "item", "value": milestone, "id": str(uuid.uuid4())})
            item["value"] = {**item["value"], "milestones": milestones}
            _set_timeline(page, raw)
            _publish(page, request.user)
        messages.success(request, _("The milestone is added."))
        return HttpResponseRedirect(_localized(page).url + "#timeline")
    return _timeline_form(request, page, form, _("Add a milestone"), phase=item["value"])


@login_required
@require_POST
def milestone_done(request, pk, phase_id, milestone_id):
    """Mark a milestone as reached today (or un-mark it)."""
    page = _source_project(pk)
    _require_editor(request.user, page.association)
    with transaction.atomic():
        page = _locked(page)
        raw = _raw_timeline(page)
        item = _find_phase(raw, phase_id)
        milestones = []
        found = False
        for milestone in item["value"].get("milestones") or []:
            # Older raw data stores list items as plain values.
            entry = milestone if "value" in milestone else {"type": "item", "value": milestone}
            if entry.get("id") == milestone_id:
                found = True
                done = request.POST.get("done") != "0"
                entry = {
                    **entry,
                    "value": {
                        **entry["value"],
                        "done": done,
                        "done_on": timezone.localdate().isoformat() if done else None,
                    },
                }
            milestones.append(entry)
        if not found:
            raise Http404
        item["value"] = {**item["value"], "milestones": milestones}
        values = [entry["value"] for entry in milestones]
        if values and all(value.get("done") for value in values):
            if item["value"].get("status") == PhaseStatus.NOT_STARTED:
                item["value"]["status"] = PhaseStatus.IN_PROGRESS
                item["value"]["actual_start"] = item["value"].get("actual_start") or (
                    timezone.localdate().isoformat()
                )
        elif any(value.get("done") for value in values):
            if item["value"].get("status") == PhaseStatus.NOT_STARTED:
                item["value"]["status"] = PhaseStatus.IN_PROGRESS
                item["value"]["actual_start"] = timezone.localdate().isoformat()
        _set_timeline(page, raw)
        _publish(page, request.user)
    messages.success(request, _("The milestone is updated."))
    return HttpResponseRedirect(_localized(page).url + "#timeline")


# ---------------------------------------------------------------------------
# Progress updates
# ---------------------------------------------------------------------------
@login_required
def update_add(request, pk):
    page = _source_project(pk)
    _require_editor(request.user, page.association)
    phases = [child.value["title"] for child in page.timeline]
    form = ProgressUpdateForm(request.POST or None, request.FILES or None, phases=phases)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        update = ProgressUpdate(
            project=page,
            author=request.user,
            title=data["title"],
            text=data["text"],
            published_on=data["published_on"],
            phase=data.get("phase") or "",
        )
        photos = data.get("photos") or []
        images = [
            get_image_model().objects.create(
                # The description is every photo's text alternative, numbered when several.
                title=(
                    data["photo_alt"]
                    if len(photos) == 1
                    else f"{data['photo_alt']} ({number}/{len(photos)})"
                )[:255],
                file=ImageFile(photo, name=photo.name),
                uploaded_by_user=request.user,
            )
            for number, photo in enumerate(photos, start=1)
        ]
        if images:
            update.photo = images[0]
        if data.get("document"):
            update.document = get_document_model().objects.create(
                title=data["title"], file=data["document"], uploaded_by_user=request.user
            )
        update.save()
        ProgressUpdatePhoto.objects.bulk_create(
            ProgressUpdatePhoto(update=update, image=image, sort_order=number)
            for number, image in enumerate(images[1:], start=1)
        )
        messages.success(request, _("The update is published."))
        return HttpResponseRedirect(_localized(page).url + "#updates")
    return render(
        request,
        "projects/update_form.html",
        {
            "form": form,
            "project": page,
            "breadcrumbs": _crumbs((page.title, _localized(page).url), (_("Post an update"), None)),
        },
    )


# ---------------------------------------------------------------------------
# Agenda
# ---------------------------------------------------------------------------
def _agenda_filters(request):
    """(filtered activities visible to the user, form, filters dict)."""
    region_names = Region.localized_names()
    field_names = FieldOfActivity.localized_names()
    activities = Activity.objects.visible_to(request.user)
    form = AgendaFilterForm(
        request.GET or None,
        regions=sorted(region_names.items(), key=lambda item: item[1]),
        fields=sorted(field_names.items(), key=lambda item: item[1]),
        associations=association_choices(
            activities.values("association"), request.GET.get("association")
        ),
    )
    data = form.cleaned_data if form.is_valid() else {}
    context = {}
    if data.get("region"):
        activities = activities.filter(association__region__slug=data["region"])
    if data.get("field"):
        activities = activities.filter(
            association__in=AssociationPage.objects.filter(
                fields_of_activity__slug=data["field"]
            ).values("pk")
        )
    if data.get("association"):
        association = (
            AssociationPage.objects.filter(slug=data["association"], locale=Locale.get_default())
            .only("pk", "name_ar", "name_fr", "slug", "locale_id")
            .first()
        )
        if association is not None:
            activities = activities.filter(association=association)
            context["association_filter"] = association
    if data.get("project"):
        project = ProjectPage.objects.filter(pk=data["project"]).first()
        if project is not None:
            project = project.source_page
            activities = activities.filter(project=project)
            context["project_filter"] = _localized(project)
    return activities, form, data, context


def agenda(request):
    activities, form, data, extra = _agenda_filters(request)
    today = timezone.localdate()
    start_day = data.get("start") or today
    end_day = data.get("end") or start_day + datetime.timedelta(days=31)
    start = timezone.make_aware(datetime.datetime.combine(start_day, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(end_day, datetime.time.max))
    if start_day == today:
        start = max(start, timezone.now())
    items = service.occurrences(activities, start, end)
    page_obj = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/agenda.html",
        {
            "form": form,
            "page_obj": page_obj,
            "items": page_obj.object_list,
            "start_day": start_day,
            "end_day": end_day,
            "query": _query(request, exclude=("page", "month")),
            "feed_url": _feed_url(request),
            "breadcrumbs": _crumbs((_("Agenda"), None)),
            **extra,
        },
    )


def _query(request, exclude=()):
    params = request.GET.copy()
    for key in exclude:
        params.pop(key, None)
    return params.urlencode()


def _feed_url(request):
    params = request.GET.copy()
    kept = {
        key: params[key] for key in ("association", "project", "region", "field") if params.get(key)
    }
    from urllib.parse import urlencode

    url = reverse("projects:agenda_ics")
    return f"{url}?{urlencode(kept)}" if kept else url


def _month_entry(item):
    """Display values computed here rather than with template filters (speed)."""
    begins = item.start
    return {
        "url": item.activity.get_absolute_url(),
        "title": item.title,
        "time": begins.strftime("%H:%M"),
        "iso": begins.isoformat(),
        "cancelled": item.cancelled,
    }


def agenda_month(request):
    activities, form, data, extra = _agenda_filters(request)
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        first = datetime.date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError(year)
    except (TypeError, ValueError):
        first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(last, datetime.time.max))
    by_day = {}
    for item in service.occurrences(activities, start, end):
        by_day.setdefault(item.occurrence.start.date(), []).append(item)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "items": [_month_entry(item) for item in by_day.get(day, [])[:MONTH_DAY_LIMIT]],
                    "more": max(0, len(by_day.get(day, [])) - MONTH_DAY_LIMIT),
                    "today": day == today,
                }
                for day in week
            ]
        )
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    return render(
        request,
        "projects/agenda_month.html",
        {
            "form": form,
            "first": first,
            "month": first.strftime("%Y-%m"),  # kept by the filters' form
            "weeks": weeks,
            "weekdays": [week_day for week_day in weeks[0]],
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
            "query": _query(request, exclude=("page", "month", "start", "end")),
            "feed_url": _feed_url(request),
            "breadcrumbs": _crumbs((_("Agenda"), reverse("projects:agenda")), (_("Month"), None)),
            **extra,
        },
    )


# ---------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------
def _visible_activity(request, pk):
    activity = get_object_or_404(
        Activity.objects.select_related("event", "event__rule", "association", "project"), pk=pk
    )
    if not can_see_activity(request.user, activity):
        raise Http404
    return activity


def activity_detail(request, pk):
    activity = _visible_activity(request, pk)
    items = service.upcoming(activity, count=12)
    counts = service.registration_counts(activity, [item.original_start for item in items])
    mine = {}
    if request.user.is_authenticated:
        mine = dict(
            Registration.objects.filter(
                activity=activity,
                user=request.user,
                occurrence_start__in=[item.original_start for item in items],
            ).values_list("occurrence_start", "status")
        )
    rows = []
    for item in items:
        confirmed, waiting = counts.get(item.original_start, (0, 0))
        rows.append(
            {
                "item": item,
                "confirmed": confirmed,
                "waiting": waiting,
                "full": activity.capacity is not None and confirmed >= activity.capacity,
                "left": (activity.capacity - confirmed) if activity.capacity is not None else None,
                "mine": mine.get(item.original_start),
            }
        )
    association_page = _localized(activity.association)
    project_page = _localized(activity.project) if activity.project_id else None
    return render(
        request,
        "projects/activity_detail.html",
        {
            "activity": activity,
            "rows": rows,
            "association_page": association_page,
            "project_page": project_page,
            "can_edit": can_edit(request.user, activity.association),
            "breadcrumbs": _crumbs(
                (_("Agenda"), reverse("projects:agenda")), (activity.event.title, None)
            ),
        },
    )


def _activity_form(request, association, activity=None):
    form = ActivityForm(request.POST or None, instance=activity, association=association)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        data = form.cleaned_data
        service.save_activity(
            saved,
            title=data["title"],
            description=data["description"],
            start=data["start"],
            end=data["end"],
            user=request.user,
        )
        notifications.tell_registered(saved, service.withdraw_outsiders(saved), "members_only")
        messages.success(
            request,
            _("The activity is updated.") if activity else _("The activity is scheduled."),
        )
        return HttpResponseRedirect(saved.get_absolute_url())
    return render(
        request,
        "projects/activity_form.html",
        {
            "form": form,
            "association": association,
            "activity": activity,
            "breadcrumbs": _crumbs(
                (_("Agenda"), reverse("projects:agenda")),
                (_("Edit the activity") if activity else _("New activity"), None),
            ),
        },
    )


@login_required
def activity_create(request, association_pk):
    association = _source_association(association_pk)
    _require_editor(request.user, association)
    return _activity_form(request, association)


@login_required
def activity_edit(request, pk):
    activity = _visible_activity(request, pk)
    _require_editor(request.user, activity.association)
    return _activity_form(request, activity.association, activity)


@login_required
@require_POST
def activity_cancel(request, pk):
    activity = _visible_activity(request, pk)
    _require_editor(request.user, activity.association)
    was_cancelled = activity.cancelled
    activity.cancelled = request.POST.get("cancelled") != "0"
    activity.save(update_fields=["cancelled"])
    if activity.cancelled != was_cancelled:
        notifications.tell_registered(
            activity,
            service.upcoming_registrations(activity),
            "activity_cancelled" if activity.cancelled else "activity_restored",
        )
    messages.success(
        request,
        _("The activity is cancelled.") if activity.cancelled else _("The activity is restored."),
    )
    return HttpResponseRedirect(activity.get_absolute_url())


def _occurrence_or_404(activity, key):
    occurrence = service.find_occurrence(activity, key)
    if occurrence is None:
        raise Http404
    return occurrence


@login_required
@require_POST
def occurrence_cancel(request, pk, key):
    activity = _visible_activity(request, pk)
    _require_editor(request.user, activity.association)
    occurrence = _occurrence_or_404(activity, key)
    was_cancelled = bool(occurrence.cancelled)
    if request.POST.get("cancelled") == "0":
        occurrence.uncancel()
        messages.success(request, _("This date is restored."))
    else:
        occurrence.cancel()
        messages.success(request, _("This date is cancelled."))
    if bool(occurrence.cancelled) != was_cancelled:
        notifications.tell_registered(
            activity,
            service.upcoming_registrations(activity, occurrence.original_start),
            "date_cancelled" if occurrence.cancelled else "date_restored",
            date=occurrence.start,
        )
    return HttpResponseRedirect(activity.get_absolute_url())


@login_required
def occurrence_move(request, pk, key):
    activity = _visible_activity(request, pk)
    _require_editor(request.user, activity.association)
    occurrence = _occurrence_or_404(activity, key)
    form = OccurrenceMoveForm(
        request.POST or None,
        initial={
            "start": timezone.localtime(occurrence.start),
            "end": timezone.localtime(occurrence.end),
        },
    )
    if request.method == "POST" and form.is_valid():
        old_start = occurrence.start
        occurrence.move(form.cleaned_data["start"], form.cleaned_data["end"])
        if occurrence.start != old_start:
            notifications.tell_registered(
                activity,
                service.upcoming_registrations(activity, occurrence.original_start),
                "date_moved",
                date=old_start,
                new_date=occurrence.start,
            )
        messages.success(request, _("This date is moved."))
        return HttpResponseRedirect(activity.get_absolute_url())
    return render(
        request,
        "projects/occurrence_move.html",
        {
            "form": form,
            "activity": activity,
            "occurrence": occurrence,
            "breadcrumbs": _crumbs(
                (activity.event.title, activity.get_absolute_url()), (_("Move a date"), None)
            ),
        },
    )


@login_required
@require_POST
def register(request, pk, key):
    activity = _visible_activity(request, pk)
    occurrence = _occurrence_or_404(activity, key)
    try:
        registration = service.register(activity.pk, occurrence, request.user)
    except service.RegistrationError as error:
        messages.error(request, str(error))
    else:
        if registration.status == Registration.CONFIRMED:
            messages.success(request, _("You are registered."))
        else:
            messages.warning(request, _("The activity is full: you are on the waiting list."))
    return HttpResponseRedirect(activity.get_absolute_url())


@login_required
@require_POST
def unregister(request, pk, key):
    activity = _visible_activity(request, pk)
    occurrence = _occurrence_or_404(activity, key)
    service.unregister(activity, occurrence.original_start, request.user)
    messages.success(request, _("Your registration is withdrawn."))
    return HttpResponseRedirect(activity.get_absolute_url())


@login_required
def attendees(request, pk):
    activity = _visible_activity(request, pk)
    _require_editor(request.user, activity.association)
    registrations = list(
        Registration.objects.filter(activity=activity, occurrence_start__gte=_day_ago())
        .select_related("user", "activity")
        .order_by("occurrence_start", "status", "created_at")
    )
    groups = {}
    for registration in registrations:
        groups.setdefault(registration.occurrence_start, []).append(registration)
    dates = service.actual_dates(registrations)  # a date may have moved since
    return render(
        request,
        "projects/attendees.html",
        {
            "activity": activity,
            "groups": [
                {
                    "start": dates[rows[0].pk][0],
                    "cancelled": dates[rows[0].pk][1],
                    "registrations": rows,
                }
                for rows in groups.values()
            ],
            "breadcrumbs": _crumbs(
                (activity.event.title, activity.get_absolute_url()), (_("Attendees"), None)
            ),
        },
    )


def _day_ago():
    return timezone.now() - datetime.timedelta(days=1)
