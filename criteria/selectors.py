"""The one meaning of "reached NTM standard" (đạt chuẩn nông thôn mới) on a date.

Every report, the dashboard and the draft documents ask this module; nothing else decides it.
A commune had reached standard on a day D when one of these holds:

1. **A recognition in force**: a recognition decision (công nhận) of the commune, under any
   commune-level set (basic, advanced, model: each implies the basic standard), dated on or before
   D, that no revocation (thu hồi) of the same set dated between it and D undid.
2. **Every criterion met in the latest approved year**: among the commune's sheets of the basic
   commune-level sets for years up to D's year and approved by the province (ApprovalStatus.APPROVED),
   the latest one meets every criterion of its set ("không áp dụng" counts as met; a criterion with no
   result is not met). Drafts, submitted and returned sheets are ignored, so a clerk's unfinished 2026
   sheet does not change a published figure; a revocation dated up to D whose year is that sheet's
   year or later undoes this route too.
3. **Carried through the lineage** (a unit of a new map): every unit whose main successor it is
   (UnitSuccession.is_main) had reached standard by (1) or (2) on the day before the succession
   took effect, and no revocation of the unit itself dated from then up to D. A 2025 commune merged
   from three legacy communes of which two were recognised has not reached standard until it is
   recognised or its own approved sheet meets every criterion. The carry is one step (legacy → 2025;
   hand-added older → legacy), not a chain.

Figures on a date count the units in force on that date (`units_in_force`): on 04/12/2026 the
2025 map, on 31/03/2022 the legacy map. For a year (criteria reports) the date is 31/12 of that year,
or today for the current year (`day_for_year`).

Everything is SQL: ``units.filter(reached_standard_on(day))``,
``assignments.filter(reached_standard_on(day, "commune"))``,
``commune_years.annotate(reached=reached_expression(day, "commune"))``.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from criteria.choices import ApprovalStatus, RecognitionAction, SetLevel
from ntm_site.value_lists import in_values

# Recognition under any commune-level set (basic, advanced, model) means the commune met the basic
# NTM standard; the yearly sheets of the basic set decide the other route.
COMMUNE_SET_LEVELS = (SetLevel.COMMUNE, SetLevel.COMMUNE_ADVANCED, SetLevel.COMMUNE_MODEL)


def _model(name):
    return apps.get_model("criteria", name)


def _set_filter(criteria_set, field: str, default: Q) -> Q:
    if criteria_set is None:
        return default
    if isinstance(criteria_set, str) and not criteria_set.isdigit():
        return Q(**{f"{field}__code": criteria_set})
    return Q(**{field: getattr(criteria_set, "pk", criteria_set)})


def standard_set(criteria_set):
    """None when `criteria_set` is empty or a national basic commune set (the national standard), else the set."""
    if criteria_set in (None, ""):
        return None
    CriteriaSet = _model("CriteriaSet")
    if not isinstance(criteria_set, CriteriaSet):
        lookup = {"code": criteria_set} if isinstance(criteria_set, str) and not criteria_set.isdigit() else {}
        criteria_set = CriteriaSet.objects.filter(**(lookup or {"pk": criteria_set})).first()
        if criteria_set is None:
            return None
    if criteria_set.is_national and criteria_set.level == SetLevel.COMMUNE:
        return None
    return criteria_set


def day_for_year(year: int, today: datetime.date | None = None) -> datetime.date:
    """The date a yearly figure is taken on: 31/12 of `year`, or today while `year` is running."""
    today = today or timezone.localdate()
    return today if year >= today.year else datetime.date(year, 12, 31)


def recognition_in_force(day: datetime.date, commune_ref: str = "pk", *, criteria_set=None) -> Exists:
    """(1) A recognition dated on or before `day` that no revocation of its set up to `day` undid."""
    Recognition = _model("Recognition")
    # A revocation of the basic standard undoes every recognition before it; one of an advanced or model set
    # undoes that set's recognitions only.
    revoked = Recognition.objects.filter(
        Q(criteria_set=OuterRef("criteria_set")) | Q(criteria_set__level=SetLevel.COMMUNE),
        commune=OuterRef("commune"),
        action=RecognitionAction.REVOKE,
        decision_date__gte=OuterRef("decision_date"),
        decision_date__lte=day,
    )
    return Exists(
        Recognition.objects.filter(
            _set_filter(criteria_set, "criteria_set", Q(criteria_set__level__in=COMMUNE_SET_LEVELS)),
            commune=OuterRef(commune_ref),
            action=RecognitionAction.RECOGNISE,
            decision_date__lte=day,
        ).filter(~Exists(revoked))
    )


def set_sizes(criteria_set=None) -> dict[int, int]:
    """{set id: number of criteria} of the sets whose sheets decide route (2): the basic national commune sets
    (or `criteria_set`). Read once per figure, so each commune's test is a plain comparison."""
    if criteria_set is None:
        sets = Q(level=SetLevel.COMMUNE)
    elif isinstance(criteria_set, str) and not criteria_set.isdigit():
        sets = Q(code=criteria_set)
    else:
        sets = Q(pk=getattr(criteria_set, "pk", criteria_set))
    rows = _model("CriteriaSet").objects.filter(sets).annotate(n=Count("criteria")).filter(n__gt=0)
    return dict(rows.values_list("pk", "n"))


