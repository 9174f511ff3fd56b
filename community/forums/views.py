"""Our views of the forums, and machina's with the portal's rules added.

machina's topic and post views get the new-account limits and the attachment
checks (limits.py); its search gets the Arabic/French normalisation. The URL
patterns in urls.py put these views at machina's own addresses, so its URL names
(`forum_conversation:topic_create`…) keep working. Our own views: report a post and
the reports queue, follow a forum, forum e-mail preferences, unsubscribe links.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.forms.models import modelformset_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haystack.inputs import AutoQuery
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation import views as conversation
from machina.apps.forum_conversation.forum_attachments.forms import (
    AttachmentForm,
    BaseAttachmentFormset,
)
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_member import views as member
from machina.apps.forum_moderation import views as moderation
from machina.apps.forum_moderation.forms import TopicMoveForm
from machina.apps.forum_search.forms import SearchForm
from machina.apps.forum_search.views import FacetedSearchView
from machina.apps.forum_tracking import views as tracking
from machina.conf import settings as machina_settings

from accounts.models import User
from home.ids import is_id
from home.text import normalize

from . import limits
from .models import ForumSubscription, NotificationPreference, PostReport
from .naming import forum_choices
from .notifications import read_unsubscribe_token


# ---------------------------------------------------------------------------
# machina's posting views with our limits
# ---------------------------------------------------------------------------
class CheckedAttachmentForm(AttachmentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "size") and not getattr(upload, "_committed", False):
            extension = limits.validate_attachment(upload)
            upload.name = limits.safe_attachment_name(upload.name, extension)
        return upload


CheckedAttachmentFormset = modelformset_factory(
    Attachment,
    CheckedAttachmentForm,
    formset=BaseAttachmentFormset,
    can_delete=True,
    extra=1,
    max_num=machina_settings.ATTACHMENT_MAX_FILES_PER_POST,
    validate_max=True,
)


class PostingRulesMixin:
    """New-account limits on creation, checked attachments everywhere."""

    attachment_formset_class = CheckedAttachmentFormset
    starting_topic = False
    creating = False

    def get_post_form(self, form_class):
        """The browser stops at the longest post (a body over Django's upload limit,
        2.5 MB, would otherwise meet a bare "400 Bad Request")."""
        form = super().get_post_form(form_class)
        if "content" in form.fields:
            form.fields["content"].widget.attrs["maxlength"] = limits.POST_MAX_LENGTH
        return form

    def form_valid(self, post_form, attachment_formset, *args, **kwargs):
        content = post_form.cleaned_data.get("content") or ""
        if len(content) > limits.POST_MAX_LENGTH:
            post_form.add_error(
                "content",
                _("This message is too long (%(length)s characters); the limit is %(limit)s.")
                % {"length": len(content), "limit": limits.POST_MAX_LENGTH},
            )
            return self.form_invalid(post_form, attachment_formset, *args, **kwargs)
        if self.creating and not self.preview:
            refusal = limits.new_account_refusal(self.request.user, self.starting_topic)
            if refusal:
                post_form.add_error(None, refusal)
                messages.error(self.request, refusal)
                return self.form_invalid(post_form, attachment_formset, *args, **kwargs)
        return super().form_valid(post_form, attachment_formset, *args, **kwargs)


class TopicCreateView(PostingRulesMixin, conversation.TopicCreateView):
    starting_topic = True
    creating = True


class TopicUpdateView(PostingRulesMixin, conversation.TopicUpdateView):
    pass


class PostCreateView(PostingRulesMixin, conversation.PostCreateView):
    creating = True


class PostUpdateView(PostingRulesMixin, conversation.PostUpdateView):
    pass


# ---------------------------------------------------------------------------
# machina's views that answered 500 to odd ids, or showed Arabic forum names
# ---------------------------------------------------------------------------
class LocalizedTopicMoveForm(TopicMoveForm):
    """machina's form gives the current forum and the categories as dict choices,
    which Django 5 renders as option groups with "label"/"disabled" options (a 500
    when sent back); the names were machina's (Arabic) ones. Here: the forums a
    topic may move to (not its own, no category), named in the active language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        targets = [
            forum
            for forum in self.allowed_forums
            if forum.is_forum and forum.pk != self.topic.forum_id
        ]
        self.targets = {forum.pk: forum for forum in targets}
        self.fields["forum"].widget = forms.Select()
        self.fields["forum"].choices = [
            (pk, name.lstrip("- ")) for pk, name in forum_choices(targets)
        ]

    def clean_forum(self):
        value = self.cleaned_data.get("forum")
        forum = self.targets.get(int(value)) if is_id(str(value)) else None
        if forum is None:
            raise forms.ValidationError(_("Choose one of the forums of the list."))
        return forum


