"""The documentation library: documents by topic, filtered and searched."""

from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from wagtail.documents import get_document_model
from wagtail.models import Locale

from .models import DocumentTopic
from .text import clean_query

PAGE_SIZE = 20


def library_context(request):
    Document = get_document_model()
    topics = DocumentTopic.objects.filter(locale=Locale.get_active())
    documents = Document.objects.all()
    notices = []

    topic = None
    topic_key = request.GET.get("topic", "")
    if topic_key:
        # Topics are translatable: the filter is the translation key, shared by locales.
        topic = topics.filter(translation_key=topic_key).first() if _is_uuid(topic_key) else None
        if topic is None:
            notices.append(_("The chosen topic does not exist; showing every topic."))
        else:
            same_topic = DocumentTopic.objects.filter(translation_key=topic.translation_key)
            documents = documents.filter(topic_id__in=list(same_topic.values_list("pk", flat=True)))

    language = request.GET.get("language", "")
    language_codes = [code for code, _name in Document._meta.get_field("language").choices]
    if language:
        if language in language_codes:
            documents = documents.filter(language=language)
        else:
            notices.append(_("The chosen language does not exist; showing every language."))
            language = ""

    query = request.GET.get("q", "").strip()[:200]
    terms = clean_query(query)
    if terms:
        documents = documents.search(terms, operator="and")
    else:
        documents = documents.order_by("-created_at")

    paginator = Paginator(documents, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    # Topic names in the visitor's language, whatever locale a document points to.
    names = dict(
        DocumentTopic.objects.filter(locale=Locale.get_active()).values_list(
            "translation_key", "name"
        )
    )
    keys = dict(DocumentTopic.objects.values_list("pk", "translation_key"))
    for document in page_obj:
        document.topic_name = names.get(keys.get(document.topic_id), "")
    return {
        "topics": topics,
        "current_topic": topic,
        "current_language": language,
        "document_languages": Document._meta.get_field("language").choices,
        "query": query,
        "documents": page_obj,
        "notices": notices,
    }


def _is_uuid(value):
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
