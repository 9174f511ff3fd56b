"""Wagtail admin: the review queue of applications to join the network.

The review is a small state machine (ALLOWED_TRANSITIONS): staff approve, reject
with a reason or ask for more information; the applicant's answer puts the
application back in the queue; a rejected application must be reopened before it
can be approved. Every change happens inside a transaction on a locked row and is
checked against the table, so that a double click or two reviewers at once never
create two associations. Each change e-mails the applicant in their language.

Who reviews: superusers, the Editors group (communications staff) and anyone given
the "Can change application to join" permission in the admin's group settings.
"""

from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin

import django_filters

from accounts import roles

from . import notifications
from .models import FieldOfActivity, MembershipApplication, Province, Region, TargetGroup

Status = MembershipApplication.Status

# ---------------------------------------------------------------------------
# The review workflow
# ---------------------------------------------------------------------------
ALLOWED_TRANSITIONS = {
    # Waiting for staff.
    Status.SUBMITTED: {Status.APPROVED, Status.REJECTED, Status.INFO_REQUESTED},
    # Waiting for the applicant: they answer (→ submitted), or staff decide anyway.
    Status.INFO_REQUESTED: {Status.SUBMITTED, Status.APPROVED, Status.REJECTED},
    # Only reopening (→ submitted) brings a rejected application back.
    Status.REJECTED: {Status.SUBMITTED},
    # Final: the association exists.
    Status.APPROVED: set(),
}


class TransitionRefused(Exception):
    """The application is not in a state that allows this action (message for the user)."""


def _locked(application_id):
    return (
        MembershipApplication.objects.select_for_update()
        .select_related("applicant", "province")
        .get(pk=application_id)
    )


def _move(application, target, refusal):
    if target not in ALLOWED_TRANSITIONS[application.status]:
        raise TransitionRefused(refusal % {"status": application.get_status_display()})
    application.status = target


def _record_review(application, reviewer, message=None):
    application.reviewed_by = reviewer
    application.reviewed_at = timezone.now()
    if message is not None:
        application.reviewer_message = message


def approve(application_id, reviewer):
    """Create the association (published in Arabic, aliases in fr/en), make the applicant
    its administrator and a member of the Members group."""
    from django.contrib.auth.models import Group

    from .creation import create_association

    with transaction.atomic():
        application = _locked(application_id)
        if application.status == Status.APPROVED:
            raise TransitionRefused(gettext("This application is already approved."))
        if application.status == Status.REJECTED:
            raise TransitionRefused(
                gettext("A rejected application must be reopened before it can be approved.")
            )
        _move(
            application,
            Status.APPROVED,
            gettext("This application cannot be approved: it is %(status)s."),
        )
        if application.association_id is None:
            page = create_association(
                name_ar=application.name_ar,
                name_fr=application.name_fr,
                acronym=application.acronym,
                short_description=application.short_description,
                fields_of_activity=list(application.fields_of_activity.all()),
                target_groups=list(application.target_groups.all()),
                province=application.province,
                city=application.city,
                address=application.address,
                members_count=application.members_count,
                staff_count=application.staff_count,
                volunteers_count=application.volunteers_count,
                budget_band=application.budget_band,
                founded_year=application.founded_year,
                registration_number=application.registration_number,
                registration_date=application.registration_date,
                email=application.email,
                phone=application.phone,
                website=application.website,
                admins=[application.applicant],
                user=reviewer,
            )
            application.association = page
        application.applicant.groups.add(Group.objects.get(name=roles.MEMBERS))
        _record_review(application, reviewer)
        application.save()
    notifications.application_approved(application)
    return application


def reject(application_id, reviewer, reason):
    with transaction.atomic():
        application = _locked(application_id)
        _move(
            application,
            Status.REJECTED,
            gettext("This application cannot be rejected: it is %(status)s."),
        )
        _record_review(application, reviewer, reason)
        application.save()
    notifications.application_rejected(application)
    return application


def request_information(application_id, reviewer, message):
    with transaction.atomic():
        application = _locked(application_id)
        _move(
            application,
            Status.INFO_REQUESTED,
            gettext("You cannot ask for more information: the application is %(status)s."),
        )
        _record_review(application, reviewer, message)
        application.save()
    notifications.application_info_requested(application)
    return application


