"""An association's public profile: what its page shows, its JSON-LD, its sections.

`profile_context(request, page)` gathers everything the template
templates/directory/association_page.html needs, with a constant number of queries
whatever the number of fields of activity or target groups. The template gets it
through the `association_profile` tag (directory_tags).

Sections added by other apps: the `rabita_association_sections` hook
---------------------------------------------------------------------
Projects, activities, forum activity, "send a message"… add a section to every profile
by registering a function with this Wagtail hook in their app's wagtail_hooks.py:

    from wagtail import hooks
from wagtail.images.models import SourceImageIOError

    @hooks.register("rabita_association_sections")
    def projects_section(request, page):
        projects = list(ProjectPage.objects.live().child_of(page)[:6])
        if not projects:
            return None  # nothing to show: no section
        return {
            "template": "projects/includes/association_projects.html",
            "order": 20,  # sections are shown by increasing order (default 100)
            "context": {"projects": projects},
        }

The function receives the request and the AssociationPage being shown, in any locale
(`page.source_page` is the default-locale page memberships point to). Its template is
rendered inside the profile with the page's context plus `section` (the dict itself)
and the entries of `context`. Start it with an <h2> and keep its queries constant.
"""

import json

from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.images.models import SourceImageIOError

from .models import (
    AssociationIndexPage,
    FieldOfActivity,
    Province,
    Region,
    SizeCategory,
    TargetGroup,
)
from .permissions import can_manage

SECTIONS_HOOK = "rabita_association_sections"
LOGO_FILTER = "max-240x240"

SIZE_MEANINGS = {
    SizeCategory.SMALL: _(
        "fewer than 50 members, at most 2 paid staff, fewer than 20 volunteers "
        "and an annual budget under 250,000 MAD"
    ),
    SizeCategory.MEDIUM: _("between a small and a large association"),
    SizeCategory.LARGE: _(
        "500 members or more, 20 paid staff or more, 200 volunteers or more, "
        "or an annual budget over 1,000,000 MAD"
    ),
}

SOCIAL_LINKS = (
    ("facebook_url", "Facebook"),
    ("instagram_url", "Instagram"),
    ("linkedin_url", "LinkedIn"),
    ("youtube_url", "YouTube"),
)

# The characters json_script escapes, so that the JSON cannot close the <script>.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def profile_context(request, page):
    """Everything the profile shows, beyond the page's own fields."""
    name, other_name = official_names(page)
    place = _place(page)
    index = AssociationIndexPage.objects.parent_of(page).first()
    index_url = index.get_url(request) if index else ""
    fields = _terms(FieldOfActivity, page.fields_of_activity, index_url, "field")
    groups = _terms(TargetGroup, page.target_groups, index_url, "group")
    context = {
        "name": name,
        "other_name": other_name,
        "logo": _logo(page),
        "index_url": index_url,
        "fields": fields,
        "groups": groups,
        "place": place,
        "map_url": _map_url(index, index_url, place),
        "size_meaning": SIZE_MEANINGS.get(page.size_category, ""),
        "phone_display": phone_display(page.phone),
        "social_links": [
            {"url": getattr(page, attname), "label": label}
            for attname, label in SOCIAL_LINKS
            if getattr(page, attname)
        ],
        "last_updated": page.last_updated,
        "manage_links": manage_links(request, page),
        "sections": association_sections(request, page),
    }
    context["jsonld"] = jsonld_script(association_jsonld(request, page, context))
    return context


def _logo(page):
    """The logo's rendition, or None (no logo, or its file is missing: no broken page)."""
    if not page.logo_id:
        return None
    try:
        return page.logo.get_rendition(LOGO_FILTER)
    except SourceImageIOError:
        return None


def official_names(page):
    """The display name and the other official name, each with its language and direction."""
    display = page.display_name
    other = page.other_name
    return _name(page, display), (_name(page, other) if other else None)


def _name(page, text):
    arabic = text == page.name_ar
    return {"text": text, "lang": "ar" if arabic else "fr", "dir": "rtl" if arabic else "ltr"}


def _terms(model, manager, index_url, parameter):
    """[{slug, name, url}] of the page's terms, named in the active language."""
    slugs = list(manager.values_list("slug", flat=True))
    if not slugs:
        return []
    names = model.localized_names()
    return [
        {
            "slug": slug,
            "name": names.get(slug, slug),
            "url": f"{index_url}?{parameter}={slug}" if index_url else "",
        }
        for slug in slugs
    ]


