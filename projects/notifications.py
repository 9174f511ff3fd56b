"""E-mails of projects/, in each recipient's language (like directory/notifications.py)."""

import logging

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from directory import signals
from directory.notifications import absolute_url, language_of

from .models import Registration

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


CHANGES = {
    "activity_cancelled": gettext_lazy("%(association)s cancelled “%(title)s”."),
    "activity_restored": gettext_lazy(
        "%(association)s restored “%(title)s”: your registrations stand."
    ),
    "date_cancelled": gettext_lazy("%(association)s cancelled “%(title)s” on %(date)s."),
    "date_restored": gettext_lazy(
        "%(association)s restored “%(title)s” on %(date)s: your registration stands."
    ),
    "date_moved": gettext_lazy(
        "%(association)s moved “%(title)s” from %(date)s to %(new_date)s (Morocco time). "
        "Your registration stands; withdraw on the activity's page if you cannot come."
    ),
    "members_only": gettext_lazy(
        "“%(title)s” is now for the members of %(association)s only: your registration "
        "is withdrawn."
    ),
}


def tell_registered(activity, registrations, change, date=None, new_date=None):
    """Tell each person registered to `activity` (or waiting) that a date or the
    activity changed: a message from the portal in their inbox, e-mailed per their
    preference (directory.signals.system_notice), written in their language."""

    def names():  # read when the message is written, in the recipient's language
        return {
            "association": activity.association.display_name,
            "title": activity.title,
            "date": _when(date),
            "new_date": _when(new_date),
        }

    subject = lazy(lambda: gettext("Change to “%(title)s”") % names(), str)()
    body = lazy(lambda: str(CHANGES[change]) % names(), str)()
    people = {registration.user_id: registration.user for registration in registrations}
    for person in people.values():
        with translation.override(language_of(person)):
            url = activity.get_absolute_url() if change != "members_only" else ""
        signals.send(
            signals.system_notice,
            Registration,
            recipients=[person],
            subject=subject,
            body=body,
            url=url,
        )


def _when(moment):
    if moment is None:
        return ""
    return date_format(timezone.localtime(moment), "l j F Y, H:i")  # as in the reminder
