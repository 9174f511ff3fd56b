"""The forum tree follows the directory: fields, associations, memberships."""

from wagtail.models import Locale

import pytest
from machina.apps.forum_permission.checker import ForumPermissionChecker

from community.forums.models import ForumOrigin
from directory.models import Membership
from directory.taxonomies import FieldOfActivity
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_field_of_activity_has_its_forum():
    keys = {
        str(k) for k in FieldOfActivity.source_terms().values_list("translation_key", flat=True)
    }
    forum_keys = set(ForumOrigin.objects.filter(kind="field").values_list("key", flat=True))
    assert keys and keys == forum_keys


def test_a_new_field_gets_a_forum_named_in_each_language(client):
    term = FieldOfActivity.objects.create(
        name="الاقتصاد الأزرق", slug="blue-economy", locale=Locale.get_default()
    )
    origin = ForumOrigin.objects.get(kind="field", key=str(term.translation_key))
    assert origin.forum.name == "الاقتصاد الأزرق"
    term.copy_for_translation(Locale.objects.get(language_code="fr")).save()
    french = FieldOfActivity.objects.get(
        translation_key=term.translation_key, locale__language_code="fr"
    )
    french.name = "Économie bleue"
    french.save()
    origin.refresh_from_db()
    assert origin.names["fr"] == "Économie bleue"
    page = client.get("/fr/forum/")
    assert "Économie bleue" in page.content.decode()
    assert "الاقتصاد الأزرق" in client.get("/ar/forum/").content.decode()


def test_a_new_association_gets_a_private_forum_for_its_members(make_association):
    admin = UserFactory()
    page = make_association()
    origin = ForumOrigin.objects.get(kind="association", key=str(page.translation_key))
    Membership.objects.create(user=admin, association=page, role=Membership.ADMIN)
    outsider = UserFactory()
    assert ForumPermissionChecker(admin).has_perm("can_read_forum", origin.forum)
    assert ForumPermissionChecker(admin).has_perm("can_lock_topics", origin.forum)
    assert not ForumPermissionChecker(outsider).has_perm("can_read_forum", origin.forum)


def test_a_former_member_loses_access(people, forums):
    member = people["member"]
    assert ForumPermissionChecker(member).has_perm("can_read_forum", forums["private"])
    Membership.objects.filter(user=member).delete()
    assert not ForumPermissionChecker(member).has_perm("can_read_forum", forums["private"])


def test_structure_is_idempotent():
    from community.forums.structure import ensure_structure

    before = ForumOrigin.objects.count()
    ensure_structure()
    assert ForumOrigin.objects.count() == before


def test_completing_the_structure_gives_forums_to_associations_without_one(make_association):
    # Generated demo associations are inserted without signals: load_demo_data then
    # completes the structure, creating their forums with their permissions at once.
    from community.forums.structure import ensure_structure

    admin, outsider = UserFactory(), UserFactory()
    page = make_association()
    Membership.objects.create(user=admin, association=page, role=Membership.ADMIN)
    origin = ForumOrigin.objects.get(kind="association", key=str(page.translation_key))
    origin.forum.delete()  # the origin goes with it
    assert not ForumOrigin.objects.filter(key=str(page.translation_key)).exists()
    ensure_structure()
    origin = ForumOrigin.objects.get(kind="association", key=str(page.translation_key))
    assert ForumPermissionChecker(admin).has_perm("can_read_forum", origin.forum)
    assert ForumPermissionChecker(admin).has_perm("can_lock_topics", origin.forum)
    assert not ForumPermissionChecker(outsider).has_perm("can_read_forum", origin.forum)


def tree_of(Forum):
    return list(Forum.objects.order_by("pk").values_list("pk", "tree_id", "lft", "rght", "level"))


def test_forums_created_in_bulk_leave_a_tree_django_mptt_agrees_with(make_association):
    # create_association_forums() writes the tree positions itself: rebuilding the
    # tree from the parent links must give the same positions.
    from machina.apps.forum.models import Forum

    from community.forums.structure import ensure_structure

    admin, member = UserFactory(), UserFactory()
    pages = [make_association() for _ in range(3)]
    Membership.objects.create(user=admin, association=pages[0], role=Membership.ADMIN)
    Membership.objects.create(user=member, association=pages[2], role=Membership.MEMBER)
    keys = [str(page.translation_key) for page in pages]
    Forum.objects.filter(origin__key__in=keys).delete()
    Forum.objects.rebuild()
    ensure_structure()
    after = tree_of(Forum)
    Forum.objects.rebuild()
    assert tree_of(Forum) == after
    origins = {o.key: o for o in ForumOrigin.objects.filter(key__in=keys).select_related("forum")}
    category = origins[keys[0]].forum.parent
    assert category.origin.key == "associations"
    assert [origins[key].forum for key in keys] == list(category.get_children())[-3:]
    assert origins[keys[1]].forum.slug  # what Forum.save() would have set
    member_checker = ForumPermissionChecker(member)
    assert member_checker.has_perm("can_start_new_topics", origins[keys[2]].forum)
    assert not member_checker.has_perm("can_lock_topics", origins[keys[2]].forum)
    assert not member_checker.has_perm("can_read_forum", origins[keys[0]].forum)
    assert ForumPermissionChecker(admin).has_perm("can_lock_topics", origins[keys[0]].forum)