class TopicMoveView(moderation.TopicMoveView):
    form_class = LocalizedTopicMoveForm


class ForumProfileDetailView(member.ForumProfileDetailView):
    """A member's profile; an id that is not a number is a 404, not a 500. Their
    topics are counted where the visitor may read them, like their posts."""

    def get_object(self, queryset=None):
        if not is_id(str(self.kwargs.get("pk", ""))):
            raise Http404
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        readable = self.request.forum_permission_handler.get_readable_forums(
            Forum.objects.all(), self.request.user
        )
        context["topics_count"] = Topic.objects.filter(
            approved=True, poster=self.object.user, forum__in=readable
        ).count()
        return context


class UserPostsView(member.UserPostsView):
    """A member's posts: approved ones only (machina lists those waiting for a
    moderator too), an id that is not a number is a 404."""

    def get_queryset(self):
        if not is_id(str(self.kwargs.get(self.user_pk_url_kwarg, ""))):
            raise Http404
        return super().get_queryset().filter(approved=True)


class MarkTopicsReadView(tracking.MarkTopicsReadView):
    def get_controlled_object(self):
        return get_object_or_404(Forum, pk=self.kwargs["pk"])


# ---------------------------------------------------------------------------
# Search: the query folded like the index (search_indexes.py)
# ---------------------------------------------------------------------------
class ForumSearchForm(SearchForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "search_forums" in self.fields:  # machina's choices carry the Arabic names
            self.fields["search_forums"].choices = forum_choices(self.allowed_forums)

    def clean_q(self):
        return normalize(self.cleaned_data.get("q", ""), max_length=200)

    def clean_search_poster_name(self):
        return (self.cleaned_data.get("search_poster_name") or "").strip()[:80]

    def search(self):
        """machina's search, on our folded fields (search_indexes.py)."""
        if not self.is_valid() or not self.cleaned_data.get("q"):
            return self.no_query_found()
        query = self.cleaned_data["q"]
        sqs = self.searchqueryset
        if self.cleaned_data.get("search_topics"):
            sqs = sqs.filter(topic_keys=AutoQuery(query))
        else:
            sqs = sqs.auto_query(query)
        if self.cleaned_data.get("search_poster_name"):
            sqs = sqs.filter(poster_name__icontains=self.cleaned_data["search_poster_name"])
        allowed = [forum.pk for forum in self.allowed_forums]
        chosen = [
            int(pk) for pk in self.cleaned_data.get("search_forums") or [] if int(pk) in allowed
        ]
        forum_ids = chosen or allowed
        return sqs.filter(forum__in=forum_ids) if forum_ids else sqs.none()


class ForumSearchView(FacetedSearchView):
    pass


# ---------------------------------------------------------------------------
# Reporting posts; the reports queue
# ---------------------------------------------------------------------------
class ReportForm(forms.ModelForm):
    class Meta:
        model = PostReport
        fields = ["reason"]
        labels = {"reason": gettext_lazy("Why should moderators look at this post?")}
        widgets = {"reason": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}


def _readable_post(request, post_id):
    post = get_object_or_404(Post.objects.select_related("topic__forum", "poster"), pk=post_id)
    handler = request.forum_permission_handler
    if not post.approved or not handler.can_read_forum(post.topic.forum, request.user):
        raise Http404
    return post


@login_required
def report_post(request, post_id):
    post = _readable_post(request, post_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if PostReport.objects.filter(post=post, reporter=request.user).exists():
            messages.info(request, _("You have already reported this post."))
        else:
            try:
                with transaction.atomic():
                    PostReport.objects.create(
                        post=post, reporter=request.user, reason=form.cleaned_data["reason"]
                    )
            except IntegrityError:  # a double click: the first report is enough
                pass
            messages.success(request, _("Thank you: the moderators will look at this post."))
        return redirect(topic_url(post))
    return render(request, "machina/forums/report_post.html", {"post": post, "form": form})


def topic_url(post):
    topic = post.topic
    path = reverse(
        "forum_conversation:topic",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum_id,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )
    return f"{path}?post={post.pk}#{post.pk}"


def moderated_forums(request):
    return request.forum_permission_handler.get_moderation_queue_forums(request.user)


@login_required
def reports(request):
    forums = moderated_forums(request)
    if not forums:
        raise PermissionDenied
    if request.method == "POST":
        report = get_object_or_404(
            PostReport, pk=request.POST.get("report"), post__topic__forum__in=forums
        )
        PostReport.objects.filter(post=report.post, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=request.user
        )
        messages.success(request, _("The report is closed."))
        return redirect("forums:reports")
    open_reports = (
        PostReport.objects.filter(resolved_at__isnull=True, post__topic__forum__in=forums)
        .select_related("post__topic__forum", "post__poster", "reporter")
        .order_by("-created")[:200]
    )
    return render(request, "machina/forums/reports.html", {"reports": open_reports})


# ---------------------------------------------------------------------------
# Following forums; e-mail preferences; unsubscribing from an e-mail
# ---------------------------------------------------------------------------
@login_required
@require_POST
def follow_forum(request, forum_id):
    forum = get_object_or_404(Forum, pk=forum_id, type=Forum.FORUM_POST)
    if not request.forum_permission_handler.can_read_forum(forum, request.user):
        raise Http404
    if request.POST.get("action") == "unfollow":
        ForumSubscription.objects.filter(user=request.user, forum=forum).delete()
        messages.success(request, _("You no longer follow this forum."))
    else:
        ForumSubscription.objects.get_or_create(user=request.user, forum=forum)
        messages.success(request, _("You follow this forum: you will be told about new posts."))
    return redirect("forum:forum", slug=forum.slug, pk=forum.pk)


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}
        labels = {"frequency": gettext_lazy("E-mails about the topics and forums I follow")}


@login_required
def preferences(request):
    preference, _created = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your forum e-mail preferences are saved."))
            return redirect("forums:preferences")
    followed = (
        ForumSubscription.objects.filter(user=request.user)
        .select_related("forum")
        .order_by("forum__name")
    )
    topics = request.user.topic_subscriptions.select_related("forum").order_by("-last_post_on")[:50]
    return render(
        request,
        "machina/forums/preferences.html",
        {"form": form, "followed_forums": followed, "followed_topics": topics},
    )


def unsubscribe(request, token):
    """From an e-mail, without logging in: stop a subscription or all forum e-mails."""
    data = read_unsubscribe_token(token)
    if not data:
        raise Http404
    user = get_object_or_404(User, pk=data.get("u"), is_active=True)
    topic = forum = None
    if "t" in data:
        topic = user.topic_subscriptions.filter(pk=data["t"]).select_related("forum").first()
    elif "f" in data:
        subscription = ForumSubscription.objects.filter(user=user, forum_id=data["f"]).first()
        forum = subscription.forum if subscription else None
    done = False
    if request.method == "POST":
        if topic is not None:
            topic.subscribers.remove(user)
        elif forum is not None:
            ForumSubscription.objects.filter(user=user, forum=forum).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, defaults={"frequency": NotificationPreference.NEVER}
            )
        done = True
    return render(
        request,
        "machina/forums/unsubscribe.html",
        {
            "followed_topic": topic,
            "followed_forum": forum,
            "all_emails": "t" not in data and "f" not in data,
            "already": ("t" in data and topic is None) or ("f" in data and forum is None),
            "done": done,
        },
    )
