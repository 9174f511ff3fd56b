"""Receivers of directory/signals.py: system notices and accepted specialist
requests become messages, through the same channel as members' messages (live
event, e-mail per preference)."""

from django.db.models import Min
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from postman.models import STATUS_ACCEPTED, Message

from directory.notifications import absolute_url, language_of
from directory.signals import specialist_request_accepted, system_notice

from . import notifier, rules
from .models import AssociationThread


@receiver(system_notice, dispatch_uid="messaging_system_notice")
def deliver_system_notice(sender, recipients, subject, body, url="", **kwargs):
    """One system message per recipient, written in the recipient's language."""
    system = rules.system_sender()
    for recipient in recipients:
        if recipient is None or not recipient.is_active:
            continue
        with translation.override(language_of(recipient)):
            text = str(body)
            if url:
                text = f"{text}\n\n{absolute_url(url) if url.startswith('/') else url}"
            now = timezone.now()
            # Not postman.api.pm_write: it imports django.contrib.sites, not installed.
            message = Message.objects.create(
                sender=system,
                recipient=recipient,
                subject=str(subject)[: Message.SUBJECT_MAX_LENGTH],
                body=text,
                sent_at=now,
                sender_archived=True,
                sender_deleted_at=now,
                moderation_status=STATUS_ACCEPTED,
                moderation_date=now,
            )
        notifier.send([recipient], "postman_message", {"pm_message": message})


@receiver(specialist_request_accepted, dispatch_uid="messaging_specialist_request_accepted")
def open_specialist_conversation(sender, specialist, association, members, **kwargs):
    """The specialist's first message to the association's people, in one
    conversation linked to the association (its admins answer as the association)."""
    source = getattr(association, "source_page", association)
    now = timezone.now()
    created = []
    for person in {member.pk: member for member in members if member is not None}.values():
        if person.pk == specialist.pk or not person.is_active:
            continue
        with translation.override(language_of(person)):
            subject = _("Request accepted by %(specialist)s") % {
                "specialist": specialist.public_name
            }
            body = _(
                "%(specialist)s accepted the request of %(association)s. "
                "You can write to each other in this conversation."
            ) % {"specialist": specialist.public_name, "association": source.display_name}
        created.append(
            Message(
                sender=specialist,
                recipient=person,
                subject=subject[: Message.SUBJECT_MAX_LENGTH],
                body=body,
                sent_at=now,
                moderation_status=STATUS_ACCEPTED,
                moderation_date=now,
            )
        )
    if not created:
        return None
    for message in created:
        message.save()
    root = min(message.pk for message in created)
    Message.objects.filter(pk__in=[message.pk for message in created]).update(thread_id=root)
    AssociationThread.objects.get_or_create(thread_id=root, defaults={"association": source})
    for message in Message.objects.filter(thread_id=root).select_related("recipient"):
        notifier.send([message.recipient], "postman_message", {"pm_message": message})
    return Message.objects.filter(thread_id=root).aggregate(Min("pk"))["pk__min"]
