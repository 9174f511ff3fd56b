"""The forum tree and its permissions, kept in sync with the directory.

    Forum index
    ├── General (category)            announcements (staff post, everyone reads)
    │                                  help and questions (members and specialists post)
    ├── Fields of activity (category)  one public forum per field of activity
    └── Associations (category)        one private forum per association (its members)

Nothing is set by hand: a data migration builds the tree for existing data and the
receivers in signals.py follow new fields, associations and memberships.

Permissions are machina's (forum_permission). Every rule is set on a forum, none
globally: machina lets per-forum rules beat global ones and applies
MACHINA_DEFAULT_AUTHENTICATED_USER_FORUM_PERMISSIONS only to people without
global grants, so explicit per-forum rows keep "who may do what" readable here.
What is not granted is refused.
"""

from types import SimpleNamespace

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from accounts import roles

from .models import ForumOrigin

READ = ["can_see_forum", "can_read_forum", "can_download_file"]
PARTICIPATE = [
    "can_start_new_topics",
    "can_reply_to_topics",
    "can_edit_own_posts",
    "can_delete_own_posts",
    "can_post_without_approval",
    "can_attach_file",
    "can_create_polls",
    "can_vote_in_polls",
]
REPLY_ONLY = ["can_reply_to_topics", "can_edit_own_posts", "can_post_without_approval"]
MODERATE = [
    "can_edit_posts",
    "can_delete_posts",
    "can_lock_topics",
    "can_move_topics",
    "can_approve_posts",
    "can_reply_to_locked_topics",
    "can_post_stickies",
    "can_post_announcements",
]
# An association's administrators keep order in their own forum.
ASSOCIATION_ADMIN = [
    "can_edit_posts",
    "can_delete_posts",
    "can_lock_topics",
    "can_approve_posts",
    "can_post_stickies",
]

# Categories and general forums: their names come from the catalogues.
CATEGORY_NAMES = {
    "general": _("General forums"),
    "fields": _("Fields of activity"),
    "associations": _("Association forums"),
}
GENERAL_NAMES = {
    ForumOrigin.ANNOUNCEMENTS: _("Announcements"),
    ForumOrigin.HELP: _("Help and questions"),
}
GENERAL_DESCRIPTIONS = {
    ForumOrigin.ANNOUNCEMENTS: _("News of the network from the Rabita team."),
    ForumOrigin.HELP: _("Questions about the portal and how to use it; members help each other."),
}
LANGUAGE_CODES = ["ar", "fr", "en"]
FORUM_NAME_MAX = 100  # machina's Forum.name


def _models():
    from machina.apps.forum.models import Forum
    from machina.apps.forum_permission.models import (
        ForumPermission,
        GroupForumPermission,
        UserForumPermission,
    )

    return Forum, ForumPermission, GroupForumPermission, UserForumPermission


def translated(lazy_text):
    """{language: text} of a lazy string (what the catalogues say today)."""
    names = {}
    for code in LANGUAGE_CODES:
        with override(code):
            names[code] = str(lazy_text)
    return names


def permission_ids(codenames):
    _forum, ForumPermission, _group, _user = _models()
    ids = dict(ForumPermission.objects.values_list("codename", "pk"))
    missing = [code for code in codenames if code not in ids]
    for code in missing:  # machina creates them after migrate: maybe not yet
        ids[code] = ForumPermission.objects.get_or_create(codename=code)[0].pk
    return [ids[code] for code in codenames]


def forum_rules(origin):
    """{target: [codenames]} for a forum; targets: "anonymous", "authenticated" or a
    group name. Association members are granted per person (member_rules)."""
    if origin.kind == ForumOrigin.CATEGORY:
        return {"anonymous": ["can_see_forum", "can_read_forum"],
                "authenticated": ["can_see_forum", "can_read_forum"]}  # fmt: skip
    if origin.kind == ForumOrigin.ASSOCIATION:
        return {}
    if origin.kind == ForumOrigin.ANNOUNCEMENTS:
        return {
            "anonymous": READ,
            "authenticated": READ,
            roles.EDITORS: READ + PARTICIPATE + ["can_post_announcements", "can_post_stickies"],
            roles.MODERATORS: READ + PARTICIPATE + MODERATE,
        }
    return {
        "anonymous": READ,
        "authenticated": READ,
        roles.MEMBERS: READ + PARTICIPATE,
        roles.SPECIALISTS: READ + PARTICIPATE,
        roles.EDITORS: READ + PARTICIPATE,
        roles.MODERATORS: READ + PARTICIPATE + MODERATE,
    }


def member_rules(role):
    codes = READ + PARTICIPATE
    if role == "admin":  # Membership.ADMIN
        codes = codes + ASSOCIATION_ADMIN
    return codes


def _apply(model, forum, wanted, key_of, build, *, fresh=False):
    """Make the forum's rows of `model` exactly `wanted` (a set of keys): rows that
    stay keep their id (restoring a snapshot, e.g. in tests, relies on stable ids).
    A `fresh` forum (just created) has no rows to read."""
    existing = {}
    for row in [] if fresh else model.objects.filter(forum=forum):
        key = key_of(row)
        if key is None:
            continue
        if key in wanted and row.has_perm and key not in existing:
            existing[key] = row.pk
        else:
            row.delete()
    model.objects.bulk_create([build(key) for key in wanted - set(existing)])


