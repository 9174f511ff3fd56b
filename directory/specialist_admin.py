"""Wagtail admin: specialists' applications and the moderation of feedback.

/admin/specialist-applications/  the review queue, like join_admin does for
associations: staff read the application and its CV, then approve (the page is
published, the account joins the Specialists group) or reject with a reason. The
state machine is small: submitted → approved | rejected, rejected → submitted
(reopened). Each decision e-mails the applicant in their language.

/admin/specialist-feedback/  associations' feedback waiting for moderation: staff
publish it on the profile or keep it unpublished.

Who: superusers, the Editors group and holders of the "change" permission of
specialist applications (or of feedback), given in Settings › Groups.
"""

from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin

from accounts import roles

from . import notifications
from .join_admin import TransitionRefused
from .requests import moderate_feedback, send_email
from .specialists import SpecialistApplication, SpecialistFeedback, choice_labels
from .taxonomies import FieldOfActivity, Region

Status = SpecialistApplication.Status
ALLOWED_TRANSITIONS = {
    Status.SUBMITTED: {Status.APPROVED, Status.REJECTED},
    Status.REJECTED: {Status.SUBMITTED},
    Status.APPROVED: set(),
}


def _can(user, codename):
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    return user.has_perm(f"directory.{codename}") or roles.has_role(user, roles.EDITORS)


def can_review(user):
    return _can(user, "change_specialistapplication")


def can_moderate(user):
    return _can(user, "change_specialistfeedback")


# ---------------------------------------------------------------------------
# The workflow
# ---------------------------------------------------------------------------
def _locked(application_id):
    return (
        SpecialistApplication.objects.select_for_update(of=("self",))
        .select_related("applicant")
        .get(pk=application_id)
    )


def _move(application, target, refusal):
    if target not in ALLOWED_TRANSITIONS[application.status]:
        raise TransitionRefused(refusal % {"status": application.get_status_display()})
    application.status = target
    application.reviewed_at = timezone.now()


def approve(application_id, reviewer):
    """Publish the specialist's page (Arabic, with fr/en aliases) linked to the
    applicant's account, who joins the Specialists group."""
    from .specialist_creation import create_specialist

    with transaction.atomic():
        application = _locked(application_id)
        _move(
            application,
            Status.APPROVED,
            gettext("This application cannot be approved: it is %(status)s."),
        )
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
        application.reviewed_by = reviewer
        application.save()
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
    with transaction.atomic():
        application = _locked(application_id)
        _move(
            application,
            Status.REJECTED,
            gettext("This application cannot be rejected: it is %(status)s."),
        )
        application.reviewed_by = reviewer
        application.reviewer_message = reason
        application.save()

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
    with transaction.atomic():
        application = _locked(application_id)
        if application.status != Status.REJECTED:
            raise TransitionRefused(gettext("Only a rejected application can be reopened."))
        if SpecialistApplication.objects.filter(
            applicant=application.applicant, status=Status.SUBMITTED
        ).exists():
            raise TransitionRefused(
                gettext("This person has another application waiting for review.")
            )
        _move(application, Status.SUBMITTED, "%(status)s")
        application.reviewed_by = reviewer
        application.save()
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
class ReviewerRequiredMixin:
    permission_check = staticmethod(can_review)

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_check(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ApplicationIndexView(ReviewerRequiredMixin, BaseListingView):
    model = SpecialistApplication
    page_title = _("Specialist applications")
    header_icon = "user"
    index_url_name = "specialist_applications:index"
    index_results_url_name = "specialist_applications:index_results"
    default_ordering = "-submitted_at"
    paginate_by = 30
    columns = [
        TitleColumn(
            "name", label=_("Name"), url_name="specialist_applications:detail", sort_key="name"
        ),
        Column("headline", label=_("Headline")),
        Column("applicant", label=_("Account")),
        StatusTagColumn(
            "get_status_display",
            label=_("Status"),
            sort_key="status",
            primary=lambda application: application.status == Status.SUBMITTED,
        ),
        DateColumn("submitted_at", label=_("Submitted"), sort_key="submitted_at"),
    ]

    def get_base_queryset(self):
        return SpecialistApplication.objects.select_related("applicant")


class ReasonForm(forms.Form):
    message = forms.CharField(
        label=_("Reason, sent to the applicant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Say why the application is rejected.")},
    )


