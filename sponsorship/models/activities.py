from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ntm_site.models import TrackedModel
from sponsorship.choices import ActivityKind

from .assignments import Assignment, short_date
from .organisations import Organisation


class Activity(TrackedModel):
    """A working visit, working session or periodic report of a sponsor with its commune.

    The sources name the problem these rows answer: some assigned agencies did not visit
    their communes regularly. `Assignment.objects.with_last_activity()` shows who.
    """

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
        ordering = ["-date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "date", "kind"],
                name="activity_unique_per_day_kind",
                violation_error_message=_("Phân công này đã có hoạt động cùng hình thức trong ngày này."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {short_date(self.date)}"


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
        ordering = ["resolved", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved=True) | Q(resolved_on__isnull=True),
                name="proposal_resolved_date_only_when_resolved",
                violation_error_message=_("Kiến nghị chưa giải quyết thì không có ngày giải quyết."),
            ),
        ]

    def __str__(self):
        return self.text[:80]
