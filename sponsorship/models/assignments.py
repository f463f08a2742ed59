import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from divisions.choices import UnitLevel
from divisions.models import AdministrativeUnit
from ntm_site.models import TrackedModel
from ntm_site.text import nfc, search_key
from sponsorship.choices import AssignmentRole
from sponsorship.querysets import AssignmentQuerySet

from .decisions import Decision
from .organisations import Organisation


def short_date(day: datetime.date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else "…"


class Assignment(TrackedModel):
    """One organisation assigned by one decision to one commune in one role.

    Without its own dates an assignment runs for its decision's term (Decision.term_start
    to Decision.term_end); `effective_start` and `effective_end` say which days apply.
    """

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
    start_date = models.DateField(
        _("từ ngày"), null=True, blank=True, help_text=_("Để trống: từ ngày bắt đầu thời hạn của văn bản.")
    )
    end_date = models.DateField(
        _("đến ngày"), null=True, blank=True, help_text=_("Để trống: đến hết thời hạn của văn bản.")
    )
    contact_officer = models.CharField(_("cán bộ đầu mối"), max_length=255, blank=True)
    search_key = models.CharField(_("khóa tìm kiếm"), max_length=1200, editable=False, db_index=True, default="")

    objects = AssignmentQuerySet.as_manager()

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
        indexes = [
            models.Index(fields=["commune", "role"], name="assignment_commune_role_idx"),
            models.Index(fields=["organisation", "start_date"], name="assignment_org_start_idx"),
        ]

    def __str__(self):
        return _("{organisation} – {commune} ({role})").format(
            organisation=self.organisation.label,
            commune=self.commune.name,
            role=self.get_role_display(),
        )

    @property
    def effective_start(self) -> datetime.date:
        return self.start_date or self.decision.term_start

    @property
    def effective_end(self) -> datetime.date | None:
        return self.end_date or self.decision.term_end

    @property
    def term_display(self) -> str:
        return f"{short_date(self.effective_start)} – {short_date(self.effective_end)}"

    def covers(self, day: datetime.date) -> bool:
        """Whether `day` falls inside the assignment's term."""
        end = self.effective_end
        return self.effective_start <= day and (end is None or day <= end)

    def build_search_key(self) -> str:
        """Organisation, decision and commune (with its district and province), folded for search."""
        own = search_key(self.organisation.name, self.organisation.short_name, self.decision.symbol)
        return own + self.commune.search_key

    def clean(self):
        errors = {}
        if self.commune_id and self.commune.level != UnitLevel.COMMUNE:
            errors["commune"] = _("Chỉ phân công cho đơn vị cấp xã.")
        if self.decision_id:
            start = self.effective_start
            if self.commune_id and not AdministrativeUnit.objects.valid_on(start).filter(pk=self.commune_id).exists():
                errors["commune"] = _("{commune} không còn hiệu lực vào ngày {day}.").format(
                    commune=self.commune, day=short_date(start)
                )
            if self.decision.has_ended_on(start):
                errors["decision"] = _("Văn bản {symbol} đã hết thời hạn ({term}) trước ngày {day}.").format(
                    symbol=self.decision.symbol, term=self.decision.term_label, day=short_date(start)
                )
            elif self.pk is None and self.start_date is None and self.decision.has_ended_on(datetime.date.today()):
                # A new assignment under a closed decision is almost always a wrong symbol;
                # recording a past assignment needs its dates.
                errors["decision"] = _(
                    "Văn bản {symbol} đã hết thời hạn ({term}): không thể phân công mới; "
                    "nếu ghi lại phân công trong giai đoạn đó, hãy ghi ngày bắt đầu."
                ).format(symbol=self.decision.symbol, term=self.decision.term_label)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.contact_officer = nfc(self.contact_officer)
        self.search_key = self.build_search_key()
        super().save(*args, **kwargs)
