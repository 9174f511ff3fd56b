from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import DocumentTopic


class DocumentTopicViewSet(SnippetViewSet):
    model = DocumentTopic
    icon = "folder-open-inverse"
    menu_label = DocumentTopic._meta.verbose_name_plural
    list_display = ["name", "sort_order"]
    search_fields = ["name"]


register_snippet(DocumentTopicViewSet)
