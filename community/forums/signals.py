"""Receivers: the forum tree follows the directory; new posts notify followers and
update the search index."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from wagtail.models import Locale

from machina.apps.forum_conversation.models import Post, Topic

from directory.models import AssociationPage, Membership
from directory.taxonomies import FieldOfActivity

from . import notifications, search, structure
from .models import ForumOrigin


@receiver(post_save, sender=FieldOfActivity, dispatch_uid="forums_field_saved")
def field_saved(sender, instance, raw=False, **kwargs):
    """A new field of activity gets its forum; a renamed one (any language) is renamed."""
    if not raw:
        structure.ensure_field_forum(instance)


@receiver(post_save, sender=AssociationPage, dispatch_uid="forums_association_saved")
def association_saved(sender, instance, raw=False, **kwargs):
    """A published association (created or approved) gets its private forum."""
    if raw or not instance.live:
        return
    if instance.locale_id != Locale.get_default().pk:
        return
    structure.ensure_association_forum(instance)


def _sync_membership(membership):
    key = str(membership.association.translation_key)
    origin = (
        ForumOrigin.objects.select_related("forum")
        .filter(kind=ForumOrigin.ASSOCIATION, key=key)
        .first()
    )
    if origin is None and membership.association.live:
        origin = structure.ensure_association_forum(membership.association)
    if origin is not None:
        structure.sync_members(origin)


@receiver(post_save, sender=Membership, dispatch_uid="forums_membership_saved")
def membership_saved(sender, instance, raw=False, **kwargs):
    """A new member (or a new administrator) gets the rights on the association's forum."""
    if not raw:
        _sync_membership(instance)


@receiver(post_delete, sender=Membership, dispatch_uid="forums_membership_deleted")
def membership_deleted(sender, instance, **kwargs):
    """A former member loses access to the association's forum at once."""
    try:
        _sync_membership(instance)
    except AssociationPage.DoesNotExist:  # the association itself is being deleted
        pass


@receiver(post_save, sender=Post, dispatch_uid="forums_post_saved")
def post_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    topic = instance.topic
    # machina sets topic.first_post after this signal: None means this post starts it.
    if created and instance.poster_id and topic.first_post_id in (None, instance.pk):
        # Whoever starts a topic follows it: they hear about the replies.
        topic.subscribers.add(instance.poster_id)
    if search.is_paused():
        return
    search.update_post(instance)
    if instance.approved and topic.approved:
        notifications.post_published(instance)


@receiver(post_delete, sender=Post, dispatch_uid="forums_post_deleted")
def post_deleted(sender, instance, **kwargs):
    search.remove_post(instance)


@receiver(pre_save, sender=Topic, dispatch_uid="forums_topic_changing")
def topic_changing(sender, instance, raw=False, **kwargs):
    """Remember whether a topic moves or changes approval: its posts are re-indexed."""
    if raw or instance.pk is None:
        return
    before = Topic.objects.filter(pk=instance.pk).values("forum_id", "approved").first()
    instance._forums_reindex = bool(before) and (
        before["forum_id"] != instance.forum_id or before["approved"] != instance.approved
    )


@receiver(post_save, sender=Topic, dispatch_uid="forums_topic_saved")
def topic_saved(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_forums_reindex", False):
        instance._forums_reindex = False
        search.update_posts(instance.posts.all())
