"""postman's notifier (POSTMAN_NOTIFIER_APP): live events and e-mails.

postman calls `send(users, label, extra_context)` when a message is accepted for a
recipient. Here, once the transaction commits:
- every party of the conversation gets a live event on its WebSocket group
  (the recipient's unread count; "this conversation changed" for open pages);
- the recipient gets an e-mail in their language when their preference says
  "at once" (delayed summaries: `manage.py send_message_notifications`).
"""

import asyncio
import copy
import logging
import os

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

# postman imports this module while its models load: models are imported lazily.
logger = logging.getLogger(__name__)


def group_name(user_id):
    """The channel-layer group of one person's connections."""
    return f"messages.user.{user_id}"


def unread_count(user):
    from . import rules

    return rules.unread_count(user)


def _server_loop():
    """The ASGI server's event loop when this code runs in the thread where it
    executes sync views (asgiref records it), else None."""
    from asgiref.sync import SyncToAsync

    local = SyncToAsync.threadlocal
    if getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    loop = getattr(local, "main_event_loop", None)
    return loop if loop is not None and loop.is_running() else None


def _log_failure(future):
    if not future.cancelled() and future.exception() is not None:
        logger.error("Could not push a message event", exc_info=future.exception())


def push(user_ids, payload):
    """Send `payload` to the open connections of each user (never raises)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    server_loop = None if running else _server_loop()
    for user_id in set(user_ids):
        event = {"type": "messages.event", "payload": payload}
        try:
            if running is not None:
                # Called from code running inside an event loop (a script or test
                # driving an async tool): schedule rather than block it.
                running.create_task(layer.group_send(group_name(user_id), event))
            elif server_loop is not None:
                # In a view under the ASGI server: hand the event to its loop and
                # answer the request without waiting for the layer (sync views run
                # one at a time per process, so waiting would delay every request).
                asyncio.run_coroutine_threadsafe(
                    layer.group_send(group_name(user_id), event), server_loop
                ).add_done_callback(_log_failure)
            else:
                async_to_sync(layer.group_send)(group_name(user_id), event)
        except Exception:  # noqa: BLE001 — a broken layer must not undo the message
            logger.exception("Could not push a message event to user %s", user_id)


def push_unread(user):
    """The user's unread count changed (read, unread, deleted…)."""
    push([user.pk], {"type": "unread", "unread_count": unread_count(user)})


def conversation_url(message):
    if message.thread_id:
        return reverse("postman:view_conversation", args=[message.thread_id])
    return reverse("postman:view", args=[message.pk])


def message_event(message):
    """Live events for a new message: to its recipient (with their unread count),
    its sender's other tabs and, in a conversation held with an association, every
    admin of it."""
    from . import rules

    thread = message.thread_id or message.pk
    watchers = {message.sender_id} if message.sender_id else set()
    link = rules.link_for_thread(message.thread_id)
    if link:
        watchers.update(admin.pk for admin in rules.association_admins(link.association))
    if message.recipient_id:
        watchers.discard(message.recipient_id)
        push(
            [message.recipient_id],
            {
                "type": "message",
                "thread": thread,
                "message": message.pk,
                "unread_count": unread_count(message.recipient),
            },
        )
    push(watchers, {"type": "thread", "thread": thread, "message": message.pk})


def send(users, label, extra_context):
    message = extra_context.get("pm_message")
    if message is None or label not in ("postman_message", "postman_reply"):
        return
    # postman reuses one instance for every recipient of a form: keep this
    # recipient's copy (with its sender and recipient already loaded) rather than
    # reading the row again once the transaction commits.
    sent = copy.copy(message)  # a model's copy has its own cache of related objects
    users = list(users)

    def deliver():
        if getattr(sent, "thread_pending", False):
            # Its conversation was set after saving (a message to an association).
            sent.thread_id = (
                type(sent).objects.filter(pk=sent.pk).values_list("thread_id", flat=True).first()
            )
        message_event(sent)
        for user in users:
            if preference_of(user) == "immediately":
                email_unread(user, [sent])

    transaction.on_commit(deliver)


def preference_of(user):
    """The person's choice of e-mails ("immediately", "delayed" or "never"), from
    what rules.load_profile already read when it did."""
    cached = getattr(user, "_rabita_email_preference", None)
    if cached is not None:
        return cached
    from .models import Preference

    preference = Preference.objects.filter(user=user).values_list("email", flat=True).first()
    return preference or Preference.Email.IMMEDIATELY


def email_unread(user, messages, remember=False):
    """E-mail `user` about unread `messages`, in their language, with links.
    `remember` records the time (delayed summaries start after it)."""
    from directory.notifications import absolute_url, language_of

    if not user.is_active or not user.email or not messages:
        return False
    with translation.override(language_of(user)):
        context = {
            "user": user,
            "site_name": gettext("Rabita"),
            "messages": [
                {
                    "sender": message.sender.public_name if message.sender else "",
                    "subject": message.subject,
                    "url": absolute_url(conversation_url(message)),
                }
                for message in messages
            ],
            "inbox_url": absolute_url(reverse("postman:inbox")),
            "preferences_url": absolute_url(reverse("postman:preferences")),
        }
        subject = render_to_string("postman/email/unread_subject.txt", context)
        body = render_to_string("postman/email/unread.txt", context)
    email = EmailMultiAlternatives(
        " ".join(subject.split()),
        body,
        from_email=getattr(settings, "POSTMAN_FROM_EMAIL", settings.DEFAULT_FROM_EMAIL),
        to=[user.email],
    )
    try:
        email.send()
    except Exception:  # noqa: BLE001 — the mail server's problem must not undo the message
        logger.exception("Could not e-mail user %s about unread messages", user.pk)
        return False
    if remember:
        from .models import Preference

        Preference.objects.update_or_create(
            user=user, defaults={"last_notified_at": timezone.now()}
        )
    return True
