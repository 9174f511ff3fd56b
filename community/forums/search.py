"""Keeping the forum search index up to date as posts are written, approved or deleted.

Index errors (a locked whoosh file…) are logged: a post is never refused because
the search index could not be written; `manage.py update_index` rebuilds it.
"""

import contextlib
import contextvars
import logging

from haystack import connections
from haystack.exceptions import NotHandled

logger = logging.getLogger(__name__)
_paused = contextvars.ContextVar("forum_index_paused", default=False)


def is_paused():
    return _paused.get()


@contextlib.contextmanager
def paused():
    """Bulk loads (demo data): no per-post indexing and no notification e-mails;
    index the posts in one batch afterwards (update_posts)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _index(model):
    try:
        return connections["default"].get_unified_index().get_index(model)
    except NotHandled:
        return None


def update_post(post):
    if _paused.get():
        return
    index = _index(type(post))
    if index is None:
        return
    try:
        if post.approved and post.topic.approved:
            index.update_object(post)
        else:
            index.remove_object(post)
    except Exception:  # noqa: BLE001 — see the module docstring
        logger.exception("Could not index forum post %s", post.pk)


def remove_post(post):
    if _paused.get():
        return
    index = _index(type(post))
    if index is None:
        return
    try:
        index.remove_object(post)
    except Exception:  # noqa: BLE001
        logger.exception("Could not remove forum post %s from the index", post.pk)


def update_posts(queryset):
    """Index these posts in one batch (approved ones; others are removed)."""
    from machina.apps.forum_conversation.models import Post

    index = _index(Post)
    if index is None:
        return
    backend = connections["default"].get_backend()
    posts = list(queryset.select_related("topic__forum", "poster"))
    published = [p for p in posts if p.approved and p.topic.approved]
    try:
        if published:
            backend.update(index, published)
        for post in posts:
            if post not in published:
                backend.remove(post)
    except Exception:  # noqa: BLE001
        logger.exception("Could not index %s forum posts", len(posts))
