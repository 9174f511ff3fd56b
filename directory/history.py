"""Who changed what in an association: Wagtail log actions on its (Arabic source) page.

Membership changes and front-end edits are logged with `wagtail.log_actions.log`, so
they appear in the page's history in the Wagtail admin next to Wagtail's own
entries (edits, publications, workflow steps), and on the members page.

Wagtail refuses to save a log entry whose action is not registered. The actions are
registered by the `register_log_actions` hook below; `record()` also registers them
when Wagtail scanned its hooks before this module was imported (a management
command logging before the URLconf was loaded, for instance).
"""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as wagtail_log
from wagtail.log_actions import registry as log_registry
from wagtail.models import PageLogEntry

PROFILE_EDITED = "rabita.profile_edited"
PROFILE_SUBMITTED = "rabita.profile_submitted"
MEMBER_INVITED = "rabita.member_invited"
INVITATION_WITHDRAWN = "rabita.invitation_withdrawn"
INVITATION_ACCEPTED = "rabita.invitation_accepted"
MEMBER_REMOVED = "rabita.member_removed"
MEMBER_LEFT = "rabita.member_left"
ROLE_CHANGED = "rabita.role_changed"


def _role_label(role):
    from .models import Membership

    return dict(Membership.ROLE_CHOICES).get(role, role)


def _field_label(name):
    from django.core.exceptions import FieldDoesNotExist

    from .models import AssociationPage

    try:
        return str(AssociationPage._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


class _RabitaFormatter(LogFormatter):
    """Formats a message from the entry's data; never fails on old or partial data."""

    template = ""

    def params(self, data):
        return {
            "name": data.get("name") or "?",
            "email": data.get("email") or "?",
            "role": _role_label(data.get("role", "")),
            "old_role": _role_label(data.get("old_role", "")),
            "fields": ", ".join(_field_label(name) for name in data.get("fields") or []) or "—",
        }

    def format_message(self, log_entry):
        try:
            return self.template % self.params(log_entry.data or {})
        except (KeyError, TypeError, ValueError):
            return self.label


class ProfileEditedFormatter(_RabitaFormatter):
    label = _("Association profile: edit")
    template = _("Profile edited on the site and published (%(fields)s)")


class ProfileSubmittedFormatter(_RabitaFormatter):
    label = _("Association profile: submit for approval")
    template = _("Profile edited on the site, awaiting approval (%(fields)s)")


class MemberInvitedFormatter(_RabitaFormatter):
    label = _("Association: invite")
    template = _("Invited %(email)s as %(role)s")


class InvitationWithdrawnFormatter(_RabitaFormatter):
    label = _("Association: withdraw invitation")
    template = _("Withdrew the invitation sent to %(email)s")


class InvitationAcceptedFormatter(_RabitaFormatter):
    label = _("Association: join")
    template = _("%(name)s accepted the invitation and joined as %(role)s")


class MemberRemovedFormatter(_RabitaFormatter):
    label = _("Association: remove member")
    template = _("Removed %(name)s (%(old_role)s)")


class MemberLeftFormatter(_RabitaFormatter):
    label = _("Association: leave")
    template = _("%(name)s left the association")


class RoleChangedFormatter(_RabitaFormatter):
    label = _("Association: change role")
    template = _("%(name)s is now %(role)s (was %(old_role)s)")


FORMATTERS = {
    PROFILE_EDITED: ProfileEditedFormatter,
    PROFILE_SUBMITTED: ProfileSubmittedFormatter,
    MEMBER_INVITED: MemberInvitedFormatter,
    INVITATION_WITHDRAWN: InvitationWithdrawnFormatter,
    INVITATION_ACCEPTED: InvitationAcceptedFormatter,
    MEMBER_REMOVED: MemberRemovedFormatter,
    MEMBER_LEFT: MemberLeftFormatter,
    ROLE_CHANGED: RoleChangedFormatter,
}


@hooks.register("register_log_actions")
def register_association_log_actions(actions):
    for action, formatter in FORMATTERS.items():
        if action not in actions.formatters:
            actions.register_action(action)(formatter)


def _ensure_registered():
    log_registry.scan_for_actions()
    if PROFILE_EDITED not in log_registry.formatters:
        register_association_log_actions(log_registry)


def record(page, action, user, **data):
    """Log `action` on the association (its source page) by `user`, with `data`."""
    _ensure_registered()
    source = page.source_page if hasattr(page, "source_page") else page
    return wagtail_log(instance=source, action=action, user=user, data=data)


def recent_changes(page, limit=10):
    """The latest history entries of the association: ours and Wagtail's."""
    _ensure_registered()
    entries = list(
        PageLogEntry.objects.filter(page_id=page.source_page.pk)
        .select_related("user")
        .order_by("-timestamp", "-pk")[:limit]
    )
    return entries
