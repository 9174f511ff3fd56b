"""django-scheduler's permission callables, importable from settings.

Settings are read before the apps are ready: these wrappers import the models only
when called.
"""


def check_event_permission(event, user):
    from .permissions import check_event_permission as check

    return check(event, user)


def check_calendar_permission(calendar, user):
    from .permissions import check_calendar_permission as check

    return check(calendar, user)


def check_occurrence_permission(occurrence, user):
    from .permissions import check_occurrence_permission as check

    return check(occurrence, user)
