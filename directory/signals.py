"""Signals the directory sends to the apps above it (it never imports them).

system_notice
    The portal tells users something (an application approved, a specialist request
    accepted, declined, expired…). community.messaging delivers it as a system message
    in the recipients' inbox (the unread count in the header). Keyword arguments:
    `recipients` (users), `subject` and `body` (lazy translatable strings, evaluated
    in each recipient's language), `url` (an absolute path to link to, or "").

specialist_request_accepted
    A specialist accepted an association's request: community.messaging opens the
    conversation between the specialist and the association. Keyword arguments:
    `request` (the SpecialistRequest), `specialist` (a user), `association` (its
    AssociationPage), `members` (the association's users who take part: the requester
    and the association's admins).
"""

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

system_notice = Signal()
specialist_request_accepted = Signal()


def send(signal, sender, **kwargs):
    """Send `signal`; returns what its receivers answered. A receiver failing is
    logged and left out: it must not undo what the sender has done."""
    answers = []
    for receiver, answer in signal.send_robust(sender=sender, **kwargs):
        if isinstance(answer, Exception):
            logger.error("Receiver %r of %s failed", receiver, signal, exc_info=answer)
        else:
            answers.append(answer)
    return answers
