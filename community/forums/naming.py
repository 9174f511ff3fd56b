"""Forum names and descriptions in the active language.

machina stores one name per forum (the Arabic one, the source language); the
ForumOrigin row keeps the others. Templates use the `forum_name` and
`forum_description` tags (templatetags/forum_extras.py), which read every public
forum's names once per request; association forums are looked up one by one, as
only their members see them.
"""

from django.utils.translation import get_language

from .models import ForumOrigin
from .structure import CATEGORY_NAMES, GENERAL_DESCRIPTIONS, GENERAL_NAMES


def _pick(values, fallback=""):
    language = (get_language() or "ar").split("-")[0]
    return values.get(language) or values.get("ar") or fallback


def _label(kind, key, names, descriptions, fallback):
    if kind == ForumOrigin.CATEGORY and key in CATEGORY_NAMES:
        return str(CATEGORY_NAMES[key]), ""
    if kind in GENERAL_NAMES:
        return str(GENERAL_NAMES[kind]), str(GENERAL_DESCRIPTIONS[kind])
    return _pick(names, fallback), _pick(descriptions)


def labels(request=None, forum=None):
    """{forum_id: (name, description)} in the active language, memoised on the request."""
    language = get_language()
    cache = getattr(request, "_forum_labels", None) if request is not None else None
    if cache is None or cache.get("_language") != language:
        cache = {"_language": language}
        rows = ForumOrigin.objects.exclude(kind=ForumOrigin.ASSOCIATION).values_list(
            "forum_id", "kind", "key", "names", "descriptions"
        )
        for forum_id, kind, key, names, descriptions in rows:
            cache[forum_id] = _label(kind, key, names, descriptions, "")
        if request is not None:
            request._forum_labels = cache
    if forum is not None and forum.pk not in cache:
        origin = ForumOrigin.objects.filter(forum_id=forum.pk).values_list(
            "kind", "key", "names", "descriptions"
        )
        row = origin.first()
        cache[forum.pk] = _label(*row, forum.name) if row else (forum.name, None)
    return cache


def forum_name(forum, request=None):
    if forum is None:
        return ""
    name = labels(request, forum).get(forum.pk, (None, None))[0]
    return name or forum.name


def forum_description(forum, request=None):
    """The description in the active language; None: use machina's own."""
    if forum is None:
        return ""
    return labels(request, forum).get(forum.pk, (None, None))[1]


def forum_choices(forums):
    """[(id, "-- name")] of machina's forum lists (search, move) in the active
    language, with machina's indentation by depth; one query for any number."""
    forums = list(forums)
    rows = ForumOrigin.objects.filter(forum_id__in=[forum.pk for forum in forums]).values_list(
        "forum_id", "kind", "key", "names", "descriptions"
    )
    names = {row[0]: _label(*row[1:], "")[0] for row in rows}
    return [
        (forum.pk, "{} {}".format("-" * forum.margin_level, names.get(forum.pk) or forum.name))
        for forum in forums
    ]