def reopen(application_id, reviewer):
    """A rejected application goes back to the queue (e.g. after a mistake)."""
    with transaction.atomic():
        application = _locked(application_id)
        if application.status != Status.REJECTED:
            raise TransitionRefused(gettext("Only a rejected application can be reopened."))
        _move(application, Status.SUBMITTED, "%(status)s")
        _record_review(application, reviewer)
        application.save()
    notifications.application_reopened(application)
    return application


def resubmit(application, update):
    """The applicant answered a request for information: `update(application)` applies
    their changes to the locked row, then it is back in the queue."""
    with transaction.atomic():
        locked = _locked(application.pk)
        if locked.status != Status.INFO_REQUESTED:
            raise TransitionRefused(
                gettext("This application is not waiting for more information.")
            )
        _move(locked, Status.SUBMITTED, "%(status)s")
        update(locked)
        locked.save()
    return locked


# ---------------------------------------------------------------------------
# Permissions
# ---------------------------------------------------------------------------
def can_review(user):
    """Superusers, Editors and holders of the review permission, in the admin."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    return user.has_perm("directory.change_membershipapplication") or roles.has_role(
        user, roles.EDITORS
    )


class ReviewerRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_review(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# ---------------------------------------------------------------------------
# Listing
# ---------------------------------------------------------------------------
class ApplicationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )

    class Meta:
        model = MembershipApplication
        fields = []


class ApplicationIndexView(ReviewerRequiredMixin, BaseListingView):
    model = MembershipApplication
    page_title = _("Applications to join")
    header_icon = "clipboard-list"
    index_url_name = "join_applications:index"
    index_results_url_name = "join_applications:index_results"
    filterset_class = ApplicationFilterSet
    default_ordering = "-submitted_at"
    paginate_by = 30
    is_searchable = True
    search_fields = ["name_ar", "name_fr", "acronym", "registration_number", "city"]
    search_backend_name = None
    verbose_name = _("application")
    verbose_name_plural = _("applications")
    columns = [
        TitleColumn(
            "name_ar",
            label=_("Association"),
            url_name="join_applications:detail",
            sort_key="name_ar",
        ),
        Column("name_fr", label=_("Name in French")),
        Column("province_label", label=_("Prefecture or province")),
        Column("registration_number", label=_("Receipt number")),
        Column("applicant", label=_("Applicant")),
        StatusTagColumn(
            "get_status_display",
            label=_("Status"),
            sort_key="status",
            primary=lambda application: application.status == Status.SUBMITTED,
        ),
        DateColumn("submitted_at", label=_("Submitted"), sort_key="submitted_at"),
    ]

    def get_base_queryset(self):
        return MembershipApplication.objects.select_related("province", "applicant")

    def get_table(self, object_list):
        # Provinces in the admin user's language (rows point to the Arabic terms).
        names = Province.localized_names()
        rows = list(object_list)
        for application in rows:
            application.province_label = names.get(
                application.province.slug, application.province.name
            )
        return super().get_table(rows)


# ---------------------------------------------------------------------------
# Detail and actions
# ---------------------------------------------------------------------------
class ReasonForm(forms.Form):
    message = forms.CharField(
        label=_("Reason, sent to the applicant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Say why the application is rejected.")},
    )


class InformationForm(forms.Form):
    message = forms.CharField(
        label=_("What do you need? (sent to the applicant)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Say what information you need.")},
    )


class ApplicationDetailView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Everything the applicant declared, possible duplicates, the receipt and the
    actions the application's state allows. The action URLs POST here too."""

    template_name = "directory/admin/application_detail.html"
    header_icon = "clipboard-list"
    forms = {"reject": ReasonForm, "request_information": InformationForm}

    @cached_property
    def application(self):
        return get_object_or_404(
            MembershipApplication.objects.select_related(
                "province__region", "applicant", "reviewed_by", "association"
            ),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self):
        return self.application.name_ar

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("join_applications:index"), "label": gettext("Applications to join")},
            {"url": "", "label": self.application.name_ar},
        ]

    def get(self, request, *args, **kwargs):
        if kwargs.get("action"):
            return redirect("join_applications:detail", self.application.pk)
        return super().get(request, *args, **kwargs)

    def post(self, request, pk, action=None):
        application = self.application
        form = None
        if action in self.forms:
            form = self.forms[action](request.POST, prefix=action)
            if not form.is_valid():
                messages.error(request, gettext("Please correct the errors below."))
                return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
        try:
            if action == "approve":
                approve(application.pk, request.user)
                messages.success(
                    request,
                    gettext("“%(name)s” is approved: its profile is published.")
                    % {"name": application.name_ar},
                )
            elif action == "reject":
                reject(application.pk, request.user, form.cleaned_data["message"])
                messages.success(
                    request, gettext("The application is rejected; the applicant is told why.")
                )
            elif action == "request_information":
                request_information(application.pk, request.user, form.cleaned_data["message"])
                messages.success(request, gettext("Your question has been sent to the applicant."))
            elif action == "reopen":
                reopen(application.pk, request.user)
                messages.success(request, gettext("The application is back in the queue."))
        except TransitionRefused as refusal:
            messages.error(request, str(refusal))
        except ValidationError as error:
            messages.error(
                request,
                gettext("The association could not be created: %(error)s")
                % {"error": " ".join(error.messages)},
            )
        return redirect("join_applications:detail", application.pk)

    def get_context_data(self, **kwargs):
        application = self.application
        context = super().get_context_data(**kwargs)
        field_names = FieldOfActivity.localized_names()
        group_names = TargetGroup.localized_names()
        province = application.province
        allowed = ALLOWED_TRANSITIONS[application.status]
        receipt = application.registration_receipt
        context.update(
            application=application,
            fields_of_activity=[
                field_names.get(term.slug, term.name)
                for term in application.fields_of_activity.all()
            ],
            target_groups=[
                group_names.get(term.slug, term.name) for term in application.target_groups.all()
            ],
            province_name=Province.localized_names().get(province.slug, province.name),
            region_name=Region.localized_names().get(province.region.slug, province.region.name),
            # Once approved, the association created from it is not a duplicate.
            duplicates=[
                page
                for page in application.possible_duplicates()
                if page.pk != application.association_id
            ],
            same_number_applications=MembershipApplication.objects.filter(
                registration_number__iexact=application.registration_number
            )
            .exclude(pk=application.pk)
            .order_by("-submitted_at"),
            receipt_url=reverse("join:receipt", args=[application.pk]) if receipt else "",
            receipt_is_image=receipt.name.lower().endswith((".jpg", ".jpeg", ".png")),
            can_approve=Status.APPROVED in allowed,
            can_reject=Status.REJECTED in allowed,
            can_request_information=Status.INFO_REQUESTED in allowed,
            can_reopen=application.status == Status.REJECTED,
            reject_form=kwargs.get("reject_form") or ReasonForm(prefix="reject"),
            request_information_form=kwargs.get("request_information_form")
            or InformationForm(prefix="request_information"),
        )
        return context


