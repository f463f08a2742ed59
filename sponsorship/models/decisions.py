import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from divisions.models import AdministrativeUnit
from ntm_site.fields import YearField
from ntm_site.models import TrackedModel
from ntm_site.text import nfc, search_key
from sponsorship.choices import DocumentType
from sponsorship.querysets import DecisionQuerySet


class DecisionManager(models.Manager.from_queryset(DecisionQuerySet)):
    def get_by_natural_key(self, symbol):
        return self.get(symbol=symbol)


class Decision(TrackedModel):
    """A document that assigns organisations to communes, e.g. Quyết định 140-QĐ/TU of 01/03/2016.

    Its term (giai đoạn) bounds every assignment made under it unless the assignment
    gives its own dates: from the day it was issued (or 1 January of the first year of
    the term, whichever is later) to 31 December of the last year.
    """

    symbol = models.CharField(
        _("số, ký hiệu"), max_length=60, unique=True, help_text=_("Như ghi trên văn bản, ví dụ 140-QĐ/TU.")
    )
    document_type = models.CharField(_("loại văn bản"), max_length=24, choices=DocumentType.choices)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    issued_on = models.DateField(_("ngày ban hành"))
    term_from_year = YearField(_("giai đoạn từ năm"), null=True, blank=True)
    term_to_year = YearField(_("giai đoạn đến năm"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 1},
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("sửa đổi, thay thế văn bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
        help_text=_("Văn bản bổ sung, sửa đổi: phân công theo nó được tính chung với văn bản gốc."),
    )
    file = models.FileField(_("bản chụp văn bản"), upload_to="decisions/%Y/", blank=True)
    search_key = models.CharField(_("khóa tìm kiếm"), max_length=800, editable=False, db_index=True, default="")

    objects = DecisionManager()

    class Meta:
        verbose_name = _("văn bản phân công")
        verbose_name_plural = _("văn bản phân công")
        ordering = ["-issued_on", "symbol"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_to_year__isnull=True)
                | Q(term_from_year__isnull=True)
                | Q(term_to_year__gte=models.F("term_from_year")),
                name="decision_term_ordered",
                violation_error_message=_("Năm kết thúc giai đoạn không được trước năm bắt đầu."),
            ),
            models.CheckConstraint(
                condition=~Q(amends=models.F("pk")),
                name="decision_not_amending_itself",
                violation_error_message=_("Văn bản không thể sửa đổi chính nó."),
            ),
        ]

    def __str__(self):
        return self.symbol

    def natural_key(self):
        return (self.symbol,)

    @property
    def term_start(self) -> datetime.date:
        """The first day an assignment under this decision runs, unless it says otherwise."""
        if self.term_from_year and self.term_from_year > self.issued_on.year:
            return datetime.date(self.term_from_year, 1, 1)
        return self.issued_on

    @property
    def term_end(self) -> datetime.date | None:
        """The last day of the term (31 December of its last year); None when open-ended."""
        return datetime.date(self.term_to_year, 12, 31) if self.term_to_year else None

    @property
    def term_label(self) -> str:
        if self.term_from_year and self.term_to_year:
            return f"{self.term_from_year}–{self.term_to_year}"
        if self.term_from_year:
            return _("từ {year}").format(year=self.term_from_year)
        if self.term_to_year:
            return _("đến {year}").format(year=self.term_to_year)
        return ""

    def has_ended_on(self, day: datetime.date) -> bool:
        end = self.term_end
        return end is not None and day > end

    def save(self, *args, **kwargs):
        self.symbol = nfc(self.symbol)
        self.title = nfc(self.title)
        self.issuer = nfc(self.issuer)
        self.search_key = search_key(self.symbol, self.title, self.issuer)
        resymbolled = self.pk is not None and not Decision.objects.filter(pk=self.pk, symbol=self.symbol).exists()
        super().save(*args, **kwargs)
        if resymbolled:
            from sponsorship.models.assignments import Assignment

            Assignment.objects.filter(decision=self).refresh_search_keys()
