"""Indexing many pages at once.

modelsearch reads each search field once per pass (title, body, autocomplete): a
computed field (a method such as AssociationPage.search_text) runs three times per
object. `freeze_computed_search_fields` computes each once and pins the value on the
instance; objects sharing a `translation_key` (a page and its untranslated aliases,
which hold the same data) share it when `share_translations` is set.
"""

from django.core.exceptions import FieldDoesNotExist

from wagtail.search import index


def computed_search_fields(model):
    """Names of `model`'s search and autocomplete fields that are not model fields."""
    names = []
    for field in model.get_search_fields():
        if not isinstance(field, index.SearchField | index.AutocompleteField):
            continue
        try:
            model._meta.get_field(field.field_name)
        except FieldDoesNotExist:
            if field.field_name not in names:
                names.append(field.field_name)
    return names


def freeze_computed_search_fields(model, objects, *, share_translations=False):
    names = computed_search_fields(model)
    if not names:
        return
    shared = {}
    for obj in objects:
        key = getattr(obj, "translation_key", None) if share_translations else None
        values = shared.get(key) if key is not None else None
        if values is None:
            values = {}
            for name in names:
                value = getattr(obj, name, None)
                values[name] = value() if callable(value) else value
            if key is not None:
                shared[key] = values
        for name, value in values.items():
            setattr(obj, name, _constant(value))


def _constant(value):
    return lambda: value