def met_all_in_latest_approved_year_counted(
    day: datetime.date, commune_ref: str = "pk", *, criteria_set=None, sizes: dict | None = None
) -> Exists:
    """(2) counted from the sheets themselves: the latest approved year up to `day`'s year with results meets every
    criterion, not revoked since. The definition that CommuneYearSummary's approved_year and approved_met hold for
    the basic sets (the tests compare them); the figures of a narrowed set (`criteria_set`) are counted this way."""
    from criteria.querysets import summary_count

    CommuneYear, Recognition = _model("CommuneYear"), _model("Recognition")
    sizes = set_sizes(criteria_set) if sizes is None else sizes
    if not sizes:
        return Exists(CommuneYear.objects.none())
    sets = Q(criteria_set__in=list(sizes))
    # The commune-year index starts with the commune: one short index walk per commune.
    latest_year = (
        CommuneYear.objects.filter(
            sets,
            commune=OuterRef(OuterRef(commune_ref)),
            year__lte=day.year,
            approval_status=ApprovalStatus.APPROVED,
        )
        .order_by("-year")
        .values("year")[:1]
    )
    revoked = Recognition.objects.filter(
        commune=OuterRef("commune"),
        action=RecognitionAction.REVOKE,
        criteria_set__level__in=COMMUNE_SET_LEVELS,
        decision_date__lte=day,
        year__gte=OuterRef("year"),
    )
    size = Case(*(When(criteria_set=pk, then=Value(n)) for pk, n in sizes.items()), output_field=IntegerField())
    complete = (
        CommuneYear.objects.filter(
            sets,
            commune=OuterRef(commune_ref),
            year=Subquery(latest_year),
            approval_status=ApprovalStatus.APPROVED,
        )
        .annotate(met=summary_count("met"), size=size)
        .filter(met__gte=F("size"))
        .filter(~Exists(revoked))
    )
    return Exists(complete)


def _revoked_since(day: datetime.date, commune_ref, year_ref):
    """Revocations of the commune, dated up to `day`, of a year from `year_ref` on: they undo route (2)."""
    return _model("Recognition").objects.filter(
        commune=commune_ref,
        action=RecognitionAction.REVOKE,
        criteria_set__level__in=COMMUNE_SET_LEVELS,
        decision_date__lte=day,
        year__gte=year_ref,
    )


def met_all_in_latest_approved_year(
    day: datetime.date,
    commune_ref: str = "pk",
    *,
    criteria_set=None,
    sizes: dict | None = None,
    sheet: str | None = None,
) -> Q:
    """(2) The latest approved year up to `day`'s year with results meets every criterion, not revoked since.

    Read from CommuneYearSummary (approved_year, approved_met: kept by the database, criteria.summary) instead
    of counting: the row of the commune's latest sheet up to `day`'s year (one index probe), or, with `sheet`
    (the path from the outer rows to a commune-year of that commune, "" when the rows are commune-years), that
    sheet's own row when it is of `day`'s year (no probe at all). A narrowed set (`criteria_set`) is counted
    (met_all_in_latest_approved_year_counted).
    """
    if criteria_set is not None:
        return Q(met_all_in_latest_approved_year_counted(day, commune_ref, criteria_set=criteria_set, sizes=sizes))
    CommuneYear, Summary = _model("CommuneYear"), _model("CommuneYearSummary")
    latest = CommuneYear.objects.filter(commune=OuterRef(OuterRef(commune_ref)), year__lte=day.year).order_by("-year")
    probe = Q(
        Exists(
            Summary.objects.filter(commune_year=Subquery(latest.values("pk")[:1]), approved_met=True).filter(
                ~Exists(_revoked_since(day, OuterRef(OuterRef(commune_ref)), OuterRef("approved_year")))
            )
        )
    )
    if sheet is None:
        return probe
    own = Q(**{f"{sheet}summary__approved_met": True}) & ~Q(
        Exists(_revoked_since(day, OuterRef(commune_ref), OuterRef(f"{sheet}summary__approved_year")))
    )
    this_year = Q(**{f"{sheet}year": day.year})
    # Evaluated left to right: a sheet of the day's year never runs the probe.
    return (this_year & own) | (~this_year & probe)


def own_standard(day: datetime.date, commune_ref: str = "pk", criteria_set=None, sizes=None, sheet=None) -> Q:
    """(1) or (2): the commune's own recognition or approved sheet, without the lineage carry (`sheet`: see
    met_all_in_latest_approved_year)."""
    return Q(recognition_in_force(day, commune_ref, criteria_set=criteria_set)) | met_all_in_latest_approved_year(
        day, commune_ref, criteria_set=criteria_set, sizes=sizes, sheet=sheet
    )


