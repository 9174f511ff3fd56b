"""Keep Wagtail locales in step with settings.LANGUAGES.

Adding a language is a settings change: after `migrate`, its Locale exists and is
synchronised from the default (Arabic) locale, so new source pages reach it.
"""

from django.conf import settings
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def create_locales(sender, using="default", **kwargs):
    if sender.label != "home":
        return
    from wagtail.models import Locale
    from wagtail_localize.models import LocaleSynchronization

    source, _created = Locale.objects.using(using).get_or_create(
        language_code=settings.LANGUAGE_CODE
    )
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        locale, _created = Locale.objects.using(using).get_or_create(language_code=code)
        if not LocaleSynchronization.objects.using(using).filter(locale=locale).exists():
            # bulk_create: no post_save, so no tree copy during migrate; the pages
            # created afterwards get their aliases (see home.translation).
            LocaleSynchronization.objects.using(using).bulk_create(
                [LocaleSynchronization(locale=locale, sync_from=source)]
            )
