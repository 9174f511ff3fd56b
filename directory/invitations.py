"""Invitations to act for an association, and the e-mails about memberships.

The link carries the invitation's random token signed with a TimestampSigner, so a
link that was altered is refused before the database is asked; the invitation row
decides whether it is still usable (`expires_at`, single use, not withdrawn).

E-mails go out in the recipient's language: their preferred language when they have
an account, otherwise the language the inviter is using.
"""

import logging
import smtplib

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from allauth.account.models import EmailAddress

SALT = "directory.invitation"

logger = logging.getLogger(__name__)


def _deliver(subject, body, recipient):
    """Send one e-mail; a mail server failure is logged, never shown as an error page."""
    try:
        send_mail(subject, body, None, [recipient])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send %r to %s", subject, recipient)
        return False
    return True


class InvalidLink(Exception):
    """The link was altered or is not one of ours."""


def signed_token(invitation):
    return signing.TimestampSigner(salt=SALT).sign(invitation.token)


def token_from_link(value):
    """The invitation token inside a signed link value; InvalidLink when tampered."""
    try:
        return signing.TimestampSigner(salt=SALT).unsign(value)
    except signing.BadSignature as error:
        raise InvalidLink from error


def mask_email(email):
    """'karima.benali@example.org' → 'k***@example.org' (never reveal an address)."""
    local, _sep, domain = (email or "").partition("@")
    if not domain:
        return "***"
    return f"{local[:1]}***@{domain}"


def user_emails(user):
    """Every address the user proved they own, lower-cased (their login e-mail included)."""
    emails = {user.email.lower()}
    emails.update(
        EmailAddress.objects.filter(user=user, verified=True)
        .annotate(lower=Lower("email"))
        .values_list("lower", flat=True)
    )
    return emails


def account_for(email):
    """The user whose login e-mail is `email` (case-insensitive), or None."""
    return get_user_model().objects.filter(email__iexact=email).first()


def recipient_language(user, fallback=None):
    if user is not None and user.preferred_language:
        return user.preferred_language
    return fallback or translation.get_language() or "ar"


def _absolute(request, path):
    return request.build_absolute_uri(path)


def send_invitation(request, invitation):
    """E-mail the invitation link, in the invitee's language. False if it could not be sent."""
    language = recipient_language(account_for(invitation.email), translation.get_language())
    association = invitation.association
    with translation.override(language):
        link = _absolute(
            request, reverse("manage:accept", kwargs={"token": signed_token(invitation)})
        )
        context = {
            "association": association.display_name,
            "inviter": invitation.invited_by.public_name if invitation.invited_by else "",
            "role": invitation.get_role_display(),
            "link": link,
            "expires_at": invitation.expires_at,
        }
        subject = render_to_string("directory/email/invitation_subject.txt", context)
        body = render_to_string("directory/email/invitation_body.txt", context)
    return _deliver(" ".join(subject.split()), body, invitation.email)


def _notify(request, user, compose):
    """Send `compose(association_name)` → (subject, paragraphs) in the user's language."""
    with translation.override(recipient_language(user)):
        subject, paragraphs = compose()
        link = _absolute(request, reverse("manage:list"))
        paragraphs += [_("Your associations: %(link)s") % {"link": link}, _("The Rabita team")]
    return _deliver(subject, "\n\n".join(paragraphs) + "\n", user.email)


def send_removed(request, user, association):
    """Tell someone they no longer act for an association."""

    def compose():
        name = {"association": association.display_name}
        return _("You no longer act for %(association)s") % name, [
            _("Hello,"),
            _(
                "An administrator of %(association)s removed you from the association's "
                "members on Rabita. If you think this is a mistake, contact the association."
            )
            % name,
        ]

    _notify(request, user, compose)


def send_now_admin(request, user, association):
    """Tell someone they became an administrator of an association."""

    def compose():
        name = {"association": association.display_name}
        return _("You are now an administrator of %(association)s") % name, [
            _("Hello,"),
            _(
                "You are now an administrator of %(association)s on Rabita: you can edit "
                "its profile, invite people and manage its members."
            )
            % name,
        ]

    _notify(request, user, compose)