def sync_permissions(origin, *, fresh=False):
    """Make the forum's anonymous, authenticated and group rules exactly forum_rules()
    (`fresh`: the forum was just created, it has no rules yet)."""
    from django.contrib.auth.models import Group

    _forum, _perm, GroupForumPermission, UserForumPermission = _models()
    forum = origin.forum
    rules = forum_rules(origin)
    groups = {}
    if set(rules) - {"anonymous", "authenticated"}:
        groups = dict(Group.objects.filter(name__in=roles.ALL_ROLES).values_list("name", "pk"))
    everyone, by_group = set(), set()
    for target, codes in rules.items():
        for permission_id in permission_ids(codes):
            if target in ("anonymous", "authenticated"):
                everyone.add((target, permission_id))
            elif target in groups:
                by_group.add((groups[target], permission_id))

    def everyone_key(row):
        if row.user_id is not None:
            return None  # per-person rules: sync_members()
        if row.anonymous_user == row.authenticated_user:
            return ("invalid", row.pk)  # neither or both: not ours, removed
        return ("anonymous" if row.anonymous_user else "authenticated", row.permission_id)

    _apply(
        UserForumPermission,
        forum,
        everyone,
        everyone_key,
        lambda key: UserForumPermission(
            forum=forum,
            permission_id=key[1],
            has_perm=True,
            anonymous_user=key[0] == "anonymous",
            authenticated_user=key[0] == "authenticated",
        ),
        fresh=fresh,
    )
    _apply(
        GroupForumPermission,
        forum,
        by_group,
        lambda row: (row.group_id, row.permission_id),
        lambda key: GroupForumPermission(
            forum=forum, group_id=key[0], permission_id=key[1], has_perm=True
        ),
        fresh=fresh,
    )
    if origin.kind == ForumOrigin.ASSOCIATION:
        sync_members(origin, fresh=fresh)


def sync_members(origin, *, fresh=False):
    """Per-person rules of an association's forum: exactly its current members."""
    from directory.models import Membership

    _forum, _perm, _group, UserForumPermission = _models()
    forum = origin.forum
    # values_list: this also runs in a data migration, whatever columns exist later.
    memberships = Membership.objects.filter(
        association__translation_key=origin.key, user__is_active=True
    ).values_list("user_id", "role")
    wanted, by_role = set(), {}
    for user_id, role in memberships:
        if role not in by_role:
            by_role[role] = permission_ids(member_rules(role))
        wanted.update((user_id, permission_id) for permission_id in by_role[role])
    _apply(
        UserForumPermission,
        forum,
        wanted,
        lambda row: (row.user_id, row.permission_id) if row.user_id is not None else None,
        lambda key: UserForumPermission(
            forum=forum, user_id=key[0], permission_id=key[1], has_perm=True
        ),
        fresh=fresh,
    )


def _ensure(kind, key, names, descriptions=None, parent=None, forum_type=None, known=None):
    """The forum of (kind, key), created or renamed; returns its ForumOrigin.
    `known`: {(kind, key): origin} of every existing origin, when the caller read them."""
    Forum, *_rest = _models()
    forum_type = Forum.FORUM_POST if forum_type is None else forum_type
    if known is not None:
        origin = known.get((kind, key))
    else:
        origin = ForumOrigin.objects.select_related("forum").filter(kind=kind, key=key).first()
    name = (names.get("ar") or next(iter(names.values()), key))[:FORUM_NAME_MAX]
    description = (descriptions or {}).get("ar", "")
    if origin is None:
        with transaction.atomic():
            forum = Forum.objects.create(
                name=name, description=description, type=forum_type, parent=parent
            )
            origin = ForumOrigin.objects.create(
                forum=forum, kind=kind, key=key, names=names, descriptions=descriptions or {}
            )
            sync_permissions(origin, fresh=True)
        return origin
    changed = origin.names != names or origin.descriptions != (descriptions or {})
    if changed:
        origin.names, origin.descriptions = names, descriptions or {}
        origin.save(update_fields=["names", "descriptions"])
    if origin.forum.name != name:
        origin.forum.name = name
        origin.forum.save()
    return origin


def category(key):
    Forum, *_rest = _models()
    return _ensure(
        ForumOrigin.CATEGORY, key, translated(CATEGORY_NAMES[key]), forum_type=Forum.FORUM_CAT
    ).forum


def ensure_general_forums():
    parent = category("general")
    for kind in (ForumOrigin.ANNOUNCEMENTS, ForumOrigin.HELP):
        _ensure(
            kind,
            kind,
            translated(GENERAL_NAMES[kind]),
            translated(GENERAL_DESCRIPTIONS[kind]),
            parent=parent,
        )


