"""Who is assigned to help which commune, under which decision, and what they gave."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from criteria.models import Criterion
from divisions.models import AdministrativeUnit
from ntm_site.models import TrackedModel
from sponsorship.choices import (
    ActivityKind,
    AssignmentRole,
    DocumentType,
    InitiativeStatus,
    OrganisationKind,
    SupportKind,
)


class OrganisationManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Organisation(TrackedModel):
    """An agency, Party organisation, mass organisation or enterprise that can be assigned to a commune."""

    name = models.CharField(_("tên cơ quan, đơn vị"), max_length=255, unique=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    kind = models.CharField(_("loại"), max_length=24, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Ví dụ: chi bộ thuộc Đảng bộ Khối."),
    )
    home_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Tỉnh/huyện nơi cơ quan đóng trụ sở."),
    )
    search_key = models.CharField(_("khóa tìm kiếm"), max_length=400, editable=False, db_index=True, default="")

    objects = OrganisationManager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    def save(self, *args, **kwargs):
        from ntm_site.text import nfc, search_key

        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        self.search_key = search_key(self.name, self.short_name)
        super().save(*args, **kwargs)


class DecisionManager(models.Manager):
    def get_by_natural_key(self, symbol):
        return self.get(symbol=symbol)


class Decision(TrackedModel):
    """A document that assigns organisations to communes, e.g. Quyết định 140-QĐ/TU of 01/03/2016."""

    symbol = models.CharField(
        _("số, ký hiệu"), max_length=60, unique=True, help_text=_("Như ghi trên văn bản, ví dụ 140-QĐ/TU.")
    )
    document_type = models.CharField(_("loại văn bản"), max_length=24, choices=DocumentType.choices)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    issued_on = models.DateField(_("ngày ban hành"))
    term_from_year = models.PositiveSmallIntegerField(_("giai đoạn từ năm"), null=True, blank=True)
    term_to_year = models.PositiveSmallIntegerField(_("giai đoạn đến năm"), null=True, blank=True)
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
    )
    file = models.FileField(_("bản chụp văn bản"), upload_to="decisions/%Y/", blank=True)

    objects = DecisionManager()

    class Meta:
        verbose_name = _("văn bản phân công")
        verbose_name_plural = _("văn bản phân công")
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_to_year__isnull=True)
                | Q(term_from_year__isnull=True)
                | Q(term_to_year__gte=models.F("term_from_year")),
                name="decision_term_ordered",
                violation_error_message=_("Năm kết thúc giai đoạn không được trước năm bắt đầu."),
            ),
        ]

    def __str__(self):
        return self.symbol

    def natural_key(self):
        return (self.symbol,)


class Assignment(TrackedModel):
    """One organisation assigned by one decision to one commune in one role."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("văn bản phân công"), on_delete=models.PROTECT, related_name="assignments"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cơ quan, đơn vị"), on_delete=models.PROTECT, related_name="assignments"
    )
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="sponsor_assignments",
        limit_choices_to={"level": 3},
    )
    role = models.CharField(_("hình thức"), max_length=12, choices=AssignmentRole.choices)
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    contact_officer = models.CharField(_("cán bộ đầu mối"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phân công phụ trách xã")
        verbose_name_plural = _("phân công phụ trách xã")
        ordering = ["decision", "organisation__name", "commune__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "organisation", "commune", "role"],
                name="assignment_unique",
                violation_error_message=_(
                    "Đơn vị này đã được phân công cho xã này với cùng hình thức theo văn bản này."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="assignment_dates_ordered",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
        ]
        indexes = [models.Index(fields=["commune", "role"], name="assignment_commune_role_idx")]

    def __str__(self):
        return _("{organisation} – {commune} ({role})").format(
            organisation=self.organisation.short_name or self.organisation.name,
            commune=self.commune.name,
            role=self.get_role_display(),
        )


class SupportCategoryManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class SupportCategory(TrackedModel):
    """A kind of support in the catalogue (tiền mặt, xi măng, nhà tình nghĩa …) with its default unit."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại hỗ trợ"), max_length=120, unique=True)
    kind = models.CharField(_("hình thức"), max_length=12, choices=SupportKind.choices)
    default_unit = models.CharField(_("đơn vị tính mặc định"), max_length=30)
    group = models.CharField(_("nhóm"), max_length=80, blank=True, help_text=_("Ví dụ: Nhà ở (gộp các loại nhà)."))
    ordering = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    objects = SupportCategoryManager()

    class Meta:
        verbose_name = _("loại hỗ trợ")
        verbose_name_plural = _("danh mục loại hỗ trợ")
        ordering = ["ordering", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class SupportRecord(TrackedModel):
    """One contribution a sponsor gave its commune: what, how much, worth how many đồng."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("phân công"), on_delete=models.PROTECT, related_name="support_records"
    )
    date = models.DateField(_("ngày hỗ trợ"))
    category = models.ForeignKey(
        SupportCategory, verbose_name=_("loại hỗ trợ"), on_delete=models.PROTECT, related_name="records"
    )
    quantity = models.DecimalField(_("số lượng"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
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

    class Meta:
        verbose_name = _("kết quả hỗ trợ")
        verbose_name_plural = _("kết quả hỗ trợ")
        ordering = ["-date"]
        constraints = [
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
            models.Index(fields=["assignment", "date"], name="support_assignment_date_idx"),
            models.Index(fields=["category", "date"], name="support_category_date_idx"),
        ]

    def __str__(self):
        return f"{self.category} – {self.date:%d/%m/%Y}"


class Initiative(TrackedModel):
    """A concrete model or task ("mô hình, việc làm cụ thể") a sponsor registered for its commune."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("phân công"), on_delete=models.PROTECT, related_name="initiatives"
    )
    field = models.CharField(_("lĩnh vực"), max_length=120)
    title = models.CharField(_("tên mô hình, việc làm"), max_length=500)
    registered_on = models.DateField(_("ngày đăng ký"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=InitiativeStatus.choices, default=InitiativeStatus.REGISTERED
    )
    result = models.TextField(_("kết quả"), blank=True)

    class Meta:
        verbose_name = _("mô hình, việc làm đăng ký")
        verbose_name_plural = _("mô hình, việc làm đăng ký")
        ordering = ["assignment", "field"]

    def __str__(self):
        return self.title


class Activity(TrackedModel):
    """A working visit, working session or periodic report of a sponsor with its commune."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("phân công"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=ActivityKind.choices)
    date = models.DateField(_("ngày"))
    participants = models.CharField(_("thành phần đi"), max_length=500, blank=True)
    summary = models.TextField(_("nội dung làm việc"), blank=True)

    class Meta:
        verbose_name = _("hoạt động với xã")
        verbose_name_plural = _("hoạt động với xã")
        ordering = ["-date"]
        indexes = [models.Index(fields=["assignment", "date"], name="activity_assignment_date_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class Proposal(TrackedModel):
    """A request (kiến nghị, đề xuất) the commune raised during an activity, and its answer."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("hoạt động"), on_delete=models.CASCADE, related_name="proposals"
    )
    text = models.TextField(_("nội dung kiến nghị"))
    addressee = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan trả lời"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals_to_answer",
    )
    resolved = models.BooleanField(_("đã giải quyết"), default=False)
    resolved_on = models.DateField(_("ngày giải quyết"), null=True, blank=True)
    answer = models.TextField(_("trả lời, kết quả"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("kiến nghị, đề xuất của xã")
        verbose_name_plural = _("kiến nghị, đề xuất của xã")
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved=True) | Q(resolved_on__isnull=True),
                name="proposal_resolved_date_only_when_resolved",
                violation_error_message=_("Kiến nghị chưa giải quyết thì không có ngày giải quyết."),
            ),
        ]

    def __str__(self):
        return self.text[:80]
