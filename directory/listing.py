"""Which associations the public lists, stored on each association's row.

An association is listed in its locale's directory when its page is live and
neither it nor an ancestor has a view restriction (Wagtail's `live().public()`).
That answer is kept in `AssociationPage.listed_locale` (its locale, or NULL), so
that the directory's filters, facet counts, the search and the open data read one
indexed column instead of joining every association to Wagtail's page table and
its view restrictions: on PostgreSQL with 10,000 associations, each facet count
went from 15 to 45 ms to a few milliseconds.

It is set after every save of an association page, specific or not (publishing,
unpublishing, copies for translation and aliases all save the page; Wagtail
unpublishes aliases through plain `Page` instances), and recomputed in bulk below
the page concerned when a view restriction is added or removed or a page is moved.
Bulk inserts (directory/generate.py) set it themselves.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move


def listed_locale_id(page):
    """The locale whose directory lists `page` now, or None."""
    if not page.live or is_restricted(page):
        return None
    return page.locale_id


def is_restricted(page):
    """Whether a view restriction applies to `page` (on it or an ancestor)."""
    return bool(page.path) and (
        PageViewRestriction.objects.filter(
            page__in=Page.objects.ancestor_of(page, inclusive=True)
        ).exists()
    )


def refresh_listing(root=None):
    """Recompute `listed_locale` of the associations below `root` (all without)."""
    from .models import AssociationPage

    pages = AssociationPage.objects.all()
    if root is not None:
        pages = pages.descendant_of(root, inclusive=True)
    listed = pages.live().public()
    pages.exclude(pk__in=listed.values("pk")).exclude(listed_locale=None).update(listed_locale=None)
    for locale_id in set(listed.order_by().values_list("locale_id", flat=True).distinct()):
        listed.filter(locale_id=locale_id).exclude(listed_locale_id=locale_id).update(
            listed_locale_id=locale_id
        )


@receiver(post_save)
def page_saved(sender, instance, raw=False, **kwargs):
    if raw or not isinstance(instance, Page):
        return
    from .models import AssociationPage

    if instance.specific_class is not AssociationPage:
        return
    listed = listed_locale_id(instance)
    AssociationPage.objects.filter(pk=instance.pk).update(listed_locale=listed)
    if isinstance(instance, AssociationPage):
        instance.listed_locale_id = listed


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    try:
        page = instance.page
    except Page.DoesNotExist:  # deleted with its page
        return
    refresh_listing(page)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    refresh_listing(instance)
