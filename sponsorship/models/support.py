from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from criteria.models import Criterion
from ntm_site.models import TrackedModel
from ntm_site.text import nfc, search_key
from sponsorship.choices import SupportKind
from sponsorship.querysets import SupportRecordQuerySet

from .assignments import Assignment, short_date


class SupportCategoryManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class SupportCategory(TrackedModel):
    """A kind of support in the catalogue (tiền mặt, xi măng, nhà tình nghĩa …) with its default unit.

    Categories that reports add up together share a group: the five kinds of house
    are all "Nhà ở", so "33 ngôi nhà" is one sum over the group.
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại hỗ trợ"), max_length=120, unique=True)
    kind = models.CharField(_("hình thức"), max_length=12, choices=SupportKind.choices)
    default_unit = models.CharField(_("đơn vị tính mặc định"), max_length=30)
    group = models.CharField(_("nhóm"), max_length=80, blank=True, help_text=_("Ví dụ: Nhà ở (gộp các loại nhà)."))
    ordering = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    search_key = models.CharField(_("khóa tìm kiếm"), max_length=400, editable=False, db_index=True, default="")

    objects = SupportCategoryManager()

    class Meta:
        verbose_name = _("loại hỗ trợ")
        verbose_name_plural = _("danh mục loại hỗ trợ")
        ordering = ["ordering", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.default_unit = nfc(self.default_unit)
        self.group = nfc(self.group)
        self.search_key = search_key(self.name, self.group, self.code.replace("-", " "))
        super().save(*args, **kwargs)


class SupportRecord(TrackedModel):
    """One contribution a sponsor gave its commune on one day: what, how much, worth how many đồng.

    A record is identified by its assignment, day and category: two gifts of the same
    kind on the same day are one record with their quantities added.
    """

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("phân công"), on_delete=models.PROTECT, related_name="support_records"
    )
    date = models.DateField(_("ngày hỗ trợ"))
    category = models.ForeignKey(
        SupportCategory, verbose_name=_("loại hỗ trợ"), on_delete=models.PROTECT, related_name="records"
    )
    quantity = models.DecimalField(_("số lượng"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(
        _("đơn vị tính"), max_length=30, blank=True, help_text=_("Để trống: đơn vị mặc định của loại hỗ trợ.")
    )
    value_vnd = models.BigIntegerField(_("giá trị (đồng)"), default=0)
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("phục vụ tiêu chí"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_records",
    )
    description = models.TextField(_("nội dung"), blank=True)
    outside_term_reason = models.CharField(
        _("lý do ghi ngoài thời hạn phân công"),
        max_length=255,
        blank=True,
        help_text=_("Bắt buộc khi ngày hỗ trợ nằm ngoài thời hạn của phân công."),
    )

    objects = SupportRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả hỗ trợ")
        verbose_name_plural = _("kết quả hỗ trợ")
        ordering = ["-date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "date", "category"],
                name="support_unique_per_day_category",
                violation_error_message=_(
                    "Phân công này đã có bản ghi cùng loại hỗ trợ trong cùng ngày: hãy cộng số lượng vào bản ghi đó."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="support_quantity_non_negative",
                violation_error_message=_("Số lượng không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(value_vnd__gte=0),
                name="support_value_non_negative",
                violation_error_message=_("Giá trị không được âm."),
            ),
        ]
        indexes = [
            models.Index(fields=["category", "date"], name="support_category_date_idx"),
            models.Index(fields=["date"], name="support_date_idx"),
        ]

    def __str__(self):
        return f"{self.category} – {short_date(self.date)}"

    @property
    def is_outside_term(self) -> bool:
        return bool(self.assignment_id and self.date and not self.assignment.covers(self.date))

    def outside_term_message(self) -> str:
        return _("Ngày hỗ trợ {day} nằm ngoài thời hạn phân công ({term}).").format(
            day=short_date(self.date), term=self.assignment.term_display
        )

    def clean(self):
        if self.is_outside_term and not self.outside_term_reason.strip():
            raise ValidationError(
                {
                    "outside_term_reason": _("{problem} Ghi lý do để lưu bản ghi này.").format(
                        problem=self.outside_term_message()
                    )
                }
            )

    def save(self, *args, **kwargs):
        self.description = self.description.strip()
        self.outside_term_reason = nfc(self.outside_term_reason)
        self.unit = nfc(self.unit)
        if not self.unit and self.category_id:
            self.unit = self.category.default_unit
        super().save(*args, **kwargs)
