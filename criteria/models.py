"""Criteria sets, criteria, indicators, and the yearly assessment of every commune."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from criteria.choices import (
    ApprovalStatus,
    AssessmentStatus,
    CommuneGroup,
    Comparison,
    RecognitionAction,
    Region,
    SetLevel,
    TargetBasis,
    ValueType,
)
from criteria.evidence import evidence_upload_to
from criteria.querysets import (
    AssessmentQuerySet,
    CommuneClassificationQuerySet,
    CommuneYearQuerySet,
    CriteriaSetQuerySet,
    IndicatorResultQuerySet,
    PeriodLockQuerySet,
    RecognitionQuerySet,
    group_for,
)
from divisions.models import AdministrativeUnit
from ntm_site.fields import YearField
from ntm_site.models import TrackedModel

# "Quyết định số 1980/QĐ-TTg ngày …" -> "1980/QĐ-TTg"
_DECISION_NUMBER = re.compile(r"(?:Quyết định|QĐ)\s+số\s+([\w./-]+)", re.IGNORECASE)


class CriteriaSetManager(models.Manager.from_queryset(CriteriaSetQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class CriteriaSet(TrackedModel):
    """A set of criteria a commune (or district) is assessed against, e.g. QĐ 1980/QĐ-TTg for 2016–2020."""

    code = models.SlugField(_("mã bộ tiêu chí"), max_length=40, unique=True)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    level = models.CharField(_("cấp áp dụng"), max_length=16, choices=SetLevel.choices, default=SetLevel.COMMUNE)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    legal_number = models.CharField(
        _("số, ký hiệu văn bản"), max_length=60, blank=True, help_text=_("Ví dụ 51/2025/QĐ-TTg")
    )
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    in_force_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    target_basis = models.CharField(
        _("mức chỉ tiêu đặt theo"),
        max_length=8,
        choices=TargetBasis.choices,
        default=TargetBasis.REGION,
        help_text=_("Theo vùng (giai đoạn 2016–2025) hay theo nhóm xã (QĐ 51/2025/QĐ-TTg)."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    valid_from_year = YearField(_("áp dụng từ năm"))
    valid_to_year = YearField(_("áp dụng đến năm"), null=True, blank=True)
    is_national = models.BooleanField(_("bộ tiêu chí quốc gia"), default=True)
    base_set = models.ForeignKey(
        "self",
        verbose_name=_("dựa trên bộ tiêu chí"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived_sets",
        help_text=_("Với bộ tiêu chí riêng của tỉnh: bộ quốc gia mà nó cụ thể hóa."),
    )
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh ban hành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 1},
    )

    objects = CriteriaSetManager()

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["level", "valid_from_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=models.F("valid_from_year")),
                name="criteriaset_years_ordered",
                violation_error_message=_("Năm kết thúc không được trước năm bắt đầu."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def short_label(self) -> str:
        """The set as clerks call it, by its decision: "QĐ 1980/QĐ-TTg" (its name when no decision is named).

        Messages name a set by this, never by its code ("qd-318-xa" is the import's key, not a clerk's word).
        """
        if self.legal_number:
            return f"QĐ {self.legal_number}"
        match = _DECISION_NUMBER.search(self.legal_basis or "")
        return f"QĐ {match[1]}" if match else self.name

    def natural_key(self):
        return (self.code,)

    def covers_year(self, year: int) -> bool:
        return self.valid_from_year <= year and (self.valid_to_year is None or year <= self.valid_to_year)


class CriterionManager(models.Manager):
    def get_by_natural_key(self, set_code, number):
        return self.get(criteria_set__code=set_code, number=number)


class Criterion(TrackedModel):
    """One numbered criterion of a set, e.g. criterion 17 "Môi trường và an toàn thực phẩm"."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="criteria"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên tiêu chí"), max_length=255)
    group = models.CharField(_("nhóm"), max_length=120, blank=True)

    objects = CriterionManager()
    # Forms offering criteria of several sets list them under their set (ntm_site.forms.grouped_choices).
    choice_group = "criteria_set"

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"],
                name="criterion_number_unique_in_set",
                violation_error_message=_("Bộ tiêu chí đã có tiêu chí mang số này."),
            ),
        ]

    def __str__(self):
        return _("{number}. {name}").format(number=self.number, name=self.name)

    def natural_key(self):
        return (*self.criteria_set.natural_key(), self.number)

    natural_key.dependencies = ["criteria.criteriaset"]


