"""The forum search index (haystack + whoosh): machina's PostIndex with our text.

Whoosh analyses text as English; we index the folded words and cross-script
skeletons of home.text (`search_keys`) so that Arabic with or without diacritics,
article or letter variants, and French with or without accents all match, and the
search form folds the query the same way (views.ForumSearchForm). Only approved
posts of approved topics are indexed; machina's form keeps results to the forums
the person may read. machina's own index is excluded (HAYSTACK_EXCLUDED_INDEXES).
"""

from haystack import indexes
from machina.apps.forum_search import search_indexes as machina_indexes

from home.text import search_keys


class PostIndex(machina_indexes.PostIndex):
    text = indexes.CharField(document=True)
    topic_keys = indexes.CharField()
    excerpt = indexes.CharField(indexed=False)

    def prepare_text(self, obj):
        return search_keys(obj.subject, obj.topic.subject, obj.content.raw)

    def prepare_topic_keys(self, obj):
        return search_keys(obj.topic.subject)

    def prepare_excerpt(self, obj):
        text = " ".join((obj.content.raw or "").split())
        return text[:300]

    def prepare_forum_name(self, obj):
        return obj.topic.forum.name

    def index_queryset(self, using=None):
        return (
            self.get_model()
            .objects.filter(approved=True, topic__approved=True)
            .select_related("topic__forum", "poster")
        )

    def read_queryset(self, using=None):
        return self.index_queryset(using).select_related("topic", "poster")
