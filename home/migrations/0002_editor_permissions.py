"""Communications staff (Editors) manage the library topics and the site settings."""

from django.db import migrations

PERMISSIONS = [
    "home.add_documenttopic",
    "home.change_documenttopic",
    "home.delete_documenttopic",
    "home.change_sitesettings",
]


def grant_editors(apps, schema_editor):
    from accounts.permissions import grant

    grant(apps, "Editors", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_editors, migrations.RunPython.noop)]
