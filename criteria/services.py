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

from criteria.models import Assessment, CommuneYear, CriteriaSet, PeriodLock
from divisions.choices import UnitLevel

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
    elif not unit_exists_in_year(commune, year):
        problems["commune"] = _("{unit} (mã {code}) không tồn tại trong năm {year} (hiệu lực {span}).").format(
            unit=commune.name, code=commune.code, year=year, span=_span(commune)
        )
    if criteria_set is None:
        problems["criteria_set"] = _(
            "Không có bộ tiêu chí quốc gia về xã nông thôn mới áp dụng cho năm {year}."
        ).format(year=year)
    elif not criteria_set.covers_year(year):
        problems["criteria_set"] = _("Bộ tiêu chí {code} chỉ áp dụng {start}–{end}, không dùng cho năm {year}.").format(
            code=criteria_set.code,
            start=criteria_set.valid_from_year,
            end=criteria_set.valid_to_year or "…",
            year=year,
        )
    return problems


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
