"""The request state machine (directory/requests.py): every valid and invalid
transition, who may take it, duplicates, feedback, notifications and signals."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone, translation

import pytest

from accounts.models import User
from directory import requests as workflow
from directory import signals
from directory.requests import ACTIONS, TransitionRefused
from directory.specialists import SpecialistFeedback, SpecialistRequest

from .test_specialist_helpers import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

Status = SpecialistRequest.Status
ALL_STATUSES = list(Status.values)


def actor_for(action, people):
    """Someone allowed to take `action` (None for the system)."""
    actor = ACTIONS[action].actor
    if actor == workflow.SYSTEM:
        return None
    if actor == workflow.ASSOCIATION:
        return people["member"]
    return people["specialist"]


@pytest.fixture
def captured():
    """The signals sent during a test: {"notices": [...], "accepted": [...]}."""
    seen = {"notices": [], "accepted": []}

    def on_notice(sender, **kwargs):
        seen["notices"].append(kwargs)

    def on_accepted(sender, **kwargs):
        seen["accepted"].append(kwargs)

    signals.system_notice.connect(on_notice, weak=False)
    signals.specialist_request_accepted.connect(on_accepted, weak=False)
    yield seen
    signals.system_notice.disconnect(on_notice)
    signals.specialist_request_accepted.disconnect(on_accepted)


VALID = [
    (source, action)
    for action, spec in ACTIONS.items()
    for source in sorted(spec.sources)
    if action != "expire"
]
INVALID = [
    (source, action)
    for action, spec in ACTIONS.items()
    for source in ALL_STATUSES
    if source not in spec.sources
]


@pytest.mark.parametrize(("source", "action"), VALID, ids=[f"{s}-{a}" for s, a in VALID])
def test_every_valid_transition(source, action, people, make_request, captured):
    item = make_request(source)
    details = {}
    if action == "decline":
        details["reason"] = "Not my field."
    if action == "propose_dates":
        details["start"] = timezone.localdate() + timedelta(days=20)
    done = workflow.transition(item.pk, action, actor_for(action, people), **details)
    item.refresh_from_db()
    assert item.status == ACTIONS[action].target == done.status
    assert captured["notices"], "the other side is told in the app"
    assert mail.outbox, "and by e-mail"


@pytest.mark.parametrize(("source", "action"), INVALID, ids=[f"{s}-{a}" for s, a in INVALID])
def test_every_invalid_transition_is_refused(source, action, people, make_request, captured):
    item = make_request(source, waiting_since=timezone.now() - timedelta(days=30))
    with pytest.raises(TransitionRefused):
        workflow.transition(
            item.pk, action, actor_for(action, people), reason="x", start=timezone.localdate()
        )
    item.refresh_from_db()
    assert item.status == source
    assert not captured["notices"] and not mail.outbox


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_status_is_not_named_like_a_date(language):
    """Alone, "accepted" and "withdrawn" are the dates of an invitation in the
    catalogues ("acceptée le", "تاريخ السحب"): a request's state must not read so."""
    with translation.override(language):
        dates = {translation.gettext("accepted"), translation.gettext("withdrawn")}
        labels = {str(label) for label in Status.labels}
    assert not labels & dates


def test_refusal_is_localised(people, make_request):
    item = make_request(Status.DECLINED)
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        workflow.transition(item.pk, "accept", people["specialist"])
    assert str(refused.value) == "This request cannot be accepted: it is declined."
    with translation.override("fr"), pytest.raises(TransitionRefused) as refused_fr:
        workflow.transition(item.pk, "accept", people["specialist"])
    assert str(refused_fr.value)  # the French catalogue gives its own text once merged


@pytest.mark.parametrize(
    ("action", "role"),
    [
        ("accept", "member"),
        ("accept", "admin"),
        ("accept", "other_member"),
        ("accept", "staff"),
        ("decline", "admin"),
        ("propose_dates", "member"),
        ("withdraw", "specialist"),
        ("withdraw", "other_member"),
        ("complete", "other_member"),
        ("complete", "moderator"),
    ],
    ids=lambda value: value,
)
def test_wrong_side_is_refused(action, role, people, make_request):
    source = {"withdraw": Status.PENDING, "complete": Status.ACCEPTED}.get(action, Status.PENDING)
    item = make_request(source)
    with pytest.raises(TransitionRefused):
        workflow.transition(item.pk, action, people[role], reason="x", start=timezone.localdate())
    item.refresh_from_db()
    assert item.status == source


def test_accept_dates_by_association_then_specialist_cannot(people, make_request):
    item = make_request(Status.DATES_PROPOSED, proposed_start=timezone.localdate())
    with pytest.raises(TransitionRefused):
        workflow.transition(item.pk, "accept_dates", people["specialist"])
    workflow.transition(item.pk, "accept_dates", people["admin"])
    assert SpecialistRequest.objects.get(pk=item.pk).status == Status.ACCEPTED


