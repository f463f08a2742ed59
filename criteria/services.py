"""Writes that span criteria models, and the rules every write obeys (admin and imports alike).

The rules for recording a commune's result in a year:
- the unit must be a commune (level 3) that existed in that year;
- the criteria set must be in force in that year (by default the national commune set of the year);
- the year must not be locked for the commune's province (PeriodLock).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from criteria.choices import TargetBasis
from criteria.models import (
    Assessment,
    CommuneClassification,
    CommuneYear,
    CriteriaSet,
    Indicator,
    IndicatorResult,
    IndicatorTarget,
    PeriodLock,
)
from criteria.scoring import criterion_status, indicator_result_judge
from divisions.choices import UnitKind, UnitLevel
from ntm_site.spreadsheets.registry import template_label

UNLOCK_PERMISSION = "criteria.unlock_periodlock"


def unit_exists_in_year(unit, year: int) -> bool:
    """Whether `unit` existed at some point of `year` (same rule as UnitQuerySet.valid_in_year)."""
    return (unit.valid_from is None or unit.valid_from.year <= year) and (
        unit.valid_to is None or unit.valid_to.year >= year
    )


def _span(unit) -> str:
    start = unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else "…"
    end = unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else "…"
    return f"{start}–{end}"


def commune_year_problems(*, commune, year: int, criteria_set: CriteriaSet | None) -> dict[str, str]:
    """The rules above that (commune, year, set) breaks, as {field name: message}; empty when all hold.

    The lock is not checked here (see lock_for); a missing set is reported under "criteria_set".
    """
    problems = {}
    if commune.level != UnitLevel.COMMUNE:
        problems["commune"] = _("{unit} không phải đơn vị cấp xã.").format(unit=commune.name)
    elif commune.kind != UnitKind.COMMUNE:
        problems["commune"] = not_rural_message(commune)
    elif not unit_exists_in_year(commune, year):
        problems["commune"] = _("{unit} (mã {code}) không tồn tại trong năm {year} (hiệu lực {span}).").format(
            unit=commune.name, code=commune.code, year=year, span=_span(commune)
        )
    if criteria_set is None:
        problems["criteria_set"] = _(
            "Không có bộ tiêu chí quốc gia về xã nông thôn mới áp dụng cho năm {year}."
        ).format(year=year)
    elif not criteria_set.covers_year(year):
        problems["criteria_set"] = _("Bộ tiêu chí {set} chỉ áp dụng {start}–{end}, không dùng cho năm {year}.").format(
            set=criteria_set.short_label,
            start=criteria_set.valid_from_year,
            end=criteria_set.valid_to_year or "…",
            year=year,
        )
    return problems


def not_rural_message(unit) -> str:
    """Why a ward, townlet or special zone gets no criteria sheet."""
    return _("{unit} (mã {code}) là {kind}, không phải xã: chỉ xã được chấm theo bộ tiêu chí nông thôn mới.").format(
        unit=unit.name, code=unit.code, kind=unit.get_kind_display().lower()
    )


def sheet_has_indicators(criteria_set) -> bool:
    """Whether the set is scored indicator by indicator (it has indicators) rather than criterion by criterion."""
    return criteria_set is not None and Indicator.objects.filter(criterion__criteria_set=criteria_set).exists()


def no_group_message(commune, year: int) -> str:
    """Why a commune cannot be scored against a grouped set, and where to set its group."""
    return _(
        "Xã {name} (mã {code}) chưa được phân nhóm cho năm {year}, nên chưa so được với mức chỉ tiêu "
        "của bộ tiêu chí. Hãy ghi nhóm của xã ở mục “Phân nhóm xã” (Tiêu chí nông thôn mới → Phân nhóm xã) "
        "hoặc nhập biểu mẫu “{template}”."
    ).format(name=commune.name, code=commune.code, year=year, template=template_label("commune-groups"))


def no_indicator_set_message(year: int) -> str:
    """Why a sheet of a set scored per indicator (QĐ 51/2025) cannot be scored so yet, and where to load the set."""
    return _(
        "Năm {year} chưa có bộ tiêu chí nào có chỉ tiêu. Hãy nạp bộ tiêu chí (biểu mẫu “{template}”) "
        "ở mục Bộ tiêu chí → Nhập từ Excel, hoặc bằng lệnh import_workbook criteria-sets TỆP."
    ).format(year=year, template=template_label("criteria-sets"))


def lock_for(*, commune, year: int) -> PeriodLock | None:
    """The active lock that closes `year` for the commune's province, or None."""
    return PeriodLock.objects.for_commune_year(commune, year)


