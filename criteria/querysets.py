"""Reads and report figures over criteria sets, commune-years and assessments, computed by the database.

The reports call these methods: their names and the shape of what they return are kept stable.
Everything is one SQL query (aggregates, annotations, subqueries); nothing loops over rows in
Python. A sheet's counts of results ("criteria met") are read from CommuneYearSummary, which the
database itself keeps in step with the assessments (criteria.summary: triggers, recounted by
`manage.py rebuild_criteria_summary`); nothing else is stored.

The rule for "không áp dụng" (a criterion that does not apply to a commune, e.g. no market in
its plan): it is left out of what the commune must meet, so it counts towards "criteria met".
A commune with 18 "đạt" and 1 "không áp dụng" has met 19 of 19 and reached standard; bands,
averages and achievement rates all use that same count (choices.COUNTS_AS_MET).

Typical calls::

    Assessment.objects.for_area(huyen_ky_anh).in_year(2017).national().area_summary()
    Assessment.objects.for_area(ha_tinh).in_year(2016).criterion_rates()[:7]   # weakest first
    CommuneYear.objects.for_area(ha_tinh).in_year(2019).with_figures(date(2019, 12, 31)).filter(reached=True)
    annotate_standard(communes, year=2021).filter(ntm_reached=True).count()
"""

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db import models
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round

from criteria.choices import COUNTS_AS_MET, AssessmentStatus, RecognitionAction, SetLevel


def bands_for(size: int) -> tuple[tuple[str, int | None, int | None], ...]:
    """The bands of "criteria met" the reports print for a set of `size` criteria, as (key, lowest, highest)
    with None for an open end: all of them, from three quarters, from half, from a quarter (each rounded up),
    and under a quarter. For 19 criteria: 19 / 15–18 / 10–14 / 5–9 / under 5; for 10: 10 / 8–9 / 5–7 / 3–4 /
    under 3. A band left empty by a very small set is dropped."""
    if size <= 0:
        return ()
    three_quarters, half, quarter = -(-3 * size // 4), -(-size // 2), -(-size // 4)
    middle = [(three_quarters, size - 1), (half, three_quarters - 1), (quarter, half - 1)]
    bands = [(f"band_{size}", size, None)]
    bands += [(f"band_{low}_{high}" if high > low else f"band_{low}", low, high) for low, high in middle if low <= high]
    if quarter > 0:
        bands.append((f"band_under_{quarter}", None, quarter - 1))
    return tuple(bands)


# The bands of the 19-criterion sets (2010–2025): band_19, band_15_18, band_10_14, band_5_9, band_under_5.
BANDS = bands_for(19)

_TENTH = Decimal("0.1")


class _RoundToTenth(Round):
    """ROUND(x, 1) returned as a Decimal with exactly one decimal on every database
    (SQLite hands back 13.7000000000000 for an expression)."""

    def __init__(self, expression):
        super().__init__(expression, 1, output_field=DecimalField(max_digits=6, decimal_places=1))

    def get_db_converters(self, connection):
        return [*super().get_db_converters(connection), self._to_tenth]

    @staticmethod
    def _to_tenth(value, expression, connection):
        return None if value is None else Decimal(value).quantize(_TENTH)


def _model(name):
    return apps.get_model("criteria", name)


def _unit_ids(area):
    """The ids of the units `area` covers, as a subquery (see divisions.querysets.UnitQuerySet.within)."""
    from divisions.models import AdministrativeUnit

    if isinstance(area, AdministrativeUnit):
        return AdministrativeUnit.objects.within(area).values("pk")
    if isinstance(area, models.QuerySet):
        return area.values("pk")
    if isinstance(area, int | str):
        return [area]
    return [getattr(item, "pk", item) for item in area]


def _set_q(criteria_set, field):
    """A filter on a criteria set given as an instance, a primary key or a code."""
    if isinstance(criteria_set, str) and not criteria_set.isdigit():
        return Q(**{f"{field}__code": criteria_set})
    return Q(**{field: criteria_set})


def _set_size(set_ref):
    """The number of criteria in the set `set_ref` points at (0 for an empty set)."""
    sizes = (
        _model("Criterion")
        .objects.filter(criteria_set=OuterRef(set_ref))
        .order_by()
        .values("criteria_set")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sizes, output_field=models.IntegerField()), 0)


