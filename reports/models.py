"""Saved report filters: a clerk's named set of parameters, optionally shared with groups."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ntm_site.models import TrackedModel


class SavedFilterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Filters the user saved, and those shared with one of the user's groups by someone in the user's
        scope (ntm_site.accounts.scope's rule for saved filters)."""
        from ntm_site.accounts import scope

        if not user or not user.is_authenticated:
            return self.none()
        mine_or_shared = self.filter(Q(owner=user) | Q(shared_with__in=user.groups.all())).distinct()
        return scope.restrict(mine_or_shared, user, scope.READ)

    def for_report(self, slug: str):
        return self.filter(report=slug)


class SavedFilter(TrackedModel):
    """A report's parameters saved under a name, to open the same report again in one click."""

    name = models.CharField(_("tên bộ lọc"), max_length=120)
    report = models.CharField(_("báo cáo"), max_length=40, db_index=True)
    params = models.JSONField(
        _("tham số"), default=dict, blank=True, help_text=_('Tên tham số → giá trị, ví dụ {"year": "2017"}.')
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lưu"), on_delete=models.CASCADE, related_name="saved_filters"
    )
    shared_with = models.ManyToManyField(
        Group,
        verbose_name=_("chia sẻ với nhóm"),
        blank=True,
        related_name="saved_filters",
        help_text=_("Người trong các nhóm này thấy và mở được bộ lọc (không sửa được)."),
    )
    created_at = models.DateTimeField(_("lưu lúc"), auto_now_add=True)

    objects = SavedFilterQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ lọc báo cáo đã lưu")
        verbose_name_plural = _("bộ lọc báo cáo đã lưu")
        ordering = ["report", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "report", "name"],
                name="savedfilter_unique_name_per_owner_report",
                violation_error_message=_("Bạn đã có một bộ lọc cùng tên cho báo cáo này."),
            ),
        ]

    def __str__(self):
        return self.name

    def querystring(self) -> str:
        qd = QueryDict(mutable=True)
        # Sorted: PostgreSQL's jsonb does not keep the order the keys were saved in.
        for key, value in sorted((self.params or {}).items()):
            for item in value if isinstance(value, list) else [value]:
                qd.appendlist(key, str(item))
        return qd.urlencode()

    def get_absolute_url(self) -> str:
        url = reverse("reports:report", args=[self.report])
        query = self.querystring()
        return f"{url}?{query}" if query else url
