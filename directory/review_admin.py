"""Wagtail admin: what the review queues of applications have in common.

Two queues are reviewed in the admin: associations applying to join the network
(join_admin) and specialists applying to be listed (specialist_admin). Each keeps
what is its own: the model, the table of allowed moves, who reviews, the e-mails and
what approval creates. This module holds what works the same way in both, so that a
fix to the review (locking, permissions, the action forms) is made once:

- the frame of a decision: the row locked in a transaction, the move checked against
  the queue's table, the reviewer and time recorded (ReviewWorkflow);
- who reviews: superusers, Editors and holders of a permission, in the admin;
- the listing, the detail page and its action forms (one URL per decision, POSTing
  to the detail view), and the menu item with the number waiting.

The detail templates share their common parts through
templates/directory/admin/includes/review_*.html.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import DateColumn, StatusTagColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin

from accounts import roles


# ---------------------------------------------------------------------------
# The workflow
# ---------------------------------------------------------------------------
class TransitionRefused(Exception):
    """The application is not in a state that allows this action (message for the user)."""


# What is said when the table refuses a move to a state (%(status)s: the current one).
REFUSALS = {
    "approved": _("This application cannot be approved: it is %(status)s."),
    "rejected": _("This application cannot be rejected: it is %(status)s."),
    "info_requested": _("You cannot ask for more information: the application is %(status)s."),
}


class ReviewWorkflow:
    """A queue's state machine: `transitions` maps each state to the states it may move
    to, and `lock(application_id)` fetches an application with its row locked."""

    def __init__(self, transitions, lock):
        self.transitions, self.lock = transitions, lock

    def allows(self, application, target):
        return target in self.transitions[application.status]

    def move(self, application, target):
        """Set the application's status to `target`, or refuse if the table does not
        allow it. (The moves back to "submitted" are checked by their callers first,
        with a message of their own.)"""
        if not self.allows(application, target):
            refusal = REFUSALS.get(target, "%(status)s")
            raise TransitionRefused(refusal % {"status": application.get_status_display()})
        application.status = target

    @contextmanager
    def decide(self, application_id, reviewer, message=None):
        """The frame of every decision: the application's row locked for one
        transaction, the body moves it, then who decided and when are recorded (with
        `message`, a reason or a question, if any) and the row saved. A refusal in the
        body rolls everything back, so a double click or two reviewers at once never
        decide twice."""
        with transaction.atomic():
            application = self.lock(application_id)
            yield application
            application.reviewed_by = reviewer
            application.reviewed_at = timezone.now()
            if message is not None:
                application.reviewer_message = message
            application.save()


# ---------------------------------------------------------------------------
# Permissions
# ---------------------------------------------------------------------------
def is_reviewer(user, permission):
    """Superusers, Editors and holders of `permission` ("app_label.codename"), in the admin."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    return user.has_perm(permission) or roles.has_role(user, roles.EDITORS)


