"""Small database helpers the apps share."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models.expressions import RawSQL


def id_list(ids) -> RawSQL:
    """`ids` as a subquery of one parameter, for `__in`: a page's list of thousands of ids travels as one array
    (PostgreSQL) or one JSON text (SQLite) instead of a placeholder each, which the query compiler and the
    database's parser would otherwise pay for on every request."""
    ids = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))
