"""Creating the directory's pages in code: the index pages and associations.

Used by the approval of applications, the bulk import, the demo data and tests.
Associations are created in the default locale (Arabic) and published; their
French and English versions are synchronised aliases (wagtail-localize).
"""

import re

from django.db import transaction
from django.utils.text import slugify

from wagtail.models import Locale

from home.models import HomePage
from home.translation import sync_new_page, translate_page

from .models import (
    AssociationIndexPage,
    AssociationPage,
    FieldOfActivity,
    Membership,
    Province,
    TargetGroup,
)

INDEX_TITLES = {
    "ar": "دليل الجمعيات",
    "fr": "Annuaire des associations",
    "en": "Directory of associations",
}
INDEX_INTROS = {
    "ar": "الجمعيات الأعضاء في الشبكة: مجال نشاطها وموقعها وحجمها.",
    "fr": "Les associations membres du réseau : leur domaine d'activité, leur localisation et leur taille.",
    "en": "The member associations of the network: their field of activity, location and size.",
}


def association_index():
    """The directory page in the default locale, created (with translations) if missing."""
    default = Locale.get_default()
    index = AssociationIndexPage.objects.filter(locale=default).first()
    if index is not None:
        return index
    home = HomePage.objects.get(locale=default)
    index = home.add_child(
        instance=AssociationIndexPage(
            title=INDEX_TITLES.get(default.language_code, INDEX_TITLES["ar"]),
            slug="associations",
            intro=INDEX_INTROS.get(default.language_code, ""),
            show_in_menus=True,
        )
    )
    index.save_revision().publish()
    pages = [index]
    for locale in Locale.objects.exclude(pk=default.pk):
        code = locale.language_code
        pages.append(
            translate_page(
                index,
                code,
                title=INDEX_TITLES.get(code, index.title),
                intro=INDEX_INTROS.get(code, ""),
            )
        )
    for page in pages:
        _move_first(page)
    return AssociationIndexPage.objects.get(pk=index.pk)


def _move_first(page):
    """First in its parent's menu (editors may reorder it in the admin)."""
    first = page.get_parent().get_first_child()
    if first.pk != page.pk:
        page.move(first, pos="left")


def unique_slug(parent, name):
    """A readable Latin slug for an association: from its French name, else 'association'."""
    base = slugify(re.sub(r"^(association|assoc\.?)\s+", "", name or "", flags=re.I))[:60].strip(
        "-"
    )
    base = base or "association"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def create_association(
    *,
    fields_of_activity=(),
    target_groups=(),
    province,
    admins=(),
    members=(),
    user=None,
    **data,
):
    """Create and publish an association (default locale) with its aliases.

    `province` is a slug or a Province; fields and groups are slugs or terms.
    `admins` and `members` are users who act for it.
    """
    if isinstance(province, str):
        province = Province.source_terms().get(slug=province)
    data.setdefault("title", data.get("name_ar") or data.get("name_fr"))
    index = association_index()
    data.setdefault("slug", unique_slug(index, data.get("name_fr") or data.get("acronym")))
    page = AssociationPage(province=province, locale=Locale.get_default(), **data)
    page.fields_of_activity = _terms(FieldOfActivity, fields_of_activity)
    page.target_groups = _terms(TargetGroup, target_groups)
    index.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    sync_new_page(page)
    for person in admins:
        Membership.objects.get_or_create(
            user=person, association=page, defaults={"role": Membership.ADMIN}
        )
    for person in members:
        Membership.objects.get_or_create(
            user=person, association=page, defaults={"role": Membership.MEMBER}
        )
    return page


def _terms(model, values):
    slugs = [value if isinstance(value, str) else value.slug for value in values]
    return list(model.source_terms().filter(slug__in=slugs))
