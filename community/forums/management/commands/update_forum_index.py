"""`manage.py update_forum_index`: haystack's `update_index` for the forum search.

Wagtail's `update_index` comes first in INSTALLED_APPS and shadows haystack's command
of the same name (so does haystack's `rebuild_index`, which calls it): this name is
always haystack's. Rebuild: `rebuild_index --noinput` (ours, see rebuild_index.py).
"""

from haystack.management.commands.update_index import Command as HaystackUpdateIndex


class Command(HaystackUpdateIndex):
    help = "Update the forum search index (haystack, whoosh). Options as haystack's update_index."
