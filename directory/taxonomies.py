"""Taxonomies of the directory: translatable snippets with a stable code.

Each term exists once per locale (TranslatableMixin); the rows share a
`translation_key` and a `slug`, which is what URLs and filters use. Pages always
point to the source-language (Arabic) rows, so filtering and counting never depend
on the visitor's language; names are shown in the active language through
`localized_names()`.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.text import search_keys


class Term(TranslatableMixin, models.Model):
    """Common shape of every taxonomy term."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("code"),
        max_length=80,
        help_text=_("Stable identifier used in addresses and filters; the same in every language."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    override_translatable_fields = [SynchronizedField("slug"), SynchronizedField("sort_order")]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @classmethod
    def source_terms(cls):
        """The terms of the default locale, which pages point to."""
        return cls.objects.filter(locale=Locale.get_default())

    @classmethod
    def localized_names(cls):
        """{slug: name in the active language}, falling back to the default locale
        (one query: every page lists several taxonomies)."""
        return cls.names_and_ids()[0]

    @classmethod
    def search_keys_by_id(cls):
        """{term id: the search keys of its names in every language}, for any
        locale's row (what the search index holds of an association's terms; cached
        5 minutes, one small query)."""
        key = f"taxonomy-search-keys:{cls._meta.label_lower}"
        keys = cache.get(key)
        if keys is None:
            rows = list(cls.objects.values_list("pk", "translation_key", "name"))
            names = {}
            for _pk, translation_key, name in rows:
                names.setdefault(translation_key, []).append(name)
            by_names = {tk: search_keys(*term_names) for tk, term_names in names.items()}
            keys = {pk: by_names[translation_key] for pk, translation_key, _ in rows}
            cache.set(key, keys, 300)
        return keys

    @classmethod
    def names_and_ids(cls):
        """`localized_names()` and {slug: id of the term pages point to}, in one query."""
        default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        active = get_supported_content_language_variant(translation.get_language())
        rows = cls.objects.filter(locale__language_code__in={default, active}).values_list(
            "slug", "name", "locale__language_code", "pk"
        )
        names = {slug: name for slug, name, code, _pk in rows if code == default}
        names.update((slug, name) for slug, name, code, _pk in rows if code == active)
        ids = {slug: pk for slug, _name, code, pk in rows if code == default}
        return names, ids


class FieldOfActivity(Term):
    """A field of activity (education, health…): associations, forums and specialists use it."""

    description = models.TextField(_("description"), blank=True)
    keywords = models.TextField(
        _("search keywords"),
        blank=True,
        help_text=_("Other words people type for this field, one per line (e.g. darija: ta3lim)."),
    )

    translatable_fields = [TranslatableField("name"), TranslatableField("description")]

    class Meta(Term.Meta):
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")
        unique_together = [("translation_key", "locale"), ("slug", "locale")]


class TargetGroup(Term):
    """A group of people an association works with (youth, women, children…)."""

    description = models.TextField(_("description"), blank=True)

    class Meta(Term.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        unique_together = [("translation_key", "locale"), ("slug", "locale")]


class Region(Term):
    """One of Morocco's 12 regions."""

    code = models.CharField(_("official number"), max_length=2)

    override_translatable_fields = Term.override_translatable_fields + [SynchronizedField("code")]

    class Meta(Term.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]


class Province(Term):
    """A prefecture or province, within a region."""

    PREFECTURE = "prefecture"
    PROVINCE = "province"
    KIND_CHOICES = [(PREFECTURE, _("prefecture")), (PROVINCE, _("province"))]

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="provinces"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=KIND_CHOICES, default=PROVINCE)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)

    override_translatable_fields = Term.override_translatable_fields + [
        SynchronizedField("region"),
        SynchronizedField("latitude"),
        SynchronizedField("longitude"),
    ]

    class Meta(Term.Meta):
        verbose_name = _("prefecture or province")
        verbose_name_plural = _("prefectures and provinces")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]