def summary_count(column: str, path: str = "") -> Coalesce:
    """A sheet's count from its CommuneYearSummary row (criteria.summary): `column` is "assessed", "met" (đạt or
    không áp dụng), "not_met" or "not_applicable"; `path` leads from the rows to their commune-year ("" when the
    rows are commune-years, "commune_year__" from assessments). One join instead of counting the sheet's results."""
    return Coalesce(F(f"{path}summary__{column}"), 0, output_field=models.IntegerField())


def every_set_size() -> dict[int, int]:
    """{set id: number of criteria} of every set (a handful of rows), read once for a figure over many sheets."""
    return dict(_model("CriteriaSet").objects.order_by().annotate(n=Count("criteria")).values_list("pk", "n"))


def _sizes_case(field: str, sizes: dict[int, int]) -> Case:
    """The size of the set `field` names, from {set id: number of criteria} read once (0 for another set)."""
    return Case(
        *(When(**{field: pk}, then=Value(n)) for pk, n in sizes.items()),
        default=Value(0),
        output_field=models.IntegerField(),
    )


def _meets_all():
    return Case(
        When(Q(set_size__gt=0) & Q(met__gte=F("set_size")), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


# The highest criterion number the summary's bits hold (criteria.summary.MAX_BIT).
MAX_BIT = 62

# A LIMIT no area reaches: sliced, rows stay a subquery PostgreSQL does not inline (see area_summary).
NO_LIMIT = 10**9


def _summary_aggregates(bands=BANDS):
    """Aggregates over rows that carry `met`, `meets_all` and a `key` (one row per commune-year)."""
    aggregates = {
        "communes": Count("key"),
        "average_met": _RoundToTenth(Avg("met")),
        "all_met": Count("key", filter=Q(meets_all=True)),
    }
    for key, low, high in bands:
        band = Q()
        if low is not None:
            band &= Q(met__gte=low)
        if high is not None:
            band &= Q(met__lte=high)
        aggregates[key] = Count("key", filter=band)
    return aggregates


class CriteriaSetQuerySet(models.QuerySet):
    def national_commune(self):
        """The national sets for communes to reach NTM standard (QĐ 491, QĐ 1980, QĐ 318)."""
        return self.filter(is_national=True, level=SetLevel.COMMUNE)

    def covering(self, year: int):
        """Sets in force in `year`."""
        return self.filter(Q(valid_from_year__lte=year), Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=year))

    def default_for_year(self, year: int):
        """The national commune set in force in `year` (the latest one if two overlap), or None."""
        return self.national_commune().covering(year).order_by("-valid_from_year").first()

    def with_size(self):
        """Annotate `size`: the number of criteria in each set."""
        return self.annotate(size=Count("criteria"))


class _AreaYearSetMixin:
    """Filters shared by commune-years and assessments; `_commune`, `_set` name the paths."""

    _commune = "commune"
    _set = "criteria_set"

    def for_area(self, area):
        """Rows of communes in `area`: a province, district or commune (AdministrativeUnit), a unit
        QuerySet, or any iterable of units or unit ids (e.g. a list of special communes).

        Pass the unit of the edition the assessments use (legacy units before 07/2025).
        """
        return self.filter(**{f"{self._commune}__in": _unit_ids(area)})

    def in_year(self, year: int):
        return self.filter(year=year)

    def in_years(self, first: int, last: int):
        return self.filter(year__gte=first, year__lte=last)

    def in_set(self, criteria_set):
        """Rows of one criteria set (instance, pk or code such as "qd-1980-xa")."""
        return self.filter(_set_q(criteria_set, self._set))

    def national(self):
        """Rows of the national commune-level NTM sets (not advanced, model or provincial ones)."""
        return self.filter(**{f"{self._set}__is_national": True, f"{self._set}__level": SetLevel.COMMUNE})


class CommuneYearQuerySet(_AreaYearSetMixin, models.QuerySet):
    def with_results(self):
        """Commune-years with at least one result recorded (a sheet opened and left empty is not assessed)."""
        return self.filter(summary__assessed__gt=0)

    def with_met(self, sizes: dict[int, int] | None = None):
        """Annotate each commune-year with

        - `met`: its criteria đạt or không áp dụng (see the module docstring)
        - `set_size`: the number of criteria in its set
        - `meets_all`: every criterion of the set met (a criterion with no result is not met)

        `met` comes from the sheet's CommuneYearSummary row (one join). `sizes` ({set id: number of
        criteria}, criteria.selectors.set_sizes) spares a count of the set's criteria per row when many rows are read.
        """
        size = _set_size("criteria_set") if sizes is None else _sizes_case("criteria_set", sizes)
        return self.annotate(met=summary_count("met"), set_size=size).annotate(meets_all=_meets_all())

    def with_counts(self, sizes: dict[int, int] | None = None):
        """with_met() plus `not_met`, `not_applicable` and `assessed` (results recorded at all)."""
        return self.with_met(sizes).annotate(
            not_met=summary_count("not_met"),
            not_applicable=summary_count("not_applicable"),
            assessed=summary_count("assessed"),
        )

    def with_figures(self, on: datetime.date, criteria_set=None):
        """with_counts() plus, on the date `on` (criteria.selectors, the one definition of the standard):

        - `recognised`: the commune holds a recognition in force on `on`
        - `reached` (đạt chuẩn): the commune had reached standard on `on` (recognition in force, every
          criterion met in its latest approved year up to `on`, or carried through the lineage)

        For a year's report `on` is selectors.day_for_year(year). `criteria_set` narrows the standard to one
        set that is not the basic national one (an advanced set's own figures).
        """
        from criteria import selectors

        return self.with_counts(every_set_size()).annotate(
            recognised=selectors.recognition_in_force(on, "commune", criteria_set=criteria_set),
            reached=selectors.reached_expression(on, "commune", criteria_set=criteria_set, sheet=""),
        )

    def reached_standard(self, on: datetime.date, criteria_set=None):
        """Commune-years whose commune had reached standard on `on` (see with_figures)."""
        return self.with_figures(on, criteria_set).filter(reached=True)

    def area_summary(self, bands=BANDS) -> dict:
        """The area's figures over these commune-years (filter to one year and one set first);
        a sheet with no result yet is not counted as assessed (`bands`: bands_for(the set's size)):

        {"communes": commune-years counted, "average_met": Decimal with one decimal or None,
         "all_met": how many met every criterion of their set, "band_19", "band_15_18", "band_10_14",
         "band_5_9", "band_under_5": commune-years per band of criteria met}

        One aggregate over the sheets' summary rows (criteria.summary), the set sizes read first.
        """
        rows = self.order_by().with_results().with_met(every_set_size()).annotate(key=F("pk"))
        return rows.aggregate(**_summary_aggregates(bands))

    # --- read from the sheets' summary bits (criteria.summary) -------------------------------------

    def _without_outside_results(self) -> bool:
        """Whether no sheet here has a result outside its own set, so that its summary bits say everything."""
        return not self.filter(summary__outside_set__gt=0).exists()

    def criterion_rates(self) -> list[dict]:
        """Each criterion's achievement rate over these sheets' results, weakest first: the dicts of
        AssessmentQuerySet.criterion_rates ({"criterion", "number", "name", "criteria_set", "assessed", "met",
        "rate"}), added up from the sheets' summary bits (one row per sheet instead of one per result). Counted from
        the results when a sheet holds a result outside its set (never, normally)."""
        sheets = self.order_by()
        if not sheets._without_outside_results():
            return list(_model("Assessment").objects.filter(commune_year__in=sheets.values("pk")).criterion_rates())
        criteria = {
            (c.criteria_set_id, c.number): c
            for c in _model("Criterion").objects.filter(
                criteria_set__in=sheets.values("criteria_set"), number__gte=1, number__lte=MAX_BIT
            )
        }
        numbers = sorted({number for _set, number in criteria})
        measures = {}
        for n in numbers:
            measures[f"assessed_{n}"] = models.Sum(F("summary__assessed_bits").bitrightshift(n).bitand(1))
            measures[f"met_{n}"] = models.Sum(F("summary__met_bits").bitrightshift(n).bitand(1))
        rows = []
        for figures in sheets.values("criteria_set").annotate(**measures).order_by() if numbers else []:
            for n in numbers:
                criterion = criteria.get((figures["criteria_set"], n))
                assessed, met = int(figures[f"assessed_{n}"] or 0), int(figures[f"met_{n}"] or 0)
                if criterion is None or not assessed:
                    continue
                rows.append(
                    {
                        "criterion": criterion.pk,
                        "number": n,
                        "name": criterion.name,
                        "criteria_set": criterion.criteria_set_id,
                        "assessed": assessed,
                        "met": met,
                        "rate": percent_to_tenth(met, assessed),
                    }
                )
        return sorted(rows, key=lambda r: (r["rate"], r["number"], r["criteria_set"]))

    def statuses_by_number(self) -> dict[int, dict[int, str]]:
        """{commune-year id: {criterion number: status}} of these sheets, decoded from their summary bits (one row
        per sheet); from the results themselves when a sheet holds a result outside its set."""
        if not self._without_outside_results():
            rows = (
                _model("Assessment")
                .objects.filter(commune_year__in=self.values("pk"))
                .order_by()
                .values_list("commune_year_id", "criterion__number", "status")
            )
            cells: dict[int, dict[int, str]] = {}
            for sheet, number, status in rows:
                cells.setdefault(sheet, {})[number] = status
            return cells
        met, not_met, not_applicable = AssessmentStatus.MET, AssessmentStatus.NOT_MET, AssessmentStatus.NOT_APPLICABLE
        cells = {}
        rows = self.order_by().values_list(
            "pk", "summary__assessed_bits", "summary__met_bits", "summary__not_applicable_bits"
        )
        for sheet, assessed, counted, na in rows:
            if not assessed:
                continue
            statuses = {}
            while assessed:
                low = assessed & -assessed
                number = low.bit_length() - 1
                statuses[number] = not_applicable if na & low else met if counted & low else not_met
                assessed ^= low
            cells[sheet] = statuses
        return cells


def percent_to_tenth(part: int, whole: int) -> Decimal:
    """part / whole as a percentage with one decimal, half up (as people round): 247 of 2000 -> 12.4."""
    return (Decimal(part * 100) / Decimal(whole)).quantize(_TENTH, rounding=ROUND_HALF_UP)


class AssessmentQuerySet(_AreaYearSetMixin, models.QuerySet):
    _set = "criterion__criteria_set"

    def counting_as_met(self):
        """Assessments that count as met (đạt or không áp dụng)."""
        return self.filter(status__in=COUNTS_AS_MET)

    def with_commune_year_met(self):
        """Annotate `commune_year_met`: the criteria met by the commune-year each result belongs to."""
        return self.annotate(commune_year_met=summary_count("met", "commune_year__"))

    def met_counts(self):
        """One row per commune-year in this queryset, as dicts:

        {"commune_year", "commune", "year", "criteria_set", "met", "not_met", "not_applicable",
         "assessed", "set_size", "meets_all"}, ordered by year and commune code.
        Filters applied before (area, year, set) narrow the rows counted.
        """
        return (
            self.order_by()
            .values("commune_year", "commune", "year")
            .annotate(
                criteria_set=F("commune_year__criteria_set"),
                met=Count("pk", filter=Q(status__in=COUNTS_AS_MET)),
                not_met=Count("pk", filter=Q(status=AssessmentStatus.NOT_MET)),
                not_applicable=Count("pk", filter=Q(status=AssessmentStatus.NOT_APPLICABLE)),
                assessed=Count("pk"),
                set_size=_set_size("commune_year__criteria_set"),
            )
            .annotate(meets_all=_meets_all())
            .order_by("year", "commune__code")
        )

    def area_summary(self) -> dict:
        """The area's figures (filter to one year and one set first; see CommuneYearQuerySet.area_summary).

        Example: Assessment.objects.for_area(huyen).in_year(2017).national().area_summary()
        -> {"communes": 19, "average_met": Decimal("9.8"), "all_met": 0, "band_19": 0, ...}
        """
        rows = self.met_counts().order_by().annotate(key=F("commune_year"))
        return rows.aggregate(**_summary_aggregates())

    def criterion_rates(self):
        """Each criterion's achievement rate over these assessments, weakest first, as dicts:

        {"criterion", "number", "name", "criteria_set", "assessed", "met", "rate"} where
        rate is the percentage met with one decimal (Decimal). Ties go by criterion number.
        """
        return (
            self.order_by()
            .values("criterion")
            .annotate(
                number=F("criterion__number"),
                name=F("criterion__name"),
                criteria_set=F("criterion__criteria_set"),
                assessed=Count("pk"),
                met=Count("pk", filter=Q(status__in=COUNTS_AS_MET)),
            )
            .annotate(
                rate=_RoundToTenth(ExpressionWrapper(F("met") * 100.0 / F("assessed"), output_field=FloatField()))
            )
            .order_by("rate", "number", "criteria_set")
        )


class CommuneClassificationQuerySet(models.QuerySet):
    def in_force(self, year: int):
        """Classifications whose period covers `year`."""
        return self.filter(Q(valid_from_year__lte=year), Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=year))

    def groups_in_year(self, year: int, commune_ids=None) -> dict:
        """{commune_id: group} of the communes classified in `year` (one query)."""
        rows = self.in_force(year)
        if commune_ids is not None:
            rows = rows.filter(commune_id__in=commune_ids)
        return dict(rows.order_by("valid_from_year").values_list("commune_id", "group"))


