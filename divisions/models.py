"""Administrative units of Vietnam, both the legacy and the 2025 editions, and their lineage."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from divisions.choices import EDITION_HEADINGS, ENDED_HEADING, LEVEL_OF_KIND, Edition, UnitKind, UnitLevel
from divisions.querysets import UnitQuerySet
from ntm_site.models import TrackedModel
from ntm_site.text import nfc, search_key


class UnitManager(models.Manager.from_queryset(UnitQuerySet)):
    def get_by_natural_key(self, code, valid_from):
        return self.get(code=code, valid_from=valid_from or None)


class AdministrativeUnit(TrackedModel):
    """One province, district or commune as it existed over a span of time.

    The GSO code is reused across reforms (a 2025 ward can carry the code of one of
    the communes merged into it), so a code identifies a unit only together with
    the date its validity starts.
    """

    code = models.CharField(_("mã đơn vị"), max_length=8, help_text=_("Mã của Tổng cục Thống kê."))
    name = models.CharField(_("tên"), max_length=120, help_text=_("Tên đầy đủ, ví dụ “Xã Hương Liên”."))
    kind = models.CharField(_("loại"), max_length=10, choices=UnitKind.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=UnitLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    province = models.ForeignKey(
        "self",
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Tỉnh chứa đơn vị (điền tự động từ đơn vị cấp trên)."),
    )
    edition = models.CharField(_("danh mục"), max_length=8, choices=Edition.choices, default=Edition.MANUAL)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True, help_text=_("Để trống: có từ trước."))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True, help_text=_("Để trống: còn hiệu lực."))
    search_key = models.CharField(_("khóa tìm kiếm"), max_length=400, editable=False, db_index=True)

    objects = UnitManager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                condition=Q(valid_from__isnull=False),
                name="unit_code_unique_per_validity",
                violation_error_message=_("Đã có đơn vị mang mã này với cùng ngày hiệu lực."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_from__isnull=True),
                name="unit_code_unique_since_start",
                violation_error_message=_("Đã có đơn vị mang mã này từ trước (không có ngày hiệu lực)."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
                violation_error_message=_("Ngày hết hiệu lực không được trước ngày có hiệu lực."),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "level", "kind"], name="unit_province_level_idx"),
            models.Index(fields=["parent", "level"], name="unit_parent_level_idx"),
        ]

    def __str__(self):
        if self.level == UnitLevel.PROVINCE or not self.parent_id:
            return self.name
        return f"{self.name}, {self.parent.name}"

    def validity_label(self) -> str:
        """The unit as pickers offer it, with its edition: "Xã Kỳ Xuân, Tỉnh Hà Tĩnh (từ 01/07/2025)"."""
        if self.valid_to:
            span = _("đến {day}").format(day=self.valid_to.strftime("%d/%m/%Y"))
        elif self.valid_from:
            span = _("từ {day}").format(day=self.valid_from.strftime("%d/%m/%Y"))
        else:
            return str(self)
        return f"{self} ({span})"

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def edition_heading(self, day: datetime.date | None = None) -> str:
        """The heading the unit is offered under ("Bản đồ hành chính từ 01/07/2025"), as UnitQuerySet.by_edition
        orders them: a unit of a map that has ended since (not the legacy one, whose heading says so) says it."""
        edition = dict(EDITION_HEADINGS).get(self.edition, self.get_edition_display())
        if self.edition != Edition.LEGACY and not self.in_force_on(day or timezone.localdate()):
            return str(ENDED_HEADING.format(edition=edition))
        return str(edition)

    def natural_key(self):
        return (self.code, self.valid_from.isoformat() if self.valid_from else "")

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def build_search_key(self) -> str:
        """The unit's name, its parents' names and its code, folded for search."""
        parts = [self.name]
        if self.parent_id:
            parts.append(self.parent.name)
            if self.parent.parent_id:
                parts.append(self.parent.parent.name)
        parts.append(self.code)
        return search_key(*parts)

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.level = self.level or LEVEL_OF_KIND.get(self.kind, UnitLevel.COMMUNE)
        if self.parent_id and not self.province_id:
            self.province_id = self.parent.province_id or self.parent_id
        self.search_key = self.build_search_key()
        super().save(*args, **kwargs)


class UnitSuccession(TrackedModel):
    """One line of lineage: a unit that became (part of) another on a date."""

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị cũ"),
        on_delete=models.CASCADE,
        related_name="successions",
    )
    successor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị mới"),
        on_delete=models.CASCADE,
        related_name="predecessions",
    )
    effective_date = models.DateField(_("ngày hiệu lực"))
    is_main = models.BooleanField(
        _("đơn vị kế thừa chính"),
        default=True,
        help_text=_("Khi đơn vị cũ bị chia cho nhiều đơn vị mới: đơn vị nhận phần chính."),
    )

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        ordering = ["effective_date", "predecessor__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="succession_unique_pair",
                violation_error_message=_("Quan hệ kế thừa này đã có."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="succession_not_self",
                violation_error_message=_("Một đơn vị không thể kế thừa chính nó."),
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"
