"""Render stored posts again with our sanitising renderer (community/forums/markup.py):
HTML written by markdown2's safe mode may hold executable payloads."""

from django.db import migrations


def rerender(apps, schema_editor):
    from community.forums.markup import rerender_posts

    rerender_posts()


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0002_forum_structure"),
        ("forum_conversation", "0013_auto_20201220_1745"),
    ]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