class Indicator(TrackedModel):
    """A measurable part of a criterion, e.g. 2.1 "Đường xã … được nhựa hóa hoặc bê tông hóa"."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("mã chỉ tiêu"), max_length=12, help_text=_("Ví dụ 2.1"))
    text = models.TextField(_("nội dung chỉ tiêu"))
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    comparison = models.CharField(
        _("cách so sánh"), max_length=8, choices=Comparison.choices, default=Comparison.YES_NO
    )
    value_type = models.CharField(_("loại giá trị"), max_length=8, choices=ValueType.choices, default=ValueType.BOOLEAN)
    position = models.PositiveSmallIntegerField(_("thứ tự trong tiêu chí"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["criterion__number", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "code"],
                name="indicator_code_unique_in_criterion",
                violation_error_message=_("Tiêu chí đã có chỉ tiêu mang mã này."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"

    def clean(self):
        from django.core.exceptions import ValidationError

        # The code names the indicator in workbooks (one column per code): unique within the whole set.
        if self.criterion_id and self.code:
            clash = Indicator.objects.filter(
                criterion__criteria_set_id=self.criterion.criteria_set_id, code=self.code
            ).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({"code": _("Bộ tiêu chí đã có chỉ tiêu mang mã này.")})


class IndicatorTarget(TrackedModel):
    """The value an indicator must reach in one of the seven regions (2016–2025) or for one commune
    group (QĐ 51/2025): exactly one of the two is set."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="targets"
    )
    region = models.CharField(_("vùng"), max_length=8, choices=Region.choices, blank=True)
    commune_group = models.CharField(_("nhóm xã"), max_length=8, choices=CommuneGroup.choices, blank=True)
    value = models.DecimalField(_("mức chỉ tiêu"), max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.CharField(_("mức chỉ tiêu (diễn giải)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("mức chỉ tiêu")
        verbose_name_plural = _("mức chỉ tiêu theo vùng hoặc nhóm xã")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region"],
                condition=~Q(region=""),
                name="indicator_target_unique_region",
                violation_error_message=_("Chỉ tiêu đã có mức cho vùng này."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "commune_group"],
                condition=~Q(commune_group=""),
                name="indicator_target_unique_group",
                violation_error_message=_("Chỉ tiêu đã có mức cho nhóm xã này."),
            ),
            models.CheckConstraint(
                condition=(Q(region="") & ~Q(commune_group="")) | (~Q(region="") & Q(commune_group="")),
                name="indicator_target_region_xor_group",
                violation_error_message=_("Mức chỉ tiêu phải ghi đúng một trong hai: vùng hoặc nhóm xã."),
            ),
        ]

    def __str__(self):
        where = self.get_commune_group_display() if self.commune_group else self.get_region_display()
        return f"{self.indicator.code} – {where}"


class CommuneYear(TrackedModel):
    """One commune's yearly scoring against one criteria set: the sheet a clerk fills in, one line per criterion.

    Its criteria are the Assessment rows below it. "Criteria met" is counted from them by the database
    (CommuneYearSummary, kept by triggers); "reached standard" is computed on the day asked
    (CommuneYearQuerySet.with_figures). Neither is typed in.
    """

    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="ntm_commune_years",
        limit_choices_to={"level": 3},
    )
    year = YearField(_("năm"))
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("bộ tiêu chí"),
        on_delete=models.PROTECT,
        related_name="commune_years",
        blank=True,
        help_text=_("Để trống: bộ tiêu chí quốc gia về xã nông thôn mới áp dụng trong năm."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # Approval (criteria.approval): changed only by its buttons, each change kept in history.
    approval_status = models.CharField(
        _("tình trạng phê duyệt"),
        max_length=12,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.DRAFT,
        db_index=True,
    )
    approval_changed_at = models.DateTimeField(_("chuyển tình trạng lúc"), null=True, blank=True)
    approval_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chuyển tình trạng"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_reason = models.TextField(
        _("lý do trả lại, mở lại"), blank=True, help_text=_("Huyện hoặc tỉnh ghi khi trả lại hay mở lại để sửa.")
    )

    objects = CommuneYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả chấm tiêu chí của xã trong năm")
        verbose_name_plural = _("kết quả chấm tiêu chí theo xã, năm")
        permissions = [
            ("submit_communeyear", _("Có thể gửi kết quả của xã lên huyện")),
            ("verify_communeyear", _("Có thể xác nhận (hoặc trả lại) kết quả xã đã gửi")),
            ("approve_communeyear", _("Có thể phê duyệt (hoặc trả lại) kết quả huyện đã xác nhận")),
            ("reopen_communeyear", _("Có thể mở lại kết quả đã phê duyệt")),
        ]
        ordering = ["-year", "commune__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year", "criteria_set"],
                name="communeyear_unique_commune_year_set",
                violation_error_message=_("Xã đã có bảng chấm tiêu chí của bộ tiêu chí này trong năm này."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="communeyear_year_plausible",
                violation_error_message=_("Năm đánh giá phải trong khoảng 2000–2100."),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "criteria_set", "commune"], name="communeyear_year_set_idx"),
            # "The commune's latest sheet up to a year" (criteria.selectors, route 2 of the standard): one probe
            # that also gives the sheet's id, so its summary row is the only other read.
            models.Index(fields=["commune", "-year"], include=["id"], name="communeyear_commune_latest_idx"),
        ]

    def __str__(self):
        return _("{commune} – năm {year}").format(commune=self.commune.name, year=self.year)

    def save(self, *args, **kwargs):
        if not self.criteria_set_id and self.year:
            self.criteria_set = CriteriaSet.objects.default_for_year(self.year)
        super().save(*args, **kwargs)