class ApplicationDetailView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "directory/specialists/admin/application_detail.html"
    header_icon = "user"

    @cached_property
    def application(self):
        return get_object_or_404(
            SpecialistApplication.objects.select_related("applicant", "reviewed_by", "page"),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self):
        return self.application.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("specialist_applications:index"),
                "label": gettext("Specialist applications"),
            },
            {"url": "", "label": self.application.name},
        ]

    def get(self, request, *args, **kwargs):
        if kwargs.get("action"):
            return redirect("specialist_applications:detail", self.application.pk)
        return super().get(request, *args, **kwargs)

    def post(self, request, pk, action=None):
        application = self.application
        try:
            if action == "approve":
                approve(application.pk, request.user)
                messages.success(
                    request,
                    gettext("%(name)s is approved: the profile is published.")
                    % {"name": application.name},
                )
            elif action == "reject":
                form = ReasonForm(request.POST, prefix="reject")
                if not form.is_valid():
                    messages.error(request, gettext("Please correct the errors below."))
                    return self.render_to_response(self.get_context_data(reject_form=form))
                reject(application.pk, request.user, form.cleaned_data["message"])
                messages.success(
                    request, gettext("The application is rejected; the applicant is told why.")
                )
            elif action == "reopen":
                reopen(application.pk, request.user)
                messages.success(request, gettext("The application is back in the queue."))
        except TransitionRefused as refusal:
            messages.error(request, str(refusal))
        return redirect("specialist_applications:detail", application.pk)

    def get_context_data(self, **kwargs):
        from .specialists import Language, Pricing, Skill

        application = self.application
        context = super().get_context_data(**kwargs)
        field_names = FieldOfActivity.localized_names()
        region_names = Region.localized_names()
        allowed = ALLOWED_TRANSITIONS[application.status]
        context.update(
            application=application,
            fields_of_activity=[
                field_names.get(term.slug, term.name)
                for term in application.fields_of_activity.all()
            ],
            regions=[region_names.get(term.slug, term.name) for term in application.regions.all()],
            skills=choice_labels(Skill.choices, application.skills),
            languages=choice_labels(Language.choices, application.languages),
            pricing=dict(Pricing.choices).get(application.pricing, ""),
            cv_url=reverse("specialists:cv", args=[application.pk]) if application.cv else "",
            can_approve=Status.APPROVED in allowed,
            can_reject=Status.REJECTED in allowed,
            can_reopen=application.status == Status.REJECTED,
            reject_form=kwargs.get("reject_form") or ReasonForm(prefix="reject"),
        )
        return context


class FeedbackIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Feedback waiting for moderation (and the latest decisions)."""

    template_name = "directory/specialists/admin/feedback.html"
    page_title = _("Feedback on specialists")
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        decision = request.POST.get("decision")
        raw = request.POST.get("feedback", "")
        feedback = get_object_or_404(SpecialistFeedback, pk=int(raw) if raw.isdigit() else 0)
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


urlpatterns = [
    path("", ApplicationIndexView.as_view(), name="index"),
    path("results/", ApplicationIndexView.as_view(results_only=True), name="index_results"),
    path("<int:pk>/", ApplicationDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/approve/", ApplicationDetailView.as_view(), {"action": "approve"}, name="approve"
    ),
    path("<int:pk>/reject/", ApplicationDetailView.as_view(), {"action": "reject"}, name="reject"),
    path("<int:pk>/reopen/", ApplicationDetailView.as_view(), {"action": "reopen"}, name="reopen"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "specialist-applications/",
            include((urlpatterns, "specialist_applications"), namespace="specialist_applications"),
        ),
        path(
            "specialist-feedback/",
            include(
                ([path("", FeedbackIndexView.as_view(), name="index")], "specialist_feedback"),
                namespace="specialist_feedback",
            ),
        ),
    ]


class CountingMenuItem(MenuItem):
    """A menu item with the number of things waiting, shown to those who handle them."""

    def __init__(self, *args, check, waiting, label_with_count, **kwargs):
        super().__init__(*args, **kwargs)
        self.check, self.waiting, self.label_with_count = check, waiting, label_with_count

    def is_shown(self, request):
        return self.check(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        count = self.waiting()
        if count:
            component.label = self.label_with_count() % {"count": count}
        return component


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return CountingMenuItem(
        _("Specialists"),
        reverse("specialist_applications:index"),
        name="specialist-applications",
        icon_name="user",
        order=260,
        check=can_review,
        waiting=lambda: SpecialistApplication.objects.filter(status=Status.SUBMITTED).count(),
        label_with_count=lambda: gettext("Specialists (%(count)s)"),
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
        label_with_count=lambda: gettext("Feedback (%(count)s)"),
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
