"""E-mail a summary of unread messages to people who chose delayed e-mails.

Run it every few minutes (cron, a scheduler): a message counts once it has stayed
unread for MESSAGING_NOTIFICATION_DELAY minutes; each person gets at most one
e-mail per run, about messages received since their last e-mail."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from postman.models import STATUS_ACCEPTED, Message

from community.messaging import notifier
from community.messaging.models import Preference


class Command(BaseCommand):
    help = "E-mail people who chose delayed notifications about their unread messages."

    def handle(self, *args, **options):
        delay = getattr(settings, "MESSAGING_NOTIFICATION_DELAY", 15)
        cutoff = timezone.now() - timedelta(minutes=delay)
        sent = 0
        preferences = Preference.objects.filter(email=Preference.Email.DELAYED).select_related(
            "user"
        )
        for preference in preferences:
            unread = Message.objects.filter(
                recipient=preference.user,
                moderation_status=STATUS_ACCEPTED,
                read_at__isnull=True,
                recipient_deleted_at__isnull=True,
                sent_at__lte=cutoff,
            ).select_related("sender")
            if preference.last_notified_at:
                unread = unread.filter(Q(sent_at__gt=preference.last_notified_at))
            unread = list(unread.order_by("sent_at")[:20])
            if unread and notifier.email_unread(preference.user, unread, remember=True):
                sent += 1
        self.stdout.write(f"{sent} e-mail(s) sent.")