class CommuneYearSummary(models.Model):
    """What the reports read about one commune-year, kept by the database: the counts of its results (criteria
    met, not met, not applicable) and the commune's latest approved sheet up to that year (met in full or not).

    Derived, never typed in and never edited: triggers write it on every change of a result, a sheet, a set's
    criteria, whatever makes it (criteria.summary); `manage.py rebuild_criteria_summary` computes it again.
    Reports and the dashboard read "criteria met" and route (2) of "reached standard" here instead of counting
    each sheet's results.
    """

    commune_year = models.OneToOneField(
        CommuneYear,
        verbose_name=_("bảng chấm của xã trong năm"),
        primary_key=True,
        # The triggers add and remove the row with its sheet; the ORM never deletes it.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="summary",
    )
    assessed = models.IntegerField(_("số tiêu chí đã có kết quả"), db_default=0)
    met = models.IntegerField(_("số tiêu chí đạt (kể cả không áp dụng)"), db_default=0)
    not_met = models.IntegerField(_("số tiêu chí chưa đạt"), db_default=0)
    not_applicable = models.IntegerField(_("số tiêu chí không áp dụng"), db_default=0)
    # Bit n set: criterion number n of the sheet's own set has a result (one that counts as met, one "không áp
    # dụng"): the rates per criterion and the criteria matrix read these instead of the results.
    assessed_bits = models.BigIntegerField(_("các tiêu chí đã có kết quả"), db_default=0)
    met_bits = models.BigIntegerField(_("các tiêu chí đạt (kể cả không áp dụng)"), db_default=0)
    not_applicable_bits = models.BigIntegerField(_("các tiêu chí không áp dụng"), db_default=0)
    # Results whose criterion is not a criterion of the sheet's set (numbered up to 62): none, normally; the bits
    # leave them out, so a figure over such a sheet is counted from the results.
    outside_set = models.IntegerField(_("số kết quả của tiêu chí ngoài bộ tiêu chí của bảng chấm"), db_default=0)
    # Route (2) of the standard (criteria.selectors): the latest year up to this sheet's year with an approved
    # sheet of a basic commune set, and whether a sheet of that year met every criterion of its set.
    approved_year = models.IntegerField(_("năm gần nhất có bảng chấm đã phê duyệt"), null=True, blank=True)
    approved_met = models.BooleanField(_("bảng chấm đã phê duyệt năm đó đạt đủ tiêu chí"), db_default=False)

    class Meta:
        verbose_name = _("số liệu tổng hợp của bảng chấm")
        verbose_name_plural = _("số liệu tổng hợp của bảng chấm")
        # Nobody is given rights on it: no admin page, no import, no history.
        default_permissions = ()

    def __str__(self):
        return _("{sheet}: đạt {met}/{assessed}").format(
            sheet=self.commune_year_id, met=self.met, assessed=self.assessed
        )


