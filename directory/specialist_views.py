"""Public views of the specialists: the directory, profiles, applying, requests.

    /<lang>/specialists/                       the directory (filters in the query string)
    /<lang>/specialists/<slug>/                a profile (served by Wagtail, SpecialistPage)
    /<lang>/specialists/apply/                 apply to be listed (with a CV)
    /<lang>/specialists/requests/              my requests (sent by my associations, to me)
    /<lang>/specialists/requests/new/<page>/   ask a specialist
    /<lang>/specialists/requests/<pk>/         one request, with the actions I may take

Everything works without JavaScript. A request is visible only to the members of
the association that sent it and to the specialist it is addressed to; anyone else
gets 404, whether it exists or not.
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wagtail import hooks
from wagtail.models import Locale

from accounts.validators import sniff_mime

from . import requests as workflow
from .filters import MAX_VALUES_PER_FACET, Facet, Option
from .join_admin import TransitionRefused
from .join_views import create_account, send_account_confirmation
from .models import AssociationPage, Membership
from .paging import page_links, quote_value, requested_page
from .specialist_forms import (
    AvailabilityForm,
    DeclineForm,
    FeedbackForm,
    ProposeDatesForm,
    RequestForm,
    SpecialistAccountForm,
    SpecialistApplicationForm,
    application_terms,
)
from .specialists import (
    Language,
    Skill,
    SpecialistApplication,
    SpecialistFeedback,
    SpecialistIndexPage,
    SpecialistPage,
    SpecialistRequest,
)
from .taxonomies import FieldOfActivity, Region

SECTIONS_HOOK = "rabita_specialist_sections"
PAGE_SIZE = 20
PHOTO_FILTER = "fill-160x160"
FieldsThrough = SpecialistPage.fields_of_activity.through
RegionsThrough = SpecialistPage.regions.through
# "Available within a month": the next available date at most this far away.
SOON = timedelta(days=31)


# ---------------------------------------------------------------------------
# Filters and facets
# ---------------------------------------------------------------------------
@dataclass
class SpecialistFilters:
    """The directory's filters, read from a query string:

        ?field=childhood&skill=legal&language=fr&region=casablanca-settat&availability=now

    Values of one facet are OR-ed, facets AND-ed; unknown values are ignored and
    reported in `notices`. A facet's counts apply every OTHER active filter (the
    number of results ticking the value would give). One query per facet.
    """

    params: object
    locale: object = None
    notices: list = field(default_factory=list)

    VALUE_FACETS = ("field", "skill", "language", "region", "availability", "where")

    def __post_init__(self):
        self.locale = self.locale or Locale.get_active()
        self.today = timezone.localdate()
        self.names = {
            "field": FieldOfActivity.localized_names(),
            "skill": dict(Skill.choices),
            "language": dict(Language.choices),
            "region": Region.localized_names(),
            "availability": {
                "now": _("Available now"),
                "soon": _("Available within a month"),
            },
            "where": {"remote": _("Works remotely"), "in-person": _("Works in person")},
        }
        self.selected = {name: self._read(name) for name in self.VALUE_FACETS}
        self.verified = self.params.get("verified", "") in ("1", "on", "true")

    def _read(self, name):
        values = []
        for raw in self.params.getlist(name)[:MAX_VALUES_PER_FACET]:
            value = raw.strip()
            if not value:
                continue
            if value not in self.names[name]:
                self.notices.append(
                    _(
                        "“%(value)s” is not a valid choice for “%(filter)s”: this filter was ignored."
                    )
                    % {"value": quote_value(raw), "filter": self.labels[name]}
                )
            elif value not in values:
                values.append(value)
        return values

    @cached_property
    def labels(self):
        return {
            "field": _("Field of activity"),
            "skill": _("Skill"),
            "language": _("Language"),
            "region": _("Region"),
            "availability": _("Availability"),
            "where": _("How they work"),
        }

    @property
    def is_filtered(self):
        return self.verified or any(self.selected.values())

    # -- querysets ----------------------------------------------------------
    @cached_property
    def base(self):
        return SpecialistPage.objects.live().public().filter(locale=self.locale)

    def _conditions(self, name, values):
        """Q for one facet's values (OR-ed)."""
        query = Q()
        for value in values:
            query |= self.value_condition(name, value)
        return query

    def value_condition(self, name, value):
        if name == "field":
            return Q(
                pk__in=FieldsThrough.objects.filter(fieldofactivity__slug=value).values(
                    "specialistpage_id"
                )
            )
        if name == "region":
            return Q(
                pk__in=RegionsThrough.objects.filter(region__slug=value).values("specialistpage_id")
            )
        if name == "skill":
            return Q(skills__contains=f",{value},")
        if name == "language":
            return Q(languages__contains=f",{value},")
        if name == "availability":
            available = Q(hours_per_month__gt=0)
            if value == "now":
                return available & (
                    Q(next_available__isnull=True) | Q(next_available__lte=self.today)
                )
            return available & (
                Q(next_available__isnull=True) | Q(next_available__lte=self.today + SOON)
            )
        if name == "where":
            return Q(works_remotely=True) if value == "remote" else Q(works_in_person=True)
        raise ValueError(name)

    def filtered(self, *, exclude=None):
        queryset = self.base
        for name in self.VALUE_FACETS:
            if name != exclude and self.selected[name]:
                queryset = queryset.filter(self._conditions(name, self.selected[name]))
        if exclude != "verified" and self.verified:
            queryset = queryset.filter(verified=True)
        return queryset

    @cached_property
    def results(self):
        return self.filtered().order_by("-verified", "name", "pk")

    # -- facets ---------------------------------------------------------------
    @cached_property
    def counts(self):
        """{facet: {value: count}}: one aggregate query per facet."""
        counts = {}
        for name in self.VALUE_FACETS:
            pages = self.filtered(exclude=name)
            if name in ("field", "region"):
                through, term, column = (
                    (FieldsThrough, "fieldofactivity__slug", "specialistpage_id")
                    if name == "field"
                    else (RegionsThrough, "region__slug", "specialistpage_id")
                )
                counts[name] = dict(
                    through.objects.filter(**{f"{column}__in": pages.order_by().values("pk")})
                    .values_list(term)
                    .annotate(count=Count(column))
                    .values_list(term, "count")
                )
            else:
                aggregates = {
                    f"n{position}": Count("pk", filter=self.value_condition(name, value))
                    for position, value in enumerate(self.names[name])
                }
                row = pages.order_by().aggregate(**aggregates)
                counts[name] = {
                    value: row[f"n{position}"] for position, value in enumerate(self.names[name])
                }
        counts["verified"] = self.filtered(exclude="verified").filter(verified=True).count()
        return counts

    def facets(self):
        facets = []
        for name in self.VALUE_FACETS:
            facet = Facet(name=name, label=self.labels[name])
            for value, label in self.names[name].items():
                count = self.counts[name].get(value, 0)
                selected = value in self.selected[name]
                if name == "field" and not count and not selected:
                    continue  # 15 fields: only those with specialists
                facet.options.append(Option(value, str(label), count, selected))
            facets.append(facet)
        verified = Facet(name="verified", label=_("Verification"))
        verified.options.append(
            Option("1", _("Verified specialists only"), self.counts["verified"], self.verified)
        )
        facets.append(verified)
        return facets

    def query_items(self, remove=None):
        items = [(name, value) for name in self.VALUE_FACETS for value in self.selected[name]]
        if self.verified:
            items.append(("verified", "1"))
        return [item for item in items if item != remove]

    def querystring(self, *, page=None, remove=None):
        items = self.query_items(remove)
        if page and page > 1:
            items.append(("page", page))
        return "?" + urlencode(items) if items else ""

    def active_filters(self, path):
        active = [
            {
                "label": str(self.names[name][value]),
                "remove_url": path + self.querystring(remove=(name, value)),
            }
            for name in self.VALUE_FACETS
            for value in self.selected[name]
        ]
        if self.verified:
            active.append(
                {
                    "label": _("Verified specialists only"),
                    "remove_url": path + self.querystring(remove=("verified", "1")),
                }
            )
        return active

    def fetch(self, ids):
        """The specialists of `ids`, in that order, with their photo and terms."""
        pages = SpecialistPage.objects.filter(pk__in=ids).select_related("photo")
        by_id = {page.pk: page for page in pages}
        return attach_terms([by_id[pk] for pk in ids if pk in by_id], self.names)

    def paginate(self):
        paginator = Paginator(self.results.values_list("pk", flat=True), PAGE_SIZE)
        return requested_page(paginator, self.params, self.notices, self.fetch)