def test_system_only_expires(people, make_request):
    item = make_request(waiting_since=timezone.now() - timedelta(days=8))
    with pytest.raises(TransitionRefused):
        workflow.transition(item.pk, "expire", people["specialist"])
    workflow.transition(item.pk, "expire")
    assert SpecialistRequest.objects.get(pk=item.pk).status == Status.EXPIRED


def test_not_overdue_does_not_expire(make_request):
    item = make_request(waiting_since=timezone.now() - timedelta(days=6))
    with pytest.raises(TransitionRefused):
        workflow.transition(item.pk, "expire")


def test_decline_needs_a_reason(people, make_request):
    item = make_request()
    with pytest.raises(TransitionRefused):
        workflow.transition(item.pk, "decline", people["specialist"], reason="  ")
    workflow.transition(item.pk, "decline", people["specialist"], reason="Fully booked.")
    item.refresh_from_db()
    assert item.specialist_message == "Fully booked."


@pytest.mark.parametrize(
    ("start", "end"),
    [(None, None), (-1, None), (10, 5)],
    ids=["no-start", "past", "reversed"],
)
def test_proposed_dates_are_checked(start, end, people, make_request):
    item = make_request()
    today = timezone.localdate()
    with pytest.raises(TransitionRefused):
        workflow.transition(
            item.pk,
            "propose_dates",
            people["specialist"],
            start=None if start is None else today + timedelta(days=start),
            end=None if end is None else today + timedelta(days=end),
        )


def test_proposing_dates_restarts_the_clock(people, make_request):
    item = make_request(waiting_since=timezone.now() - timedelta(days=6))
    workflow.transition(
        item.pk,
        "propose_dates",
        people["specialist"],
        start=timezone.localdate() + timedelta(days=3),
        message="After the holidays",
    )
    item.refresh_from_db()
    assert item.status == Status.DATES_PROPOSED
    assert timezone.now() - item.waiting_since < timedelta(minutes=1)
    assert item.specialist_message == "After the holidays"


def test_unknown_action_is_refused(people, make_request):
    with pytest.raises(TransitionRefused):
        workflow.transition(make_request().pk, "teleport", people["specialist"])


# ---------------------------------------------------------------------------
# Opening
# ---------------------------------------------------------------------------
def request_data():
    return {
        "need": "Our treasurer left.",
        "field": None,
        "expected_format": SpecialistRequest.Format.ADVICE,
        "preferred_start": timezone.localdate() + timedelta(days=5),
        "preferred_end": None,
        "urgency": SpecialistRequest.Urgency.HIGH,
    }


def test_member_opens_a_request_and_the_specialist_is_told(
    people, heure_joyeuse, specialist_page, captured
):
    created = workflow.open_request(
        people["member"], heure_joyeuse, specialist_page, **request_data()
    )
    assert created.status == Status.PENDING
    assert created.association_id == heure_joyeuse.pk
    assert [m.to for m in mail.outbox] == [[people["specialist"].email]]
    assert captured["notices"][0]["recipients"] == [people["specialist"]]
    assert captured["notices"][0]["url"] == f"/ar/specialists/requests/{created.pk}/"


def test_a_request_from_a_translated_profile_points_to_the_sources(
    people, heure_joyeuse, specialist_page
):
    alias = specialist_page.get_translation(
        specialist_page.locale.__class__.objects.get(language_code="fr")
    )
    association_alias = heure_joyeuse.get_translation(alias.locale)
    created = workflow.open_request(people["admin"], association_alias, alias, **request_data())
    assert created.specialist_id == specialist_page.pk
    assert created.association_id == heure_joyeuse.pk


@pytest.mark.parametrize("status", list(SpecialistRequest.OPEN), ids=str)
def test_duplicate_open_request_is_refused(status, people, heure_joyeuse, make_request):
    existing = make_request(status)
    with pytest.raises(TransitionRefused):
        workflow.open_request(people["admin"], heure_joyeuse, existing.specialist, **request_data())
    assert SpecialistRequest.objects.filter(specialist=existing.specialist).count() == 1


@pytest.mark.parametrize(
    "status", [Status.DECLINED, Status.COMPLETED, Status.EXPIRED, Status.WITHDRAWN], ids=str
)
def test_a_closed_request_does_not_block_a_new_one(status, people, heure_joyeuse, make_request):
    existing = make_request(status)
    workflow.open_request(people["admin"], heure_joyeuse, existing.specialist, **request_data())
    assert SpecialistRequest.objects.filter(specialist=existing.specialist).count() == 2


@pytest.mark.parametrize("role", ["other_member", "specialist", "moderator", "staff"])
def test_only_members_of_the_association_open_requests(
    role, people, heure_joyeuse, specialist_page
):
    with pytest.raises(TransitionRefused):
        workflow.open_request(people[role], heure_joyeuse, specialist_page, **request_data())


