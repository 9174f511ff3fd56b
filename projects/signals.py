"""Every association gets its calendar as soon as it exists (default locale only)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.models import Locale

from directory.models import AssociationPage


@receiver(post_save, sender=AssociationPage)
def create_association_calendar(sender, instance, created, raw=False, **kwargs):
    if raw or instance.alias_of_id or instance.locale_id != Locale.get_default().pk:
        return
    from .activities import calendar_for

    calendar_for(instance)