def commune_year_check(*, commune, year: int, criteria_set: CriteriaSet | None) -> None:
    """Raise ValidationError (keyed by field) if a result may not be recorded for (commune, year, set)."""
    problems = commune_year_problems(commune=commune, year=year, criteria_set=criteria_set)
    lock = lock_for(commune=commune, year=year)
    if lock is not None:
        problems["year"] = lock.refusal()
    if problems:
        raise ValidationError(problems)


def lock_check(*, commune, year: int) -> None:
    """Raise ValidationError with the lock's message if `year` is locked for the commune's province."""
    lock = lock_for(commune=commune, year=year)
    if lock is not None:
        raise ValidationError(lock.refusal())


@transaction.atomic
def commune_year_get_or_create(*, commune, year: int, criteria_set: CriteriaSet | None = None) -> CommuneYear:
    """The commune's sheet for (year, set), created if needed, after checking the rules and the lock."""
    criteria_set = criteria_set or CriteriaSet.objects.default_for_year(year)
    commune_year_check(commune=commune, year=year, criteria_set=criteria_set)
    commune_year, _created = CommuneYear.objects.get_or_create(commune=commune, year=year, criteria_set=criteria_set)
    return commune_year


def assessment_stamp(assessment: Assessment, *, user) -> Assessment:
    """Record who entered a result and when (called for every created or changed result)."""
    assessment.assessed_by = user if getattr(user, "is_authenticated", False) else None
    assessment.assessed_on = timezone.localdate()
    return assessment


@transaction.atomic
def assessment_save(*, assessment: Assessment, user) -> Assessment:
    """Save one result entered on its own (not through its commune-year), filing it under its commune-year."""
    commune_year = commune_year_get_or_create(
        commune=assessment.commune, year=assessment.year, criteria_set=assessment.criterion.criteria_set
    )
    assessment.commune_year = commune_year
    assessment_stamp(assessment, user=user)
    assessment.save()
    return assessment


@transaction.atomic
def period_lock_lock(*, province, year: int, user, reason: str = "") -> PeriodLock:
    """Close `year` for `province` (or close it again after an unlock)."""
    lock, created = PeriodLock.objects.get_or_create(
        province=province, year=year, defaults={"locked_by": user, "reason": reason}
    )
    if not created and not lock.is_locked:
        lock.is_locked = True
        lock.locked_by = user
        lock.locked_at = timezone.now()
        lock.reason = reason or lock.reason
        lock._change_reason = str(_("Khóa lại số liệu năm"))
        lock._history_user = user
        lock.save()
    return lock


@transaction.atomic
def period_lock_unlock(*, lock: PeriodLock, user, reason: str = "") -> PeriodLock:
    """Open a locked year again. Needs the separate permission; the change is kept in the lock's history."""
    if not user.has_perm(UNLOCK_PERMISSION):
        raise PermissionDenied(_("Bạn không có quyền mở khóa số liệu năm."))
    if lock.is_locked:
        lock.is_locked = False
        lock._change_reason = str(_("Mở khóa số liệu năm: {reason}").format(reason=reason or "—"))
        lock._history_user = user
        lock.save()
    return lock


# --- indicator-level scoring ------------------------------------------------------------


