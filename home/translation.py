"""Helpers for pages created in code (demo data, approved applications).

wagtail-localize creates the synchronised aliases only for pages created in the
admin (its `after_create_page` hook); pages created in code call these.
"""

from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.models import Locale
from wagtail_localize.synctree import create_aliases_for_new_page


def sync_new_page(page):
    """Create the alias of a new source page in every synchronised locale."""
    create_aliases_for_new_page(page)


def translate_page(page, language_code, **fields):
    """Publish `page`'s translation into `language_code` with translated `fields`.

    An existing alias is turned into a real translation; otherwise one is created.
    """
    locale = Locale.objects.get(language_code=language_code)
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = page.copy_for_translation(locale, copy_parents=True)
    elif translation.alias_of_id:
        ConvertAliasPageAction(translation).execute(skip_permission_checks=True)
    translation = translation.specific_class.objects.get(pk=translation.pk)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation
