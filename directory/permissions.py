"""Who may do what with an association. Every view of the directory asks here."""

from .models import Membership


def membership(user, page):
    """The user's membership of the association `page` (any locale), or None."""
    if not user.is_authenticated:
        return None
    return Membership.objects.for_association(page).filter(user=user).first()


def is_member(user, page):
    return membership(user, page) is not None


def is_staff(user):
    """Communications staff and superusers act for any association."""
    return user.is_authenticated and (
        user.is_superuser or user.has_perm("wagtailadmin.access_admin")
    )


def can_manage(user, page):
    """Edit the profile, invite and remove people: the association's admins and staff."""
    if is_staff(user):
        return True
    found = membership(user, page)
    return found is not None and found.is_admin
