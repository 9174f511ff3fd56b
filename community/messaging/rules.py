"""Who writes to whom, anti-spam, and the association as a party.

The functions below are postman's view arguments (`user_filter`, `exchange_filter`,
`auto_moderators`, see community/messaging/urls.py): each returns None when the
exchange is fine, or a localised reason that postman shows next to the name.
"""

import functools
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from postman.models import STATUS_ACCEPTED, Message

from accounts import roles
from directory.models import Membership

from .models import AssociationThread, Block

SYSTEM_SENDER_EMAIL = "messages@rabita.invalid"
# Roles that may write: members and admins act through a Membership.
WRITER_ROLES = (roles.SPECIALISTS, roles.EDITORS, roles.MODERATORS)
LINK = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|org|net|ma|fr|info|xyz|ru)\b)", re.I)


def new_account_days():
    return getattr(settings, "MESSAGING_NEW_ACCOUNT_DAYS", 7)


def hourly_limit(user):
    if is_new_account(user):
        return getattr(settings, "MESSAGING_NEW_ACCOUNT_HOURLY_LIMIT", 10)
    return getattr(settings, "MESSAGING_HOURLY_LIMIT", 60)


def system_sender():
    """The account system messages come from: inactive, so that nobody can log in
    with it and nobody can write to it."""
    user, _created = get_user_model().objects.get_or_create(
        email=SYSTEM_SENDER_EMAIL,
        defaults={"display_name": "Rabita", "is_active": False},
    )
    return user


def is_system(user):
    return user is not None and user.email == SYSTEM_SENDER_EMAIL


