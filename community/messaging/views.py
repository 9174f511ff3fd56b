"""postman's views in our layout, with our rules (see urls.py), and ours: writing
to an association, blocking, reporting, moderation, preferences, live state."""

from django.contrib import messages as flash
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from postman import views as postman_views
from postman.models import STATUS_ACCEPTED, Message

from accounts import roles
from directory.models import AssociationPage
from home.ids import is_id

from . import notifier, rules
from .forms import (
    AssociationWriteForm,
    MessageFullReplyForm,
    MessageQuickReplyForm,
    MessageWriteForm,
    PreferenceForm,
    ReportForm,
)
from .models import Block, Preference, Report

PER_PAGE = 50
AUTO_MODERATORS = [rules.anti_spam]


def cannot_write(request):
    return render(request, "postman/cannot_write.html", status=403)


# ---------------------------------------------------------------------------
# Folders
# ---------------------------------------------------------------------------
class FolderMixin:
    """Paginated in the view, with each message's parties named (constant queries)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_obj = Paginator(context["pm_messages"], PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        rules.annotate_parties(page_obj.object_list, self.request.user)
        # Links built from one reversed prefix each, not one reverse() per message.
        by_thread = reverse("postman:view_conversation", args=[0])[:-2]
        by_pk = reverse("postman:view", args=[0])[:-2]
        by_conversation = context.get("by_conversation")
        for message in page_obj.object_list:
            message.url = (
                f"{by_thread}{message.thread_id}/"
                if by_conversation and message.thread_id
                else f"{by_pk}{message.pk}/"
            )
        context.update(
            {
                "pm_messages": page_obj.object_list,
                "page_obj": page_obj,
                "folder": self.folder_name,
                "can_write": rules.can_write(self.request.user),
                "is_moderator": is_moderator(self.request.user),
            }
        )
        return context


class InboxView(FolderMixin, postman_views.InboxView):
    pass


class SentView(FolderMixin, postman_views.SentView):
    pass


class ArchivesView(FolderMixin, postman_views.ArchivesView):
    pass


class TrashView(FolderMixin, postman_views.TrashView):
    pass


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------
class ComposeRulesMixin:
    user_filter = staticmethod(rules.user_filter)
    exchange_filter = staticmethod(rules.exchange_filter)
    auto_moderators = AUTO_MODERATORS

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_write(request.user):
            return cannot_write(request)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        params = {"auto_moderators": self.auto_moderators}
        if hasattr(self, "parent"):
            params["parent"] = self.parent
        if form.save(**params):
            flash.success(self.request, _("Message sent."))
        else:
            flash.error(
                self.request,
                _("Your message was not delivered: %(reason)s.")
                % {"reason": getattr(form.instance, "spam_reason", "") or _("refused")},
            )
        return redirect(self.get_success_url())


class WriteView(ComposeRulesMixin, postman_views.WriteView):
    form_classes = (MessageWriteForm, MessageWriteForm)

    def get_initial(self):
        initial = {}
        if self.request.method == "GET":
            initial.update(
                (key, value)
                for key, value in self.request.GET.items()
                if key in ("subject", "body")
            )
            self.recipients = []
            ids = [part for part in (self.kwargs.get("recipients") or "").split(":") if is_id(part)]
            if ids:
                self.recipients = list(
                    get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")
                )
                initial["recipients"] = ", ".join(str(user.pk) for user in self.recipients)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["prefilled_recipients"] = getattr(self, "recipients", [])
        return context


class AssociationWriteView(ComposeRulesMixin, postman_views.WriteView):
    """ "Send a message" on an association's profile: it reaches its admins."""

    template_name = "postman/write_association.html"

    def dispatch(self, request, *args, **kwargs):
        page = get_object_or_404(AssociationPage.objects.live(), pk=kwargs.pop("association_id"))
        self.association = page.source_page
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return AssociationWriteForm

    def get_initial(self):
        return {}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["association"] = self.association
        return kwargs

    def get_success_url(self):
        return self.request.GET.get("next") and super().get_success_url() or reverse("postman:sent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["association"] = self.association
        return context


class ReplyView(ComposeRulesMixin, postman_views.ReplyView):
    form_class = MessageFullReplyForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["parent"] = self.parent
        return kwargs


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------
def _deleted_by(user):
    return Q(recipient=user, recipient_deleted_at__isnull=False) | Q(
        sender=user, sender_deleted_at__isnull=False
    )


class DisplayMixin:
    """What a user sees of a message or conversation: their own messages, or the
    whole conversation when they administer the association it is held with.
    What they deleted stays out of sight (shown only when everything is in the
    trash, so that the trash still opens it)."""

    form_class = MessageQuickReplyForm
    template_name = "postman/view.html"

    def thread_id_for(self, kwargs):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        user = request.user
        base, thread_id = self.thread_id_for(kwargs)
        self.link, visible = rules.visible_thread_filter(user, thread_id)
        msgs = Message.objects.select_related("sender", "recipient").filter(base, visible)
        shown = list(msgs.exclude(_deleted_by(user)).order_by("sent_at", "pk"))
        self.in_trash = False
        if not shown:
            shown = list(msgs.order_by("sent_at", "pk"))
            self.in_trash = bool(shown)
        if not shown:
            raise Http404
        self.msgs = shown
        self.filter = base
        if any(m.recipient_id == user.pk and m.read_at is None for m in shown):
            Message.objects.set_read(user, base)
            notifier.push_unread(user)
        return TemplateView.get(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rules.annotate_parties(self.msgs, user)
        received = context.get("reply_to_pk")
        last_received = next((m for m in reversed(self.msgs) if m.pk == received), None)
        can_reply = (
            bool(received)
            and rules.can_write(user)
            and last_received is not None
            and not rules.is_system(last_received.sender)
        )
        if context.get("form") is not None and last_received is not None:
            context["form"] = self.form_class(
                initial=last_received.quote(*self.formatters), parent=last_received
            )
        others = {}
        for m in self.msgs:
            for person in (m.sender, m.recipient):
                if person and person.pk != user.pk and not rules.is_system(person):
                    others[person.pk] = person
        blocked = set(
            Block.objects.filter(blocker=user, blocked_id__in=others).values_list(
                "blocked_id", flat=True
            )
        )
        context.update(
            {
                "can_reply": can_reply,
                "in_trash": self.in_trash,
                "association_link": self.link,
                "thread_id": self.msgs[0].thread_id or self.msgs[0].pk,
                "latest_pk": self.msgs[-1].pk,
                "others": [
                    {"user": person, "blocked": person.pk in blocked} for person in others.values()
                ],
            }
        )
        return context


class MessageView(DisplayMixin, postman_views.MessageView):
    def thread_id_for(self, kwargs):
        pk = kwargs.pop("message_id")
        row = Message.objects.filter(pk=pk).values("thread_id").first()
        if row is None:
            raise Http404
        return Q(pk=pk), row["thread_id"]


class ConversationView(DisplayMixin, postman_views.ConversationView):
    def thread_id_for(self, kwargs):
        thread_id = kwargs.pop("thread_id")
        return Q(thread=thread_id), thread_id


# ---------------------------------------------------------------------------
# Actions on selected messages
# ---------------------------------------------------------------------------
class SafeIdsMixin:
    """Forged ids are a 404, not a database error; the unread count follows."""

    def post(self, request, *args, **kwargs):
        ids = request.POST.getlist("pks") + request.POST.getlist("tpks")
        if not all(is_id(value) for value in ids):
            raise Http404
        response = super().post(request, *args, **kwargs)
        notifier.push_unread(request.user)
        return response


# postman's confirmations, repeated here so that makemessages puts them in our
# catalogues: postman's Arabic catalogue leaves them untranslated.
NOTHING_SELECTED = gettext_noop("Select at least one object.")  # said by postman's post()


class ArchiveView(SafeIdsMixin, postman_views.ArchiveView):
    success_msg = gettext_lazy("Messages or conversations successfully archived.")


class DeleteView(SafeIdsMixin, postman_views.DeleteView):
    success_msg = gettext_lazy("Messages or conversations successfully deleted.")

    def _action(self, user, filter):
        self.field_value = timezone.now()  # postman's is frozen at import time
        return super()._action(user, filter)


class UndeleteView(SafeIdsMixin, postman_views.UndeleteView):
    success_msg = gettext_lazy("Messages or conversations successfully recovered.")


class MarkReadView(SafeIdsMixin, postman_views.MarkReadView):
    success_msg = gettext_lazy("Messages or conversations successfully marked as read.")


class MarkUnreadView(SafeIdsMixin, postman_views.MarkUnreadView):
    success_msg = gettext_lazy("Messages or conversations successfully marked as unread.")


# ---------------------------------------------------------------------------
# Live state (fallback polling), blocks, reports, preferences, moderation
# ---------------------------------------------------------------------------
@never_cache
def live_state(request):
    """{"unread_count", "latest"}: what the page polls when WebSocket is unavailable.
    `latest` is the newest message of `?thread=` the user may see (0 if none)."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "unauthorized"}, status=401)
    data = {"unread_count": notifier.unread_count(request.user)}
    thread = request.GET.get("thread", "")
    if is_id(thread):
        _link, visible = rules.visible_thread_filter(request.user, int(thread))
        latest = (
            Message.objects.filter(Q(thread=thread) | Q(pk=thread), visible)
            .exclude(_deleted_by(request.user))
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        data["latest"] = latest or 0
    return JsonResponse(data)


@login_required
@require_POST
def block(request, user_id):
    person = get_object_or_404(get_user_model(), pk=user_id)
    if person.pk == request.user.pk or rules.is_system(person):
        raise Http404
    if request.POST.get("action") == "unblock":
        Block.objects.filter(blocker=request.user, blocked=person).delete()
        flash.success(request, _("%(name)s can write to you again.") % {"name": person.public_name})
    else:
        Block.objects.get_or_create(blocker=request.user, blocked=person)
        flash.success(
            request,
            _("%(name)s can no longer write to you.") % {"name": person.public_name},
        )
    return redirect(
        postman_views._get_safe_internal_url(request.POST.get("next"))
        or reverse("postman:preferences")
    )


@login_required
@never_cache
def report(request, message_id):
    """A recipient reports a message they received to the moderators."""
    message = get_object_or_404(
        Message.objects.select_related("sender"),
        pk=message_id,
        recipient=request.user,
        moderation_status=STATUS_ACCEPTED,
    )
    if rules.is_system(message.sender):
        raise Http404
    existing = Report.objects.filter(message=message, reporter=request.user).first()
    form = ReportForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        form.instance.message = message
        form.instance.reporter = request.user
        form.instance.status = Report.Status.OPEN
        form.save()
        flash.success(request, _("Thank you: the moderators will look at this message."))
        return redirect(notifier.conversation_url(message))
    return render(request, "postman/report.html", {"form": form, "message": message})


@login_required
@never_cache
def preferences(request):
    preference, _created = Preference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        flash.success(request, _("Your preferences are saved."))
        return redirect("postman:preferences")
    blocks = Block.objects.filter(blocker=request.user).select_related("blocked")
    return render(request, "postman/preferences.html", {"form": form, "blocks": blocks})


def is_moderator(user):
    return user.is_authenticated and (
        user.is_superuser or user.groups.filter(name=roles.MODERATORS).exists()
    )


@method_decorator([login_required, never_cache], name="dispatch")
class ModerationView(TemplateView):
    """The moderators' queue of reported messages."""

    template_name = "postman/moderation.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_moderator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        report_id = request.POST.get("report", "")
        if not is_id(report_id):
            raise Http404
        found = get_object_or_404(Report, pk=report_id, status=Report.Status.OPEN)
        found.status = Report.Status.RESOLVED
        found.resolved_by = request.user
        found.resolved_at = timezone.now()
        found.save()
        if request.POST.get("action") == "reject":
            Message.objects.filter(pk=found.message_id).update(
                moderation_status="r",
                moderation_by=request.user,
                moderation_date=timezone.now(),
                moderation_reason=_("removed by a moderator")[:120],
            )
        flash.success(request, _("The report is resolved."))
        return redirect("postman:moderation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", Report.Status.OPEN)
        if status not in Report.Status.values:
            status = Report.Status.OPEN
        reports = Report.objects.filter(status=status).select_related(
            "message__sender", "message__recipient", "reporter", "resolved_by"
        )
        context["page_obj"] = Paginator(reports, PER_PAGE).get_page(self.request.GET.get("page"))
        context["status"] = status
        return context
