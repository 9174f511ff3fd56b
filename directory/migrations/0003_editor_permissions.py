"""Communications staff (Editors) manage the taxonomies and verify associations."""

from django.db import migrations

PERMISSIONS = [
    f"directory.{action}_{model}"
    for model in ("fieldofactivity", "targetgroup", "region", "province")
    for action in ("add", "change", "delete")
] + ["directory.verify_association"]


def grant_editors(apps, schema_editor):
    from accounts.permissions import grant

    grant(apps, "Editors", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_reference_data"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_editors, migrations.RunPython.noop)]