def ensure_field_forum(term):
    """The forum of a field of activity (any locale's row), named in every language."""
    from directory.taxonomies import FieldOfActivity

    rows = FieldOfActivity.objects.filter(translation_key=term.translation_key).values_list(
        "locale__language_code", "name", "description"
    )
    names = {code: name for code, name, _description in rows}
    descriptions = {code: description for code, _name, description in rows if description}
    return _ensure(
        ForumOrigin.FIELD,
        str(term.translation_key),
        names,
        descriptions,
        parent=category("fields"),
    )


def ensure_association_forum(page, parent=None, known=None):
    """The private forum of an association (its default-locale page, or anything with
    its translation_key, name_ar and name_fr), under `parent` (default: the
    associations' category); `known` as for _ensure."""
    return _ensure(
        ForumOrigin.ASSOCIATION,
        str(page.translation_key),
        _association_names(page),
        parent=parent or category("associations"),
        known=known,
    )


def _association_names(page):
    names = {code: page.name_ar for code in LANGUAGE_CODES}
    if page.name_fr:
        names["fr"] = names["en"] = page.name_fr
    return names


def _append_children(parent, forums):
    """Save `forums` (unsaved, no pk) as the last children of `parent` in a few
    queries. django-mptt's per-node insert shifts the tree once per forum (about
    10 ms each on PostgreSQL with thousands of siblings); here the space for all of
    them is made at once and they are inserted in bulk, with what machina's
    Forum.save() would have set (the slug, the rendered description)."""
    from django.db.models import F
    from django.utils.text import slugify

    Forum = type(parent)
    parent = Forum.objects.select_for_update().get(pk=parent.pk)
    width, start = 2 * len(forums), parent.rght
    same_tree = Forum.objects.filter(tree_id=parent.tree_id)
    same_tree.filter(lft__gt=start).update(lft=F("lft") + width)
    same_tree.filter(rght__gte=start).update(rght=F("rght") + width)
    render = Forum._meta.get_field("description").render_data
    for index, forum in enumerate(forums):
        forum.parent = parent
        forum.tree_id, forum.level = parent.tree_id, parent.level + 1
        forum.lft = start + 2 * index
        forum.rght = forum.lft + 1
        forum.slug = slugify(forum.name, allow_unicode=True)
        render(signal=None, sender=Forum, instance=forum)
    return Forum.objects.bulk_create(forums)


def create_association_forums(rows, parent):
    """The private forums of associations that have none (`rows`: objects with
    translation_key, name_ar and name_fr), with their members' rules, in bulk."""
    from directory.models import Membership

    Forum, _perm, _group, UserForumPermission = _models()
    if not rows:
        return []
    with transaction.atomic():
        names = [_association_names(row) for row in rows]
        forums = _append_children(
            parent,
            [
                Forum(name=n["ar"][:FORUM_NAME_MAX], description="", type=Forum.FORUM_POST)
                for n in names
            ],
        )
        origins = ForumOrigin.objects.bulk_create(
            ForumOrigin(
                forum=forum, kind=ForumOrigin.ASSOCIATION, key=str(row.translation_key), names=n
            )
            for forum, row, n in zip(forums, rows, names, strict=True)
        )
        forum_of = {origin.key: origin.forum for origin in origins}
        memberships = Membership.objects.filter(
            association__translation_key__in=[row.translation_key for row in rows],
            user__is_active=True,
        ).values_list("association__translation_key", "user_id", "role")
        by_role, rules = {}, set()
        for key, user_id, role in memberships:
            if role not in by_role:
                by_role[role] = permission_ids(member_rules(role))
            rules.update((str(key), user_id, pid) for pid in by_role[role])
        UserForumPermission.objects.bulk_create(
            (UserForumPermission(forum=forum_of[key], user_id=user_id, permission_id=pid, has_perm=True)
             for key, user_id, pid in rules),
            batch_size=2000,
        )  # fmt: skip
    return origins


def ensure_structure():
    """Build or complete the whole tree: general forums, fields, associations."""
    from wagtail.models import Locale

    from directory.models import AssociationPage
    from directory.taxonomies import FieldOfActivity

    # values(): this runs in a data migration too, whatever columns the models gain later.
    ensure_general_forums()
    for key in FieldOfActivity.source_terms().values_list("translation_key", flat=True):
        ensure_field_forum(SimpleNamespace(translation_key=key))
    pages = AssociationPage.objects.live().filter(locale=Locale.get_default())
    parent = category("associations")
    # Read once: thousands of lookups, one per association, cost more than creating.
    known = {(o.kind, o.key): o for o in ForumOrigin.objects.select_related("forum")}
    existing = {origin.pk for origin in known.values()}
    missing = []
    for values in pages.values("translation_key", "name_ar", "name_fr"):
        page = SimpleNamespace(**values)
        if (ForumOrigin.ASSOCIATION, str(page.translation_key)) in known:
            ensure_association_forum(page, parent=parent, known=known)  # renamed?
        else:
            missing.append(page)
    create_association_forums(missing, parent)
    # Forums created above have their permissions already (thousands with generated
    # demo associations: a second pass doubled the time).
    for origin in ForumOrigin.objects.select_related("forum"):
        if origin.pk in existing:
            sync_permissions(origin)