class Assessment(TrackedModel):
    """The result of one commune on one criterion in one year (đạt / chưa đạt / không áp dụng).

    `commune` and `year` repeat those of `commune_year` so that the rule "one result per
    commune, criterion and year" is a database constraint; save() keeps them in step and
    the import writes them together.
    """

    commune_year = models.ForeignKey(
        CommuneYear,
        verbose_name=_("bảng chấm của xã trong năm"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )

    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="assessments",
        limit_choices_to={"level": 3},
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = YearField(_("năm"))
    status = models.CharField(_("kết quả"), max_length=16, choices=AssessmentStatus.choices)
    indicator_values = models.JSONField(
        _("giá trị chỉ tiêu"), default=dict, blank=True, help_text=_('Theo mã chỉ tiêu, ví dụ {"2.1": 85}.')
    )
    note = models.TextField(_("ghi chú"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assessed_on = models.DateField(_("ngày đánh giá"), null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả đánh giá tiêu chí")
        verbose_name_plural = _("kết quả đánh giá tiêu chí")
        ordering = ["-year", "commune__code", "criterion__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "criterion", "year"],
                name="assessment_unique_commune_criterion_year",
                violation_error_message=_("Xã đã có kết quả của tiêu chí này trong năm này."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="assessment_year_plausible",
                violation_error_message=_("Năm đánh giá phải trong khoảng 2000–2100."),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "commune"], name="assess_year_commune_idx"),
            models.Index(fields=["criterion", "year", "status"], name="assess_crit_year_status_idx"),
            # The admin list (latest year first, sheet by sheet) reads its page straight off this index.
            models.Index(fields=["-year", "commune_year"], name="assess_year_sheet_idx"),
        ]

    def __str__(self):
        return _("{commune} – tiêu chí {number} – {year}").format(
            commune=self.commune.name, number=self.criterion.number, year=self.year
        )

    def save(self, *args, **kwargs):
        if self.commune_year_id:
            self.commune_id = self.commune_year.commune_id
            self.year = self.commune_year.year
        super().save(*args, **kwargs)


class CommuneClassification(TrackedModel):
    """A commune's group (xã nhóm 1, 2 or 3 of QĐ 51/2025/QĐ-TTg) for a period, and the decision that says so."""

    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="ntm_classifications",
        limit_choices_to={"level": 3},
    )
    group = models.CharField(_("nhóm xã"), max_length=8, choices=CommuneGroup.choices)
    valid_from_year = YearField(_("từ năm"))
    valid_to_year = YearField(_("đến năm"), null=True, blank=True, help_text=_("Để trống: đến nay."))
    basis = models.CharField(
        _("căn cứ phân nhóm"),
        max_length=255,
        blank=True,
        help_text=_("Văn bản phân nhóm xã, ví dụ số, ngày quyết định của UBND tỉnh."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = CommuneClassificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhóm xã")
        verbose_name_plural = _("phân nhóm xã")
        ordering = ["commune__code", "valid_from_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "valid_from_year"],
                name="classification_unique_commune_from",
                violation_error_message=_("Xã đã có nhóm bắt đầu từ năm này."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=models.F("valid_from_year")),
                name="classification_years_ordered",
                violation_error_message=_("Năm kết thúc không được trước năm bắt đầu."),
            ),
        ]

    def __str__(self):
        return _("{commune}: {group} từ năm {year}").format(
            commune=self.commune.name, group=self.get_group_display(), year=self.valid_from_year
        )

    @staticmethod
    def group_for(commune_id, year: int) -> str | None:
        """The commune's group in `year` (a CommuneGroup value), or None when it has none."""
        return group_for(commune_id, year)

    def overlapping(self):
        """Other periods of the same commune that share a year with this one."""
        others = CommuneClassification.objects.filter(commune_id=self.commune_id).exclude(pk=self.pk)
        others = others.filter(Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=self.valid_from_year))
        if self.valid_to_year is not None:
            others = others.filter(valid_from_year__lte=self.valid_to_year)
        return others

    def clean(self):
        from django.core.exceptions import ValidationError

        if not (self.commune_id and self.valid_from_year):
            return
        clash = self.overlapping().first()
        if clash is not None:
            raise ValidationError(
                {"valid_from_year": _("Thời gian này trùng với nhóm đã ghi cho xã: {other}.").format(other=str(clash))}
            )


class IndicatorResult(TrackedModel):
    """One indicator of one commune's yearly sheet: the value measured, and whether it meets the target.

    `status` is derived from the value and the target of the commune's group (or region) by
    criteria.services.commune_year_score; for a text rule, or against the rule with a reason
    (the appraisal council's verdict), it is set by hand.
    """

    commune_year = models.ForeignKey(
        CommuneYear,
        verbose_name=_("bảng chấm của xã trong năm"),
        on_delete=models.CASCADE,
        related_name="indicator_results",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="results"
    )
    value_number = models.DecimalField(_("giá trị (số)"), max_digits=14, decimal_places=2, null=True, blank=True)
    value_bool = models.BooleanField(_("giá trị (có/không)"), null=True, blank=True)
    value_text = models.TextField(_("giá trị (mô tả)"), blank=True)
    not_applicable = models.BooleanField(
        _("không áp dụng"), default=False, help_text=_("Chỉ tiêu không áp dụng cho xã: được tính là đạt.")
    )
    commune_group = models.CharField(_("nhóm xã khi chấm"), max_length=8, choices=CommuneGroup.choices, blank=True)
    status = models.CharField(
        _("kết quả"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.NOT_MET
    )
    status_overridden = models.BooleanField(
        _("kết quả do hội đồng quyết định"),
        default=False,
        help_text=_("Kết quả ghi khác với kết quả tính theo mức chỉ tiêu: cần ghi lý do."),
    )
    override_reason = models.TextField(_("lý do ghi kết quả khác quy tắc"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = IndicatorResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả chỉ tiêu")
        verbose_name_plural = _("kết quả chỉ tiêu")
        ordering = ["commune_year", "indicator__criterion__number", "indicator__position", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune_year", "indicator"],
                name="indicatorresult_unique_sheet_indicator",
                violation_error_message=_("Bảng chấm đã có kết quả của chỉ tiêu này."),
            ),
            models.CheckConstraint(
                condition=Q(status_overridden=False) | ~Q(override_reason=""),
                name="indicatorresult_override_has_reason",
                violation_error_message=_("Kết quả ghi khác quy tắc cần có lý do."),
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "status"], name="indresult_indicator_status_idx"),
        ]

    def __str__(self):
        return _("{sheet} – chỉ tiêu {code}").format(sheet=str(self.commune_year), code=self.indicator.code)

    def clean(self):
        from django.core.exceptions import ValidationError

        if (
            self.commune_year_id
            and self.indicator_id
            and self.indicator.criterion.criteria_set_id != self.commune_year.criteria_set_id
        ):
            raise ValidationError({"indicator": _("Chỉ tiêu này không thuộc bộ tiêu chí của bảng chấm.")})


class Target(TrackedModel):
    """The year a commune registered to reach standard ("đăng ký về đích")."""

    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="ntm_targets"
    )
    criteria_set = models.ForeignKey(CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT)
    target_year = YearField(_("năm đăng ký đạt chuẩn"))
    plan = models.CharField(
        _("kế hoạch/quyết định giao"), max_length=255, blank=True, help_text=_("Số, ký hiệu văn bản đặt chỉ tiêu.")
    )
    registered_on = models.DateField(_("ngày đăng ký"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký về đích")
        verbose_name_plural = _("đăng ký về đích")
        ordering = ["target_year", "commune__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "criteria_set"],
                name="target_unique_commune_set",
                violation_error_message=_("Xã đã đăng ký về đích cho bộ tiêu chí này."),
            ),
        ]

    def __str__(self):
        return _("{commune}: về đích năm {year}").format(commune=self.commune.name, year=self.target_year)


class Recognition(TrackedModel):
    """A decision recognising (or revoking) a commune's NTM standard."""

    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="ntm_recognitions"
    )
    criteria_set = models.ForeignKey(CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT)
    action = models.CharField(
        _("nội dung"), max_length=12, choices=RecognitionAction.choices, default=RecognitionAction.RECOGNISE
    )
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    year = YearField(
        _("năm hiệu lực"),
        help_text=_("Công nhận: năm xã đạt chuẩn. Thu hồi: năm bắt đầu không còn được công nhận."),
    )

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")
        ordering = ["-decision_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "criteria_set", "action", "decision_number"],
                name="recognition_unique_decision",
                violation_error_message=_("Quyết định này đã được ghi cho xã."),
            ),
        ]

    def __str__(self):
        return f"{self.decision_number} – {self.commune.name}"

    def clean(self):
        super().clean()
        # A decision cannot recognise a commune that did not exist yet (a 2025 commune before 01/07/2025).
        commune = self.commune if self.commune_id else None
        start = commune.valid_from if commune is not None else None
        if start and self.decision_date and self.decision_date < start:
            raise ValidationError(
                {
                    "decision_date": _(
                        "{commune} có từ ngày {start}: quyết định ngày {day} không thể công nhận hay thu hồi "
                        "đơn vị chưa có. Hãy chọn đơn vị cũ có vào ngày đó."
                    ).format(
                        commune=commune,
                        start=commune.valid_from.strftime("%d/%m/%Y"),
                        day=self.decision_date.strftime("%d/%m/%Y"),
                    )
                }
            )


class PeriodLock(TrackedModel):
    """A province's assessment year closed for edits and imports once approved."""

    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 1},
    )
    year = YearField(_("năm"))
    locked_at = models.DateTimeField(_("khóa lúc"), auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người khóa"), on_delete=models.SET_NULL, null=True, blank=True
    )
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    is_locked = models.BooleanField(
        _("đang khóa"),
        default=True,
        help_text=_("Bỏ chọn để mở khóa (cần quyền mở khóa số liệu năm); việc mở khóa được ghi vào lịch sử."),
    )

    objects = PeriodLockQuerySet.as_manager()

    class Meta:
        verbose_name = _("khóa số liệu năm")
        verbose_name_plural = _("khóa số liệu năm")
        permissions = [("unlock_periodlock", _("Có thể mở khóa số liệu năm"))]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"],
                name="periodlock_unique_province_year",
                violation_error_message=_("Năm này của tỉnh đã bị khóa."),
            ),
        ]

    def __str__(self):
        return _("{province} – năm {year}").format(province=self.province.name, year=self.year)

    def refusal(self):
        """The message shown when a change is refused because of this lock."""
        day = timezone.localtime(self.locked_at).strftime("%d/%m/%Y") if self.locked_at else ""
        return _(
            "Số liệu năm {year} của {province} đã khóa (khóa ngày {day}); không thể thêm, sửa hoặc xóa. "
            "Người có quyền mở khóa số liệu năm phải mở khóa trước."
        ).format(year=self.year, province=self.province.name, day=day)


