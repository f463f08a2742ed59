"""Resources used only by the engine's tests (not registered)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from criteria.models import CriteriaSet, Criterion
from ntm_site.spreadsheets.resources import Column, NtmResource
from ntm_site.spreadsheets.widgets import NaturalKeyWidget, TextWidget


class CriteriaNamesWideResource(NtmResource):
    """A wide sheet: one row per criteria set, columns TC1..TC5 hold the names of its criteria.

    Stands for every "one row, several records" layout (the criteria workbook is one).
    """

    criteria_set = fields.Field(
        attribute="criteria_set",
        column_name=_("Bộ tiêu chí"),
        widget=NaturalKeyWidget(CriteriaSet, lookup_fields=("code", "name")),
    )

    class Meta:
        model = Criterion
        import_id_fields = ("criteria_set", "number")
        fields = ("criteria_set",)
        template_slug = "test-criteria-names"
        template_title = _("Tên tiêu chí theo bộ")

    def get_import_columns(self):
        columns = super().get_import_columns()
        for n in range(1, 6):
            columns.append(Column(key=f"tc{n}", name=f"TC{n}", aliases=(f"Tiêu chí {n}",), widget=TextWidget(20)))
        return columns

    def import_records(self, row):
        criteria_set = row.clean("criteria_set", required=True)
        names = {n: row.clean(f"tc{n}") for n in range(1, 6) if row.raw(f"tc{n}") is not None}
        if row.failed:
            return []
        if not names:
            row.skip()
        return [{"criteria_set": criteria_set, "number": n, "name": name} for n, name in names.items()]
