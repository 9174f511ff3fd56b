"""Fields of activity, target groups, regions and provinces in every content language."""

from django.db import migrations


def load_reference_data(apps, schema_editor):
    from directory.reference_data import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