def succession_dates(day: datetime.date) -> list[datetime.date]:
    """The dates on or before `day` on which units became others (01/07/2025 for the two-level reform), sorted."""
    UnitSuccession = apps.get_model("divisions", "UnitSuccession")
    return sorted(
        UnitSuccession.objects.filter(effective_date__lte=day, is_main=True)
        .order_by()
        .values_list("effective_date", flat=True)
        .distinct()
    )


def standard_inputs(day: datetime.date) -> tuple[dict[int, int], list[datetime.date]]:
    """(set_sizes(), succession_dates(day)) in one query: what a page counting several days reads once."""
    UnitSuccession = apps.get_model("divisions", "UnitSuccession")
    sizes = (
        _model("CriteriaSet")
        .objects.filter(level=SetLevel.COMMUNE)
        .order_by()
        .annotate(n=Count("criteria"))
        .filter(n__gt=0)
        .values_list("pk", "n", Value(None, output_field=DateField()))
    )
    dates = (
        UnitSuccession.objects.filter(effective_date__lte=day, is_main=True)
        .order_by()
        .values_list(Value(0, output_field=IntegerField()), Value(0, output_field=IntegerField()), "effective_date")
        .distinct()
    )
    out_sizes, out_dates = {}, set()
    for pk, n, effective in sizes.union(dates):
        if effective is None:
            out_sizes[pk] = n
        else:
            out_dates.add(effective)
    return out_sizes, sorted(out_dates)


def previous_map_end(day: datetime.date, dates: list | None = None) -> datetime.date | None:
    """The last day of the map before the one in force on `day` (30/06/2025 from 01/07/2025), or None."""
    dates = [d for d in (succession_dates(day) if dates is None else dates) if d <= day]
    return dates[-1] - datetime.timedelta(days=1) if dates else None


def carried_through_lineage(
    day: datetime.date, commune_ref: str = "pk", *, dates=None, sizes=None, reached_before: dict | None = None
) -> Q:
    """(3) Every main predecessor had its own standard the day before the succession, no revocation since.

    `reached_before` ({effective date: ids of the units with their own standard on the eve}) lets a page that
    also counts the old map read the predecessors once (a list instead of a subquery per predecessor).
    """
    UnitSuccession, Recognition = apps.get_model("divisions", "UnitSuccession"), _model("Recognition")
    dates = succession_dates(day) if dates is None else dates
    carried = Q()
    for effective in (d for d in dates if d <= day):
        eve = effective - datetime.timedelta(days=1)
        successions = UnitSuccession.objects.filter(
            successor=OuterRef(commune_ref), is_main=True, effective_date=effective
        )
        if reached_before and effective in reached_before:
            short = successions.exclude(in_values(UnitSuccession, "predecessor_id", reached_before[effective]))
        else:
            short = successions.exclude(own_standard(eve, "predecessor", sizes=sizes))
        revoked = Recognition.objects.filter(
            commune=OuterRef(commune_ref),
            action=RecognitionAction.REVOKE,
            decision_date__gte=effective,
            decision_date__lte=day,
        )
        carried |= Q(Exists(successions)) & ~Q(Exists(short)) & ~Q(Exists(revoked))
    return carried  # Q() (no condition) when no succession took effect by `day`


def reached_standard_on(
    day: datetime.date,
    commune_ref: str = "pk",
    *,
    criteria_set=None,
    lineage: bool = True,
    sizes: dict | None = None,
    dates: list | None = None,
    reached_before: dict | None = None,
    sheet: str | None = None,
) -> Q:
    """The commune named by `commune_ref` (a path to a unit id in the outer query) had reached standard on `day`.

    `criteria_set` (instance, pk or code) narrows recognitions and sheets to one set (the advanced
    set's own figures); the lineage carry applies to the national standard only. `sizes` (set_sizes()) and
    `dates` (succession_dates()) let a page that asks for several days read them once. `sheet`: the path to a
    commune-year of the commune in the outer rows, whose summary row answers route (2) for `day`'s year
    (met_all_in_latest_approved_year).
    """
    reached = own_standard(day, commune_ref, criteria_set, sizes, sheet=sheet)
    if lineage and criteria_set is None:
        carried = carried_through_lineage(day, commune_ref, sizes=sizes, dates=dates, reached_before=reached_before)
        if carried:
            reached |= carried
    return reached


def reached_expression(day: datetime.date, commune_ref: str = "pk", **kwargs) -> ExpressionWrapper:
    """reached_standard_on() as a boolean annotation."""
    return ExpressionWrapper(reached_standard_on(day, commune_ref, **kwargs), output_field=BooleanField())


def in_force_q(day: datetime.date) -> Q:
    """Units (commune level) that existed on `day`: the map the figures of that day count."""
    from divisions.choices import UnitLevel

    return (
        Q(level=UnitLevel.COMMUNE)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    )


def units_in_force(units, day: datetime.date):
    """The commune-level units of `units` that existed on `day` (the map the figures of that day count)."""
    return units.filter(in_force_q(day))
