"""A user's scope: the role they play and the unit or organisation they play it for."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ntm_site.accounts.choices import UNIT_LEVELS, Role
from ntm_site.models import TrackedModel


class UserScope(TrackedModel):
    """What one user may see and change: a role for a province, district or commune, or for an organisation.

    The role decides the user's group (model permissions); the unit or organisation decides
    which rows (ntm_site.accounts.scope). A user without a scope who is not a superuser sees no records.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="ntm_scope"
    )
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey(
        settings.NTM_SCOPE_UNIT_MODEL,
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Tỉnh (văn phòng điều phối, người xem), huyện (cán bộ huyện) hoặc xã (cán bộ xã)."),
    )
    organisation = models.ForeignKey(
        settings.NTM_SCOPE_ORGANISATION_MODEL,
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Với đầu mối cơ quan đỡ đầu: cơ quan mà người này ghi kết quả hỗ trợ."),
    )

    class Meta:
        verbose_name = _("phạm vi người dùng")
        verbose_name_plural = _("phạm vi người dùng")
        permissions = [("restore_deleted", _("Có thể khôi phục bản ghi đã xóa từ lịch sử"))]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.SPONSOR_CLERK) & Q(organisation__isnull=False))
                | (~Q(role=Role.SPONSOR_CLERK) & Q(unit__isnull=False)),
                name="userscope_role_has_its_place",
                violation_error_message=_(
                    "Đầu mối cơ quan đỡ đầu cần có cơ quan; các vai trò khác cần có địa bàn (tỉnh, huyện hoặc xã)."
                ),
            ),
        ]

    def __str__(self):
        return _("{user}: {role} – {place}").format(user=self.user, role=self.get_role_display(), place=self.place)

    @property
    def place(self):
        return self.organisation if self.role == Role.SPONSOR_CLERK else self.unit

    def clean(self):
        levels = UNIT_LEVELS.get(self.role)
        if levels and self.unit_id and self.unit.level not in levels:
            names = {1: _("tỉnh"), 2: _("huyện"), 3: _("xã")}
            raise ValidationError(
                {
                    "unit": _("Vai trò “{role}” gắn với đơn vị cấp {levels}; “{unit}” không phải.").format(
                        role=self.get_role_display(), levels=", ".join(str(names[x]) for x in levels), unit=self.unit
                    )
                }
            )
