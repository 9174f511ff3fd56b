"""Who may do what with projects and activities. Every view of projects/ asks here.

An association's members (any role) and communications staff edit its projects and
activities, post progress updates and see its attendee lists; members-only
activities are shown to the association's members and staff only.
"""

from directory.permissions import is_member, is_staff


def can_edit(user, association):
    """Edit the projects and activities of `association` (any locale)."""
    if user is None or not user.is_authenticated:
        return False
    return is_staff(user) or is_member(user, association)


def can_see_activity(user, activity):
    if activity.is_public:
        return True
    return can_edit(user, activity.association)


def _scheduler_staff_only(user):
    return user is not None and user.is_authenticated and is_staff(user)


# django-scheduler's own views are not mounted; should one ever be, only staff could
# change anything through it (settings: CHECK_*_PERM_FUNC).
def check_event_permission(event, user):
    if event is not None and hasattr(event, "activity"):
        return can_edit(user, event.activity.association)
    return _scheduler_staff_only(user)


def check_calendar_permission(calendar, user):
    return _scheduler_staff_only(user)


def check_occurrence_permission(occurrence, user):
    return check_event_permission(occurrence.event, user)
