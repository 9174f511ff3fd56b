"""Feeds: iCalendar agendas (portal, association, project) and a project's Atom feed.

django-scheduler's own feed has no RRULE, so a recurring activity would appear once
in people's calendars: these are built with `icalendar` from our Activity rows —
RRULE for the recurrence, EXDATE for cancelled dates, a RECURRENCE-ID event for each
moved date, URL back to the activity page. Feeds are anonymous: public activities only.
"""

import datetime
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from icalendar import Calendar, Event, vRecur

from directory.models import AssociationPage

from .activities import WEEKDAYS
from .models import Activity, Frequency, ProgressUpdate, ProjectPage

FEED_WINDOW_PAST = datetime.timedelta(days=92)
PORTAL_TZ = ZoneInfo(settings.TIME_ZONE)


def _local(moment):
    return moment.astimezone(PORTAL_TZ)


def activity_events(activity, request):
    """The VEVENTs of one activity: the series, then each moved date."""
    event = activity.event
    url = request.build_absolute_uri(activity.get_absolute_url())
    uid = f"activity-{activity.pk}@rabita"
    main = Event()
    main.add("uid", uid)
    main.add("summary", event.title)
    if event.description:
        main.add("description", event.description)
    main.add("location", activity.place)
    persisted = list(event.occurrence_set.all())
    recurring = activity.frequency != Frequency.NONE and bool(event.end_recurring_period)
    start, end, cancelled = event.start, event.end, activity.cancelled
    if not recurring:
        # A single date that was moved or cancelled: the event itself says so (a
        # RECURRENCE-ID needs a recurring series).
        for occurrence in persisted:
            if occurrence.original_start == event.start:
                start, end = occurrence.start, occurrence.end
                cancelled = cancelled or occurrence.cancelled
        persisted = []
    main.add("dtstart", _local(start))
    main.add("dtend", _local(end))
    main.add("dtstamp", event.updated_on or timezone.now())
    main.add("url", url)
    main.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if recurring:
        rule = {"freq": activity.frequency.upper(), "until": event.end_recurring_period}
        if activity.frequency == Frequency.WEEKLY:
            rule["byday"] = [day for day in activity.weekdays.split(",") if day]
        main.add("rrule", vRecur(rule))
        excluded = [_local(o.original_start) for o in persisted if o.cancelled or o.moved]
        if activity.frequency == Frequency.WEEKLY and (
            WEEKDAYS[_local(event.start).weekday()] not in rule["byday"]
        ):
            # iCalendar counts DTSTART as a date even off the chosen days; the
            # portal (dateutil, like django-scheduler) does not.
            excluded.insert(0, _local(event.start))
        if excluded:
            main.add("exdate", excluded)
    events = [main]
    for occurrence in persisted:
        if occurrence.cancelled or not occurrence.moved:
            continue
        moved = Event()
        moved.add("uid", uid)
        moved.add("recurrence-id", _local(occurrence.original_start))
        moved.add("summary", occurrence.title or event.title)
        moved.add("location", activity.place)
        moved.add("dtstart", _local(occurrence.start))
        moved.add("dtend", _local(occurrence.end))
        moved.add("dtstamp", occurrence.updated_on or timezone.now())
        moved.add("url", url)
        events.append(moved)
    return events


def calendar_response(request, activities, name, filename):
    cal = Calendar()
    cal.add("prodid", "-//Rabita//Agenda//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    since = timezone.now() - FEED_WINDOW_PAST
    rows = (
        activities.public()
        .filter(
            Q(event__end_recurring_period__gte=since)
            | Q(event__rule__isnull=True, event__end__gte=since)
        )
        .select_related("event")
        .prefetch_related("event__occurrence_set")
        .order_by("event__start", "pk")
    )
    for activity in rows:
        for component in activity_events(activity, request):
            cal.add_component(component)
    cal.add_missing_timezones()
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


def agenda_ics(request):
    """The portal's public agenda; `?association=<slug>` or `?project=<id>` narrows it."""
    activities = Activity.objects.all()
    name = _("Rabita agenda")
    slug = request.GET.get("association")
    if slug:
        association = get_object_or_404(
            AssociationPage, slug=slug, locale__language_code=settings.LANGUAGE_CODE
        )
        return association_ics(request, association.pk)
    project = request.GET.get("project")
    if project:
        if not re.fullmatch(r"[0-9]{1,18}", project):
            raise Http404
        return project_ics(request, int(project))
    # The agenda's other filters (its "Add to my calendar" link keeps them).
    region, field = request.GET.get("region"), request.GET.get("field")
    if region:
        activities = activities.filter(association__region__slug=region)
    if field:
        activities = activities.filter(
            association__in=AssociationPage.objects.filter(fields_of_activity__slug=field).values(
                "pk"
            )
        )
    return calendar_response(request, activities, name, "rabita")


def association_ics(request, pk):
    association = get_object_or_404(AssociationPage, pk=pk).source_page
    activities = Activity.objects.filter(association=association)
    return calendar_response(
        request, activities, association.display_name, f"association-{association.pk}"
    )


def project_ics(request, pk):
    project = get_object_or_404(ProjectPage, pk=pk).source_page
    activities = Activity.objects.filter(project=project)
    return calendar_response(request, activities, project.title, f"project-{project.pk}")


_XML_CONTROL = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F]")


def _xml_text(text):
    """Text typed by members without the control characters XML 1.0 refuses (Django
    raises on them: one stray character would break the feed for good)."""
    return _XML_CONTROL.sub("", text or "")


class ProjectUpdatesFeed(Feed):
    """A project's progress updates as Atom."""

    feed_type = Atom1Feed

    def get_object(self, request, pk):
        page = get_object_or_404(ProjectPage.objects.live(), pk=pk)
        self.request = request
        return page

    def title(self, page):
        return _("%(project)s: progress updates") % {"project": _xml_text(page.title)}

    def link(self, page):
        return page.url

    def subtitle(self, page):
        return _xml_text(page.summary)

    def items(self, page):
        return ProgressUpdate.objects.filter(project=page.source_page).select_related("author")[:30]

    def item_title(self, update):
        return _xml_text(update.title)

    def item_description(self, update):
        return _xml_text(update.text)

    def item_link(self, update):
        return f"{self._page_url}#update-{update.pk}"

    def item_pubdate(self, update):
        return update.created_at

    def item_updateddate(self, update):
        return update.created_at

    def item_guid(self, update):
        return f"rabita-update-{update.pk}"

    def get_feed(self, obj, request):
        self._page_url = obj.url
        return super().get_feed(obj, request)


updates_feed = ProjectUpdatesFeed()