class ReviewerRequiredMixin:
    """Refuses the view to whoever `permission_check` (a function of the user) refuses."""

    permission_check = None

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_check(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# ---------------------------------------------------------------------------
# Listing
# ---------------------------------------------------------------------------
class ReviewIndexView(ReviewerRequiredMixin, BaseListingView):
    """The queue, newest first; its columns end with `status_columns`."""

    default_ordering = "-submitted_at"
    paginate_by = 30

    @classmethod
    def menu_item(cls, label, label_with_count, *, name, order):
        """The queue in the admin menu, shown to its reviewers, with the number of
        applications waiting for them (`label_with_count`, with %(count)s)."""
        return CountingMenuItem(
            label,
            reverse(cls.index_url_name),
            name=name,
            icon_name=cls.header_icon,
            order=order,
            check=cls.permission_check,
            waiting=lambda: cls.model.objects.filter(status=cls.model.Status.SUBMITTED).count(),
            label_with_count=label_with_count,
        )


def status_columns(waiting):
    """The status (highlighted while it is `waiting` for a reviewer) and the date sent."""
    return [
        StatusTagColumn(
            "get_status_display",
            label=_("Status"),
            sort_key="status",
            primary=lambda application: application.status == waiting,
        ),
        DateColumn("submitted_at", label=_("Submitted"), sort_key="submitted_at"),
    ]


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


@dataclass(frozen=True)
class Decision:
    """One action of the detail page.

    `carry_out(application_id, reviewer)` does it, with the form's message as a third
    argument when the decision has a `form`. `success` is said afterwards (%(name)s:
    the application's name); `failure`, if given, is said when carrying it out raises
    a ValidationError (%(error)s: its messages) instead of letting the error through.
    """

    carry_out: Callable
    success: str
    form: type | None = None
    failure: str | None = None


class ReviewDetailView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """An application and the actions its state allows. Each action has its URL
    (`<url_namespace>:<action>`) that POSTs here; a GET there comes back to the page."""

    queryset = None  # the applications, with what the page shows
    workflow = None  # the queue's ReviewWorkflow
    url_namespace = ""
    index_title = ""  # the queue's title, in the breadcrumbs
    name_field = ""  # the application's name, the page title
    decisions = {}  # action → Decision

    @cached_property
    def application(self):
        return get_object_or_404(self.queryset.all(), pk=self.kwargs["pk"])

    def get_page_title(self):
        return getattr(self.application, self.name_field)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{self.url_namespace}:index"), "label": self.index_title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        if kwargs.get("action"):
            return redirect(f"{self.url_namespace}:detail", self.application.pk)
        return super().get(request, *args, **kwargs)

    def post(self, request, pk, action=None):
        application = self.application
        decision = self.decisions.get(action)
        if decision is None:
            return redirect(f"{self.url_namespace}:detail", application.pk)
        arguments = [application.pk, request.user]
        if decision.form:
            form = decision.form(request.POST, prefix=action)
            if not form.is_valid():
                messages.error(request, gettext("Please correct the errors below."))
                return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
            arguments.append(form.cleaned_data["message"])
        try:
            decision.carry_out(*arguments)
        except TransitionRefused as refusal:
            messages.error(request, str(refusal))
        except ValidationError as error:
            if decision.failure is None:
                raise
            messages.error(request, decision.failure % {"error": " ".join(error.messages)})
        else:
            messages.success(request, decision.success % {"name": self.get_page_title()})
        return redirect(f"{self.url_namespace}:detail", application.pk)

    def get_context_data(self, **kwargs):
        application = self.application
        context = super().get_context_data(**kwargs)
        Status = type(application).Status
        context.update(
            application=application,
            action_urls={
                action: reverse(f"{self.url_namespace}:{action}", args=[application.pk])
                for action in self.decisions
            },
            can_approve=self.workflow.allows(application, Status.APPROVED),
            can_reject=self.workflow.allows(application, Status.REJECTED),
            can_reopen=application.status == Status.REJECTED,
        )
        for action, decision in self.decisions.items():
            if decision.form:
                name = f"{action}_form"
                context[name] = kwargs.get(name) or decision.form(prefix=action)
        return context


# ---------------------------------------------------------------------------
# URLs and menu
# ---------------------------------------------------------------------------
def review_urls(prefix, index_view, detail_view):
    """The queue's admin URLs under `prefix`, namespaced by the detail view's
    url_namespace: the listing, its results (the filters fetch them), an application,
    and one URL per decision ("request_information" at request-information/)."""
    patterns = [
        path("", index_view.as_view(), name="index"),
        path("results/", index_view.as_view(results_only=True), name="index_results"),
        path("<int:pk>/", detail_view.as_view(), name="detail"),
    ] + [
        path(
            f"<int:pk>/{action.replace('_', '-')}/",
            detail_view.as_view(),
            {"action": action},
            name=action,
        )
        for action in detail_view.decisions
    ]
    namespace = detail_view.url_namespace
    return path(prefix, include((patterns, namespace), namespace=namespace))


class CountingMenuItem(MenuItem):
    """A menu item with the number of things waiting, shown to those who handle them.

    `check(user)` says who sees it, `waiting()` counts, `label_with_count` (lazy, with
    %(count)s) replaces the label while something waits."""

    def __init__(self, *args, check, waiting, label_with_count, **kwargs):
        super().__init__(*args, **kwargs)
        self.check, self.waiting, self.label_with_count = check, waiting, label_with_count

    def is_shown(self, request):
        return self.check(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        count = self.waiting()
        if count:
            component.label = self.label_with_count % {"count": count}
        return component
