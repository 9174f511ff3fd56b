"""E-mails of projects/, in each recipient's language (like directory/notifications.py)."""

import logging

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from directory.notifications import absolute_url, language_of

logger = logging.getLogger(__name__)


def send_reminder(registration, starts):
    """The day-before reminder of one registration. True when sent."""
    user, activity = registration.user, registration.activity
    with translation.override(language_of(user)):
        context = {
            "user": user,
            "site_name": gettext("Rabita"),
            "activity": activity,
            "start": timezone.localtime(starts),
            "url": absolute_url(activity.get_absolute_url()),
        }
        subject = render_to_string("projects/email/activity_reminder_subject.txt", context)
        body = render_to_string("projects/email/activity_reminder.txt", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), body, to=[user.email])
    try:
        message.send()
    except Exception:  # noqa: BLE001 — a mail server problem must not stop the other reminders
        logger.exception("Could not send the reminder of registration %s", registration.pk)
        return False
    return True
