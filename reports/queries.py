"""The report questions the owning apps do not answer (yet), as database aggregations.

The reports call the apps' own querysets wherever one exists:
criteria.querysets (area_summary, criterion_rates, CommuneYear.with_figures),
sponsorship.querysets (Assignment.for_decision/as_of/coverage, SupportRecord.totals_by_category,
Organisation.scorecard, commune_reached_standard) and meetings.querysets
(FollowUpTask.summary_by_owner/totals/overdue). What is left here is specific to one report:
the ledger's free grouping, the activity table per assignment, the matrix's cells and the
initiatives per field. Each says which app it would belong in if others needed it.
Nothing adds rows up in Python.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.functions import Coalesce, ExtractYear, NullIf, TruncMonth

from criteria.choices import COUNTS_AS_MET, SetLevel
from criteria.models import CommuneYear, Criterion, Target
from criteria.querysets import NO_LIMIT, _RoundToTenth
from ntm_site.value_lists import in_values
from sponsorship.choices import ActivityKind
from sponsorship.models import Activity, Initiative, InitiativeField, Proposal

# What "a visit or working session" is in the activity report; monthly reports are not visits.
VISIT_KINDS = (ActivityKind.VISIT, ActivityKind.WORKING_SESSION)


def count_of(queryset) -> Coalesce:
    """A correlated COUNT subquery (0 when nothing): counts side by side never multiply each other."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def registered_by(day: datetime.date):
    """Initiatives registered on or before `day` (or with no date). Belongs in sponsorship.querysets."""
    return Initiative.objects.filter(Q(registered_on__isnull=True) | Q(registered_on__lte=day))


def initiatives_by_field_and_status(initiatives) -> list[dict]:
    """{field, status, initiatives} per field and status, in the catalogue's order of fields."""
    return [
        {"field": row["field__name"], "status": row["status"], "initiatives": row["n"]}
        for row in initiatives.order_by()
        .values("field__ordering", "field__name", "status")
        .annotate(n=Count("pk"))
        .order_by("field__ordering", "field__name", "status")
    ]


# --- criteria-matrix (would belong in criteria.querysets as CommuneYear.with_cells) ------------


def set_numbers(criteria_set) -> list[int]:
    """The criterion numbers of a set, in order (none for no set)."""
    if criteria_set is None:
        return []
    return list(Criterion.objects.filter(criteria_set=criteria_set).order_by("number").values_list("number", flat=True))


def with_target_year(commune_years):
    """Annotate `target_year`: the year the commune registered to reach the standard (its target for
    this set, else its latest commune-level target)."""
    same_set = Target.objects.filter(commune=OuterRef("commune"), criteria_set=OuterRef("criteria_set"))
    any_set = Target.objects.filter(commune=OuterRef("commune"), criteria_set__level=SetLevel.COMMUNE).order_by(
        "-target_year"
    )
    return commune_years.annotate(
        target_year=Coalesce(Subquery(same_set.values("target_year")[:1]), Subquery(any_set.values("target_year")[:1])),
    )


def matrix_cells(sheets) -> dict[int, dict[int, str]]:
    """{commune-year id: {criterion number: status}} of `sheets` (a queryset or a list of ids) in one
    query: decoded from the sheets' summary rows (criteria.summary) instead of reading their results."""
    if isinstance(sheets, list):
        sheets = CommuneYear.objects.filter(in_values(CommuneYear, "id", sheets))
    return sheets.statuses_by_number()


def matrix_totals(rows) -> dict:
    """Communes, average criteria met and reached over annotated commune-years (with_figures)."""
    # Sliced, the rows stay a subquery: PostgreSQL would otherwise inline them and count each sheet's
    # criteria once per aggregate that names them (CommuneYearQuerySet.area_summary does the same).
    return rows[:NO_LIMIT].aggregate(
        communes=Count("pk"), average_met=Avg("met"), reached_count=Count("pk", filter=Q(reached=True))
    )


# --- indicator-summary (would belong in criteria.querysets as IndicatorResult.objects.rates) -------


def _rate(met, assessed):
    """met / assessed as a percentage with one decimal; NULL when nothing was assessed."""
    return _RoundToTenth(ExpressionWrapper(F(met) * 100.0 / NullIf(F(assessed), Value(0)), output_field=FloatField()))


def _met(**condition) -> Count:
    return Count("pk", filter=Q(status__in=COUNTS_AS_MET, **condition))


def indicator_rates(results, groups=()) -> list[dict]:
    """Each indicator's figures over `results` (IndicatorResult rows), weakest first, in one query:

    {"indicator", "assessed", "met", "rate"} and, for each commune group of `groups`,
    "assessed_<group>", "met_<group>", "rate_<group>" (rate None where that group has no result).
    A result "không áp dụng" counts as met. Ties go by criterion number, then the indicator's order.
    """
    measures = {"assessed": Count("pk"), "met": _met()}
    rates = {"rate": _rate("met", "assessed")}
    for group in groups:
        measures[f"assessed_{group}"] = Count("pk", filter=Q(commune_group=group))
        measures[f"met_{group}"] = _met(commune_group=group)
        rates[f"rate_{group}"] = _rate(f"met_{group}", f"assessed_{group}")
    return list(
        results.order_by()
        .values("indicator")
        .annotate(**measures)
        .annotate(**rates)
        .order_by(
            F("rate").asc(nulls_last=True),
            "indicator__criterion__number",
            "indicator__position",
            "indicator__code",
        )
    )