class _ScoringData:
    """What judging the sheets of some sets needs, read once: indicators per set, targets, groups."""

    def __init__(self, set_ids, commune_years):
        indicators = Indicator.objects.filter(criterion__criteria_set_id__in=set_ids).select_related("criterion")
        self.indicators = {i.pk: i for i in indicators}
        self.by_set = {}
        for indicator in self.indicators.values():
            self.by_set.setdefault(indicator.criterion.criteria_set_id, []).append(indicator)
        self.targets = {}
        for target in IndicatorTarget.objects.filter(indicator_id__in=self.indicators):
            self.targets[(target.indicator_id, target.commune_group or target.region)] = target
        self.sets = {s.pk: s for s in CriteriaSet.objects.filter(pk__in=set_ids)}
        self.groups = {}
        for year in {cy.year for cy in commune_years}:
            communes = [cy.commune_id for cy in commune_years if cy.year == year]
            for commune_id, group in CommuneClassification.objects.groups_in_year(year, communes).items():
                self.groups[(commune_id, year)] = group

    def group_of(self, commune_year):
        criteria_set = self.sets[commune_year.criteria_set_id]
        if criteria_set.target_basis != TargetBasis.GROUP:
            return ""
        return self.groups.get((commune_year.commune_id, commune_year.year))

    def judge(self, result, group):
        indicator = self.indicators[result.indicator_id]
        if result.status_overridden:
            return result.status
        return indicator_result_judge(
            indicator=indicator,
            target=self.targets.get((indicator.pk, group)) if group else None,
            value_number=result.value_number,
            value_bool=result.value_bool,
            value_text=result.value_text,
            not_applicable=result.not_applicable,
            current=result.status,
        )


def _in_chunks(queryset, field, ids, size=900):
    """The rows of `queryset` whose `field` is one of `ids`, read 900 ids at a time (SQLite's variable limit)."""
    for start in range(0, len(ids), size):
        yield from queryset.filter(**{f"{field}__in": ids[start : start + size]}).iterator(chunk_size=5000)


def _writer(model, *, user, reason):
    from ntm_site.spreadsheets.history import BulkWriter

    return BulkWriter(model, user=user, reason=str(reason))


class SheetScoring:
    """Scoring some sheets in memory: what judging them needs is read once (indicators, targets, sets, groups).

    `judge(result)` sets one result's status and commune group from its value; `criteria(results)`
    derives the sheets' criteria (Assessment rows) from all their results and writes them with history.
    An import judges the results it is about to write (one row and one history row each), then derives
    the criteria; `commune_years_score` reads the results from the database and does the same.

    Sheets whose set has no indicators are not scored (criterion-level scoring). A sheet of a grouped
    set whose commune has no group for its year is refused (ValidationError naming the commune) when
    `strict`, else left unscored.
    """

    def __init__(self, commune_years, *, strict: bool = True):
        commune_years = list(commune_years)
        self.data = data = _ScoringData({cy.criteria_set_id for cy in commune_years}, commune_years)
        self.groups = {}  # sheet id -> the commune group its results are judged for ("" for a set by region)
        self.sheets = {}
        for cy in commune_years:
            if not data.by_set.get(cy.criteria_set_id):
                continue
            group = data.group_of(cy)
            if group is None:
                if strict:
                    raise ValidationError(no_group_message(cy.commune, cy.year))
                continue
            self.sheets[cy.pk] = cy
            self.groups[cy.pk] = group
        self.sizes = {}
        for indicator in data.indicators.values():
            self.sizes[indicator.criterion_id] = self.sizes.get(indicator.criterion_id, 0) + 1

    def judge(self, result) -> bool:
        """Set the status and commune group of a result of one of the sheets; True when either changed."""
        group = self.groups[result.commune_year_id]
        status = self.data.judge(result, group)
        if status == result.status and result.commune_group == group:
            return False
        result.status = status
        result.commune_group = group
        return True

    def criteria(self, results, *, user=None, reason="") -> int:
        """Derive and write (with history) the criteria of the sheets that `results` (all their results) belong to.

        Returns the number of Assessment rows created or changed.
        """
        indicators = self.data.indicators
        statuses = {}  # (sheet, criterion) -> [status]
        for result in results:
            key = (result.commune_year_id, indicators[result.indicator_id].criterion_id)
            statuses.setdefault(key, []).append(result.status)
        ids = sorted({sheet_id for sheet_id, _criterion in statuses})
        existing = {
            (a.commune_year_id, a.criterion_id): a for a in _in_chunks(Assessment.objects.all(), "commune_year_id", ids)
        }
        today = timezone.localdate()
        user_id = user.pk if getattr(user, "is_authenticated", False) else None
        from ntm_site.spreadsheets.history import InstanceFactory

        make = InstanceFactory(Assessment)
        new_rows, changed_rows = [], []
        for (sheet_id, criterion_id), found in statuses.items():
            status = criterion_status(found, self.sizes[criterion_id])
            row = existing.get((sheet_id, criterion_id))
            if row is None:
                sheet = self.sheets[sheet_id]
                new_rows.append(
                    make(
                        {
                            "commune_year_id": sheet_id,
                            "commune_id": sheet.commune_id,
                            "year": sheet.year,
                            "criterion_id": criterion_id,
                            "status": status,
                            "assessed_by_id": user_id,
                            "assessed_on": today,
                        }
                    )
                )
            elif row.status != status:
                row.status = status
                row.assessed_by_id = user_id
                row.assessed_on = today
                changed_rows.append(row)
        writer = _writer(Assessment, user=user, reason=reason or _("Chấm lại theo chỉ tiêu"))
        writer.create(new_rows)
        writer.update(changed_rows, ["status", "assessed_by_id", "assessed_on"])
        return len(new_rows) + len(changed_rows)


