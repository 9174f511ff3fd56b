"""home.indexing.add_items writes the same index entries as modelsearch's own
PostgreSQL index does, faster (directory/generate.py and rebuild_search_index use it)."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

import pytest

from directory.models import AssociationPage
from home.indexing import add_items

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="modelsearch's PostgreSQL index only"
    ),
]

COLUMNS = ["title::text", "autocomplete::text", "body::text", "title_text", "body_text"]


def entries(model, objects):
    ids = [str(obj.pk) for obj in objects]
    content_type = ContentType.objects.get_for_model(model).pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT object_id, {', '.join(COLUMNS)}"
            f" FROM {IndexEntry._meta.db_table} WHERE content_type_id = %s AND object_id = ANY(%s)"
            " ORDER BY object_id",
            [content_type, ids],
        )
        return cursor.fetchall()


@pytest.mark.parametrize("model", [AssociationPage, Page])
def test_entries_are_those_modelsearch_writes(make_association, model):
    make_association(
        name_fr="Association d'Éducation « L'Avenir »",
        other_spellings="jam3iat l'mosta9bal\nal moustakbal",
        description="<p>Soutien <b>scolaire</b> &amp; alphabétisation.</p>",
    )
    make_association(name_fr="", acronym="", short_description="")  # empty fields
    if model is Page:  # every kind of page, each with its own search fields
        objects = list(Page.objects.filter(depth__gt=1).specific())
    else:
        objects = list(AssociationPage.objects.all())
    index = get_search_backend().get_index_for_model(model)
    index.add_items(model, objects)
    expected = entries(model, objects)
    assert len(expected) == len(objects) > 2
    if model is AssociationPage:  # every association's body has words
        assert all(row[3] not in ("", None) for row in expected)

    IndexEntry.objects.filter(object_id__in=[str(obj.pk) for obj in objects]).delete()
    add_items(index, model, objects)
    assert entries(model, objects) == expected
    # The title norms are computed afterwards, as modelsearch does (average title
    # length over the whole index / this title's length; 1.0 until then).
    norms = IndexEntry.objects.filter(object_id__in=[str(obj.pk) for obj in objects])
    assert norms.exclude(title_norm=1.0).exists()