urlpatterns = [
    path("", ApplicationIndexView.as_view(), name="index"),
    path("results/", ApplicationIndexView.as_view(results_only=True), name="index_results"),
    path("<int:pk>/", ApplicationDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/approve/", ApplicationDetailView.as_view(), {"action": "approve"}, name="approve"
    ),
    path("<int:pk>/reject/", ApplicationDetailView.as_view(), {"action": "reject"}, name="reject"),
    path(
        "<int:pk>/request-information/",
        ApplicationDetailView.as_view(),
        {"action": "request_information"},
        name="request_information",
    ),
    path("<int:pk>/reopen/", ApplicationDetailView.as_view(), {"action": "reopen"}, name="reopen"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "join-applications/",
            include((urlpatterns, "join_applications"), namespace="join_applications"),
        )
    ]


class ApplicationsMenuItem(MenuItem):
    """ "Applications" in the admin menu, with the number waiting for a reviewer."""

    def is_shown(self, request):
        return can_review(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        waiting = MembershipApplication.objects.filter(status=Status.SUBMITTED).count()
        if waiting:
            component.label = gettext("Applications (%(count)s)") % {"count": waiting}
        return component


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return ApplicationsMenuItem(
        _("Applications"),
        reverse("join_applications:index"),
        name="join-applications",
        icon_name="clipboard-list",
        order=250,
    )


@hooks.register("register_permissions")
def register_review_permission():
    """Lets superusers give the review to a group in Settings › Groups."""
    return Permission.objects.filter(
        content_type__app_label="directory", codename="change_membershipapplication"
    )
