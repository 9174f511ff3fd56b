"""Requests of associations to specialists: the state machine and its notifications.

    pending ──accept──────────────▶ accepted ──complete──▶ completed ──▶ feedback (once)
       │  ──decline (reason)──────▶ declined
       │  ──propose_dates─▶ dates_proposed ──accept_dates──▶ accepted
       │                        │ ──withdraw──▶ withdrawn
       │  ──withdraw──────────────────────────▶ withdrawn
       └── (7 days without an answer: `expire_specialist_requests`) ──▶ expired
           (dates_proposed expires the same way)

Who acts: the specialist the request is addressed to (accept, decline, propose
dates), the requesting association's members (withdraw, accept the proposed dates,
leave feedback), either side (complete), the system (expire). Every change happens
in a transaction on the locked row and is checked against ACTIONS, so a double click
or both sides at once never apply a transition twice; a refused one raises
TransitionRefused with a message in the active language.

After each change the other side is told: an e-mail in each person's language and
`directory.signals.system_notice` (the in-app inbox). An acceptance also sends
`specialist_request_accepted`, on which community.messaging opens the conversation.
Neither a mail server nor a receiver failing undoes the change (they are logged).
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext

from wagtail.models import Locale

from accounts.models import User

from . import notifications, signals
from .models import Membership
from .review_admin import TransitionRefused
from .specialists import SpecialistFeedback, SpecialistPage, SpecialistRequest

logger = logging.getLogger(__name__)

Status = SpecialistRequest.Status

SPECIALIST = "specialist"
ASSOCIATION = "association"
EITHER = "either"
SYSTEM = "system"

__all__ = ["TransitionRefused", "ACTIONS", "open_request", "transition", "leave_feedback"]


@dataclass(frozen=True)
class Action:
    sources: frozenset
    target: str
    actor: str


ACTIONS = {
    "accept": Action(frozenset({Status.PENDING}), Status.ACCEPTED, SPECIALIST),
    "decline": Action(frozenset({Status.PENDING}), Status.DECLINED, SPECIALIST),
    "propose_dates": Action(frozenset({Status.PENDING}), Status.DATES_PROPOSED, SPECIALIST),
    "accept_dates": Action(frozenset({Status.DATES_PROPOSED}), Status.ACCEPTED, ASSOCIATION),
    "withdraw": Action(
        frozenset({Status.PENDING, Status.DATES_PROPOSED}), Status.WITHDRAWN, ASSOCIATION
    ),
    "complete": Action(frozenset({Status.ACCEPTED}), Status.COMPLETED, EITHER),
    "expire": Action(frozenset({Status.PENDING, Status.DATES_PROPOSED}), Status.EXPIRED, SYSTEM),
}


def _refusal(action, status_label):
    """“This request cannot be accepted: it is declined.” in the active language."""
    messages = {
        "accept": gettext("This request cannot be accepted: it is %(status)s."),
        "decline": gettext("This request cannot be declined: it is %(status)s."),
        "propose_dates": gettext("You cannot propose other dates: the request is %(status)s."),
        "accept_dates": gettext(
            "There are no proposed dates to accept: the request is %(status)s."
        ),
        "withdraw": gettext("This request cannot be withdrawn: it is %(status)s."),
        "complete": gettext("This request cannot be marked completed: it is %(status)s."),
        "expire": gettext("This request cannot expire: it is %(status)s."),
    }
    return messages[action] % {"status": status_label}


def _actor_refusal(actor):
    if actor == SPECIALIST:
        return gettext("Only the specialist this request is addressed to can do this.")
    if actor == ASSOCIATION:
        return gettext("Only the members of the association that sent the request can do this.")
    return gettext("Only the portal does this, when a request is left unanswered.")


# ---------------------------------------------------------------------------
# Who is who
# ---------------------------------------------------------------------------
def is_specialist_of(user, specialist_request):
    return (
        user is not None
        and user.is_authenticated
        and specialist_request.specialist.user_id == user.pk
    )


def is_association_member(user, specialist_request):
    return (
        user is not None
        and user.is_authenticated
        and Membership.objects.filter(
            user=user, association_id=specialist_request.association_id
        ).exists()
    )


def can_see(user, specialist_request):
    """Only the requesting association's members and the addressed specialist."""
    return is_specialist_of(user, specialist_request) or is_association_member(
        user, specialist_request
    )