class Evidence(TrackedModel):
    """One piece of evidence (minh chứng) for one criterion of a commune's year: a file, a note, or both.

    Files are checked by their content (criteria.evidence) and kept through Django's storage
    API under a name of our own, so they can move to object storage; they are downloaded
    only through the admin, which checks the user's scope.
    """

    commune_year = models.ForeignKey(
        CommuneYear, verbose_name=_("bảng chấm của xã trong năm"), on_delete=models.CASCADE, related_name="evidence"
    )
    criterion = models.ForeignKey(Criterion, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ tiêu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        help_text=_("Để trống nếu minh chứng cho cả tiêu chí."),
    )
    file = models.FileField(_("tệp minh chứng"), upload_to=evidence_upload_to, max_length=255, blank=True)
    file_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True, editable=False)
    content_type = models.CharField(_("loại tệp"), max_length=100, blank=True, editable=False)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), null=True, blank=True, editable=False)
    note = models.TextField(_("ghi chú minh chứng"), blank=True)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đính kèm"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    attached_at = models.DateTimeField(_("đính kèm lúc"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["commune_year", "criterion__number", "attached_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(note=""),
                name="evidence_has_file_or_note",
                violation_error_message=_("Minh chứng cần có tệp hoặc ghi chú."),
            ),
        ]

    def __str__(self):
        what = self.file_name or self.note[:60]
        return _("Tiêu chí {number}: {what}").format(number=self.criterion.number, what=what)

    def clean(self):
        from django.core.exceptions import ValidationError

        if (
            self.commune_year_id
            and self.criterion_id
            and self.criterion.criteria_set_id != self.commune_year.criteria_set_id
        ):
            raise ValidationError({"criterion": _("Tiêu chí này không thuộc bộ tiêu chí của bảng chấm.")})
        if self.indicator_id and self.criterion_id and self.indicator.criterion_id != self.criterion_id:
            raise ValidationError({"indicator": _("Chỉ tiêu này không thuộc tiêu chí đã chọn.")})
