"""Associations' entries in the database search index end with a word naming their
locale (home.indexing.locale_word), which searches now require: entries written
before are given it here, at the end as indexing would put it, rather than asking
for a rebuild of the index. Elasticsearch indexes do not use it, but the database
index kept next to Elasticsearch (its fallback) is given it too."""

from django.db import migrations


# home.indexing.locale_word(p.locale_id), in SQL.
WORD = "'xlocale' || p.locale_id || 'x'"


def add_locale_words(apps, schema_editor):
    from wagtail.search.backends import get_search_backends

    from search.services import _database_index_vendor

    # The database index, whether it is the default backend or Elasticsearch's fallback.
    backends = [b for b in get_search_backends() if _database_index_vendor(b)]
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="directory", model="associationpage")
    if not backends or not content_type:
        return
    backend = backends[0]
    if _database_index_vendor(backend) == "postgresql":
        params, vectors = [], []
        for config in (backend.config, backend.autocomplete_config):
            # As home.indexing.add_items: without a config, the database's default.
            vectors.append(
                f"setweight(to_tsvector({'%s::regconfig, ' if config else ''}{WORD}), 'D')"
            )
            params += [config] if config else []
        sql = (
            f"UPDATE wagtailsearch_indexentry e SET body = e.body || {vectors[0]},"
            f" autocomplete = e.autocomplete || {vectors[1]},"
            f" body_text = trim(e.body_text || ' ' || {WORD})"
            " FROM wagtailcore_page p"
            " WHERE e.content_type_id = %s AND e.object_id = CAST(p.id AS varchar)"
        )
    else:
        params = []
        sql = (
            f"UPDATE wagtailsearch_indexentry AS e SET body = trim(e.body || ' ' || {WORD}),"
            f" autocomplete = trim(e.autocomplete || ' ' || {WORD})"
            " FROM wagtailcore_page p"
            " WHERE e.content_type_id = %s AND e.object_id = CAST(p.id AS text)"
        )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql, [*params, content_type[0].pk])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_listed_locale"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_locale_words, migrations.RunPython.noop)]
