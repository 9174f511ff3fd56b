"""E-mails of the directory, each in its recipient's language.

Every message is rendered from `templates/directory/email/<name>_subject.txt` and
`<name>.txt` with the recipient's preferred language active, so that the text and
the links (`/ar/…`, `/fr/…`) are in that language. Sending never breaks the action
that triggered it: a failing mail server is logged, the application is already saved.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts import roles
from accounts.models import User

logger = logging.getLogger(__name__)

REVIEW_PERMISSION = ("directory", "change_membershipapplication")


def absolute_url(path):
    """A link for an e-mail: the site's base address + `path`."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def language_of(user):
    codes = {code for code, _name in settings.LANGUAGES}
    language = getattr(user, "preferred_language", "") or ""
    return language if language in codes else settings.LANGUAGE_CODE


def send(user, template, make_context):
    """Render `template` in `user`'s language and send it to them. True when sent.

    `make_context()` is called with that language active, so that the links it
    reverses carry the recipient's language prefix."""
    with translation.override(language_of(user)):
        # "Rabita" is in the catalogues (رابطة): the site's name in the recipient's language.
        context = {"user": user, "site_name": gettext("Rabita"), **make_context()}
        subject = render_to_string(f"directory/email/{template}_subject.txt", context)
        body = render_to_string(f"directory/email/{template}.txt", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), body, to=[user.email])
    try:
        message.send()
    except Exception:  # noqa: BLE001 — the mail server's problem must not undo the action
        logger.exception("Could not send the e-mail %s to user %s", template, user.pk)
        return False
    return True


def reviewers():
    """Who reviews applications: active communications staff (Editors with admin
    access) and anyone given the review permission; superusers when there is nobody."""
    permission = Permission.objects.filter(
        content_type__app_label=REVIEW_PERMISSION[0], codename=REVIEW_PERMISSION[1]
    ).first()
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    who = Q(groups__name=roles.EDITORS, groups__permissions=access_admin)
    if permission is not None:
        who |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    people = list(User.objects.filter(is_active=True).filter(who).distinct())
    if not people:
        people = list(User.objects.filter(is_active=True, is_superuser=True))
    return people


# ---------------------------------------------------------------------------
# Applications to join the network
# ---------------------------------------------------------------------------
def applications_url(application):
    return absolute_url(reverse("join:application", args=[application.pk]))


def review_url(application):
    return absolute_url(reverse("join_applications:detail", args=[application.pk]))


def profile_url(page):
    """The association's profile in the active language (its alias or translation)."""
    localized = page.get_translations(inclusive=True).filter(
        locale__language_code=translation.get_language()
    )
    target = localized.first() or page
    return absolute_url(target.get_url() or "")


def manage_url(page):
    """The association's management page. `manage:members` belongs to another part of
    the directory: its arguments are tried in turn so that a change there never
    breaks the approval e-mail (no link rather than an error)."""
    for kwargs in ({"pk": page.pk}, {"slug": page.slug}, {"page_id": page.pk}, {}):
        try:
            return absolute_url(reverse("manage:members", kwargs=kwargs))
        except NoReverseMatch:
            continue
    return ""


def application_received(application, new_account=False):
    """To the applicant: we received the application, and what happens next."""
    return send(
        application.applicant,
        "application_received",
        lambda: {
            "application": application,
            "new_account": new_account,
            "applications_url": applications_url(application),
        },
    )


def application_to_review(application, answered=False, note=""):
    """To every reviewer: a new application, or an applicant's answer to a question."""
    sent = 0
    for reviewer in reviewers():
        sent += send(
            reviewer,
            "application_to_review",
            lambda: {
                "application": application,
                "answered": answered,
                "note": note,
                "review_url": review_url(application),
            },
        )
    return sent


def application_approved(application):
    """To the applicant: welcome; links to the profile and to the management page."""
    page = application.association
    return send(
        application.applicant,
        "application_approved",
        lambda: {
            "application": application,
            "profile_url": profile_url(page),
            "manage_url": manage_url(page),
        },
    )


def _to_applicant(application, template):
    return send(
        application.applicant,
        template,
        lambda: {"application": application, "applications_url": applications_url(application)},
    )


def application_rejected(application):
    """To the applicant: the application is refused, with the reviewer's reason."""
    return _to_applicant(application, "application_rejected")


def application_info_requested(application):
    """To the applicant: staff need more information; where to answer."""
    return _to_applicant(application, "application_info_requested")


def application_reopened(application):
    """To the applicant: a refused application is being reviewed again."""
    return _to_applicant(application, "application_reopened")