def attach_terms(pages, names=None):
    """Give each page `field_names` and `region_names` (active language), in 2 queries."""
    names = names or {
        "field": FieldOfActivity.localized_names(),
        "region": Region.localized_names(),
    }
    ids = [page.pk for page in pages]
    fields, regions = {}, {}
    for page_id, slug in FieldsThrough.objects.filter(specialistpage_id__in=ids).values_list(
        "specialistpage_id", "fieldofactivity__slug"
    ):
        fields.setdefault(page_id, []).append(names["field"].get(slug, slug))
    for page_id, slug in RegionsThrough.objects.filter(specialistpage_id__in=ids).values_list(
        "specialistpage_id", "region__slug"
    ):
        regions.setdefault(page_id, []).append(names["region"].get(slug, slug))
    for page in pages:
        page.field_names = sorted(fields.get(page.pk, []))
        page.region_names = sorted(regions.get(page.pk, []))
    return pages


# ---------------------------------------------------------------------------
# The directory
# ---------------------------------------------------------------------------
def localized_index():
    """The specialists' directory page in the active language (or the default one)."""
    pages = SpecialistIndexPage.objects.live()
    return (
        pages.filter(locale=Locale.get_active()).first()
        or pages.filter(locale=Locale.get_default()).first()
    )


def directory(request):
    index = localized_index()
    if index is None:
        raise Http404
    return directory_for_index(request, index)