def visible_requests(user):
    """Every request `user` may see: their associations' and those addressed to them."""
    if not user.is_authenticated:
        return SpecialistRequest.objects.none()
    associations = Membership.objects.filter(user=user).values("association_id")
    return SpecialistRequest.objects.filter(association_id__in=associations) | (
        SpecialistRequest.objects.filter(specialist__user=user)
    )


def association_side(specialist_request):
    """Who hears from the specialist: the requester and the association's admins."""
    people = {}
    if specialist_request.requested_by_id and specialist_request.requested_by.is_active:
        people[specialist_request.requested_by_id] = specialist_request.requested_by
    admins = User.objects.filter(
        is_active=True,
        memberships__association_id=specialist_request.association_id,
        memberships__role=Membership.ADMIN,
    )
    for admin in admins:
        people.setdefault(admin.pk, admin)
    return list(people.values())


def specialist_side(specialist_request):
    user = specialist_request.specialist.user
    return [user] if user is not None and user.is_active else []


# ---------------------------------------------------------------------------
# Opening a request
# ---------------------------------------------------------------------------
def open_request(user, association, specialist, **data):
    """`user` (a member of `association`) asks `specialist` for help.

    `data`: need, field, expected_format, preferred_start, preferred_end, urgency.
    Raises TransitionRefused when they may not, or when an open request between the
    association and the specialist exists already.
    """
    association = association.source_page
    specialist = specialist.source_page
    if not Membership.objects.filter(user=user, association=association).exists():
        raise TransitionRefused(
            gettext("Only the members of an association can send it a request.")
        )
    if specialist.user_id is None or not specialist.live:
        raise TransitionRefused(gettext("This specialist does not take requests at the moment."))
    if specialist.user_id == user.pk:
        raise TransitionRefused(gettext("You cannot send a request to yourself."))
    duplicate = gettext(
        "Your association already has an open request with this specialist: follow it "
        "up rather than sending another one."
    )
    try:
        with transaction.atomic():
            if SpecialistRequest.objects.filter(
                association=association, specialist=specialist, status__in=SpecialistRequest.OPEN
            ).exists():
                raise TransitionRefused(duplicate)
            now = timezone.now()
            created = SpecialistRequest.objects.create(
                association=association,
                specialist=specialist,
                requested_by=user,
                created_at=now,
                waiting_since=now,
                **data,
            )
    except IntegrityError as error:  # sent at the same time from another tab
        raise TransitionRefused(duplicate) from error
    _notify(created, "new", specialist_side(created))
    return created


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------
def _locked(request_id):
    return (
        SpecialistRequest.objects.select_for_update(of=("self",))
        .select_related("specialist", "association", "requested_by")
        .get(pk=request_id)
    )


def _check_actor(action, user, locked):
    if action.actor == SYSTEM:
        if user is not None:
            raise TransitionRefused(_actor_refusal(SYSTEM))
        return SYSTEM
    is_specialist = is_specialist_of(user, locked)
    is_member = is_association_member(user, locked)
    if action.actor == SPECIALIST and is_specialist:
        return SPECIALIST
    if action.actor == ASSOCIATION and is_member:
        return ASSOCIATION
    if action.actor == EITHER and (is_specialist or is_member):
        return SPECIALIST if is_specialist else ASSOCIATION
    raise TransitionRefused(_actor_refusal(action.actor))


def transition(request_id, name, user=None, **details):
    """Apply the action `name` by `user` (None: the system). Returns the request.

    details: `reason` (decline, required), `start`, `end`, `message` (propose_dates,
    start required).
    """
    action = ACTIONS.get(name)
    if action is None:
        raise TransitionRefused(gettext("Unknown action."))
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(request_id)
        side = _check_actor(action, user, locked)
        if locked.status not in action.sources:
            raise TransitionRefused(_refusal(name, locked.get_status_display()))
        if name == "decline":
            reason = (details.get("reason") or "").strip()
            if not reason:
                raise TransitionRefused(gettext("Say why you decline the request."))
            locked.specialist_message = reason
        elif name == "propose_dates":
            start, end = details.get("start"), details.get("end")
            if start is None:
                raise TransitionRefused(gettext("Give the first date you propose."))
            if end is not None and end < start:
                raise TransitionRefused(
                    gettext("The end of the proposed dates is before their start.")
                )
            if start < timezone.localdate():
                raise TransitionRefused(gettext("The proposed dates are in the past."))
            locked.proposed_start, locked.proposed_end = start, end
            locked.specialist_message = (details.get("message") or "").strip()
            locked.waiting_since = now
        elif name == "expire":
            if locked.waiting_since + SpecialistRequest.ANSWER_WITHIN > now:
                raise TransitionRefused(gettext("This request is not overdue yet."))
        if action.target == Status.ACCEPTED:
            locked.accepted_at = now
        if action.target in (Status.COMPLETED, Status.DECLINED, Status.WITHDRAWN, Status.EXPIRED):
            locked.closed_at = now
        locked.status = action.target
        locked.save()
    _after(locked, name, side)
    return locked


