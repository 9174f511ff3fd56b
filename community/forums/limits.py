"""Limits on what people post: new accounts, post length, attachments.

New accounts (less than a day old) may start FORUM_NEW_ACCOUNT_TOPICS topics and
post FORUM_NEW_ACCOUNT_REPLIES replies: enough to take part, too few to flood.
Attachments are checked by their content (the file's signature, not its name or
the browser's word) and by size.
"""

import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

import filetype
from machina.apps.forum_conversation.models import Post, Topic

NEW_ACCOUNT_PERIOD = timedelta(hours=getattr(settings, "FORUM_NEW_ACCOUNT_HOURS", 24))
NEW_ACCOUNT_TOPICS = getattr(settings, "FORUM_NEW_ACCOUNT_TOPICS", 3)
NEW_ACCOUNT_REPLIES = getattr(settings, "FORUM_NEW_ACCOUNT_REPLIES", 10)
POST_MAX_LENGTH = getattr(settings, "FORUM_POST_MAX_LENGTH", 20_000)
ATTACHMENT_MAX_BYTES = getattr(settings, "FORUM_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
# Detected type → what people are told they may attach.
ATTACHMENT_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
}


def is_new_account(user):
    return (
        user.is_authenticated
        and not (user.is_staff or user.is_superuser)
        and user.date_joined > timezone.now() - NEW_ACCOUNT_PERIOD
    )


def new_account_refusal(user, starting_topic):
    """The message explaining why a new account may not post now, or None."""
    if not is_new_account(user):
        return None
    topics = Topic.objects.filter(poster=user).count()
    if starting_topic:
        if topics >= NEW_ACCOUNT_TOPICS:
            return _(
                "New accounts may start %(count)s topics on their first day. "
                "You can start more topics tomorrow."
            ) % {"count": NEW_ACCOUNT_TOPICS}
        return None
    replies = Post.objects.filter(poster=user).count() - topics
    if replies >= NEW_ACCOUNT_REPLIES:
        return _(
            "New accounts may post %(count)s replies on their first day. "
            "You can reply again tomorrow."
        ) % {"count": NEW_ACCOUNT_REPLIES}
    return None


def validate_attachment(upload):
    """Refuse files too big or whose content is not an allowed type; returns the
    extension of the type found (the file is stored under it, see safe_attachment_name)."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("This file is too big (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(ATTACHMENT_MAX_BYTES)}
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("This type of file cannot be attached. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(set(ATTACHMENT_TYPES.values())))}
        )
    return kind.extension


def safe_attachment_name(original, extension):
    """The name an attachment is stored under: its readable part, an unguessable
    suffix (media files are served without machina's permission check, and private
    forums have attachments) and the extension of its real type, so that a PNG named
    "page.html" is never served as a web page. (No folder: uploaded files keep only
    their base name.)"""
    stem = slugify(Path(original or "").stem, allow_unicode=True)[:40] or "file"
    return f"{stem}-{secrets.token_hex(12)}.{extension}"