def group_for(commune_id, year: int) -> str | None:
    """The group (CommuneGroup value) of the commune in `year`, or None when it has none."""
    return (
        _model("CommuneClassification")
        .objects.in_force(year)
        .filter(commune_id=commune_id)
        .order_by("-valid_from_year")
        .values_list("group", flat=True)
        .first()
    )


class IndicatorResultQuerySet(models.QuerySet):
    def counting_as_met(self):
        """Results that count as met (đạt or không áp dụng)."""
        return self.filter(status__in=COUNTS_AS_MET)

    def in_year(self, year: int):
        return self.filter(commune_year__year=year)

    def in_set(self, criteria_set):
        return self.filter(_set_q(criteria_set, "commune_year__criteria_set"))

    def for_area(self, area):
        return self.filter(commune_year__commune__in=_unit_ids(area))


class RecognitionQuerySet(models.QuerySet):
    def in_force(self, year: int, criteria_set=None):
        """Recognitions standing in `year`: the latest decision up to `year` for each commune (and
        set) recognises it and has not been followed by a revocation. `criteria_set` None means
        any national commune-level NTM set."""
        latest = self.model.objects.filter(commune=OuterRef("commune"), year__lte=year)
        if criteria_set is None:
            latest = latest.filter(criteria_set__level=SetLevel.COMMUNE)
            scope = Q(criteria_set__level=SetLevel.COMMUNE)
        else:
            latest = latest.filter(_set_q(criteria_set, "criteria_set"))
            scope = _set_q(criteria_set, "criteria_set")
        latest = latest.order_by("-year", "-decision_date", "-pk").values("pk")[:1]
        return self.filter(scope, action=RecognitionAction.RECOGNISE, year__lte=year, pk=Subquery(latest))


class PeriodLockQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_locked=True)

    def locked_pairs(self, *, province_ids: Iterable[int], years: Iterable[int]) -> dict:
        """{(province_id, year): PeriodLock} of the active locks among these provinces and years (one query)."""
        locks = self.active().filter(province_id__in=set(province_ids), year__in=set(years)).select_related("province")
        return {(lock.province_id, lock.year): lock for lock in locks}

    def for_commune_year(self, commune, year: int):
        """The active lock that closes `year` for `commune`'s province, or None."""
        province_id = commune.province_id or commune.pk
        return self.active().filter(province_id=province_id, year=year).select_related("province").first()


def annotate_standard(units, *, year: int, criteria_set=None, today: datetime.date | None = None):
    """Annotate a queryset of communes (AdministrativeUnit) with their NTM standard in `year`, taken on
    selectors.day_for_year(year) (31/12, or today for the running year) by the one definition:

    - `ntm_recognised`: a recognition in force on that day (not revoked)
    - `ntm_reached`: reached standard on that day (criteria.selectors.reached_standard_on)

    `criteria_set` (instance, pk or code) narrows to one set that is not the basic national one.
    Example: annotate_standard(communes, year=2021).filter(ntm_reached=True).count()
    """
    from criteria import selectors

    day = selectors.day_for_year(year, today)
    criteria_set = selectors.standard_set(criteria_set)
    return units.annotate(
        ntm_recognised=selectors.recognition_in_force(day, criteria_set=criteria_set),
        ntm_reached=selectors.reached_expression(day, criteria_set=criteria_set),
    )
