"""The questions the reports ask, as database aggregations.

Written here while the owning apps grow their own querysets; each function names the
app it belongs in. Nothing here loops over rows to add things up: every figure is an
annotate()/aggregate() evaluated by the database.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from criteria.choices import AssessmentStatus, RecognitionAction, SetLevel
from criteria.models import Assessment, Criterion, Recognition
from sponsorship.models import Assignment, Decision, Organisation

# A criterion counts towards "criteria met" when it is met or does not apply to the commune
# (a commune with no market in its plan has criterion 7 counted as met).
COUNTED_AS_MET = (AssessmentStatus.MET, AssessmentStatus.NOT_APPLICABLE)

BANDS = (
    ("19", 19, None),
    ("15-18", 15, 18),
    ("10-14", 10, 14),
    ("5-9", 5, 9),
    ("0-4", 0, 4),
)


# --- criteria (belongs in criteria.querysets) -------------------------------------------------


def criteria_in_set(set_ref: str = "criterion__criteria_set"):
    """Subquery: how many criteria the set referenced by `set_ref` has."""
    return Subquery(
        Criterion.objects.filter(criteria_set=OuterRef(set_ref))
        .order_by()
        .values("criteria_set")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def commune_year_results(assessments):
    """One row per (commune, year, set) with `met`, `not_met` and `size`; reached standard means met >= size."""
    return (
        assessments.order_by()
        .values("commune", "year", "criterion__criteria_set")
        .annotate(
            met=Count("pk", filter=Q(status__in=COUNTED_AS_MET)),
            not_met=Count("pk", filter=Q(status=AssessmentStatus.NOT_MET)),
            size=criteria_in_set(),
        )
    )


def last_closed_year(as_of: datetime.date) -> int:
    """The latest assessment year whose results are known on `as_of` (a year is assessed at its end)."""
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1


def reached_standard(commune_ref: str, as_of: datetime.date) -> Q:
    """Condition: the commune at `commune_ref` had reached NTM standard on `as_of`.

    Either a recognition decision dated on or before `as_of` and not revoked since, or a
    year up to `as_of` in which it met every criterion of its (commune-level) set.
    """
    revoked_since = Recognition.objects.filter(
        commune=OuterRef("commune"),
        criteria_set__level=SetLevel.COMMUNE,
        action=RecognitionAction.REVOKE,
        decision_date__gt=OuterRef("decision_date"),
        decision_date__lte=as_of,
    )
    recognised = Recognition.objects.filter(
        commune=OuterRef(commune_ref),
        criteria_set__level=SetLevel.COMMUNE,
        action=RecognitionAction.RECOGNISE,
        decision_date__lte=as_of,
    ).exclude(Exists(revoked_since))
    complete_year = (
        commune_year_results(
            Assessment.objects.filter(
                commune=OuterRef(commune_ref),
                criterion__criteria_set__level=SetLevel.COMMUNE,
                year__lte=last_closed_year(as_of),
            )
        )
        .filter(met__gte=F("size"))
        .values("commune")
    )
    return Q(Exists(recognised)) | Q(Exists(complete_year))


def rate(numerator: str, denominator: str):
    """numerator / denominator in percent, NULL when nothing was counted."""
    return ExpressionWrapper(
        Cast(F(numerator), FloatField()) * Value(100.0) / NullIf(F(denominator), Value(0)),
        output_field=FloatField(),
    )


# --- sponsorship (belongs in sponsorship.querysets) -------------------------------------------


def decision_family(decision: Decision, as_of: datetime.date | None = None) -> list[int]:
    """The decision and the decisions that amend or replace it (issued by `as_of`), transitively."""
    ids = {decision.pk}
    frontier = {decision.pk}
    while frontier:
        qs = Decision.objects.filter(amends_id__in=frontier)
        if as_of:
            qs = qs.filter(issued_on__lte=as_of)
        frontier = set(qs.values_list("pk", flat=True)) - ids
        ids |= frontier
    return sorted(ids)


def in_force(prefix: str = "", *, on: datetime.date) -> Q:
    """Condition: the assignment at `prefix` was in force on `on` (open dates mean 'no limit')."""
    p = f"{prefix}__" if prefix else ""
    return (
        (Q(**{f"{p}start_date__isnull": True}) | Q(**{f"{p}start_date__lte": on}))
        & (Q(**{f"{p}end_date__isnull": True}) | Q(**{f"{p}end_date__gte": on}))
        & Q(**{f"{p}decision__issued_on__lte": on})
    )


def active_between(prefix: str = "", *, start: datetime.date, end: datetime.date) -> Q:
    """Condition: the assignment at `prefix` was in force at some time between `start` and `end`."""
    p = f"{prefix}__" if prefix else ""
    return (
        (Q(**{f"{p}start_date__isnull": True}) | Q(**{f"{p}start_date__lte": end}))
        & (Q(**{f"{p}end_date__isnull": True}) | Q(**{f"{p}end_date__gte": start}))
        & Q(**{f"{p}decision__issued_on__lte": end})
    )


def organisation_subtree(organisation: Organisation, prefix: str = "") -> Q:
    """Condition: the organisation at `prefix` is `organisation` or sits under it (up to three levels)."""
    p = f"{prefix}__" if prefix else ""
    return (
        Q(**{f"{p}pk": organisation.pk})
        | Q(**{f"{p}parent": organisation.pk})
        | Q(**{f"{p}parent__parent": organisation.pk})
        | Q(**{f"{p}parent__parent__parent": organisation.pk})
    )


def sum_subquery(queryset, group: str, value: str, aggregate):
    """Subquery: `aggregate(value)` of `queryset` grouped by `group` (already correlated by the caller)."""
    return Coalesce(
        Subquery(queryset.order_by().values(group).annotate(total=aggregate(value)).values("total")[:1]),
        Value(0),
    )


def assignments_of(queryset) -> Subquery:
    """The ids of a filtered Assignment queryset, for use inside other filters without re-joining."""
    return queryset.order_by().values("pk")


__all__ = [
    "Assignment",
    "BANDS",
    "COUNTED_AS_MET",
    "active_between",
    "assignments_of",
    "commune_year_results",
    "criteria_in_set",
    "decision_family",
    "in_force",
    "last_closed_year",
    "organisation_subtree",
    "rate",
    "reached_standard",
    "sum_subquery",
]
