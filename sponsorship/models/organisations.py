from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.models import AdministrativeUnit
from ntm_site.models import TrackedModel
from ntm_site.text import nfc, search_key
from sponsorship.choices import OrganisationKind
from sponsorship.querysets import OrganisationQuerySet


class OrganisationManager(models.Manager.from_queryset(OrganisationQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Organisation(TrackedModel):
    """An agency, Party organisation, mass organisation or enterprise that can be assigned to a commune.

    Names are unique in the whole database: write the province into the name when two
    provinces' agencies would otherwise share one ("Sở Tài chính tỉnh Ninh Bình").
    """

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
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="organisation_not_own_parent",
                violation_error_message=_("Một đơn vị không thể trực thuộc chính nó."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    @property
    def label(self) -> str:
        """The short name when there is one: what reports print in narrow columns."""
        return self.short_name or self.name

    def clean(self):
        seen = {self.pk}
        parent = self.parent
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": _("Quan hệ trực thuộc bị vòng lặp: một đơn vị trực thuộc chính nó.")})
            seen.add(parent.pk)
            parent = parent.parent

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        self.search_key = search_key(self.name, self.short_name)
        renamed = (
            self.pk is not None and not Organisation.objects.filter(pk=self.pk, search_key=self.search_key).exists()
        )
        super().save(*args, **kwargs)
        if renamed:
            # Assignments carry the organisation's name in their own search key.
            from sponsorship.models.assignments import Assignment

            Assignment.objects.filter(organisation=self).refresh_search_keys()