def indicator_totals(results, groups=()) -> dict:
    """Commune-years with a result, results and results met over `results`, and the commune-years of each group."""
    figures = {
        "communes": Count("commune_year", distinct=True),
        "results": Count("pk"),
        "met": _met(),
    }
    for group in groups:
        figures[f"communes_{group}"] = Count("commune_year", distinct=True, filter=Q(commune_group=group))
    return results.order_by().aggregate(**figures)


# --- support-ledger (a free grouping; sponsorship.querysets has the fixed ones) -------------------

# Group name -> (SQL alias -> expression, ordering aliases). Aliases are renamed to the JSON keys.
LEDGER_GROUPS = {
    "category": (
        {
            "g_category": F("category__name"),
            "g_category_code": F("category__code"),
            "g_unit": F("unit"),
            "g_category_order": F("category__ordering"),
        },
        ["g_category_order", "g_category", "g_unit"],
    ),
    "sponsor": ({"g_sponsor": F("assignment__organisation__name")}, ["g_sponsor"]),
    "commune": (
        {"g_commune_code": F("assignment__commune__code"), "g_commune": F("assignment__commune__name")},
        ["g_commune", "g_commune_code"],
    ),
    "district": ({"g_district": F("assignment__commune__parent__name")}, ["g_district"]),
    "year": ({"g_year": ExtractYear("date")}, ["g_year"]),
    "month": ({"g_month": TruncMonth("date", output_field=DateField())}, ["g_month"]),
}


def ledger_rows(records, groups: list[str]) -> list[dict]:
    """Support totals (records, value, and quantity when grouped by category) per combination of groups."""
    expressions, ordering = {}, []
    for group in LEDGER_GROUPS:
        if group in groups:
            exprs, order = LEDGER_GROUPS[group]
            expressions.update(exprs)
            ordering += order
    measures = {"records": Count("pk"), "value_vnd": Sum("value_vnd")}
    if "category" in groups:
        measures["quantity"] = Sum("quantity")
    rows = records.order_by().annotate(**expressions).values(*expressions).annotate(**measures).order_by(*ordering)
    hidden = {"g_category_order"}
    return [{(k[2:] if k.startswith("g_") else k): v for k, v in row.items() if k not in hidden} for row in rows]


def ledger_chart(records, by: str) -> list[tuple[str, int]]:
    """(label, value) per year or per category, for the ledger's chart."""
    if by == "year":
        rows = records.order_by().values(label=ExtractYear("date")).annotate(value=Sum("value_vnd")).order_by("label")
    else:
        rows = (
            records.order_by()
            .values("category__ordering", label=F("category__name"))
            .annotate(value=Sum("value_vnd"))
            .order_by("category__ordering", "label")
        )
    return [(str(r["label"]), r["value"]) for r in rows]


# --- sponsor-activity (would belong in sponsorship.querysets next to with_last_activity) ---------


def activity_fields(assignments, day: datetime.date):
    """The initiative fields registered (by `day`) under the decisions of these assignments."""
    used = registered_by(day).filter(assignment__decision__in=assignments.values("decision")).values("field")
    return InitiativeField.objects.filter(pk__in=used).order_by("ordering", "name")


def with_activity(assignments, *, as_of: datetime.date, period_from: datetime.date, fields: list):
    """Annotate each assignment with

    - `last_visit`: its latest visit or working session up to `as_of`
    - `visits_in_period`: how many from `period_from` to `as_of`
    - `open_count`, `oldest_open`, `oldest_open_days`: proposals raised up to `as_of` and not resolved by
      then, the date the oldest was raised and how long it has waited
    - `initiative_count`: initiatives registered by `as_of`
    - `has_field_<i>` for each of `fields`, and `fields_missing`: how many of them have no initiative
    """
    visits = Activity.objects.filter(assignment=OuterRef("pk"), kind__in=VISIT_KINDS, date__lte=as_of)
    open_proposals = Proposal.objects.filter(activity__assignment=OuterRef("pk"), activity__date__lte=as_of).filter(
        Q(resolved=False) | Q(resolved_on__gt=as_of)
    )
    registered = registered_by(as_of)
    has_field = {
        f"has_field_{i}": Exists(registered.filter(assignment=OuterRef("pk"), field=field))
        for i, field in enumerate(fields)
    }
    missing = sum(
        (SqlCase(When(**{f"has_field_{i}": False}, then=Value(1)), default=Value(0)) for i in range(len(fields))),
        Value(0),
    )
    return assignments.annotate(
        last_visit=Subquery(visits.order_by("-date").values("date")[:1], output_field=DateField()),
        visits_in_period=count_of(visits.filter(date__gte=period_from)),
        open_count=count_of(open_proposals),
        oldest_open=Subquery(
            open_proposals.order_by("activity__date").values("activity__date")[:1], output_field=DateField()
        ),
        initiative_count=count_of(registered.filter(assignment=OuterRef("pk"))),
        **has_field,
    ).annotate(
        oldest_open_days=ExpressionWrapper(
            Value(as_of, output_field=DateField()) - F("oldest_open"), output_field=DurationField()
        ),
        fields_missing=ExpressionWrapper(missing, output_field=IntegerField()),
    )


def activity_totals(annotated) -> dict:
    # Aggregate aliases differ from the annotations they read: a same-named alias would replace it.
    return annotated.aggregate(
        assignments=Count("pk"),
        idle=Count("pk", filter=Q(visits_in_period=0)),
        open_proposals=Sum("open_count", default=0),
        missing_fields=Count("pk", filter=Q(fields_missing__gt=0)),
    )
