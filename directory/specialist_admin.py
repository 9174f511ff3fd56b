"""Wagtail admin: specialists' applications and the moderation of feedback.

/admin/specialist-applications/  the review queue, like join_admin does for
associations (what both do the same way is in review_admin): staff read the
application and its CV, then approve (the page is published, the account joins the
Specialists group) or reject with a reason. The state machine is small:
submitted → approved | rejected, rejected → submitted (reopened). Each decision
e-mails the applicant in their language.

/admin/specialist-feedback/  associations' feedback waiting for moderation: staff
publish it on the profile or keep it unpublished.

Who: superusers, the Editors group and holders of the "change" permission of
specialist applications (or of feedback), given in Settings › Groups.
"""

from django.contrib.auth.models import Permission
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from home.ids import is_id

from . import notifications
from .requests import moderate_feedback, send_email
from .review_admin import (
    CountingMenuItem,
    Decision,
    ReasonForm,
    ReviewDetailView,
    ReviewerRequiredMixin,
    ReviewIndexView,
    ReviewWorkflow,
    TransitionRefused,
    is_reviewer,
    review_urls,
    status_columns,
)
from .specialists import SpecialistApplication, SpecialistFeedback, choice_labels
from .taxonomies import FieldOfActivity, Region

Status = SpecialistApplication.Status
ALLOWED_TRANSITIONS = {
    Status.SUBMITTED: {Status.APPROVED, Status.REJECTED},
    Status.REJECTED: {Status.SUBMITTED},
    Status.APPROVED: set(),
}


def can_review(user):
    return is_reviewer(user, "directory.change_specialistapplication")


def can_moderate(user):
    return is_reviewer(user, "directory.change_specialistfeedback")


# ---------------------------------------------------------------------------
# The workflow
# ---------------------------------------------------------------------------
def _locked(application_id):
    return (
        SpecialistApplication.objects.select_for_update(of=("self",))
        .select_related("applicant")
        .get(pk=application_id)
    )


review = ReviewWorkflow(ALLOWED_TRANSITIONS, lock=_locked)


def approve(application_id, reviewer):
    """Publish the specialist's page (Arabic, with fr/en aliases) linked to the
    applicant's account, who joins the Specialists group."""
    from .specialist_creation import create_specialist

    with review.decide(application_id, reviewer) as application:
        review.move(application, Status.APPROVED)
        if application.page_id is None:
            application.page = create_specialist(
                user=application.applicant,
                name=application.name,
                headline=application.headline,
                fields_of_activity=list(application.fields_of_activity.all()),
                regions=list(application.regions.all()),
                skills=application.skills,
                languages=application.languages,
                city=application.city,
                works_remotely=application.works_remotely,
                works_in_person=application.works_in_person,
                hours_per_month=application.hours_per_month,
                pricing=application.pricing,
                biography="".join(
                    f"<p>{_escape(paragraph)}</p>"
                    for paragraph in application.biography.split("\n")
                    if paragraph.strip()
                ),
                publisher=reviewer,
            )
    page = application.page

    def make_context():
        return {
            "subject": gettext("Welcome to the specialists of Rabita"),
            "body": gettext(
                "Your application is approved: your profile is published and "
                "associations can now send you requests."
            ),
            "link_label": gettext("Your profile:"),
            "url": notifications.profile_url(page),
        }

    send_email(application.applicant, make_context, tag="specialist_approved")
    return application


def reject(application_id, reviewer, reason):
    with review.decide(application_id, reviewer, reason) as application:
        review.move(application, Status.REJECTED)

    def make_context():
        return {
            "subject": gettext("Your application as a specialist"),
            "body": gettext("We are sorry: we could not accept your application as a specialist."),
            "details_label": gettext("The reason:"),
            "details": reason,
            "link_label": gettext("Your application:"),
            "url": notifications.absolute_url(reverse("specialists:apply")),
        }

    send_email(application.applicant, make_context, tag="specialist_rejected")
    return application


def reopen(application_id, reviewer):
    with review.decide(application_id, reviewer) as application:
        if application.status != Status.REJECTED:
            raise TransitionRefused(gettext("Only a rejected application can be reopened."))
        if SpecialistApplication.objects.filter(
            applicant=application.applicant, status=Status.SUBMITTED
        ).exists():
            raise TransitionRefused(
                gettext("This person has another application waiting for review.")
            )
        review.move(application, Status.SUBMITTED)
    return application


def notify_reviewers(application):
    """Tell the reviewers a new application is waiting (each in their language)."""
    url = notifications.absolute_url(
        reverse("specialist_applications:detail", args=[application.pk])
    )
    for reviewer in notifications.reviewers():

        def make_context():
            return {
                "subject": gettext("New specialist application: %(name)s")
                % {"name": application.name},
                "body": gettext("%(name)s applies to be listed as a specialist.")
                % {"name": application.name},
                "link_label": gettext("Review it:"),
                "url": url,
            }

        send_email(reviewer, make_context, tag="specialist_application")