def can_write(user):
    """Signed-in members of associations, association admins, specialists and staff."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, "_rabita_can_write", None)
    if cached is None:
        load_profile(user)
        cached = user._rabita_can_write
    return cached


def load_profile(user):
    """What messaging needs to know about a person: whether they take part (a
    membership or a writer role) and how they want e-mails about new messages.
    Kept on the user object for the rest of the request: sending asks about the
    recipient twice (postman's filters, then the notifier)."""
    from .models import Preference

    row = _fetch_one(_profile_sql(), [user.pk, user.pk, *WRITER_ROLES, user.pk])
    has_membership, has_role, email = row or (False, False, None)
    user._rabita_can_write = bool(has_membership or has_role)
    user._rabita_email_preference = email or Preference.Email.IMMEDIATELY
    return user


# The checks below run for every message sent, under the ASGI server where the
# views of one process share one interpreter lock: building these queries with the
# ORM took 0.7-2.5 ms each, the SQL itself under 0.1 ms (bench/messages_live.py,
# burst of 50 messages). Names come from the models' metadata.
def _fetch_one(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@functools.cache
def _profile_sql():
    from django.contrib.auth.models import Group

    from .models import Preference

    quote = connection.ops.quote_name
    user_groups = get_user_model().groups.through._meta
    membership = Membership._meta
    preference = Preference._meta
    roles_placeholders = ", ".join(["%s"] * len(WRITER_ROLES))
    return (
        f"SELECT EXISTS(SELECT 1 FROM {quote(membership.db_table)}"
        f" WHERE {quote(membership.get_field('user').column)} = %s),"
        f" EXISTS(SELECT 1 FROM {quote(user_groups.db_table)} ug"
        f" INNER JOIN {quote(Group._meta.db_table)} g"
        f" ON g.{quote('id')} = ug.{quote(user_groups.get_field('group').column)}"
        f" WHERE ug.{quote(user_groups.get_field('user').column)} = %s"
        f" AND g.{quote('name')} IN ({roles_placeholders})),"
        f" (SELECT {quote(preference.get_field('email').column)}"
        f" FROM {quote(preference.db_table)}"
        f" WHERE {quote(preference.get_field('user').column)} = %s)"
    )


@functools.cache
def _blocks_sql():
    quote = connection.ops.quote_name
    block = Block._meta
    blocker = quote(block.get_field("blocker").column)
    blocked = quote(block.get_field("blocked").column)
    return (
        f"SELECT {blocker} FROM {quote(block.db_table)}"
        f" WHERE ({blocker} = %s AND {blocked} = %s) OR ({blocker} = %s AND {blocked} = %s)"
    )


@functools.cache
def _unread_sql():
    quote = connection.ops.quote_name
    message = Message._meta

    def column(name):
        return quote(message.get_field(name).column)

    # postman's Message.objects.inbox_unread_count(user), written out.
    return (
        f"SELECT COUNT(*) FROM {quote(message.db_table)}"
        f" WHERE {column('recipient')} = %s AND {column('moderation_status')} = %s"
        f" AND {column('recipient_archived')} = %s AND {column('recipient_deleted_at')} IS NULL"
        f" AND {column('read_at')} IS NULL"
    )


def unread_count(user):
    """The number of unread messages in the user's inbox."""
    return _fetch_one(_unread_sql(), [user.pk, STATUS_ACCEPTED, False])[0]


def is_new_account(user):
    return user.date_joined > timezone.now() - timedelta(days=new_account_days())


# ---------------------------------------------------------------------------
# postman's filters
# ---------------------------------------------------------------------------
def user_filter(recipient):
    """Only people who take part in messaging receive messages."""
    if is_system(recipient) or not can_write(recipient):
        return _("does not receive messages")
    return None


def exchange_filter(sender, recipient, recipients_list):
    if sender is None or not can_write(sender):
        return _("you cannot send messages")
    if recipient.pk == sender.pk:
        return _("you cannot write to yourself")
    if is_system(recipient):
        return _("automatic messages cannot be answered")
    if not recipient.is_active:
        return _("this account is no longer active")
    # Both directions in one query.
    with connection.cursor() as cursor:
        cursor.execute(_blocks_sql(), [recipient.pk, sender.pk, sender.pk, recipient.pk])
        blockers = {row[0] for row in cursor.fetchall()}
    if recipient.pk in blockers:
        return _("does not accept your messages")
    if sender.pk in blockers:
        return _("you have blocked this person: unblock them first")
    return None


def anti_spam(message):
    """postman auto-moderator: new accounts send no links; an hourly limit for all.

    Returns (0, reason) to reject, None to let the default (accepted) apply."""
    sender = message.sender
    if sender is None or sender.is_staff or sender.is_superuser:
        return None
    reason = None
    if is_new_account(sender) and (LINK.search(message.body) or LINK.search(message.subject)):
        reason = _("new accounts cannot send links yet")
    else:
        since = timezone.now() - timedelta(hours=1)
        sent = Message.objects.filter(sender=sender, sent_at__gte=since).count()
        if sent >= hourly_limit(sender):
            reason = _("too many messages in the last hour: try again later")
    if reason is None:
        return None
    message.spam_reason = reason  # the view tells the sender why
    return 0, reason


# ---------------------------------------------------------------------------
# The association as a party
# ---------------------------------------------------------------------------
def association_admins(association):
    """Active users administering `association` (any locale)."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__association__translation_key=association.translation_key,
            memberships__role=Membership.ADMIN,
        )
        .distinct()
        .order_by("pk")
    )


def is_association_admin(user, association_id):
    return Membership.objects.filter(
        user=user, association_id=association_id, role=Membership.ADMIN
    ).exists()


def link_for_thread(thread_id):
    if not thread_id:
        return None
    return (
        AssociationThread.objects.select_related("association").filter(thread_id=thread_id).first()
    )


def visible_thread_filter(user, thread_id):
    """Messages of a thread a user may read: theirs, plus all of it when the thread is
    held with an association they administer."""
    link = link_for_thread(thread_id)
    own = (Q(recipient=user) & Q(moderation_status=STATUS_ACCEPTED)) | Q(sender=user)
    if link and is_association_admin(user, link.association_id):
        return link, Q(moderation_status=STATUS_ACCEPTED) | Q(sender=user)
    return link, own


def parties(messages):
    """{thread_id: (association name, {admin ids})} for the threads of `messages`:
    two queries whatever their number."""
    thread_ids = {m.thread_id for m in messages if m.thread_id}
    if not thread_ids:
        return {}
    links = list(
        AssociationThread.objects.filter(thread_id__in=thread_ids).select_related("association")
    )
    admins = {}
    for user_id, association_id in Membership.objects.filter(
        association_id__in={link.association_id for link in links}, role=Membership.ADMIN
    ).values_list("user_id", "association_id"):
        admins.setdefault(association_id, set()).add(user_id)
    return {
        link.thread_id: (link.association.display_name, admins.get(link.association_id, set()))
        for link in links
    }


def annotate_parties(messages, user):
    """Set `sender_label`/`recipient_label` on each message: the association's name
    for its admins' messages, "me" for the user's own (related users are touched
    only when needed: the folders select the other party only)."""
    known = parties(messages)
    for message in messages:
        name, admins = known.get(message.thread_id, (None, set()))
        message.association_name = name
        message.sender_label = _label(message, "sender", user, name, admins)
        message.recipient_label = _label(message, "recipient", user, name, admins)
    return messages


def _label(message, role, user, association_name, admins):
    person_id = getattr(message, f"{role}_id")
    if person_id is None:
        return ""
    if person_id == user.pk:
        if association_name and person_id in admins:
            return _("%(association)s (me)") % {"association": association_name}
        return _("me")
    person = getattr(message, role)
    if is_system(person):
        return _("Rabita")
    if association_name and person_id in admins:
        return _("%(association)s (%(person)s)") % {
            "association": association_name,
            "person": person.public_name,
        }
    return person.public_name
