from django.utils.html import escape

import pytest

from home.models import DocumentTopic, LibraryDocument

pytestmark = pytest.mark.django_db


def test_library_lists_every_document_with_topic_in_the_visitor_language(client):
    body = client.get("/fr/library/").content.decode()
    for document in LibraryDocument.objects.all():
        assert escape(document.title) in body
    assert "Gouvernance et cadre juridique" in body  # topic name in French


def test_library_filters_by_topic_across_locales(client):
    topic_fr = DocumentTopic.objects.get(name="Financement et partenariats")
    body = client.get("/fr/library/", {"topic": str(topic_fr.translation_key)}).content.decode()
    assert "Guide to writing a funding proposal" in body
    assert escape("Modèle de rapport d'activité annuel") not in body


def test_library_filters_by_document_language(client):
    body = client.get("/ar/library/", {"language": "en"}).content.decode()
    assert "Guide to writing a funding proposal" in body
    assert "سجل المنخرطين" not in body


def test_library_search_finds_a_document_by_its_description(client):
    body = client.get("/fr/library/", {"q": "assemblée"}).content.decode()
    assert "Guide : créer et gérer une association au Maroc" in body
    assert "Plan de communication" not in body


@pytest.mark.parametrize(
    "params", [{"topic": "not-a-uuid"}, {"language": "xx"}], ids=["topic", "language"]
)
def test_invalid_library_filters_are_ignored_with_a_notice(client, params):
    response = client.get("/fr/library/", params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "existe pas" in body
    assert escape("Plan de communication d'une association") in body


@pytest.mark.parametrize(
    "query",
    ["x" * 1000, '"(*:^ AND OR NOT -', "\x00\x07ctrl", "جمعية ✨ assoc"],
    ids=["long", "syntax", "control", "mixed"],
)
def test_hostile_library_queries_never_fail(client, query):
    assert client.get("/fr/library/", {"q": query}).status_code == 200


def test_documents_download(client):
    document = LibraryDocument.objects.get(title="Guide to writing a funding proposal")
    response = client.get(document.url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF-1.4")
