"""What the portal adds to machina's forums.

- ForumOrigin: what a machina forum stands for (a general forum, a field of
  activity, an association) and its name in each language;
- NotificationPreference, ForumSubscription, ForumNotification: following forums
  and topics, and the e-mails sent about new posts (immediately or in a daily digest);
- PostReport: "report this post", the moderators' queue.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ForumOrigin(models.Model):
    """Links a machina forum to what created it, so that it stays in sync."""

    CATEGORY = "category"
    ANNOUNCEMENTS = "announcements"
    HELP = "help"
    FIELD = "field"
    ASSOCIATION = "association"
    KIND_CHOICES = [
        (CATEGORY, _("category")),
        (ANNOUNCEMENTS, _("announcements")),
        (HELP, _("help and questions")),
        (FIELD, _("field of activity")),
        (ASSOCIATION, _("association")),
    ]

    forum = models.OneToOneField(
        "forum.Forum", verbose_name=_("forum"), on_delete=models.CASCADE, related_name="origin"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    # The field's or association's translation_key; the category's own code otherwise.
    key = models.CharField(_("key"), max_length=64)
    names = models.JSONField(_("names"), default=dict, blank=True)
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)

    class Meta:
        verbose_name = _("forum origin")
        verbose_name_plural = _("forum origins")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_forum_per_origin")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.key}"

    @property
    def is_private(self):
        return self.kind == self.ASSOCIATION


class NotificationPreference(models.Model):
    """How often a member wants e-mails about the topics and forums they follow."""

    IMMEDIATELY = "immediately"
    DAILY = "daily"
    NEVER = "never"
    FREQUENCY_CHOICES = [
        (IMMEDIATELY, _("Immediately")),
        (DAILY, _("Once a day (digest)")),
        (NEVER, _("Never")),
    ]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="forum_notification_preference",
    )
    frequency = models.CharField(
        _("forum e-mails"), max_length=20, choices=FREQUENCY_CHOICES, default=IMMEDIATELY
    )
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("forum notification preference")
        verbose_name_plural = _("forum notification preferences")

    def __str__(self):
        return f"{self.user}: {self.frequency}"

    @classmethod
    def frequency_of(cls, user):
        preference = cls.objects.filter(user=user).only("frequency").first()
        return preference.frequency if preference else cls.IMMEDIATELY


class ForumSubscription(models.Model):
    """A member follows every new topic and reply of a forum."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="forum_subscriptions",
    )
    forum = models.ForeignKey(
        "forum.Forum",
        verbose_name=_("forum"),
        on_delete=models.CASCADE,
        related_name="rabita_subscriptions",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("forum subscription")
        verbose_name_plural = _("forum subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "forum"], name="one_subscription_per_forum")
        ]

    def __str__(self):
        return f"{self.user} → {self.forum}"


class ForumNotification(models.Model):
    """A new post someone following its topic or forum is told about (once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="forum_notifications",
    )
    post = models.ForeignKey(
        "forum_conversation.Post",
        verbose_name=_("post"),
        on_delete=models.CASCADE,
        related_name="rabita_notifications",
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("forum notification")
        verbose_name_plural = _("forum notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="one_notification_per_post")
        ]

    def __str__(self):
        return f"{self.user}: {self.post_id}"


class PostReport(models.Model):
    """A member reports a post; moderators of its forum review it."""

    post = models.ForeignKey(
        "forum_conversation.Post",
        verbose_name=_("post"),
        on_delete=models.CASCADE,
        related_name="rabita_reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="forum_reports",
    )
    reason = models.TextField(_("reason"), max_length=1000)
    created = models.DateTimeField(_("reported on"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reported post")
        verbose_name_plural = _("reported posts")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_person")
        ]

    def __str__(self):
        return f"{self.post_id} ({self.reporter_id})"
