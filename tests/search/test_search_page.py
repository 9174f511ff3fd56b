import pytest

from directory.models import AssociationPage
from directory.taxonomies import FieldOfActivity

pytestmark = pytest.mark.django_db


def results_heading(body):
    return body.split('id="directory-results-heading">')[1].split("<")[0]


def test_darija_query_finds_the_association_and_highlights_its_name(client):
    response = client.get("/fr/search/", {"q": "sa3at lfarah"})
    assert response.status_code == 200
    body = response.content.decode()
    assert results_heading(body) == "1 association"
    assert "/fr/associations/lheure-joyeuse/" in body
    assert "<mark>" in body


def test_associations_matching_every_word_come_alone_then_any_word(client):
    marrakech = "/ar/associations/al-amal-des-diabetiques/"
    haouz = "/ar/associations/al-amal-pour-le-developpement-et-la-cooperation/"
    body = client.get("/ar/search/", {"q": "الأمل مراكش"}).content.decode()
    assert marrakech in body and haouz not in body
    body = client.get("/ar/search/", {"q": "الأمل"}).content.decode()
    assert marrakech in body and haouz in body
    # No association has every word: any word will do.
    body = client.get("/ar/search/", {"q": "الأمل زنزيبار"}).content.decode()
    assert marrakech in body and haouz in body


def test_search_combines_with_the_directory_filters_and_keeps_the_query(client):
    region = AssociationPage.objects.get(
        registration_number="DEMO-008", locale__language_code="fr"
    ).region.slug
    response = client.get("/fr/search/", {"q": "الأمل", "region": region})
    body = response.content.decode()
    assert '<input type="hidden" name="q" value="الأمل">' in body
    for page in AssociationPage.objects.filter(
        locale__language_code="fr", name_ar__contains="الأمل"
    ):
        assert (page.url in body) is (page.region.slug == region)


def test_the_relevance_order_sent_back_by_the_form_is_understood(client):
    # The sort menu's selected option, "relevance", comes back with every filter.
    chosen = client.get("/fr/search/", {"q": "الأمل", "sort": "relevance", "size": "small"})
    default = client.get("/fr/search/", {"q": "الأمل", "size": "small"})
    assert chosen.context["filters"].sort == "relevance"
    assert not chosen.context["notices"]
    assert [page.pk for page in chosen.context["associations"]] == [
        page.pk for page in default.context["associations"]
    ]
    # The query emptied, the menu still on "relevance": the directory's order, quietly.
    emptied = client.get("/fr/search/", {"q": "", "sort": "relevance"})
    assert emptied.context["filters"].sort == "name"
    assert not emptied.context["notices"]


def test_empty_query_lists_every_association_with_facets(client):
    body = client.get("/fr/search/").content.decode()
    total = AssociationPage.objects.live().filter(locale__language_code="fr").count()
    assert results_heading(body) == f"{total} associations"
    assert "facet--region" in body


def test_no_match_gives_help_not_an_error(client):
    response = client.get("/fr/search/", {"q": "heure joyeuze", "region": "oriental"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Search again without the filters" in body or "sans les filtres" in body


def test_closest_names_are_offered(client):
    body = client.get("/fr/search/", {"q": "Tizawin"}).content.decode()
    assert results_heading(body) == "0 association"
    assert "/fr/associations/tifawin-pour-la-culture-et-le-developpement/" in body


def test_content_pages_are_found_too(client):
    body = client.get("/fr/search/", {"q": "données personnelles"}).content.decode()
    assert "/fr/privacy/" in body


@pytest.mark.parametrize(
    "hostile",
    [
        "x" * 1000,
        '"(*:^ AND OR NOT -',
        "\x00\x07",
        "جمعية ✨ assoc 😀",
        "<script>alert(1)</script>",
    ],
    ids=["long", "syntax", "control", "mixed", "markup"],
)
def test_hostile_queries_never_fail(client, hostile):
    response = client.get("/ar/search/", {"q": hostile, "page": "abc", "size": "huge"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_unpublished_associations_are_never_found(client):
    page = AssociationPage.objects.get(registration_number="DEMO-001", locale__language_code="fr")
    page.unpublish()
    body = client.get("/fr/search/", {"q": "tifawin"}).content.decode()
    results = body.split('id="directory-results"')[1].split("</section>")[0]
    assert "tifawin-pour-la-culture" not in results


def test_projects_are_found_too(client):
    response = client.get("/fr/search/", {"q": "participation citoyenne quartiers"})
    urls = [page.url for page in response.context["other_pages"]]
    assert "/fr/associations/lheure-joyeuse/youth-citizen-participation/" in urls


def test_a_field_and_a_province_typed_in_french_find_the_associations(client, make_association):
    page = make_association(
        name_ar="جمعية زركاطونة",
        name_fr="Zerkatouna",
        fields_of_activity=["health"],
        province="fes",
    )
    alias = AssociationPage.objects.get(
        translation_key=page.translation_key, locale__language_code="fr"
    )
    assert alias.url in client.get("/fr/search/", {"q": "santé Fès"}).content.decode()

    # Its field changes: the French directory follows.
    page.fields_of_activity = [FieldOfActivity.objects.get(slug="sport", locale=page.locale)]
    page.save_revision().publish()
    assert alias.url not in client.get("/fr/search/", {"q": "santé Fès"}).content.decode()
    assert alias.url in client.get("/fr/search/", {"q": "sport Fès"}).content.decode()
