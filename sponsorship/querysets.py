"""Reads and report figures of the sponsorship records, aggregated in SQL.

The reports call these; the admin calls them; nothing else adds rows up in Python.
The quick map (each method has its own docstring):

* ``Assignment.objects.for_decision(d).as_of(day)`` – who was assigned where on a day;
  ``.organisations_per_role()``, ``.role_counts()``, ``.communes()``, ``.coverage(as_of=…)``,
  ``.with_commune_reached(as_of)``, ``.with_last_activity()``, ``.without_activity_since(day)``.
* ``SupportRecord.objects.for_decision(d).between(a, b).totals_by_category()`` – quantity
  (with its unit) and value per category; ``.totals_by_group()``, ``.total_value()``.
* ``Organisation.objects.within(bloc).scorecard(as_of=…)`` – per organisation: communes
  sponsored, communes that reached standard, support value, initiatives, last activity.
* "reached standard on that day" is criteria.selectors.reached_standard_on, the one definition.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import models
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, NullIf

from criteria.selectors import reached_standard_on
from ntm_site.value_lists import in_values


def _ids(objects) -> list:
    if isinstance(objects, models.QuerySet):
        return objects.values("pk")
    if isinstance(objects, models.Model):
        return [objects.pk]
    return [getattr(o, "pk", o) for o in objects]


def _active_on(day: datetime.date, prefix: str = "") -> Q:
    """Assignments whose effective term (own dates, else the decision's term) covers `day`."""
    p = prefix
    starts = Q(**{f"{p}start_date__lte": day}) | (
        Q(**{f"{p}start_date__isnull": True, f"{p}decision__issued_on__lte": day})
        & (Q(**{f"{p}decision__term_from_year__isnull": True}) | Q(**{f"{p}decision__term_from_year__lte": day.year}))
    )
    return starts & _not_ended_before(day, p)


def _not_ended_before(day: datetime.date, p: str = "") -> Q:
    return Q(**{f"{p}end_date__gte": day}) | (
        Q(**{f"{p}end_date__isnull": True})
        & (Q(**{f"{p}decision__term_to_year__isnull": True}) | Q(**{f"{p}decision__term_to_year__gte": day.year}))
    )


def _started_by(day: datetime.date, since: datetime.date | None = None) -> Q:
    """Assignments whose effective start is on or before `day` (and on or after `since`)."""
    cond = Q(start_date__lte=day) | (
        Q(start_date__isnull=True, decision__issued_on__lte=day)
        & (Q(decision__term_from_year__isnull=True) | Q(decision__term_from_year__lte=day.year))
    )
    if since is not None:
        cond &= Q(start_date__gte=since) | Q(
            Q(start_date__isnull=True)
            & (Q(decision__issued_on__gte=since) | Q(decision__term_from_year__gt=since.year))
        )
    return cond


class DecisionQuerySet(models.QuerySet):
    def with_amendments(self, decision):
        """`decision` and every decision that amends it, directly or through another amendment."""
        ids = {decision.pk}
        frontier = {decision.pk}
        while frontier:
            frontier = set(self.model.objects.filter(amends__in=frontier).values_list("pk", flat=True)) - ids
            ids |= frontier
        return self.filter(pk__in=ids)

    def with_role_counts(self):
        """Annotate `assignment_count` and one `<role>_count` per assignment role (phu_trach_count …)."""
        from sponsorship.choices import AssignmentRole

        counts = {
            f"{role}_count": Count("assignments", filter=Q(assignments__role=role)) for role in AssignmentRole.values
        }
        return self.annotate(assignment_count=Count("assignments"), **counts)

    def ended_on(self, day: datetime.date):
        """Decisions whose term ended before `day`."""
        return self.filter(term_to_year__lt=day.year)


class AssignmentQuerySet(models.QuerySet):
    # --- narrowing -------------------------------------------------------------------------
    def for_decision(self, decision, *, include_amendments: bool = True):
        """Assignments made by `decision` and, by default, by the decisions that amend it."""
        if include_amendments:
            from sponsorship.models import Decision

            return self.filter(decision__in=Decision.objects.with_amendments(decision))
        return self.filter(decision=decision)

    def for_organisations(self, organisations):
        """Assignments of these organisations (a queryset, a list, or one organisation)."""
        return self.filter(organisation__in=_ids(organisations))

    def with_role(self, *roles: str):
        return self.filter(role__in=roles)

    def within(self, unit):
        """Assignments to communes inside `unit` (a province, a district or a commune)."""
        from divisions.choices import UnitLevel

        if unit.level == UnitLevel.PROVINCE:
            return self.filter(commune__province=unit)
        if unit.level == UnitLevel.DISTRICT:
            return self.filter(commune__parent=unit)
        return self.filter(commune=unit)

    def as_of(self, day: datetime.date):
        """Assignments running on `day`: their own dates, or else their decision's term, cover it."""
        return self.filter(_active_on(day))

    def with_in_force(self, day: datetime.date):
        """Annotate `in_force` (bool): the assignment runs on `day` (as as_of(day) would keep it)."""
        return self.annotate(
            in_force=models.Case(
                models.When(_active_on(day), then=Value(True)), default=Value(False), output_field=models.BooleanField()
            )
        )

    def active_in_year(self, year: int):
        """Assignments running on at least one day of `year`."""
        return self.filter(_started_by(datetime.date(year, 12, 31)) & _not_ended_before(datetime.date(year, 1, 1)))

    def started_by(self, day: datetime.date, *, since: datetime.date | None = None):
        """Assignments that had begun by `day` (and not before `since`), ended or not: the cumulative
        "has sponsored N communes since 2012" view."""
        return self.filter(_started_by(day, since))

    # --- answers ---------------------------------------------------------------------------
    def organisations(self):
        """The organisations of these assignments (an Organisation queryset, each once)."""
        from sponsorship.models import Organisation

        return Organisation.objects.filter(pk__in=self.values("organisation"))

    def communes(self):
        """The communes of these assignments (an AdministrativeUnit queryset, each once)."""
        from divisions.models import AdministrativeUnit

        return AdministrativeUnit.objects.filter(pk__in=self.values("commune"))

    def organisations_per_role(self) -> dict[str, int]:
        """{role: number of distinct organisations}, e.g. {"phu_trach": 55, "ket_nghia": 56}."""
        rows = self.order_by().values("role").annotate(n=Count("organisation", distinct=True))
        return {row["role"]: row["n"] for row in rows}

    def role_counts(self) -> list[dict]:
        """One row per role: role, assignments, organisations, communes (distinct counts), in role order."""
        from sponsorship.choices import AssignmentRole

        rows = {
            row["role"]: row
            for row in self.order_by()
            .values("role")
            .annotate(
                assignments=Count("pk"),
                organisations=Count("organisation", distinct=True),
                communes=Count("commune", distinct=True),
            )
        }
        return [{**rows[role], "label": label} for role, label in AssignmentRole.choices if role in rows]

    def reached_commune_ids(self, as_of: datetime.date) -> list[int]:
        """The ids of these assignments' communes that had reached standard on `as_of`: each commune judged once,
        however many assignments it has (one query; a page that counts them several ways reads them once)."""
        return list(self.communes().filter(reached_standard_on(as_of)).values_list("pk", flat=True))

    def coverage(self, *, as_of: datetime.date, reached: list[int] | None = None) -> dict[str, int]:
        """{"organisations", "communes", "communes_reached"}: how many distinct organisations and communes
        these assignments hold, and how many of those communes had reached standard on `as_of`
        (`reached`: these assignments' reached_commune_ids(as_of) when already read).

        Narrow first (``.as_of(day)`` for a snapshot, ``.started_by(day)`` for "since …")."""
        communes = self.communes()
        return {
            "organisations": self.organisations().count(),
            "communes": communes.count(),
            "communes_reached": len(reached)
            if reached is not None
            else communes.filter(reached_standard_on(as_of)).count(),
        }

    def with_commune_reached(self, as_of: datetime.date):
        """Annotate `commune_reached` (bool): the assignment's commune had reached standard on `as_of`."""
        return self.annotate(
            commune_reached=models.ExpressionWrapper(
                reached_standard_on(as_of, "commune"), output_field=models.BooleanField()
            )
        )

    def with_last_activity(self):
        """Annotate `last_activity_on` (date of the latest visit, working session or report; None if none)
        and `activity_count`."""
        from sponsorship.models import Activity

        latest = Activity.objects.filter(assignment=OuterRef("pk")).order_by("-date").values("date")[:1]
        count = (
            Activity.objects.filter(assignment=OuterRef("pk"))
            .order_by()
            .values("assignment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            last_activity_on=Subquery(latest),
            activity_count=Coalesce(Subquery(count), Value(0)),
        )

    def without_activity_since(self, day: datetime.date):
        """Assignments with no recorded activity on or after `day` (the "did not visit regularly" list)."""
        from sponsorship.models import Activity

        return self.filter(~Exists(Activity.objects.filter(assignment=OuterRef("pk"), date__gte=day)))

    def with_support_totals(self):
        """Annotate `support_value_vnd` (sum of values, 0 when none) and `support_record_count`."""
        from sponsorship.models import SupportRecord

        records = SupportRecord.objects.filter(assignment=OuterRef("pk")).order_by().values("assignment")
        return self.annotate(
            support_value_vnd=Coalesce(Subquery(records.annotate(v=Sum("value_vnd")).values("v")), Value(0)),
            support_record_count=Coalesce(Subquery(records.annotate(n=Count("pk")).values("n")), Value(0)),
        )

    # --- maintenance -----------------------------------------------------------------------
    def refresh_search_keys(self) -> int:
        """Rebuild the stored search keys (after an organisation, decision or unit was renamed)."""
        rows = list(self.select_related("organisation", "decision", "commune"))
        for row in rows:
            row.search_key = row.build_search_key()
        self.model.objects.bulk_update(rows, ["search_key"], batch_size=500)
        return len(rows)


class SupportRecordQuerySet(models.QuerySet):
    def for_assignments(self, assignments):
        return self.filter(assignment__in=_ids(assignments))

    def for_decision(self, decision, *, include_amendments: bool = True):
        """Support given under the assignments of `decision` (and of its amendments)."""
        from sponsorship.models import Assignment

        return self.filter(
            assignment__in=Assignment.objects.for_decision(decision, include_amendments=include_amendments)
        )

    def for_organisations(self, organisations):
        return self.filter(assignment__organisation__in=_ids(organisations))

    def within(self, unit):
        """Support to communes inside `unit` (province, district or commune)."""
        from sponsorship.models import Assignment

        return self.filter(assignment__in=Assignment.objects.within(unit))

    def between(self, start: datetime.date | None = None, end: datetime.date | None = None):
        """Support dated from `start` to `end`, both included; either may be None (open)."""
        qs = self
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        return qs

    def in_year(self, year: int):
        return self.filter(date__year=year)

    def totals_by_category(self) -> list[dict]:
        """One row per (category, unit), catalogue order: category (code), category_name, group, unit,
        quantity (Decimal, None when no row gave one), value_vnd (int), records (int)."""
        return list(
            self.order_by()
            .values("category", "unit")
            .annotate(
                category_code=F("category__code"),
                category_name=F("category__name"),
                group=F("category__group"),
                ordering=F("category__ordering"),
                quantity=Sum("quantity"),
                value_vnd=Sum("value_vnd"),
                records=Count("pk"),
            )
            .order_by("ordering", "category_name", "unit")
        )

    def totals_by_group(self) -> list[dict]:
        """Like totals_by_category, but categories of one group (e.g. every kind of house: "Nhà ở") add up
        into one row; a category with no group is its own row. Keys: group, unit, quantity, value_vnd,
        records."""
        rows = (
            self.order_by()
            .annotate(group_name=Coalesce(NullIf(F("category__group"), Value("")), F("category__name")))
            .values("group_name", "unit")
            .annotate(
                ordering=models.Min("category__ordering"),
                quantity=Sum("quantity"),
                value_vnd=Sum("value_vnd"),
                records=Count("pk"),
            )
            .order_by("ordering", "group_name", "unit")
        )
        return [{**row, "group": row.pop("group_name")} for row in rows]

    def totals_by_year(self) -> list[dict]:
        """One row per year of support, latest first: year, records (int), value_vnd (int)."""
        return list(
            self.order_by()
            .annotate(year=ExtractYear("date"))
            .values("year")
            .annotate(records=Count("pk"), value_vnd=Coalesce(Sum("value_vnd"), Value(0)))
            .order_by("-year")
        )

    def total_value(self) -> int:
        """Sum of the values in đồng (0 when empty)."""
        return self.aggregate(v=Coalesce(Sum("value_vnd"), Value(0)))["v"]


class OrganisationQuerySet(models.QuerySet):
    def within(self, organisation):
        """`organisation` and every organisation under it (children, grandchildren …): e.g. a Đảng bộ Khối
        and its grassroots Party organisations."""
        ids = {organisation.pk}
        frontier = {organisation.pk}
        while frontier:
            frontier = set(self.model.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - ids
            ids |= frontier
        return self.filter(pk__in=ids)

    def scorecard(
        self,
        *,
        as_of: datetime.date,
        since: datetime.date | None = None,
        assignments: Iterable | None = None,
        only_active: bool = True,
    ):
        """Annotate each organisation with its record up to `as_of`, counting the assignments that had
        begun by then (and not before `since`), optionally only those in `assignments` (a queryset, e.g.
        ``Assignment.objects.for_decision(d)``):

        * `communes_sponsored` – distinct communes;
        * `communes_reached` – of those, communes that had reached standard on `as_of`;
        * `support_value_vnd` – value of their support dated up to `as_of` (and from `since`);
        * `initiative_count` – initiatives registered under those assignments;
        * `last_activity_on` – their latest activity up to `as_of`.

        With `only_active` (the default) organisations without any such assignment are left out.
        """
        from sponsorship.models import Activity, Assignment, Initiative, SupportRecord

        scope = (assignments if assignments is not None else Assignment.objects.all()).started_by(as_of, since=since)
        base = scope.filter(organisation=OuterRef("pk")).order_by()

        def count_communes(qs):
            return Coalesce(
                Subquery(qs.values("organisation").annotate(n=Count("commune", distinct=True)).values("n")),
                Value(0),
            )

        mine = {"assignment__organisation": OuterRef("pk"), "assignment__in": scope.order_by().values("pk")}
        records = SupportRecord.objects.filter(**mine, date__lte=as_of)
        if since:
            records = records.filter(date__gte=since)
        records = records.order_by().values("assignment__organisation")
        initiatives = Initiative.objects.filter(**mine).order_by().values("assignment__organisation")
        latest = Activity.objects.filter(**mine, date__lte=as_of).order_by("-date").values("date")[:1]
        qs = self.annotate(
            communes_sponsored=count_communes(base),
            communes_reached=count_communes(base.filter(reached_standard_on(as_of, "commune"))),
            support_value_vnd=Coalesce(Subquery(records.annotate(v=Sum("value_vnd")).values("v")), Value(0)),
            initiative_count=Coalesce(Subquery(initiatives.annotate(n=Count("pk")).values("n")), Value(0)),
            last_activity_on=Subquery(latest),
        )
        if only_active:
            qs = qs.filter(communes_sponsored__gt=0)
        return qs

    def scorecard_figures(
        self,
        *,
        as_of: datetime.date,
        since: datetime.date | None = None,
        assignments: Iterable | None = None,
        reached: list[int] | None = None,
    ) -> dict[int, dict]:
        """The figures of scorecard() for these organisations, as {organisation id: {"communes_sponsored",
        "communes_reached", "support_value_vnd", "initiative_count", "last_activity_on"}}, of the organisations
        with at least one such assignment: the same definitions, counted in four grouped queries over the
        assignments, support records, initiatives and activities in scope (a hash aggregate each) instead of
        subqueries per organisation, for a whole country's 3,000 organisations. `reached`: the scope's
        reached_commune_ids(as_of) when already read."""
        from sponsorship.models import Assignment

        scope = (assignments if assignments is not None else Assignment.objects.all()).started_by(as_of, since=since)
        if self.query.has_filters():  # all organisations: no join with them at all
            scope = scope.filter(organisation__in=self.values("pk"))
        scope = scope.order_by()
        if reached is None:
            reached = scope.reached_commune_ids(as_of)
        figures = {
            row["organisation"]: {
                "communes_sponsored": row["communes_sponsored"],
                "communes_reached": row["communes_reached"],
                "support_value_vnd": 0,
                "initiative_count": 0,
                "last_activity_on": None,
            }
            for row in scope.values("organisation").annotate(
                communes_sponsored=Count("commune", distinct=True),
                communes_reached=Count("commune", distinct=True, filter=in_values(Assignment, "commune_id", reached)),
            )
        }
        # Each child table joined to the assignments in scope once, grouped by organisation (no second pass over
        # the assignments to test membership).
        by_organisation = scope.values("organisation")
        dated = Q(support_records__date__lte=as_of)
        if since:
            dated &= Q(support_records__date__gte=since)
        rows = by_organisation.filter(dated).annotate(v=Sum("support_records__value_vnd"))
        for row in rows:
            figures[row["organisation"]]["support_value_vnd"] = row["v"] or 0
        for row in by_organisation.filter(initiatives__isnull=False).annotate(n=Count("initiatives")):
            figures[row["organisation"]]["initiative_count"] = row["n"]
        rows = by_organisation.filter(activities__date__lte=as_of).annotate(last=Max("activities__date"))
        for row in rows:
            figures[row["organisation"]]["last_activity_on"] = row["last"]
        return figures

    def with_assignment_counts(self):
        """Annotate `assignment_count` and `commune_count` (distinct communes, all time): for list pages."""
        from sponsorship.models import Assignment

        mine = Assignment.objects.filter(organisation=OuterRef("pk")).order_by().values("organisation")
        return self.annotate(
            assignment_count=Coalesce(Subquery(mine.annotate(n=Count("pk")).values("n")), Value(0)),
            commune_count=Coalesce(Subquery(mine.annotate(n=Count("commune", distinct=True)).values("n")), Value(0)),
        )


__all__ = [
    "AssignmentQuerySet",
    "DecisionQuerySet",
    "OrganisationQuerySet",
    "SupportRecordQuerySet",
]
