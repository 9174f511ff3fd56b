"""Build the forum tree and its permissions for the data already there.

Uses the live models on purpose: machina's Forum is an MPTT tree, whose historical
model cannot maintain the tree fields, and community/forums/structure.py is the one
place that knows the rules (the receivers in signals.py use it too).
"""

from django.db import migrations


def build(apps, schema_editor):
    from community.forums.structure import ensure_structure

    ensure_structure()


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0001_initial"),
        ("forum", "0011_auto_20190627_2132"),
        ("forum_permission", "0005_userforumpermission_authenticated_user"),
        ("accounts", "0002_roles"),
        ("directory", "0005_specialist_permissions"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
