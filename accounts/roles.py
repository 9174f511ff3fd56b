"""The portal's roles, as Django groups created by a data migration.

- Editors: communications staff; they reach the Wagtail admin and publish content.
- Moderators: moderate forums and messages; no Wagtail admin access.
- Members: people acting for a member association.
- Specialists: specialists of the social sector.
"""

EDITORS = "Editors"
MODERATORS = "Moderators"
MEMBERS = "Members"
SPECIALISTS = "Specialists"

ALL_ROLES = [EDITORS, MODERATORS, MEMBERS, SPECIALISTS]


def has_role(user, role):
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=role).exists()
