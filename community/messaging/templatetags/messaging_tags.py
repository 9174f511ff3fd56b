from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_messages(context):
    """The signed-in user's unread count (one query per request, header and menu)."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_rabita_unread", None) if request is not None else None
    if cached is None:
        from community.messaging.notifier import unread_count

        cached = unread_count(user)
        if request is not None:
            request._rabita_unread = cached
    return cached