def test_no_request_to_a_specialist_without_account(people, heure_joyeuse, specialist_page):
    specialist_page.user = None
    specialist_page.save()
    with pytest.raises(TransitionRefused):
        workflow.open_request(people["member"], heure_joyeuse, specialist_page, **request_data())


# ---------------------------------------------------------------------------
# Notifications and the conversation
# ---------------------------------------------------------------------------
def test_acceptance_opens_the_conversation(people, make_request, captured):
    item = make_request(by=people["member"])
    workflow.transition(item.pk, "accept", people["specialist"])
    [accepted] = captured["accepted"]
    assert accepted["request"].pk == item.pk
    assert accepted["specialist"] == people["specialist"]
    assert accepted["association"].pk == item.association_id
    # the requester and the association's administrators take part (the demo admin too)
    admins = set(
        User.objects.filter(memberships__association=item.association, memberships__role="admin")
    )
    assert people["admin"] in admins
    assert set(accepted["members"]) == {people["member"], *admins}


def test_specialist_actions_notify_the_association_side(people, make_request, captured):
    item = make_request(by=people["member"])
    workflow.transition(item.pk, "decline", people["specialist"], reason="Booked")
    recipients = {notice["recipients"][0] for notice in captured["notices"]}
    admins = set(
        User.objects.filter(memberships__association=item.association, memberships__role="admin")
    )
    assert recipients == {people["member"], *admins}
    assert {m.to[0] for m in mail.outbox} == {user.email for user in recipients}
    assert all("Booked" in m.body for m in mail.outbox)


def test_association_actions_notify_the_specialist(people, make_request, captured):
    item = make_request()
    workflow.transition(item.pk, "withdraw", people["admin"])
    assert [n["recipients"] for n in captured["notices"]] == [[people["specialist"]]]


def test_emails_are_in_the_recipients_language(people, make_request):
    people["specialist"].preferred_language = "en"
    people["specialist"].save()
    item = make_request()
    workflow.transition(item.pk, "withdraw", people["admin"])
    [message] = mail.outbox
    assert "withdrew its request" in message.subject
    assert f"/en/specialists/requests/{item.pk}/" in message.body


def test_notice_texts_are_evaluated_in_each_language(people, make_request, captured):
    item = make_request()
    workflow.transition(item.pk, "accept", people["specialist"])
    subject = captured["notices"][0]["subject"]
    with translation.override("en"):
        assert "accepted your request" in str(subject)


def test_a_failing_receiver_does_not_undo_the_acceptance(people, make_request):
    def broken(sender, **kwargs):
        raise RuntimeError("messaging is down")

    signals.specialist_request_accepted.connect(broken, weak=False)
    try:
        item = make_request()
        workflow.transition(item.pk, "accept", people["specialist"])
    finally:
        signals.specialist_request_accepted.disconnect(broken)
    assert SpecialistRequest.objects.get(pk=item.pk).status == Status.ACCEPTED


# ---------------------------------------------------------------------------
# Feedback
# ---------------------------------------------------------------------------
def test_feedback_once_after_completion(people, make_request):
    item = make_request(Status.COMPLETED)
    feedback = workflow.leave_feedback(item.pk, people["member"], 4, "Very helpful")
    assert feedback.status == SpecialistFeedback.Status.PENDING
    with pytest.raises(TransitionRefused):
        workflow.leave_feedback(item.pk, people["admin"], 5, "Again")
    assert SpecialistFeedback.objects.filter(request=item).count() == 1


@pytest.mark.parametrize("status", [s for s in ALL_STATUSES if s != Status.COMPLETED], ids=str)
def test_no_feedback_before_completion(status, people, make_request):
    item = make_request(status)
    with pytest.raises(TransitionRefused):
        workflow.leave_feedback(item.pk, people["member"], 5)


@pytest.mark.parametrize("role", ["specialist", "other_member", "staff"])
def test_only_the_association_leaves_feedback(role, people, make_request):
    item = make_request(Status.COMPLETED)
    with pytest.raises(TransitionRefused):
        workflow.leave_feedback(item.pk, people[role], 5)


@pytest.mark.parametrize("rating", [0, 6, "5", None])
def test_rating_is_1_to_5(rating, people, make_request):
    item = make_request(Status.COMPLETED)
    with pytest.raises(TransitionRefused):
        workflow.leave_feedback(item.pk, people["member"], rating)


# ---------------------------------------------------------------------------
# Visibility
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("anonymous", False),
        ("other_member", False),
        ("member", True),
        ("admin", True),
        ("specialist", True),
        ("moderator", False),
        ("staff", False),
    ],
)
def test_who_sees_a_request(role, sees, people, make_request):
    from django.contrib.auth.models import AnonymousUser

    item = make_request()
    user = people[role] or AnonymousUser()
    assert workflow.can_see(user, item) is sees
    assert workflow.visible_requests(user).filter(pk=item.pk).exists() is sees