def directory_for_index(request, index):
    filters = SpecialistFilters(request.GET)
    page_obj = filters.paginate()
    path = request.path
    context = {
        "page": index,
        "filters": filters,
        "facets": filters.facets(),
        "active_filters": filters.active_filters(path),
        "form_action": path,
        "clear_url": path,
        "page_obj": page_obj,
        "specialists": page_obj.object_list,
        "result_count": page_obj.paginator.count,
        "notices": filters.notices,
        **page_links(path, filters, page_obj),
        "apply_url": reverse("specialists:apply"),
        "today": filters.today,
    }
    return TemplateResponse(request, "directory/specialists/specialist_index_page.html", context)


# ---------------------------------------------------------------------------
# A profile (SpecialistPage.get_context calls this through the template tag)
# ---------------------------------------------------------------------------
def profile_context(request, page):
    source = page.source_page
    attach_terms([page])
    feedback = list(
        SpecialistFeedback.objects.filter(
            request__specialist=source, status=SpecialistFeedback.Status.APPROVED
        )
        .select_related("request__association")
        .order_by("-created_at")[:10]
    )
    summary = SpecialistFeedback.objects.filter(
        request__specialist=source, status=SpecialistFeedback.Status.APPROVED
    ).aggregate(average=Avg("rating"), count=Count("pk"))
    user = request.user
    own = user.is_authenticated and source.user_id == user.pk
    memberships = (
        list(Membership.objects.filter(user=user).values_list("association_id", flat=True))
        if user.is_authenticated
        else []
    )
    open_requests = []
    if memberships:
        open_requests = list(
            SpecialistRequest.objects.filter(
                specialist=source,
                association_id__in=memberships,
                status__in=SpecialistRequest.OPEN,
            ).select_related("association")
        )
    index = SpecialistIndexPage.objects.parent_of(page).first()
    return {
        "source": source,
        "is_own_profile": own,
        "can_request": bool(memberships) and not own and source.user_id is not None,
        "request_url": reverse("specialists:request_new", args=[source.pk]),
        "login_url": reverse("account_login") + "?" + urlencode({"next": request.path}),
        "open_requests": open_requests,
        "feedback": feedback,
        "rating_average": summary["average"],
        "rating_count": summary["count"],
        "available_now": page.available_now(),
        "today": timezone.localdate(),
        "index_url": index.get_url(request) if index else reverse("specialists:index"),
        "sections": specialist_sections(request, page),
    }


def specialist_sections(request, page):
    """Sections of the `rabita_specialist_sections` hook (same contract as the
    association's: fn(request, page) -> {"template", "order", "context"} | None)."""
    sections = []
    for section_for in hooks.get_hooks(SECTIONS_HOOK):
        section = section_for(request, page)
        if section:
            sections.append(section)
    return sorted(sections, key=lambda section: section.get("order", 100))


# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------
def _user_associations(user):
    return list(AssociationPage.objects.filter(memberships__user=user).distinct().order_by("title"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def request_new(request, pk):
    specialist = get_object_or_404(SpecialistPage.objects.live(), pk=pk).source_page
    if not specialist.live:
        raise Http404
    associations = _user_associations(request.user)
    context = {"specialist": specialist, "associations": associations}
    if not associations:
        return render(request, "directory/specialists/request_refused.html", context, status=403)
    if specialist.user_id is None or specialist.user_id == request.user.pk:
        context["reason"] = (
            _("You cannot send a request to yourself.")
            if specialist.user_id
            else _("This specialist does not take requests at the moment.")
        )
        return render(request, "directory/specialists/request_refused.html", context, status=403)
    form = RequestForm(
        request.POST or None,
        associations=associations,
        initial={"association": str(associations[0].pk)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = workflow.open_request(
                request.user,
                form.cleaned_data["association"],
                specialist,
                **form.request_data(),
            )
        except TransitionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Your request has been sent to %(name)s, who has 7 days to answer.")
                % {"name": specialist.name},
            )
            return redirect("specialists:request", created.pk)
    context["form"] = form
    return render(request, "directory/specialists/request_form.html", context)


def _visible_request(request, pk):
    found = (
        SpecialistRequest.objects.select_related(
            "specialist", "association", "requested_by", "field"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None or not workflow.can_see(request.user, found):
        raise Http404
    return found


def _allowed_actions(user, specialist_request):
    """Action names the user may take now (for the buttons)."""
    is_specialist = workflow.is_specialist_of(user, specialist_request)
    is_member = workflow.is_association_member(user, specialist_request)
    allowed = []
    for name, action in workflow.ACTIONS.items():
        if specialist_request.status not in action.sources or action.actor == workflow.SYSTEM:
            continue
        if (
            (action.actor == workflow.SPECIALIST and is_specialist)
            or (action.actor == workflow.ASSOCIATION and is_member)
            or (action.actor == workflow.EITHER and (is_specialist or is_member))
        ):
            allowed.append(name)
    return allowed


@login_required
@never_cache
def request_detail(request, pk, forms=None):
    specialist_request = _visible_request(request, pk)
    allowed = _allowed_actions(request.user, specialist_request)
    forms = forms or {}
    feedback = SpecialistFeedback.objects.filter(request=specialist_request).first()
    is_member = workflow.is_association_member(request.user, specialist_request)
    context = {
        "specialist_request": specialist_request,
        "is_specialist": workflow.is_specialist_of(request.user, specialist_request),
        "is_member": is_member,
        "allowed": allowed,
        "decline_form": forms.get("decline") or DeclineForm(prefix="decline"),
        "propose_form": forms.get("propose_dates") or ProposeDatesForm(prefix="propose"),
        "feedback": feedback,
        "feedback_form": (
            forms.get("feedback") or FeedbackForm(prefix="feedback")
            if is_member
            and feedback is None
            and specialist_request.status == SpecialistRequest.Status.COMPLETED
            else None
        ),
        "field_name": (
            FieldOfActivity.localized_names().get(specialist_request.field.slug)
            if specialist_request.field_id
            else ""
        ),
    }
    status = 400 if forms else 200
    return render(request, "directory/specialists/request_detail.html", context, status=status)


@login_required
@require_POST
def request_action(request, pk, action):
    if action not in workflow.ACTIONS or action == "expire":
        raise Http404
    specialist_request = _visible_request(request, pk)
    details = {}
    if action == "decline":
        form = DeclineForm(request.POST, prefix="decline")
        if not form.is_valid():
            return request_detail(request, pk, forms={"decline": form})
        details["reason"] = form.cleaned_data["reason"]
    elif action == "propose_dates":
        form = ProposeDatesForm(request.POST, prefix="propose")
        if not form.is_valid():
            return request_detail(request, pk, forms={"propose_dates": form})
        details.update(form.cleaned_data)
    try:
        workflow.transition(specialist_request.pk, action, request.user, **details)
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, DONE_MESSAGES[action]())
    return redirect("specialists:request", specialist_request.pk)


DONE_MESSAGES = {
    "accept": lambda: _(
        "You accepted the request. A conversation with the association is open in your messages."
    ),
    "decline": lambda: _("You declined the request; the association is told why."),
    "propose_dates": lambda: _("Your dates have been sent to the association."),
    "accept_dates": lambda: _(
        "You accepted the proposed dates. A conversation with the specialist is open in your messages."
    ),
    "withdraw": lambda: _("The request is withdrawn; the specialist is told."),
    "complete": lambda: _("The request is marked completed."),
}


@login_required
@require_POST
def request_feedback(request, pk):
    specialist_request = _visible_request(request, pk)
    form = FeedbackForm(request.POST, prefix="feedback")
    if not form.is_valid():
        return request_detail(request, pk, forms={"feedback": form})
    try:
        workflow.leave_feedback(
            specialist_request.pk,
            request.user,
            form.cleaned_data["rating"],
            form.cleaned_data.get("comment", ""),
        )
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Thank you! Your feedback will appear on the profile once our team has read it."),
        )
    return redirect("specialists:request", specialist_request.pk)


@login_required
@never_cache
def request_list(request):
    mine = workflow.visible_requests(request.user).select_related(
        "specialist", "association", "requested_by"
    )
    sent, received = [], []
    for item in mine.order_by("-created_at", "-pk")[:200]:
        (received if item.specialist.user_id == request.user.pk else sent).append(item)
    return render(
        request,
        "directory/specialists/requests.html",
        {"sent": sent, "received": received},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def availability(request):
    """The specialist updates their availability: a new revision of their live page,
    published (the aliases in the other languages follow). Built on the live page,
    not on a draft staff may be preparing, which is never published from here."""
    own = workflow.specialist_page_for(request.user)
    if own is None:
        raise Http404
    form = AvailabilityForm(request.POST or None, instance=own)
    if request.method == "POST" and form.is_valid():
        page = form.save(commit=False)
        # The specialist has no Wagtail permission: this view is the check (own page).
        page.save_revision(user=request.user).publish(
            user=request.user, skip_permission_checks=True
        )
        messages.success(request, _("Your availability is updated on your profile."))
        return redirect("dashboard")
    return render(
        request, "directory/specialists/availability.html", {"form": form, "own_page": own}
    )


# ---------------------------------------------------------------------------
# Applying to be listed
# ---------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def apply(request):
    """Apply to be listed. A visitor without an account creates one in the same form
    (confirmed by e-mail); a signed-in person applies with theirs."""
    context = {"index": localized_index()}
    signed_in = request.user.is_authenticated
    if signed_in:
        own_page = workflow.specialist_page_for(request.user)
        applications = list(SpecialistApplication.objects.filter(applicant=request.user))
        pending = next(
            (
                item
                for item in applications
                if item.status == SpecialistApplication.Status.SUBMITTED
            ),
            None,
        )
        context.update(own_page=own_page, applications=applications, pending=pending)
        if own_page is not None or pending is not None:
            if request.method == "POST":
                messages.error(
                    request, _("You already have a profile or an application being reviewed.")
                )
                return redirect("specialists:apply")
            return render(request, "directory/specialists/apply.html", context)
    else:
        context["login_url"] = reverse("account_login") + "?" + urlencode({"next": request.path})
    data = request.POST if request.method == "POST" else None
    form = SpecialistApplicationForm(
        data,
        request.FILES or None,
        initial={"name": request.user.public_name} if signed_in else None,
    )
    account_form = None if signed_in else SpecialistAccountForm(data)
    if data is not None and form.is_valid() and (account_form is None or account_form.is_valid()):
        application = form.save(commit=False)
        application.cv.save(f"cv-{secrets.token_hex(12)}.pdf", form.cleaned_data["cv"], save=False)
        try:
            with transaction.atomic():
                if signed_in:
                    application.applicant = request.user
                else:
                    application.applicant = create_account(request, account_form.cleaned_data)
                    if application.applicant is None:
                        raise _NoAccount
                application.save()
                fields, regions = application_terms(form)
                application.fields_of_activity.set(fields)
                application.regions.set(regions)
        except _NoAccount:
            application.cv.delete(save=False)
            context.update(form=form, account_form=account_form)
            return render(request, "directory/specialists/apply.html", context)
        except Exception:
            application.cv.delete(save=False)
            raise
        from .specialist_admin import notify_reviewers

        notify_reviewers(application)
        if not signed_in:
            send_account_confirmation(request, application.applicant)
            return render(
                request,
                "directory/specialists/apply_sent.html",
                {"email": application.applicant.email, "index": context["index"]},
            )
        messages.success(
            request,
            _(
                "Thank you: your application has been sent. We will write to you once it is reviewed."
            ),
        )
        return redirect("specialists:apply")
    context.update(form=form, account_form=account_form)
    return render(request, "directory/specialists/apply.html", context)


class _NoAccount(Exception):
    """The account could not be created (create_account said why in a message)."""


@never_cache
def cv(request, pk):
    """A CV, for reviewers only: anyone else gets 404 (nobody can probe for them)."""
    from .specialist_admin import can_review

    if not can_review(request.user):
        raise Http404
    application = get_object_or_404(SpecialistApplication, pk=pk)
    if not application.cv:
        raise Http404
    try:
        handle = application.cv.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    safe = sniff_mime(handle) == "application/pdf"
    response = FileResponse(
        handle,
        content_type="application/pdf" if safe else "application/octet-stream",
        as_attachment=not safe,
        filename=f"cv-{application.pk}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
