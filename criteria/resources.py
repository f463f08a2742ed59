"""Import and export of criteria assessments: the wide commune sheet and the long list.

The wide workbook is the one clerks keep: one row per commune and year, columns
`Mã xã`, `Tên xã`, `Năm`, `TC1` … `TC19`, `Ghi chú`. A cell "Đạt" / "x" / "1" means met,
"Chưa đạt" / "0" / "-" not met, "Không áp dụng" not applicable, a blank cell leaves that
criterion as it was, anything else is an error for that cell. One row becomes up to 19
Assessment records (`import_records` yields one per filled TC cell).

The long list has one row per assessment: `Mã xã`, `Năm`, `Tiêu chí`, `Kết quả`, `Ghi chú`.

Criteria are found by their number within the criteria set: the one passed as
`criteria_set=` (code or instance) or else the national commune set in force that year.
A year closed by a PeriodLock for the commune's province refuses the row.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields

from criteria.choices import AssessmentStatus, SetLevel
from criteria.models import Assessment, CriteriaSet, Criterion, PeriodLock
from divisions.choices import UnitLevel
from ntm_site.spreadsheets.registry import register
from ntm_site.spreadsheets.resources import Column, NtmResource
from ntm_site.spreadsheets.widgets import ChoiceWidget, TextWidget, UnitWidget, VNIntegerWidget, unit_name_keys
from ntm_site.text import fold

MAX_CRITERIA = 19

STATUS_ALIASES = {
    "x": AssessmentStatus.MET,
    "1": AssessmentStatus.MET,
    "đ": AssessmentStatus.MET,
    "v": AssessmentStatus.MET,
    "✓": AssessmentStatus.MET,
    "0": AssessmentStatus.NOT_MET,
    "-": AssessmentStatus.NOT_MET,
    "chưa": AssessmentStatus.NOT_MET,
    "không đạt": AssessmentStatus.NOT_MET,
    "cđ": AssessmentStatus.NOT_MET,
    "kad": AssessmentStatus.NOT_APPLICABLE,
    "k/a": AssessmentStatus.NOT_APPLICABLE,
    "n/a": AssessmentStatus.NOT_APPLICABLE,
    "không áp dụng": AssessmentStatus.NOT_APPLICABLE,
}


def status_widget():
    return ChoiceWidget(AssessmentStatus, aliases=STATUS_ALIASES)


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


class _AssessmentBase(NtmResource):
    """What both layouts share: the commune, the year, the set, the locks, the commune-year sheet."""

    commune = fields.Field(attribute="commune", column_name=_("Mã xã"), widget=UnitWidget(level=UnitLevel.COMMUNE))
    commune_name = fields.Field(column_name=_("Tên xã"), widget=TextWidget(), readonly=True)
    year = fields.Field(attribute="year", column_name=_("Năm"), widget=VNIntegerWidget(min_value=2000, max_value=2100))
    note = fields.Field(attribute="note", column_name=_("Ghi chú"), widget=TextWidget())

    def __init__(self, criteria_set=None, **kwargs):
        super().__init__(**kwargs)
        self.criteria_set_choice = criteria_set
        self.user = None

    # --- loaded once per import ---------------------------------------------------

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self.user = user
        self.today = timezone.localdate()
        choice = self.criteria_set_choice
        if isinstance(choice, str):
            choice = CriteriaSet.objects.get(code=choice)
        self.fixed_set = choice
        self.national_sets = list(
            CriteriaSet.objects.filter(level=SetLevel.COMMUNE, is_national=True).order_by("valid_from_year")
        )
        criteria = Criterion.objects.all()
        self.criteria = {(c.criteria_set_id, c.number): c for c in criteria}
        locks = PeriodLock.objects.all()
        if _has_field(PeriodLock, "is_locked"):
            locks = locks.filter(is_locked=True)
        self.locked = set(locks.values_list("province_id", "year"))
        self.uses_commune_year = _has_field(Assessment, "commune_year")

    def set_for_year(self, year):
        if self.fixed_set is not None:
            return self.fixed_set
        for s in reversed(self.national_sets):
            if s.valid_from_year <= year and (s.valid_to_year is None or year <= s.valid_to_year):
                return s
        return None

    def read_row_key(self, row):
        """(commune, year, criteria set) of a row, or None after recording what is wrong."""
        year = row.clean("year", required=True)
        days = (datetime.date(year, 12, 31), datetime.date(year, 1, 1)) if year else None
        commune = None
        if row.raw("commune") is not None:
            commune = row.clean("commune", valid_on=days)
            name = row.raw("commune_name")
            if commune is not None and isinstance(name, str) and name.strip():
                if not unit_name_keys(commune.name) & unit_name_keys(name.split(",")[0]):
                    row.error(
                        "commune_name",
                        _("không khớp với mã xã {code} ({name}).").format(code=commune.code, name=commune.name),
                    )
        elif row.raw("commune_name") is not None:
            commune = row.clean("commune_name", widget=self.fields["commune"].widget, valid_on=days)
        else:
            row.error("commune", _("cần mã xã (hoặc tên xã)."))
        if commune is None or not year:
            return None
        if (commune.province_id, year) in self.locked:
            row.error("year", _("số liệu năm {year} của tỉnh đã khóa: không nhập được.").format(year=year))
            return None
        criteria_set = self.set_for_year(year)
        if criteria_set is None:
            row.error("year", _("không có bộ tiêu chí quốc gia về xã áp dụng cho năm {year}.").format(year=year))
            return None
        return commune, year, criteria_set

    def criterion(self, criteria_set, number):
        return self.criteria.get((criteria_set.pk, number))

    # --- the commune-year sheet (when the model has one) --------------------------------

    def prepare_chunk(self, records, *, engine):
        if not self.uses_commune_year:
            for r in records:
                r.pop("_set", None)
                note = r.pop("_note", None)
                if note:
                    r["note"] = note
            return
        from criteria.models import CommuneYear

        wanted = {}
        for r in records:
            wanted.setdefault((r["commune"].pk, r["year"], r["_set"].pk), r.get("_note"))
        existing = {}
        communes = {k[0] for k in wanted}
        years = {k[1] for k in wanted}
        for cy in CommuneYear.objects.filter(commune_id__in=communes, year__in=years):
            existing[(cy.commune_id, cy.year, cy.criteria_set_id)] = cy
        new, changed = [], []
        for key, note in wanted.items():
            cy = existing.get(key)
            if cy is None:
                cy = CommuneYear(commune_id=key[0], year=key[1], criteria_set_id=key[2], note=note or "")
                new.append(cy)
                existing[key] = cy
            elif note and cy.note != note:
                cy.note = note
                changed.append(cy)
        writer = engine.writer_for(CommuneYear)
        writer.create(new)
        writer.update(changed, ["note"])
        for r in records:
            r["commune_year"] = existing[(r["commune"].pk, r["year"], r.pop("_set").pk)]
            r.pop("_note", None)

    def before_write(self, instance, record, *, is_new):
        if self.user is not None and getattr(self.user, "pk", None):
            instance.assessed_by_id = self.user.pk
        instance.assessed_on = self.today

    # --- export ----------------------------------------------------------------------

    def get_queryset(self):
        return Assessment.objects.all()


@register
class AssessmentWideResource(_AssessmentBase):
    """The wide commune sheet: one row per commune and year, one column per criterion."""

    class Meta:
        model = Assessment
        import_id_fields = ("commune", "criterion", "year")
        fields = ("commune", "commune_name", "year", "note")
        template_slug = "assessments"
        template_title = _("Bảng tổng hợp kết quả thực hiện bộ tiêu chí nông thôn mới theo xã")
        header_aliases = {
            "Mã xã": ["Mã ĐVHC", "Mã đơn vị", "Mã số xã"],
            "Tên xã": ["Tên đơn vị", "Xã", "Đơn vị"],
            "Năm": ["Năm đánh giá", "Năm chấm"],
            "Ghi chú": ["Ghi chú/Lý do"],
        }
        hints = {
            "Mã xã": _("5 chữ số, ví dụ 18559"),
            "Tên xã": _("Để kiểm tra; có thể bỏ trống"),
            "Năm": _("Ví dụ 2019"),
            "Ghi chú": _("Không bắt buộc"),
        }

    def get_import_columns(self):
        columns = super().get_import_columns()
        note = [c for c in columns if c.key == "note"]
        columns = [c for c in columns if c.key != "note"]
        choices = [str(label) for _code, label in AssessmentStatus.choices]
        for n in range(1, MAX_CRITERIA + 1):
            columns.append(
                Column(
                    key=f"tc{n}",
                    name=f"TC{n}",
                    aliases=(f"TC {n}", f"TC{n:02d}", f"Tiêu chí {n}", f"Tiêu chí số {n}", f"TC số {n}"),
                    hint=_("Đạt / Chưa đạt") if n == 1 else "",
                    choices=choices,
                    width=10,
                    widget=status_widget(),
                )
            )
        return columns + note

    def get_import_columns_cached(self):
        return self.get_import_columns()

    def import_records(self, row):
        head = self.read_row_key(row)
        statuses = {}
        for n in range(1, MAX_CRITERIA + 1):
            key = f"tc{n}"
            if row.raw(key) is None:
                continue  # blank: the criterion stays as it was
            value = row.clean(key)
            if value is not None:
                statuses[n] = value
        note = row.clean("note") if row.has("note") else ""
        if head is None or row.failed:
            return []
        commune, year, criteria_set = head
        if not statuses:
            row.skip(_("không có ô tiêu chí nào được điền"))
            return []
        records = []
        for n, status in statuses.items():
            criterion = self.criterion(criteria_set, n)
            if criterion is None:
                row.error(
                    f"tc{n}", _("bộ tiêu chí “{set}” không có tiêu chí số {n}.").format(set=criteria_set.name, n=n)
                )
                continue
            records.append(
                {
                    "commune": commune,
                    "criterion": criterion,
                    "year": year,
                    "status": status,
                    "_set": criteria_set,
                    "_note": note,
                }
            )
        return records

    def export(self, queryset=None, **kwargs):
        """One row per commune and year, TC1 … TC19 side by side (the layout clerks import)."""
        import tablib

        if queryset is None:
            queryset = self.get_queryset()
        columns = self.get_import_columns()
        headers = [str(c.name) for c in columns]
        labels = dict(AssessmentStatus.choices)
        rows = {}
        values = queryset.order_by("commune__code", "year", "criterion__number").values_list(
            "commune__code", "commune__name", "year", "criterion__number", "status", "note"
        )
        for code, name, year, number, status, note in values.iterator(chunk_size=5000):
            row = rows.get((code, year))
            if row is None:
                row = rows[(code, year)] = {"commune": code, "commune_name": name, "year": year, "note": ""}
            row[f"tc{number}"] = str(labels.get(status, status))
            if note and not row["note"]:
                row["note"] = note
        dataset = tablib.Dataset(headers=headers)
        for row in rows.values():
            dataset.append([row.get(c.key, "") for c in columns])
        dataset.ntm_title = self.get_template_title()
        dataset.ntm_number_formats = {}
        return dataset


@register
class AssessmentResource(_AssessmentBase):
    """The long list: one row per commune, year and criterion."""

    criterion = fields.Field(attribute="criterion", column_name=_("Tiêu chí"), widget=VNIntegerWidget(1, 99))
    status = fields.Field(attribute="status", column_name=_("Kết quả"), widget=status_widget())

    class Meta:
        model = Assessment
        import_id_fields = ("commune", "criterion", "year")
        fields = ("commune", "commune_name", "year", "criterion", "status", "note")
        export_order = fields
        template_slug = "assessments-long"
        template_title = _("Danh sách kết quả đánh giá tiêu chí nông thôn mới")
        required_columns = (_("Kết quả"),)
        header_aliases = {
            "Mã xã": ["Mã ĐVHC", "Mã đơn vị"],
            "Tiêu chí": ["Số tiêu chí", "TC", "Tiêu chí số"],
            "Kết quả": ["Đánh giá", "Kết quả đánh giá"],
        }
        hints = {"Tiêu chí": _("Số thứ tự 1–19"), "Kết quả": _("Đạt / Chưa đạt / Không áp dụng")}

    def import_records(self, row):
        head = self.read_row_key(row)
        number = row.clean("criterion", required=True)
        status = row.clean("status")
        note = row.clean("note") if row.has("note") else ""
        if head is None or row.failed:
            return []
        commune, year, criteria_set = head
        if status is None:
            row.skip(_("ô kết quả trống"))
            return []
        criterion = self.criterion(criteria_set, number)
        if criterion is None:
            row.error(
                "criterion", _("bộ tiêu chí “{set}” không có tiêu chí số {n}.").format(set=criteria_set.name, n=number)
            )
            return []
        return [
            {"commune": commune, "criterion": criterion, "year": year, "status": status, "_set": criteria_set}
            | ({"_note": note} if note else {})
        ]

    def dehydrate_commune(self, obj):
        return obj.commune.code

    def dehydrate_commune_name(self, obj):
        return obj.commune.name

    def dehydrate_criterion(self, obj):
        return obj.criterion.number

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        return super().export(queryset.select_related("commune", "criterion"), **kwargs)


__all__ = ["AssessmentResource", "AssessmentWideResource", "Q", "fold"]
