"""A list of association ids as ONE query parameter, for PostgreSQL and SQLite.

`filter(pk__in=[…])` and `Case(When(pk=…))` compile one parameter (and, for Case,
one expression) per id, again for every query that reuses the list: with the 500
best matches of a search or 2,000 filtered associations, that is tens of
milliseconds of Python per page. An array (PostgreSQL) or a JSON text (SQLite's
json_each) is a single parameter whatever the number of ids.
"""

import json

from django.db import connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL

PAGE_ID = '"directory_associationpage"."page_ptr_id"'


def _parameter(ids):
    ids = [int(pk) for pk in ids]
    return ids if connection.vendor == "postgresql" else json.dumps(ids)


def id_list(ids):
    """For `pk__in=`: the ids as a subquery."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::integer[])", [_parameter(ids)])
    return RawSQL("SELECT value FROM json_each(%s)", [_parameter(ids)])


def id_position(ids):
    """For `order_by()` on AssociationPage: the position of each row's id in `ids`."""
    if connection.vendor == "postgresql":
        sql = f"array_position(%s::integer[], {PAGE_ID})"
    else:
        sql = f"(SELECT key FROM json_each(%s) WHERE value = {PAGE_ID})"
    return RawSQL(sql, [_parameter(ids)], output_field=IntegerField())
