"""Communications staff (Editors) review specialists' applications, verify
specialists and moderate the feedback of associations."""

from django.db import migrations

PERMISSIONS = [
    "directory.verify_specialist",
    "directory.change_specialistapplication",
    "directory.change_specialistfeedback",
]


def grant_editors(apps, schema_editor):
    from accounts.permissions import grant

    grant(apps, "Editors", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_specialists"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_editors, migrations.RunPython.noop)]
