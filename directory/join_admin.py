"""Wagtail admin: the review queue of applications to join the network.

The review is a small state machine (ALLOWED_TRANSITIONS): staff approve, reject
with a reason or ask for more information; the applicant's answer puts the
application back in the queue; a rejected application must be reopened before it
can be approved. Every change happens inside a transaction on a locked row and is
checked against the table, so that a double click or two reviewers at once never
create two associations. Each change e-mails the applicant in their language.

Who reviews: superusers, the Editors group (communications staff) and anyone given
the "Can change application to join" permission in the admin's group settings.

What the specialists' queue does the same way (locking, permissions, the listing,
the action forms, the URLs) is in review_admin.
"""

from django import forms
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn

import django_filters

from accounts import roles

from . import notifications
from .models import FieldOfActivity, MembershipApplication, Province, Region, TargetGroup
from .review_admin import (
    Decision,
    ReasonForm,
    ReviewDetailView,
    ReviewIndexView,
    ReviewWorkflow,
    TransitionRefused,
    is_reviewer,
    review_urls,
    status_columns,
)

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


def _locked(application_id):
    return (
        MembershipApplication.objects.select_for_update()
        .select_related("applicant", "province")
        .get(pk=application_id)
    )


review = ReviewWorkflow(ALLOWED_TRANSITIONS, lock=_locked)


def approve(application_id, reviewer):
    """Create the association (published in Arabic, aliases in fr/en), make the applicant
    its administrator and a member of the Members group."""
    from django.contrib.auth.models import Group

    from .creation import create_association

    with review.decide(application_id, reviewer) as application:
        if application.status == Status.APPROVED:
            raise TransitionRefused(gettext("This application is already approved."))
        if application.status == Status.REJECTED:
            raise TransitionRefused(
                gettext("A rejected application must be reopened before it can be approved.")
            )
        review.move(application, Status.APPROVED)
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
    notifications.application_approved(application)
    return application


def reject(application_id, reviewer, reason):
    with review.decide(application_id, reviewer, reason) as application:
        review.move(application, Status.REJECTED)
    notifications.application_rejected(application)
    return application


def request_information(application_id, reviewer, message):
    with review.decide(application_id, reviewer, message) as application:
        review.move(application, Status.INFO_REQUESTED)
    notifications.application_info_requested(application)
    return application


def reopen(application_id, reviewer):
    """A rejected application goes back to the queue (e.g. after a mistake)."""
    with review.decide(application_id, reviewer) as application:
        if application.status != Status.REJECTED:
            raise TransitionRefused(gettext("Only a rejected application can be reopened."))
        review.move(application, Status.SUBMITTED)
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
        review.move(locked, Status.SUBMITTED)
        update(locked)
        locked.save()
    return locked


# ---------------------------------------------------------------------------
# Permissions
# ---------------------------------------------------------------------------
def can_review(user):
    """Superusers, Editors and holders of the review permission, in the admin."""
    return is_reviewer(user, "directory.change_membershipapplication")


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


class ApplicationIndexView(ReviewIndexView):
    permission_check = staticmethod(can_review)
    model = MembershipApplication
    page_title = _("Applications to join")
    header_icon = "clipboard-list"
    index_url_name = "join_applications:index"
    index_results_url_name = "join_applications:index_results"
    filterset_class = ApplicationFilterSet
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
        *status_columns(Status.SUBMITTED),
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
class InformationForm(forms.Form):
    message = forms.CharField(
        label=_("What do you need? (sent to the applicant)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Say what information you need.")},
    )


class ApplicationDetailView(ReviewDetailView):
    """Everything the applicant declared, possible duplicates, the receipt and the
    actions the application's state allows. The action URLs POST here too."""

    permission_check = staticmethod(can_review)
    template_name = "directory/admin/application_detail.html"
    header_icon = "clipboard-list"
    queryset = MembershipApplication.objects.select_related(
        "province__region", "applicant", "reviewed_by", "association"
    )
    workflow = review
    url_namespace = "join_applications"
    index_title = ApplicationIndexView.page_title
    name_field = "name_ar"
    decisions = {
        "approve": Decision(
            approve,
            _("“%(name)s” is approved: its profile is published."),
            failure=_("The association could not be created: %(error)s"),
        ),
        "reject": Decision(
            reject, _("The application is rejected; the applicant is told why."), ReasonForm
        ),
        "request_information": Decision(
            request_information,
            _("Your question has been sent to the applicant."),
            InformationForm,
        ),
        "reopen": Decision(reopen, _("The application is back in the queue.")),
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        field_names = FieldOfActivity.localized_names()
        group_names = TargetGroup.localized_names()
        province = application.province
        receipt = application.registration_receipt
        context.update(
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
            can_request_information=review.allows(application, Status.INFO_REQUESTED),
        )
        return context


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [review_urls("join-applications/", ApplicationIndexView, ApplicationDetailView)]


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return ApplicationIndexView.menu_item(
        _("Applications"), _("Applications (%(count)s)"), name="join-applications", order=250
    )


@hooks.register("register_permissions")
def register_review_permission():
    """Lets superusers give the review to a group in Settings › Groups."""
    return Permission.objects.filter(
        content_type__app_label="directory", codename="change_membershipapplication"
    )
