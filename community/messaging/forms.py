"""postman's forms with our limits: required, bounded bodies; recipients named by
their number (never their e-mail address); replies in a conversation held with an
association reach all its admins."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from postman.fields import CommaSeparatedUserField
from postman.forms import BaseWriteForm, FullReplyForm, QuickReplyForm, WriteForm
from postman.models import Message

from home.ids import is_id

from . import rules
from .models import AssociationThread, Preference, Report

BODY_MAX_LENGTH = 5000


class RecipientField(CommaSeparatedUserField):
    """Recipients by account number (POSTMAN_NAME_USER_AS = "pk"): anything else is
    an unknown recipient, not a database error."""

    default_error_messages = {
        **CommaSeparatedUserField.default_error_messages,
        # postman names people by their account number here: say why, not who.
        "unknown": _("Unknown recipient, or an account that is no longer active."),
        # One recipient per message (POSTMAN_DISALLOW_MULTIRECIPIENTS); postman's
        # own wording is untranslated in Arabic.
        "max": _("Write to one person at a time."),
        "filtered": _("This person cannot receive your message: {users}."),
        "filtered_user": _("refused"),
        "filtered_user_with_reason": "{reason}",
    }

    def to_python(self, value):
        names = super().to_python(value)
        if not all(is_id(name) for name in names):
            raise forms.ValidationError(_("Unknown recipient."), code="unknown")
        return names


class BoundedBodyMixin:
    """A message says something, within reason."""

    def _tune_fields(self):
        body = self.fields["body"]
        body.required = True
        body.max_length = BODY_MAX_LENGTH
        body.validators.append(MaxLengthValidator(BODY_MAX_LENGTH))
        body.widget.attrs.update({"maxlength": BODY_MAX_LENGTH, "rows": 8, "cols": 60})
        body.error_messages["required"] = _("Write your message.")
        if "subject" in self.fields:
            self.fields["subject"].error_messages["required"] = _("Give your message a subject.")


FILTER_ERRORS = {
    **BaseWriteForm.error_messages,
    "filtered": _("This person cannot receive your message: {users}."),
    "filtered_user": _("refused"),
    "filtered_user_with_reason": "{reason}",
}


class MessageWriteForm(BoundedBodyMixin, WriteForm):
    recipients = RecipientField(label=_("Recipient"), help_text="")
    error_messages = FILTER_ERRORS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tune_fields()


class _ReplyMixin(BoundedBodyMixin):
    """In a conversation held with an association, a reply from someone outside it
    goes to every admin of the association (the party), not only to the one who
    answered last."""

    def clean(self):
        cleaned = super().clean()
        parent = getattr(self, "parent", None)
        sender = self.instance.sender
        link = rules.link_for_thread(parent.thread_id or parent.pk) if parent else None
        if link and sender and not rules.is_association_admin(sender, link.association_id):
            copies = [
                admin
                for admin in rules.association_admins(link.association)
                if admin.pk not in (sender.pk, getattr(self.recipient, "pk", None))
                and rules.exchange_filter(sender, admin, None) is None
            ]
            cleaned["recipients"] = copies
        return cleaned


class MessageFullReplyForm(_ReplyMixin, FullReplyForm):
    error_messages = FILTER_ERRORS

    def __init__(self, *args, **kwargs):
        self.parent = kwargs.pop("parent", None)
        super().__init__(*args, **kwargs)
        self._tune_fields()


class MessageQuickReplyForm(_ReplyMixin, QuickReplyForm):
    error_messages = FILTER_ERRORS

    def __init__(self, *args, **kwargs):
        self.parent = kwargs.pop("parent", None)
        super().__init__(*args, **kwargs)
        self._tune_fields()


class AssociationWriteForm(BoundedBodyMixin, BaseWriteForm):
    """A message to an association: one copy per admin, in one conversation linked
    to the association."""

    class Meta(BaseWriteForm.Meta):
        fields = ("subject", "body")

    def __init__(self, *args, association=None, **kwargs):
        self.association = association
        super().__init__(*args, **kwargs)
        self._tune_fields()

    def clean(self):
        cleaned = super().clean()
        sender = self.instance.sender
        admins = rules.association_admins(self.association)
        if sender is not None and any(admin.pk == sender.pk for admin in admins):
            raise forms.ValidationError(
                _("You administer this association: you cannot write to it.")
            )
        reasons = []
        recipients = []
        for admin in admins:
            reason = rules.exchange_filter(sender, admin, admins)
            if reason is None:
                recipients.append(admin)
            else:
                reasons.append(reason)
        if not recipients:
            raise forms.ValidationError(
                _("This association cannot receive your message: %(reason)s.")
                % {"reason": reasons[0] if reasons else _("it has no administrator")}
            )
        cleaned["recipients"] = recipients
        return cleaned

    def save(self, *args, **kwargs):
        # One transaction: the copies are linked to their conversation before the
        # notifier (on commit) tells the admins and links to it in e-mails.
        with transaction.atomic():
            self.instance.thread_pending = True
            return self._save_linked(*args, **kwargs)

    def _save_linked(self, *args, **kwargs):
        successful = super().save(*args, **kwargs)
        sent = Message.objects.filter(
            sender=self.instance.sender,
            sent_at=self.instance.sent_at,
            subject=self.instance.subject,
            thread__isnull=True,
        )
        root_pk = sent.aggregate(root=Min("pk"))["root"]
        if root_pk is not None:
            sent.update(thread_id=root_pk)
            AssociationThread.objects.get_or_create(
                thread_id=root_pk, defaults={"association": self.association}
            )
            self.root_pk = root_pk
        return successful


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _(
            "Tell the moderators what is wrong with this message."
        )


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email"]
        widgets = {"email": forms.RadioSelect}
