"""The directory's panels on the member dashboard (/<lang>/my/, home/dashboard.py).

- my associations (order 10);
- requests to specialists, in both directions (order 20): those my associations
  sent, and those addressed to me when I am a specialist;
- specialists suggested for my associations (order 30, directory/matching.py).

Each panel costs a constant number of queries, whatever the number of requests.
"""

from django.urls import reverse

from wagtail import hooks
from wagtail.models import Locale

from accounts import roles

from . import matching
from .models import AssociationPage, Membership
from .permissions import is_staff
from .requests import specialist_page_for
from .specialists import SpecialistPage, SpecialistRequest

# Requests shown per list; the full lists are at specialists:requests.
REQUESTS_SHOWN = 8
# Associations for which suggestions are shown, and suggestions per association.
MATCHED_ASSOCIATIONS = 3
SUGGESTIONS = 4


def _memberships(request):
    if not hasattr(request, "_rabita_memberships"):
        request._rabita_memberships = list(
            Membership.objects.filter(user=request.user)
            .select_related("association")
            .order_by("association__title")
        )
    return request._rabita_memberships


def localized_urls(request, pages, model=SpecialistPage):
    """{source page pk: URL of the page in the active language}, in one query."""
    if not pages:
        return {}
    keys = {page.translation_key: page.pk for page in pages}
    localized = model.objects.filter(translation_key__in=keys, locale=Locale.get_active()).only(
        "pk", "url_path", "translation_key", "locale_id"
    )
    urls = {keys[page.translation_key]: page.get_url(request) for page in localized}
    for page in pages:
        urls.setdefault(page.pk, page.get_url(request))
    return urls


@hooks.register("rabita_dashboard_panels")
def my_associations_panel(request):
    memberships = _memberships(request)
    urls = localized_urls(
        request, [membership.association for membership in memberships], AssociationPage
    )
    for membership in memberships:
        membership.association_url = urls.get(membership.association_id, "")
    return {
        "template": "directory/dashboard/associations.html",
        "order": 10,
        "memberships": memberships,
        "is_staff": is_staff(request.user),
    }


@hooks.register("rabita_dashboard_panels")
def specialist_requests_panel(request):
    user = request.user
    association_ids = [membership.association_id for membership in _memberships(request)]
    own_page = specialist_page_for(user)
    if not association_ids and own_page is None:
        if roles.has_role(user, roles.SPECIALISTS):
            # In the Specialists group without a profile yet: where to get one.
            return {
                "template": "directory/dashboard/requests.html",
                "order": 20,
                "apply_url": reverse("specialists:apply"),
                "all_url": reverse("specialists:requests"),
            }
        return None
    related = ("specialist", "association", "requested_by")
    sent = []
    if association_ids:
        sent = list(
            SpecialistRequest.objects.filter(association_id__in=association_ids)
            .select_related(*related)
            .order_by("-created_at", "-pk")[:REQUESTS_SHOWN]
        )
    received, waiting = [], 0
    if own_page is not None:
        received = list(
            SpecialistRequest.objects.filter(specialist=own_page)
            .select_related(*related)
            .order_by("-created_at", "-pk")[:REQUESTS_SHOWN]
        )
        waiting = SpecialistRequest.objects.filter(
            specialist=own_page, status=SpecialistRequest.Status.PENDING
        ).count()
    return {
        "template": "directory/dashboard/requests.html",
        "order": 20,
        "sent": sent,
        "received": received,
        "waiting": waiting,
        "own_page": own_page,
        "is_member": bool(association_ids),
        "all_url": reverse("specialists:requests"),
        "directory_url": reverse("specialists:index"),
    }


@hooks.register("rabita_dashboard_panels")
def suggested_specialists_panel(request):
    memberships = _memberships(request)[:MATCHED_ASSOCIATIONS]
    if not memberships:
        return None
    language = (getattr(request, "LANGUAGE_CODE", "") or "ar")[:2]
    groups = []
    for membership in memberships:
        suggestions = matching.suggest(
            membership.association, language=language, user=request.user, limit=SUGGESTIONS
        )
        if suggestions:
            groups.append({"association": membership.association, "suggestions": suggestions})
    if not groups:
        return None
    urls = localized_urls(
        request, [item.specialist for group in groups for item in group["suggestions"]]
    )
    for group in groups:
        for item in group["suggestions"]:
            item.url = urls.get(item.specialist.pk, "")
            item.request_url = reverse("specialists:request_new", args=[item.specialist.pk])
    return {
        "template": "directory/dashboard/suggestions.html",
        "order": 30,
        "groups": groups,
        "directory_url": reverse("specialists:index"),
    }
