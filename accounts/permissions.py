"""Granting model permissions to a role from a data migration.

On a fresh database, permissions are created after all migrations (post_migrate),
so a data migration creates those of the apps it needs first.
"""

from django.contrib.auth.management import create_permissions


def grant(apps, group_name, permissions):
    """Give `group_name` the permissions named "app_label.codename"."""
    for label in {permission.split(".")[0] for permission in permissions}:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for permission in permissions:
        app_label, codename = permission.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
