"""`manage.py rebuild_index`: haystack's, rebuilding the forum search index.

haystack's own command clears the index, then calls `update_index`, which is
Wagtail's here (it comes first in INSTALLED_APPS): the forum index was left empty.
This app comes before both, so its command answers to the name.
"""

from django.core.management import call_command

from haystack.management.commands.rebuild_index import Command as HaystackRebuildIndex


class Command(HaystackRebuildIndex):
    help = "Clear and rebuild the forum search index (haystack, whoosh)."

    def handle(self, **options):
        clear_options = {
            k: v for k, v in options.items() if k not in ("batchsize", "workers", "max_retries")
        }
        update_options = {k: v for k, v in options.items() if k != "interactive"}
        call_command("clear_index", **clear_options)
        call_command("update_forum_index", **update_options)
