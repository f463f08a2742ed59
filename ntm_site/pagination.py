"""The admin's paginator: no exact COUNT(*) over millions of rows on every page.

Django's admin counts the rows of a list on every page (`paginator.count`), which on the
national assessment table (≈ 3 million rows) costs more than the page itself. This paginator

- for a list without filters on PostgreSQL, reads the planner's row estimate of the table
  (pg_class.reltuples, kept by autovacuum/ANALYZE) when it says the table is big;
- otherwise counts exactly, but at most `CAP` rows (`SELECT COUNT(*) FROM (… LIMIT CAP+1)`);
  past the cap it takes the planner's estimate of the filtered query (EXPLAIN, nothing run).

Deep pages read their ids first, then their rows (`_slice`). Small lists (most of them) keep
their exact count. When the count is an estimate
(`paginator.approximate`), pages past the estimated end are served (empty when there is
nothing), so a link to page 500 never bounces.
"""

from __future__ import annotations

import json

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Up to this many rows a list is counted exactly.
CAP = 10_000
# From this row on, a page's ids are read before its rows (see `_slice`).
DEEP = 500


class EstimatedCountPaginator(Paginator):
    cap = CAP

    approximate = False

    @cached_property
    def count(self):
        qs = self.object_list
        query = getattr(qs, "query", None)
        if query is None:
            return super().count
        connection = connections[qs.db]
        if connection.vendor == "postgresql" and not query.where and not query.distinct and not query.combinator:
            estimate = _table_estimate(connection, qs.model._meta.db_table)
            if estimate > self.cap:
                self.approximate = True
                return estimate
        capped = qs.order_by().values("pk")[: self.cap + 1].count()
        if capped <= self.cap:
            return capped
        self.approximate = True
        if connection.vendor == "postgresql":
            return max(self.cap + 1, _query_estimate(connection, qs))
        return capped

    def validate_number(self, number):
        if not (self.count and self.approximate):
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as e:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from e
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if not self.approximate and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._slice(bottom, top), number, self)

    def _slice(self, bottom, top):
        """The rows of one page. Deep in a list, the ids come first (a lean query: the ordering's columns only),
        then the page's rows with their joins and annotations: OFFSET would compute those for every row skipped."""
        qs = self.object_list
        if bottom < DEEP or not isinstance(qs, QuerySet):
            return qs[bottom:top]
        ids = list(qs.values_list("pk", flat=True)[bottom:top])
        return qs.filter(pk__in=ids)


def _table_estimate(connection, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] and row[0] > 0 else -1


def _query_estimate(connection, qs) -> int:
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
