"""Specialists suggested to an association, each with the reason it was suggested.

A specialist is suggested when they share a field of activity with the association
or serve its region. Points:

    each shared field of activity      3
    serves the association's region    2   (otherwise works remotely: 1)
    speaks the member's language       1
    available now                      1   (within a month: 0.5)

Ties go to verified specialists, then by name. Specialists with an open request
from the association are left out (it is already talking to them), as is the member
themself. Whatever the number of specialists, suggesting costs the same few queries.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import Q
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


class Candidate(NamedTuple):
    """What scoring reads of a specialist (a row, not a page)."""

    pk: int
    name: str
    verified: bool
    languages: list
    works_remotely: bool
    hours_per_month: int
    next_available: date | None


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
    """The best specialists for `association` (any locale), best first.

    Only the candidates sharing a field or serving the region are read, as plain rows
    (no page objects: with hundreds of specialists, building Wagtail pages was most of
    the dashboard's time); the pages of the `limit` best are fetched at the end."""
    association = association.source_page
    today = today or timezone.localdate()
    wanted_fields = list(association.fields_of_activity.values_list("pk", flat=True))
    region_id = association.region_id
    busy = SpecialistRequest.objects.filter(
        association=association, status__in=SpecialistRequest.OPEN
    ).values("specialist_id")
    listed = (
        SpecialistPage.objects.live()
        .filter(locale=Locale.get_default(), user__isnull=False)
        .exclude(pk__in=busy)
    )
    if user is not None and user.is_authenticated:
        listed = listed.exclude(user=user)
    listed_ids = listed.values("pk")
    shared_of = {}
    for page_id, term_id in FieldsThrough.objects.filter(
        specialistpage_id__in=listed_ids, fieldofactivity_id__in=wanted_fields
    ).values_list("specialistpage_id", "fieldofactivity_id"):
        shared_of.setdefault(page_id, set()).add(term_id)
    in_region = set()
    if region_id:
        in_region = set(
            RegionsThrough.objects.filter(
                specialistpage_id__in=listed_ids, region_id=region_id
            ).values_list("specialistpage_id", flat=True)
        )
    if not shared_of and not in_region:
        return []
    sharing = FieldsThrough.objects.filter(fieldofactivity_id__in=wanted_fields)
    serving = RegionsThrough.objects.filter(region_id=region_id)
    rows = (
        listed.filter(
            Q(pk__in=sharing.values("specialistpage_id"))
            | Q(pk__in=serving.values("specialistpage_id"))
        )
        .order_by()
        .values_list(*Candidate._fields)
    )

    spoken = SPOKEN.get(language, {language})
    scored = []
    for candidate in map(Candidate._make, rows):
        shared = shared_of.get(candidate.pk, set())
        serves_region = candidate.pk in in_region
        if not shared and not serves_region:
            continue
        speaks = bool(spoken & set(candidate.languages))
        if candidate.hours_per_month == 0:
            available = ""
        elif candidate.next_available is None or candidate.next_available <= today:
            available = "now"
        elif candidate.next_available <= today + SOON:
            available = "soon"
        else:
            available = ""
        score = FIELD_POINTS * len(shared)
        score += LANGUAGE_POINTS if speaks else 0
        score += REGION_POINTS if serves_region else REMOTE_POINTS * candidate.works_remotely
        score += {"now": AVAILABLE_NOW_POINTS, "soon": AVAILABLE_SOON_POINTS}.get(available, 0)
        scored.append((candidate, float(score), shared, speaks, serves_region, available))
    scored.sort(
        key=lambda item: (
            -item[1],
            -len(item[2]),
            not item[0].verified,
            item[0].name,
            item[0].pk,
        )
    )
    best = scored[:limit]
    pages = SpecialistPage.objects.filter(pk__in=[item[0].pk for item in best])
    by_id = {page.pk: page for page in pages.select_related("photo")}

    # The reasons, in the active language, for the suggestions shown only.
    field_names = FieldOfActivity.localized_names()
    field_slugs = dict(FieldOfActivity.source_terms().values_list("pk", "slug"))
    region_name = ""
    if region_id:
        slug = Region.objects.filter(pk=region_id).values_list("slug", flat=True).first()
        region_name = Region.localized_names().get(slug, "")
    language_label = dict(Language.choices).get(language, "")
    suggestions = []
    for candidate, score, shared, speaks, serves_region, available in best:
        reasons = []
        if speaks:
            reasons.append(_("speaks %(language)s") % {"language": language_label})
        if serves_region:
            reasons.append(_("works in %(region)s") % {"region": region_name})
        elif candidate.works_remotely:
            reasons.append(_("works remotely"))
        reasons += sorted(field_names.get(field_slugs.get(pk), "") for pk in shared)
        if available == "now":
            reasons.append(_("available now"))
        elif available == "soon":
            reasons.append(_("available within a month"))
        suggestions.append(
            Suggestion(
                by_id[candidate.pk], score, len(shared), [reason for reason in reasons if reason]
            )
        )
    return suggestions