def _escape(text):
    return escape(text.strip())


# ---------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------
class ApplicationIndexView(ReviewIndexView):
    permission_check = staticmethod(can_review)
    model = SpecialistApplication
    page_title = _("Specialist applications")
    header_icon = "user"
    index_url_name = "specialist_applications:index"
    index_results_url_name = "specialist_applications:index_results"
    columns = [
        TitleColumn(
            "name", label=_("Name"), url_name="specialist_applications:detail", sort_key="name"
        ),
        Column("headline", label=_("Headline")),
        Column("applicant", label=_("Account")),
        *status_columns(Status.SUBMITTED),
    ]

    def get_base_queryset(self):
        return SpecialistApplication.objects.select_related("applicant")


class ApplicationDetailView(ReviewDetailView):
    permission_check = staticmethod(can_review)
    template_name = "directory/specialists/admin/application_detail.html"
    header_icon = "user"
    queryset = SpecialistApplication.objects.select_related("applicant", "reviewed_by", "page")
    workflow = review
    url_namespace = "specialist_applications"
    index_title = ApplicationIndexView.page_title
    name_field = "name"
    decisions = {
        "approve": Decision(approve, _("%(name)s is approved: the profile is published.")),
        "reject": Decision(
            reject, _("The application is rejected; the applicant is told why."), ReasonForm
        ),
        "reopen": Decision(reopen, _("The application is back in the queue.")),
    }

    def get_context_data(self, **kwargs):
        from .specialists import Language, Pricing, Skill

        context = super().get_context_data(**kwargs)
        application = self.application
        field_names = FieldOfActivity.localized_names()
        region_names = Region.localized_names()
        context.update(
            fields_of_activity=[
                field_names.get(term.slug, term.name)
                for term in application.fields_of_activity.all()
            ],
            regions=[region_names.get(term.slug, term.name) for term in application.regions.all()],
            skills=choice_labels(Skill.choices, application.skills),
            languages=choice_labels(Language.choices, application.languages),
            pricing=dict(Pricing.choices).get(application.pricing, ""),
            cv_url=reverse("specialists:cv", args=[application.pk]) if application.cv else "",
        )
        return context


class FeedbackIndexView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Feedback waiting for moderation (and the latest decisions)."""

    permission_check = staticmethod(can_moderate)
    template_name = "directory/specialists/admin/feedback.html"
    page_title = _("Feedback on specialists")
    header_icon = "comment"

    def post(self, request):
        decision = request.POST.get("decision")
        raw = request.POST.get("feedback", "")
        feedback = get_object_or_404(SpecialistFeedback, pk=int(raw) if is_id(raw) else 0)
        if decision not in ("approve", "reject"):
            messages.error(request, gettext("Unknown decision."))
        else:
            moderate_feedback(feedback.pk, request.user, approve=decision == "approve")
            messages.success(
                request,
                gettext("The feedback is published on the profile.")
                if decision == "approve"
                else gettext("The feedback will not be published."),
            )
        return redirect("specialist_feedback:index")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        related = ("request__association", "request__specialist", "author")
        context["pending"] = SpecialistFeedback.objects.filter(
            status=SpecialistFeedback.Status.PENDING
        ).select_related(*related)
        context["recent"] = (
            SpecialistFeedback.objects.exclude(status=SpecialistFeedback.Status.PENDING)
            .select_related(*related)
            .order_by("-moderated_at")[:20]
        )
        return context


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        review_urls("specialist-applications/", ApplicationIndexView, ApplicationDetailView),
        path(
            "specialist-feedback/",
            include(
                ([path("", FeedbackIndexView.as_view(), name="index")], "specialist_feedback"),
                namespace="specialist_feedback",
            ),
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return ApplicationIndexView.menu_item(
        _("Specialists"), _("Specialists (%(count)s)"), name="specialist-applications", order=260
    )


@hooks.register("register_admin_menu_item")
def register_feedback_menu_item():
    return CountingMenuItem(
        _("Feedback"),
        reverse("specialist_feedback:index"),
        name="specialist-feedback",
        icon_name="comment",
        order=270,
        check=can_moderate,
        waiting=lambda: SpecialistFeedback.objects.filter(
            status=SpecialistFeedback.Status.PENDING
        ).count(),
        label_with_count=_("Feedback (%(count)s)"),
    )


@hooks.register("register_permissions")
def register_specialist_permissions():
    return Permission.objects.filter(
        content_type__app_label="directory",
        codename__in=[
            "change_specialistapplication",
            "change_specialistfeedback",
            "verify_specialist",
        ],
    )