def _place(page):
    """Region and province names in the active language, and the coordinates to show."""
    province = (
        Province.objects.filter(pk=page.province_id)
        .values("slug", "latitude", "longitude", "region__slug")
        .first()
    )
    if province is None:  # pragma: no cover - the province is required
        return None
    province_names = Province.localized_names()
    region_names = Region.localized_names()
    precise = page.latitude is not None and page.longitude is not None
    latitude = page.latitude if precise else province["latitude"]
    longitude = page.longitude if precise else province["longitude"]
    return {
        "province_slug": province["slug"],
        "province": province_names.get(province["slug"], province["slug"]),
        "region_slug": province["region__slug"],
        "region": region_names.get(province["region__slug"], province["region__slug"]),
        "latitude": float(latitude),
        "longitude": float(longitude),
        # Morocco lies north of the equator and west of Greenwich: shown as ° N, ° W.
        "latitude_display": f"{abs(float(latitude)):.4f}",
        "longitude_display": f"{abs(float(longitude)):.4f}",
        "precise": precise,
    }


def _map_url(index, index_url, place):
    """The directory map showing the associations of the province (it fits the map to them)."""
    if index is None or place is None:
        return ""
    return f"{index_url}{index.reverse_subpage('map')}?province={place['province_slug']}"


def phone_display(phone):
    """'+212522241890' → '+212 5 22 24 18 90' (a stored number is always normalised)."""
    if phone.startswith("+212") and len(phone) == 13:
        digits = phone[4:]
        return f"+212 {digits[0]} {digits[1:3]} {digits[3:5]} {digits[5:7]} {digits[7:9]}"
    return phone


def manage_links(request, page):
    """'Edit the profile' and 'Members' for the association's admins and staff.

    The views live in manage_urls; a missing URL hides its link rather than break
    the page.
    """
    user = getattr(request, "user", None)
    if user is None or not can_manage(user, page):
        return []
    source_pk = page.alias_of_id or page.source_page.pk
    links = []
    for url_name, label in (
        ("manage:edit", _("Edit the profile")),
        ("manage:members", _("Members")),
    ):
        try:
            links.append({"url": reverse(url_name, args=[source_pk]), "label": label})
        except NoReverseMatch:
            continue
    return links


def association_sections(request, page):
    """The sections of the `rabita_association_sections` hook, by increasing order
    (none on the preview of a profile not saved yet: projects, forums and messages
    belong to a saved association)."""
    sections = []
    if page.pk is None:
        return sections
    for section_for in hooks.get_hooks(SECTIONS_HOOK):
        section = section_for(request, page)
        if section:
            sections.append(section)
    return sorted(sections, key=lambda section: section.get("order", 100))


# ---------------------------------------------------------------------------
# JSON-LD (schema.org NGO)
# ---------------------------------------------------------------------------
def association_jsonld(request, page, context):
    """The association as a schema.org NGO: public profile data only."""
    name = context["name"]["text"]
    alternate = [
        context["other_name"]["text"] if context["other_name"] else "",
        page.acronym,
        *page.other_spelling_list(),
    ]
    alternate_names = []
    for value in alternate:
        if value and value != name and value not in alternate_names:
            alternate_names.append(value)
    place = context["place"] or {}
    data = {
        "@context": "https://schema.org",
        "@type": "NGO",
        "name": name,
        "alternateName": alternate_names,
        "description": page.short_description,
        "url": request.build_absolute_uri(page.get_url(request)),
        "address": _without_empty(
            {
                "@type": "PostalAddress",
                "streetAddress": page.address,
                "addressLocality": page.city,
                "addressRegion": place.get("region", ""),
                "addressCountry": "MA",
            }
        ),
        "email": page.email,
        "telephone": page.phone,
        "foundingDate": str(page.founded_year) if page.founded_year else "",
        "sameAs": [
            url for url in [page.website, *(link["url"] for link in context["social_links"])] if url
        ],
    }
    if context["logo"] is not None:
        data["logo"] = request.build_absolute_uri(context["logo"].url)
    if place.get("precise"):
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": place["latitude"],
            "longitude": place["longitude"],
        }
    if place.get("province"):
        data["areaServed"] = {"@type": "AdministrativeArea", "name": place["province"]}
    return _without_empty(data)


def _without_empty(data):
    return {key: value for key, value in data.items() if value not in ("", None, [], {})}


def jsonld_script(data):
    """<script type="application/ld+json">, escaped like Django's json_script."""
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
