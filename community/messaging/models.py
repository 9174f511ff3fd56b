"""What postman does not model: the association as a party to a conversation,
blocks between people, reports to moderators and notification preferences."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssociationThread(models.Model):
    """A postman conversation held with an association rather than with one person.

    Every message of the thread (`thread` is postman's root message) is visible to
    the association's current administrators, who may answer on its behalf."""

    thread = models.OneToOneField(
        "postman.Message",
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="association_link",
    )
    association = models.ForeignKey(
        "directory.AssociationPage",
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="message_threads",
        help_text=_("Always the association's page in the default language."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conversation with an association")
        verbose_name_plural = _("conversations with associations")

    def __str__(self):
        return f"{self.association} #{self.thread_id}"


class Block(models.Model):
    """`blocker` receives no message from `blocked` (and cannot write to them)."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked person")
        verbose_name_plural = _("blocked people")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair")
        ]

    def __str__(self):
        return f"{self.blocker} ⊘ {self.blocked}"


class Report(models.Model):
    """A message a recipient reported to the moderators."""

    class Status(models.TextChoices):
        OPEN = "open", _("to review")
        RESOLVED = "resolved", _("resolved")

    message = models.ForeignKey("postman.Message", on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_reports"
    )
    reason = models.TextField(_("why do you report this message?"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reported message")
        verbose_name_plural = _("reported messages")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"], name="one_report_per_message_and_person"
            )
        ]

    def __str__(self):
        return f"#{self.message_id} ({self.get_status_display()})"


class Preference(models.Model):
    """How a person wants to hear about unread messages by e-mail."""

    class Email(models.TextChoices):
        IMMEDIATELY = "immediately", _("at once, for every new message")
        DELAYED = "delayed", _("a summary, when messages stay unread for a while")
        NEVER = "never", _("never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preference"
    )
    email = models.CharField(
        _("e-mail me about unread messages"),
        max_length=12,
        choices=Email.choices,
        default=Email.IMMEDIATELY,
    )
    last_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message preference")
        verbose_name_plural = _("message preferences")

    def __str__(self):
        return f"{self.user}: {self.email}"
