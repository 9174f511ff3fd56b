"""An index on Wagtail's page table for the main navigation (home/navigation.py).

The menu is the home page's children shown in menus: `child_of()` filters on a path
prefix that covers every page of the language (the directory's associations are
under the home page too) and on `depth`, which has no index: with 100,000
associations PostgreSQL read every page of the locale, about 50 ms on each request.
(locale, depth) finds the few pages one level below the home pages directly.
"""

from django.db import migrations

INDEX = "home_page_locale_depth_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_editor_permissions"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (locale_id, depth)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
