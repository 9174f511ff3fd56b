"""Sections of private messages on profiles and the dashboard."""

from django.urls import reverse

from wagtail import hooks

from postman.models import Message

from . import rules


@hooks.register("rabita_association_sections")
def send_message_to_association(request, page):
    """ "Send a message" on an association's profile: it reaches its admins."""
    user = request.user
    if user.is_authenticated:
        source = page.source_page
        if rules.is_association_admin(user, source.pk):
            return None  # its own admins read its messages in their inbox
    if not rules.association_admins(page):
        return None
    return {
        "template": "postman/includes/association_section.html",
        "order": 90,
        "context": {
            "write_url": reverse("postman:write_association", args=[page.pk]),
            "can_write": user.is_authenticated and rules.can_write(user),
            "signed_in": user.is_authenticated,
            "name": page.display_name,
        },
    }


@hooks.register("rabita_specialist_sections")
def send_message_to_specialist(request, page):
    """ "Send a message" on a specialist's profile: it reaches the specialist."""
    specialist = getattr(page, "user", None)
    if specialist is None and hasattr(page, "source_page"):
        # A translation may leave the account to the page in the default locale.
        specialist = getattr(page.source_page, "user", None)
    if specialist is None or not getattr(specialist, "is_active", False):
        return None
    user = request.user
    if user.is_authenticated and user.pk == specialist.pk:
        return None
    return {
        "template": "postman/includes/specialist_section.html",
        "order": 90,
        "context": {
            "write_url": reverse("postman:write", args=[specialist.pk]),
            "can_write": user.is_authenticated and rules.can_write(user),
            "signed_in": user.is_authenticated,
            "name": specialist.public_name,
        },
    }


@hooks.register("rabita_dashboard_panels")
def messages_panel(request):
    """Unread messages and the latest conversations."""
    user = request.user
    latest = list(Message.objects.inbox(user)[:5])
    rules.annotate_parties(latest, user)
    return {
        "template": "postman/includes/dashboard_panel.html",
        "order": 30,
        "unread_count": Message.objects.inbox_unread_count(user),
        "latest": latest,
    }