def _after(specialist_request, name, side):
    """Tell the other side (e-mail + in-app notice); open the conversation on acceptance."""
    if name == "complete":
        recipients = (
            association_side(specialist_request)
            if side == SPECIALIST
            else specialist_side(specialist_request)
        )
    elif ACTIONS[name].actor == SPECIALIST or name == "expire":
        recipients = association_side(specialist_request)
    else:
        recipients = specialist_side(specialist_request)
    _notify(specialist_request, name, recipients)
    if name == "expire" and specialist_request.specialist.user_id:
        _notify(specialist_request, "expired_specialist", specialist_side(specialist_request))
    if specialist_request.status == Status.ACCEPTED:
        open_conversation(specialist_request)


def open_conversation(specialist_request):
    """Ask the messages to open the conversation of an accepted request; keep its thread."""
    answers = send_signal(
        signals.specialist_request_accepted,
        request=specialist_request,
        specialist=specialist_request.specialist.user,
        association=specialist_request.association,
        members=association_side(specialist_request),
    )
    thread = next((answer for answer in answers if isinstance(answer, int)), None)
    if thread is not None:
        specialist_request.conversation_thread = thread
        SpecialistRequest.objects.filter(pk=specialist_request.pk).update(
            conversation_thread=thread
        )


def expire_overdue(now=None):
    """Expire every request left unanswered for 7 days; returns the expired ones."""
    now = now or timezone.now()
    overdue = SpecialistRequest.objects.filter(
        status__in=SpecialistRequest.WAITING,
        waiting_since__lte=now - SpecialistRequest.ANSWER_WITHIN,
    ).values_list("pk", flat=True)
    expired = []
    for pk in list(overdue):
        try:
            expired.append(transition(pk, "expire"))
        except TransitionRefused:
            continue  # answered meanwhile
    return expired


# ---------------------------------------------------------------------------
# Feedback
# ---------------------------------------------------------------------------
def leave_feedback(request_id, user, rating, comment=""):
    """The association rates a completed request, once; staff moderate it."""
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise TransitionRefused(gettext("Choose a rating from 1 to 5."))
    with transaction.atomic():
        locked = _locked(request_id)
        if not is_association_member(user, locked):
            raise TransitionRefused(_actor_refusal(ASSOCIATION))
        if locked.status != Status.COMPLETED:
            raise TransitionRefused(gettext("Feedback can be left once the request is completed."))
        if SpecialistFeedback.objects.filter(request=locked).exists():
            raise TransitionRefused(gettext("Your association already left its feedback."))
        try:
            feedback = SpecialistFeedback.objects.create(
                request=locked, author=user, rating=rating, comment=comment.strip()
            )
        except IntegrityError as error:
            raise TransitionRefused(
                gettext("Your association already left its feedback.")
            ) from error
    return feedback


def moderate_feedback(feedback_id, moderator, approve):
    with transaction.atomic():
        feedback = SpecialistFeedback.objects.select_for_update().get(pk=feedback_id)
        feedback.status = (
            SpecialistFeedback.Status.APPROVED if approve else SpecialistFeedback.Status.REJECTED
        )
        feedback.moderated_by = moderator
        feedback.moderated_at = timezone.now()
        feedback.save()
    return feedback


