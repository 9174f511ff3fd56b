"""Creating specialists' pages in code: the directory page and the profiles.

Used by the approval of applications (specialist_admin), the demo data and tests.
Like associations (creation.py), profiles are published in the default locale with
synchronised aliases in the other languages.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify

from wagtail.models import Locale

from accounts import roles
from home.models import HomePage
from home.translation import sync_new_page, translate_page

from .specialists import SpecialistIndexPage, SpecialistPage
from .taxonomies import FieldOfActivity, Region

INDEX_TITLES = {
    "ar": "المتخصصون",
    "fr": "Spécialistes",
    "en": "Specialists",
}
INDEX_INTROS = {
    "ar": "متخصصون في القطاع الاجتماعي يضعون خبرتهم رهن إشارة الجمعيات: اطلبوا دعمهم مباشرة من المنصة.",
    "fr": "Des spécialistes du secteur social mettent leur expertise au service des associations : demandez leur appui directement sur la plateforme.",
    "en": "Specialists of the social sector offer their expertise to associations: ask for their support directly on the platform.",
}
# Addresses under /specialists/ served by specialist_urls: never a profile's slug.
RESERVED_SLUGS = {"apply", "availability", "requests", "request", "applications", "cv"}


def specialist_index():
    """The specialists' directory page in the default locale, created if missing."""
    default = Locale.get_default()
    index = SpecialistIndexPage.objects.filter(locale=default).first()
    if index is not None:
        return index
    home = HomePage.objects.get(locale=default)
    index = home.add_child(
        instance=SpecialistIndexPage(
            title=INDEX_TITLES.get(default.language_code, INDEX_TITLES["ar"]),
            slug="specialists",
            intro=INDEX_INTROS.get(default.language_code, ""),
        )
    )
    index.save_revision().publish()
    for locale in Locale.objects.exclude(pk=default.pk):
        code = locale.language_code
        translate_page(
            index, code, title=INDEX_TITLES.get(code, index.title), intro=INDEX_INTROS.get(code, "")
        )
    return SpecialistIndexPage.objects.get(pk=index.pk)


def unique_slug(parent, name, taken=None):
    """A readable Latin slug from the name, never one of RESERVED_SLUGS."""
    base = slugify(name or "")[:60].strip("-") or "specialist"
    if taken is None:
        taken = set(
            parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True)
        )
    slug, number = base, 2
    while slug in taken or slug in RESERVED_SLUGS:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def create_specialist(
    *,
    user=None,
    fields_of_activity=(),
    regions=(),
    slug=None,
    slug_hint="",
    publisher=None,
    **data,
):
    """Create and publish a specialist's page (default locale) with its aliases, and
    put its account in the Specialists group. Fields and regions: slugs or terms."""
    index = specialist_index()
    data.setdefault("title", data.get("name"))
    page = SpecialistPage(
        user=user,
        locale=Locale.get_default(),
        slug=slug or unique_slug(index, slug_hint or data.get("name")),
        **data,
    )
    page.fields_of_activity = _terms(FieldOfActivity, fields_of_activity)
    page.regions = _terms(Region, regions)
    index.add_child(instance=page)
    page.save_revision(user=publisher).publish(user=publisher)
    sync_new_page(page)
    if user is not None:
        user.groups.add(Group.objects.get(name=roles.SPECIALISTS))
    return page


def _terms(model, values):
    slugs = [value if isinstance(value, str) else value.slug for value in values]
    return list(model.source_terms().filter(slug__in=slugs))
