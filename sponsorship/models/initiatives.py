from django.db import models
from django.utils.translation import gettext_lazy as _

from ntm_site.models import TrackedModel
from ntm_site.text import nfc, search_key
from sponsorship.choices import InitiativeStatus

from .assignments import Assignment


class InitiativeFieldManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class InitiativeField(TrackedModel):
    """A field (lĩnh vực) in which a sponsor registers at least one concrete model with its commune."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=160, unique=True)
    ordering = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    search_key = models.CharField(_("khóa tìm kiếm"), max_length=400, editable=False, db_index=True, default="")

    objects = InitiativeFieldManager()

    class Meta:
        verbose_name = _("lĩnh vực đăng ký mô hình")
        verbose_name_plural = _("lĩnh vực đăng ký mô hình")
        ordering = ["ordering", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.search_key = search_key(self.name)
        super().save(*args, **kwargs)


class Initiative(TrackedModel):
    """A concrete model or task ("mô hình, việc làm cụ thể") a sponsor registered for its commune in one field."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("phân công"), on_delete=models.PROTECT, related_name="initiatives"
    )
    field = models.ForeignKey(
        InitiativeField, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="initiatives"
    )
    title = models.CharField(_("tên mô hình, việc làm"), max_length=500)
    registered_on = models.DateField(_("ngày đăng ký"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=InitiativeStatus.choices, default=InitiativeStatus.REGISTERED
    )
    result = models.TextField(_("kết quả"), blank=True)

    class Meta:
        verbose_name = _("mô hình, việc làm đăng ký")
        verbose_name_plural = _("mô hình, việc làm đăng ký")
        ordering = ["assignment", "field__ordering", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "field", "title"],
                name="initiative_unique_title",
                violation_error_message=_("Phân công này đã đăng ký mô hình cùng tên trong lĩnh vực này."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = nfc(self.title)
        super().save(*args, **kwargs)