# ---------------------------------------------------------------------------
# Notifications
# ---------------------------------------------------------------------------
def _subject_and_body(specialist_request, event):
    """(subject, body) of `event` in the active language."""
    names = {
        "association": specialist_request.association.display_name,
        "specialist": specialist_request.specialist.name,
    }
    texts = {
        "new": (
            gettext("New request from %(association)s"),
            gettext("%(association)s asks for your help. Please answer within 7 days."),
        ),
        "accept": (
            gettext("%(specialist)s accepted your request"),
            gettext(
                "%(specialist)s accepted the request of %(association)s. A conversation "
                "is open in your messages to organise the work."
            ),
        ),
        "decline": (
            gettext("%(specialist)s declined your request"),
            gettext("%(specialist)s cannot help %(association)s this time."),
        ),
        "propose_dates": (
            gettext("%(specialist)s proposes other dates"),
            gettext(
                "%(specialist)s can help %(association)s on other dates. Accept them or "
                "withdraw the request."
            ),
        ),
        "accept_dates": (
            gettext("%(association)s accepted your dates"),
            gettext(
                "%(association)s accepted the dates you proposed. A conversation is open "
                "in your messages."
            ),
        ),
        "withdraw": (
            gettext("%(association)s withdrew its request"),
            gettext("%(association)s no longer needs your help for this request."),
        ),
        "complete": (
            gettext("Request completed"),
            gettext("The request of %(association)s to %(specialist)s is marked completed."),
        ),
        "expire": (
            gettext("Your request expired"),
            gettext(
                "%(specialist)s did not answer the request of %(association)s within 7 "
                "days: it has expired. You may ask another specialist."
            ),
        ),
        "expired_specialist": (
            gettext("A request expired"),
            gettext("The request of %(association)s expired after 7 days without an answer."),
        ),
    }
    subject, body = texts[event]
    return subject % names, body % names


def request_path(specialist_request):
    return reverse("specialists:request", args=[specialist_request.pk])


def _notify(specialist_request, event, recipients):
    for recipient in recipients:
        _email(recipient, specialist_request, event)
        subject = lazy(lambda e=event: _subject_and_body(specialist_request, e)[0], str)()
        body = lazy(lambda e=event: _subject_and_body(specialist_request, e)[1], str)()
        with translation.override(notifications.language_of(recipient)):
            url = request_path(specialist_request)
        send_signal(
            signals.system_notice, recipients=[recipient], subject=subject, body=body, url=url
        )


def _email(user, specialist_request, event):
    def make_context():
        subject, body = _subject_and_body(specialist_request, event)
        with_reason = (
            event in ("decline", "propose_dates") and specialist_request.specialist_message
        )
        return {
            "subject": subject,
            "body": body,
            "details_label": gettext("Message from the specialist:") if with_reason else "",
            "details": specialist_request.specialist_message if with_reason else "",
            "link_label": gettext("The request:"),
            "url": notifications.absolute_url(request_path(specialist_request)),
        }

    return send_email(user, make_context, tag=event)


def send_email(user, make_context, tag=""):
    """E-mail `user` in their language (the pattern of directory.notifications).

    `make_context()` runs with that language active and returns `subject`, `body`
    and optionally `details_label`, `details`, `link_label`, `url` for the template
    directory/specialists/email/notice.txt. True when sent; a failing mail server is
    logged, never raised (the action that triggered the e-mail is already saved)."""
    if not user.email:
        return False
    with translation.override(notifications.language_of(user)):
        context = {"user": user, "site_name": gettext("Rabita"), **make_context()}
        text = render_to_string("directory/specialists/email/notice.txt", context)
    message = EmailMultiAlternatives(
        " ".join(str(context["subject"]).split()), text, to=[user.email]
    )
    try:
        message.send()
    except Exception:  # noqa: BLE001 — the mail server's problem must not undo the action
        logger.exception("Could not send the e-mail %s to user %s", tag, user.pk)
        return False
    return True


def send_signal(signal, **kwargs):
    return signals.send(signal, SpecialistRequest, **kwargs)


def specialist_page_for(user):
    """The user's specialist page in the default locale, or None."""
    if user is None or not user.is_authenticated:
        return None
    return (
        SpecialistPage.objects.filter(user=user, locale=Locale.get_default()).order_by("pk").first()
    )


def clean_dates(start, end):
    """Check preferred dates from a form: not in the past, in order."""
    if start and start < timezone.localdate():
        raise ValidationError(gettext("The dates cannot be in the past."), code="past")
    if start and end and end < start:
        raise ValidationError(gettext("The end date is before the start date."), code="order")