@transaction.atomic
def commune_years_score(*, commune_years, user=None, reason: str = "", strict: bool = True) -> int:
    """Judge every indicator result of these sheets and derive their criteria (Assessment rows), in bulk with history.

    Sheets whose set has no indicators are left as they are (criterion-level scoring). A sheet of a
    grouped set whose commune has no group for its year is refused (ValidationError naming the
    commune) when `strict`, else left unscored. Returns the number of rows changed.
    """
    commune_years = list(commune_years)
    if not commune_years:
        return 0
    scoring = SheetScoring(commune_years, strict=strict)
    if not scoring.groups:
        return 0
    results = list(_in_chunks(IndicatorResult.objects.all(), "commune_year_id", list(scoring.groups)))
    changed_results = [result for result in results if scoring.judge(result)]
    reason = reason or _("Chấm lại theo chỉ tiêu")
    if changed_results:
        _writer(IndicatorResult, user=user, reason=reason).update(changed_results, ["status", "commune_group"])
    return len(changed_results) + scoring.criteria(results, user=user, reason=reason)


def commune_year_score(*, commune_year, user=None) -> int:
    """Recompute every indicator result and every criterion of one sheet (see commune_years_score)."""
    return commune_years_score(commune_years=[commune_year], user=user)


@transaction.atomic
def indicator_targets_rescore(*, indicators, user=None) -> int:
    """Score again, after a target changed, every sheet holding a result of these indicators (history kept)."""
    sheet_ids = IndicatorResult.objects.filter(indicator__in=indicators).values("commune_year_id")
    sheets = CommuneYear.objects.filter(pk__in=sheet_ids).select_related("commune")
    return commune_years_score(
        commune_years=sheets, user=user, reason=_("Chấm lại vì mức chỉ tiêu thay đổi"), strict=False
    )


@transaction.atomic
def commune_classification_rescore(*, commune, user=None) -> int:
    """Score again a commune's sheets of grouped sets after its group changed (history kept)."""
    sheets = CommuneYear.objects.filter(commune=commune, criteria_set__target_basis=TargetBasis.GROUP).select_related(
        "commune"
    )
    return commune_years_score(
        commune_years=sheets, user=user, reason=_("Chấm lại vì nhóm của xã thay đổi"), strict=False
    )
