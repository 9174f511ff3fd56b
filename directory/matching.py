"""Specialists suggested to an association, each with the reason it was suggested.

A specialist is suggested when they share a field of activity with the association
or serve its region. Points:

    each shared field of activity      3
    serves the association's region    2   (otherwise works remotely: 1)
    speaks the member's language       1
    available now                      1   (within a month: 0.5)

Ties go to verified specialists, then by name. Specialists with an open request
from the association are left out (it is already talking to them), as is the member
themself. Whatever the number of specialists, suggesting costs five queries.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wagtail.models import Locale

from .specialists import Language, SpecialistPage, SpecialistRequest
from .taxonomies import FieldOfActivity, Region

FIELD_POINTS = 3
REGION_POINTS = 2
REMOTE_POINTS = 1
LANGUAGE_POINTS = 1
AVAILABLE_NOW_POINTS = 1
AVAILABLE_SOON_POINTS = 0.5
SOON = timedelta(days=31)
# The interface languages and the languages a specialist may speak that serve them.
SPOKEN = {"ar": {"ar", "ary"}, "fr": {"fr"}, "en": {"en"}}

FieldsThrough = SpecialistPage.fields_of_activity.through
RegionsThrough = SpecialistPage.regions.through


@dataclass
class Suggestion:
    specialist: SpecialistPage
    score: float
    shared_fields: int
    reasons: list = field(default_factory=list)

    @property
    def reason_text(self):
        return pgettext("list separator", ", ").join(str(reason) for reason in self.reasons)


def suggest(association, *, language="ar", user=None, limit=5, today=None):
    """The best specialists for `association` (any locale), best first."""
    association = association.source_page
    today = today or timezone.localdate()
    wanted_fields = set(association.fields_of_activity.values_list("pk", flat=True))
    region_id = association.region_id
    busy = SpecialistRequest.objects.filter(
        association=association, status__in=SpecialistRequest.OPEN
    ).values("specialist_id")
    candidates = (
        SpecialistPage.objects.live()
        .filter(locale=Locale.get_default(), user__isnull=False)
        .exclude(pk__in=busy)
        .select_related("photo")
    )
    if user is not None and user.is_authenticated:
        candidates = candidates.exclude(user=user)
    candidates = list(candidates)
    ids = [page.pk for page in candidates]
    fields_of = {}
    for page_id, term_id in FieldsThrough.objects.filter(specialistpage_id__in=ids).values_list(
        "specialistpage_id", "fieldofactivity_id"
    ):
        fields_of.setdefault(page_id, set()).add(term_id)
    regions_of = {}
    for page_id, term_id in RegionsThrough.objects.filter(specialistpage_id__in=ids).values_list(
        "specialistpage_id", "region_id"
    ):
        regions_of.setdefault(page_id, set()).add(term_id)

    field_names = FieldOfActivity.localized_names()
    field_slugs = dict(FieldOfActivity.source_terms().values_list("pk", "slug"))
    region_name = ""
    if region_id:
        slug = Region.objects.filter(pk=region_id).values_list("slug", flat=True).first()
        region_name = Region.localized_names().get(slug, "")
    language_label = dict(Language.choices).get(language, "")
    spoken = SPOKEN.get(language, {language})

    suggestions = []
    for page in candidates:
        shared = wanted_fields & fields_of.get(page.pk, set())
        serves_region = region_id in regions_of.get(page.pk, set())
        if not shared and not serves_region:
            continue
        score, reasons = 0.0, []
        if spoken & set(page.languages):
            score += LANGUAGE_POINTS
            reasons.append(_("speaks %(language)s") % {"language": language_label})
        if serves_region:
            score += REGION_POINTS
            reasons.append(_("works in %(region)s") % {"region": region_name})
        elif page.works_remotely:
            score += REMOTE_POINTS
            reasons.append(_("works remotely"))
        score += FIELD_POINTS * len(shared)
        reasons += sorted(field_names.get(field_slugs.get(pk), "") for pk in shared)
        if page.available_now(today):
            score += AVAILABLE_NOW_POINTS
            reasons.append(_("available now"))
        elif page.hours_per_month > 0 and page.next_available <= today + SOON:
            score += AVAILABLE_SOON_POINTS
            reasons.append(_("available within a month"))
        suggestions.append(
            Suggestion(page, score, len(shared), [reason for reason in reasons if reason])
        )
    suggestions.sort(
        key=lambda item: (
            -item.score,
            -item.shared_fields,
            not item.specialist.verified,
            item.specialist.name,
            item.specialist.pk,
        )
    )
    return suggestions[:limit]
