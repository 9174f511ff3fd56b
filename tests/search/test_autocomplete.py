import pytest

pytestmark = pytest.mark.django_db


def suggestions(client, query, language="fr"):
    response = client.get(f"/{language}/search/autocomplete/", {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


@pytest.mark.parametrize(
    "typed",
    [
        "ساعة الف",
        "الفر",
        "فر",
        "جَمعية ساعة",
        "sa3at lf",
        "l'heure jo",
        "l’Heure",
        "heure joy",
        "AH",
    ],
)
def test_prefixes_in_every_spelling_suggest_the_association(client, typed):
    names = [result["name"] for result in suggestions(client, typed)]
    assert "Association L'Heure Joyeuse" in names


def test_suggestions_carry_both_names_and_the_localised_url(client):
    result = suggestions(client, "heure joy", language="ar")[0]
    assert result["name"] == "جمعية ساعة الفرح"  # Arabic interface: Arabic name first
    assert result["other_name"] == "Association L'Heure Joyeuse"
    assert result["acronym"] == "AHJ"
    assert result["url"] == "/ar/associations/lheure-joyeuse/"


@pytest.mark.parametrize("typed", ["ا", "a", "m"])
def test_at_most_ten_suggestions(client, typed):
    assert len(suggestions(client, typed)) <= 10


@pytest.mark.parametrize(
    "typed", ["جمعي", "جمعية", "Associa", "association", "a", "ا", "Al A", "association al"]
)
def test_a_word_in_every_name_suggests_nothing_until_a_telling_letter(client, typed):
    assert suggestions(client, typed) == []


@pytest.mark.parametrize("typed", ["heure j", "ساعة ا", "sa3at l"])
def test_a_last_letter_alone_still_suggests_from_the_words_before(client, typed):
    names = [result["name"] for result in suggestions(client, typed)]
    assert "Association L'Heure Joyeuse" in names


@pytest.mark.parametrize(
    "hostile",
    ["", " ", '"(*:^', "AND OR NOT", "\x00\x07", "x" * 3000, "😀", "<script>alert(1)</script>"],
)
def test_hostile_input_never_fails(client, hostile):
    assert isinstance(suggestions(client, hostile), list)


def test_unpublished_associations_are_never_suggested(client):
    from directory.models import AssociationPage

    page = AssociationPage.objects.get(registration_number="DEMO-001", locale__language_code="fr")
    assert suggestions(client, "tifaw")
    page.unpublish()
    assert suggestions(client, "tifaw") == []


def test_header_search_box_is_wired_for_suggestions(client):
    body = client.get("/fr/").content.decode()
    assert 'data-autocomplete="/fr/search/autocomplete/"' in body
    assert "js/autocomplete.js" in body
