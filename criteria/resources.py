"""Import and export of criteria results, in the two layouts clerks use.

Wide ("assessments-wide", the clerks' own sheet): one row per commune and year, columns
`Mã xã`, `Tên xã`, `Năm`, `TC1` … `TC19`, `Ghi chú` and optionally `Bộ tiêu chí`.
A cell "Đạt" / "x" / "1" means met, "Chưa đạt" / "0" / "-" not met, "Không áp dụng" /
"KAD" not applicable; a blank cell leaves that criterion as it was; anything else is an
error for that cell. One row becomes up to 19 results; `Ghi chú` goes on the commune-year.

Long ("assessments-long"): one row per commune, year and criterion: `Mã xã`, `Tên xã`,
`Năm`, `Tiêu chí` (its number), `Kết quả`, `Ghi chú` (of that result), optionally
`Bộ tiêu chí`.

The criteria set of a row: the `Bộ tiêu chí` cell (code such as "qd-1980-xa", the set's
name, or its decision number "1980"), else the set the import was started with
(`criteria_set=`), else the national commune set in force that year. Every rule of
criteria.services holds: the commune must exist that year, the set must be in force that
year, and a year locked for the commune's province refuses the row, saying why. Nothing is
written unless every row is right (the engine's all-or-nothing import).

Everything a row needs is read once per import into dictionaries (criteria, sets, locks;
units by the engine's UnitWidget); per chunk of 5,000 results one query finds the existing
commune-years and one the existing results, and both are written in bulk with history.
"""

from __future__ import annotations

import datetime
import re

import tablib
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import fields

from criteria import services
from criteria.choices import AssessmentStatus
from criteria.models import Assessment, CommuneYear, CriteriaSet, Criterion, PeriodLock
from divisions.choices import UnitKind, UnitLevel
from divisions.widgets import UnitWidget, unit_name_keys
from ntm_site.spreadsheets.errors import CellError, show_value
from ntm_site.spreadsheets.preview import PreviewTerms
from ntm_site.spreadsheets.registry import register
from ntm_site.spreadsheets.resources import Column, NtmResource
from ntm_site.spreadsheets.widgets import (
    ChoiceWidget,
    TextWidget,
    VNIntegerWidget,
    is_blank,
)
from ntm_site.text import fold

STANDARD_SIZE = 19  # TC1 … TC19 in the template; a set with more criteria gets more columns
IN_BATCH = 900  # ids per IN (...) list

# Besides the labels ("Đạt", "Chưa đạt", "Không áp dụng", with or without diacritics).
STATUS_ALIASES = {
    "x": AssessmentStatus.MET,
    "1": AssessmentStatus.MET,
    "0": AssessmentStatus.NOT_MET,
    "-": AssessmentStatus.NOT_MET,
    "kad": AssessmentStatus.NOT_APPLICABLE,
    "n/a": AssessmentStatus.NOT_APPLICABLE,
}


class StatusWidget(ChoiceWidget):
    """A result cell; the few distinct spellings of a workbook are read once each (95,000 cells in a big one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._seen = {}

    def clean(self, value, row=None, **kwargs):
        try:
            return self._seen[value]
        except KeyError:
            result = self._seen[value] = super().clean(value, row=row, **kwargs)
            return result
        except TypeError:  # an unhashable cell value
            return super().clean(value, row=row, **kwargs)


def status_widget():
    return StatusWidget(AssessmentStatus, aliases=STATUS_ALIASES)


class CriteriaSetWidget(TextWidget):
    """A criteria set by its code ("qd-1980-xa"), its name, or the number of its decision ("1980")."""

    def prepare(self, resource=None):
        self._index = None

    def _load(self):
        index = {}
        for s in CriteriaSet.objects.all():
            index.setdefault(fold(s.code), []).append(s)
            index.setdefault(fold(s.name), []).append(s)
            if fold(s.short_label) not in (fold(s.code), fold(s.name)):
                index.setdefault(fold(s.short_label), []).append(s)
            number = re.search(r"\d{3,4}", s.code)
            if number:
                index.setdefault(number.group(), []).append(s)
        self._index = index
        return index

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        index = getattr(self, "_index", None) or self._load()
        text = fold(str(int(value) if isinstance(value, float) and value.is_integer() else value))
        found = index.get(text) or index.get(next(iter(re.findall(r"\d{3,4}", text)), ""), [])
        if len(found) != 1:
            # Named as clerks know them (the decision), not by the codes the column also accepts.
            sets = {s.pk: s for group in index.values() for s in group}.values()
            labels = "; ".join(s.short_label for s in sorted(sets, key=lambda s: (s.valid_from_year, s.name)))
            raise CellError(
                _("cần bộ tiêu chí: số quyết định (ví dụ 1980) hoặc tên bộ tiêu chí, một trong: {sets}.").format(
                    sets=labels
                )
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value or "")


def wide_sheet_terms(*, record, item) -> PreviewTerms:
    """A wide commune sheet's preview: "3 dòng = 3 xã × 19 {item} = 57 {record}"."""
    return PreviewTerms(record=str(record), row=str(pgettext_lazy("đếm", "xã")), item=str(item))


def commune_year_label(commune, year) -> str:
    """A wide sheet's row as the preview names it: "Xã Kỳ Tiến (18769), năm 2017"."""
    return str(_("{commune} ({code}), năm {year}").format(commune=commune.name, code=commune.code, year=year))


class _AssessmentBase(NtmResource):
    """What both layouts share: the commune, the year, the set, the rules, the commune-year sheet."""

    commune = fields.Field(attribute="commune", column_name=_("Mã xã"), widget=UnitWidget(level=UnitLevel.COMMUNE))
    commune_name = fields.Field(column_name=_("Tên xã"), widget=TextWidget(), readonly=True)
    year = fields.Field(attribute="year", column_name=_("Năm"), widget=VNIntegerWidget(min_value=2000, max_value=2100))
    note = fields.Field(attribute="note", column_name=_("Ghi chú"), widget=TextWidget())
    criteria_set = fields.Field(column_name=_("Bộ tiêu chí"), widget=CriteriaSetWidget(), readonly=True)

    HEADER_ALIASES = {
        "Mã xã": ["Mã ĐVHC", "Mã đơn vị", "Mã số xã"],
        "Tên xã": ["Tên đơn vị", "Xã", "Đơn vị"],
        "Năm": ["Năm đánh giá", "Năm chấm"],
        "Ghi chú": ["Ghi chú/Lý do"],
        "Bộ tiêu chí": ["Mã bộ tiêu chí", "Áp dụng bộ tiêu chí"],
    }

    def __init__(self, criteria_set=None, **kwargs):
        super().__init__(**kwargs)
        self.criteria_set_choice = criteria_set
        self.user = None

    # --- loaded once per import ---------------------------------------------------

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self.user = user if getattr(user, "pk", None) else None
        self.today = timezone.localdate()
        choice = self.criteria_set_choice
        if isinstance(choice, str):
            choice = CriteriaSet.objects.get(code=choice)
        self.chosen_set = choice
        self.default_sets = {}
        self.criteria = {(c.criteria_set_id, c.number): c for c in Criterion.objects.all()}
        self.set_sizes = {}
        for set_id, _number in self.criteria:
            self.set_sizes[set_id] = self.set_sizes.get(set_id, 0) + 1
        self.locks = {
            (lock.province_id, lock.year): lock for lock in PeriodLock.objects.active().select_related("province")
        }
        self.sheets_seen = {}  # (commune, year, set) -> row number, for duplicate rows
        self.sheet_notes = {}  # (commune, year, set) -> the wide row's Ghi chú

    # --- the preview: a row is a commune's year ------------------------------------------------------

    def preview_label(self, row, record):
        """ "Xã Kỳ Tiến (18769), năm 2017"; a row refused before it had a record: the cells as typed."""
        if record is not None and "commune" in record:
            return commune_year_label(record["commune"], record["year"])
        cells = [row.raw(k) for k in ("commune", "commune_name", "year") if row.raw(k) is not None]
        return " · ".join(show_value(v) for v in cells)

    def preview_group(self, record):
        commune = record.get("commune")
        return getattr(commune, "pk", commune)

    def default_set(self, year):
        if year not in self.default_sets:
            self.default_sets[year] = CriteriaSet.objects.default_for_year(year)
        return self.default_sets[year]

    def read_row_key(self, row):
        """(commune, year, criteria set) of a row, or None after recording what is wrong (column by column)."""
        year = row.clean("year", required=True)
        days = (datetime.date(year, 12, 31), datetime.date(year, 1, 1)) if year else None
        commune = None
        if row.raw("commune") is not None:
            commune = row.clean("commune", valid_on=days)
            name = row.raw("commune_name")
            named = isinstance(name, str) and name.strip()
            if commune is not None and named and not unit_name_keys(commune.name) & unit_name_keys(name.split(",")[0]):
                row.error(
                    "commune_name",
                    _("không khớp với mã xã {code} ({name}).").format(code=commune.code, name=commune.name),
                )
        elif row.raw("commune_name") is not None:
            commune = row.clean("commune_name", widget=self.fields["commune"].widget, valid_on=days)
        else:
            row.error("commune", _("cần mã xã (hoặc tên xã)."))
        named_set = row.clean("criteria_set") if row.has("criteria_set") else None
        if commune is not None and commune.kind != UnitKind.COMMUNE:
            # A ward (phường), townlet or special zone is not scored against the rural criteria.
            column = "commune" if row.raw("commune") is not None else "commune_name"
            row.error(column, services.not_rural_message(commune))
            return None
        if commune is None or not year or row.failed:
            return None
        criteria_set = named_set or self.chosen_set or self.default_set(year)
        set_column = "criteria_set" if named_set else "year"
        if criteria_set is None:
            row.error(
                "year", _("không có bộ tiêu chí quốc gia về xã nông thôn mới áp dụng cho năm {year}.").format(year=year)
            )
            return None
        if not criteria_set.covers_year(year):
            row.error(
                set_column,
                _("bộ tiêu chí {set} chỉ áp dụng {start}–{end}, không dùng cho năm {year}.").format(
                    set=criteria_set.short_label,
                    start=criteria_set.valid_from_year,
                    end=criteria_set.valid_to_year or "…",
                    year=year,
                ),
            )
            return None
        lock = self.locks.get((commune.province_id or commune.pk, year))
        if lock is not None:
            row.error("year", lock.refusal())
            return None
        return commune, year, criteria_set

    def criterion(self, criteria_set, number):
        return self.criteria.get((criteria_set.pk, number))

    def no_such_criterion(self, row, column, criteria_set, number):
        row.error(
            column,
            _("bộ tiêu chí {set} có {size} tiêu chí, không có tiêu chí số {number}.").format(
                set=criteria_set.short_label, size=self.set_sizes.get(criteria_set.pk, 0), number=number
            ),
        )

    # --- the commune-year sheets the results hang from -------------------------------------

    def prepare_chunk(self, records, *, engine):
        """Find or create (in bulk) the commune-year of every record; wide notes go on it.

        The set of a record is its criterion's; records carry only model fields (the
        engine shows them in the preview), the wide notes wait in `sheet_notes`.
        """
        wanted = {}
        for r in records:
            key = (r["commune"].pk, r["year"], r["criterion"].criteria_set_id)
            wanted[key] = self.sheet_notes.get(key, "")
        existing = {}
        communes = sorted({k[0] for k in wanted})
        years = {k[1] for k in wanted}
        for start in range(0, len(communes), IN_BATCH):
            part = communes[start : start + IN_BATCH]
            for sheet in CommuneYear.objects.filter(commune_id__in=part, year__in=years):
                existing[(sheet.commune_id, sheet.year, sheet.criteria_set_id)] = sheet
        new, changed = [], []
        for key, note in wanted.items():
            sheet = existing.get(key)
            if sheet is None:
                sheet = CommuneYear(commune_id=key[0], year=key[1], criteria_set_id=key[2], note=note)
                new.append(sheet)
                existing[key] = sheet
            elif note and sheet.note != note:
                sheet.note = note
                changed.append(sheet)
        writer = engine.writer_for(CommuneYear)
        writer.create(new)
        writer.update(changed, ["note"])
        for r in records:
            r["commune_year"] = existing[(r["commune"].pk, r["year"], r["criterion"].criteria_set_id)]

    def before_write(self, instance, record, *, is_new):
        instance.assessed_by_id = self.user.pk if self.user is not None else None
        instance.assessed_on = self.today

    # --- export ----------------------------------------------------------------------

    @staticmethod
    def assessments_of(queryset):
        """Results of a queryset of results or of commune-years (the two admins export)."""
        if queryset is None:
            return Assessment.objects.all()
        if queryset.model is CommuneYear:
            return Assessment.objects.filter(commune_year__in=queryset.values("pk"))
        return queryset

    def get_queryset(self):
        return Assessment.objects.all()


def wide_sheet_hints(*, example_year: int) -> dict:
    """The hint row of a wide commune sheet (one row per commune and year): the columns every such sheet has."""
    return {
        "Mã xã": _("5 chữ số, ví dụ 18769"),
        "Tên xã": _("Để kiểm tra; có thể bỏ trống"),
        "Năm": format_lazy(_("Ví dụ {year}"), year=str(example_year)),  # lazy: read in the clerk's language
        "Ghi chú": _("Không bắt buộc"),
        "Bộ tiêu chí": _("Để trống: bộ tiêu chí quốc gia của năm"),
    }


@register
class AssessmentWideResource(_AssessmentBase):
    """The wide commune sheet: one row per commune and year, one column per criterion."""

    class Meta:
        model = Assessment
        import_id_fields = ("commune", "criterion", "year")
        fields = ("commune", "commune_name", "year", "note", "criteria_set")
        template_slug = "assessments-wide"
        template_title = _("Bảng tổng hợp kết quả thực hiện bộ tiêu chí nông thôn mới theo xã")
        header_aliases = _AssessmentBase.HEADER_ALIASES
        hints = wide_sheet_hints(example_year=2017)

    @classmethod
    def get_display_name(cls):
        return str(_("Bảng ngang: mỗi xã một dòng, TC1…TC19"))

    @classmethod
    def preview_terms(cls):
        return wide_sheet_terms(record=pgettext_lazy("đếm", "kết quả"), item=pgettext_lazy("đếm", "tiêu chí"))

    def criteria_count(self):
        chosen = self.criteria_set_choice
        if isinstance(chosen, str):
            chosen = CriteriaSet.objects.filter(code=chosen).first()
        size = chosen.criteria.count() if chosen is not None else 0
        return max(STANDARD_SIZE, size)

    def get_import_columns(self):
        columns = {c.key: c for c in super().get_import_columns()}
        choices = [str(label) for _code, label in AssessmentStatus.choices]
        criteria = [
            Column(
                key=f"tc{n}",
                name=f"TC{n}",
                aliases=(f"TC {n}", f"TC{n:02d}", f"Tiêu chí {n}", f"Tiêu chí số {n}", f"TC số {n}"),
                hint=_("Đạt / Chưa đạt") if n == 1 else "",
                choices=choices,
                width=10,
                widget=status_widget(),
            )
            for n in range(1, self.criteria_count() + 1)
        ]
        head = [columns[k] for k in ("commune", "commune_name", "year")]
        return [*head, *criteria, columns["note"], columns["criteria_set"]]

    def import_records(self, row):
        head = self.read_row_key(row)
        statuses = {}
        for key in row.values:
            if key.startswith("tc") and row.raw(key) is not None:  # blank: the criterion stays as it was
                value = row.clean(key)
                if value is not None:
                    statuses[int(key[2:])] = value
        note = row.clean("note") if row.has("note") else ""
        if head is None or row.failed:
            return []
        commune, year, criteria_set = head
        sheet_key = (commune.pk, year, criteria_set.pk)
        earlier = self.sheets_seen.get(sheet_key)
        if earlier is not None:
            row.error(
                "commune",
                _("xã {name} năm {year} đã có ở dòng {row} của tệp; mỗi xã chỉ một dòng mỗi năm.").format(
                    name=commune.name, year=year, row=earlier
                ),
            )
            return []
        self.sheets_seen[sheet_key] = row.number
        if note:
            self.sheet_notes[sheet_key] = note
        if not statuses:
            row.skip(_("không có ô tiêu chí nào được điền"))
            return []
        records = []
        for number, status in sorted(statuses.items()):
            criterion = self.criterion(criteria_set, number)
            if criterion is None:
                self.no_such_criterion(row, f"tc{number}", criteria_set, number)
                continue
            records.append({"commune": commune, "criterion": criterion, "year": year, "status": status})
        return records

    def export(self, queryset=None, **kwargs):
        """One row per commune-year, TC1 … TC19 side by side (the layout clerks import)."""
        columns = self.get_import_columns()
        results = (
            self.assessments_of(queryset)
            .order_by("commune__code", "year", "commune_year_id", "criterion__number")
            .values_list(
                "commune_year_id",
                "commune__code",
                "commune__name",
                "year",
                "commune_year__note",
                "commune_year__criteria_set__code",
                "criterion__number",
                "status",
            )
        )
        labels = dict(AssessmentStatus.choices)
        rows = {}
        for sheet_id, code, name, year, note, set_code, number, status in results.iterator(chunk_size=5000):
            row = rows.get(sheet_id)
            if row is None:
                row = rows[sheet_id] = {
                    "commune": code,
                    "commune_name": name,
                    "year": year,
                    "note": note,
                    "criteria_set": set_code,
                }
            row[f"tc{number}"] = str(labels.get(status, status))
        dataset = tablib.Dataset(headers=[str(c.name) for c in columns])
        for row in rows.values():
            dataset.append([row.get(c.key, "") for c in columns])
        dataset.ntm_title = self.get_template_title()
        dataset.ntm_number_formats = {}
        return dataset

    def template_rows(self, communes, year=None) -> list[list]:
        """Rows that pre-fill the template: code and name of each commune (and the year, if given)."""
        columns = self.get_import_columns()
        out = []
        for code, name in communes.order_by("parent__code", "code").values_list("code", "name"):
            values = {"commune": code, "commune_name": name, "year": year or None}
            out.append([values.get(c.key) for c in columns])
        return out


@register
class AssessmentResource(_AssessmentBase):
    """The long list: one row per commune, year and criterion."""

    criterion = fields.Field(attribute="criterion", column_name=_("Tiêu chí"), widget=VNIntegerWidget(1, 99))
    status = fields.Field(attribute="status", column_name=_("Kết quả"), widget=status_widget())

    class Meta:
        model = Assessment
        import_id_fields = ("commune", "criterion", "year")
        fields = ("commune", "commune_name", "year", "criterion", "status", "note", "criteria_set")
        export_order = fields
        template_slug = "assessments-long"
        template_title = _("Danh sách kết quả đánh giá tiêu chí nông thôn mới")
        required_columns = (_("Kết quả"),)
        header_aliases = {
            **_AssessmentBase.HEADER_ALIASES,
            "Tiêu chí": ["Số tiêu chí", "TC", "Tiêu chí số"],
            "Kết quả": ["Đánh giá", "Kết quả đánh giá"],
        }
        hints = {
            "Tiêu chí": _("Số thứ tự, 1–19"),
            "Kết quả": _("Đạt / Chưa đạt / Không áp dụng"),
            "Bộ tiêu chí": _("Để trống: bộ tiêu chí quốc gia của năm"),
        }

    @classmethod
    def get_display_name(cls):
        return str(_("Danh sách dọc: mỗi tiêu chí một dòng"))

    @classmethod
    def preview_terms(cls):
        return PreviewTerms(record=str(pgettext_lazy("đếm", "kết quả")))

    def preview_label(self, row, record):
        label = super().preview_label(row, record)
        if record is not None and "criterion" in record:
            return str(_("{sheet}, tiêu chí {number}").format(sheet=label, number=record["criterion"].number))
        return label

    def import_records(self, row):
        head = self.read_row_key(row)
        number = row.clean("criterion", required=True)
        status = row.clean("status")
        note = row.clean("note") if row.has("note") else None
        if head is None or row.failed:
            return []
        commune, year, criteria_set = head
        if status is None:
            row.skip(_("ô kết quả trống"))
            return []
        criterion = self.criterion(criteria_set, number)
        if criterion is None:
            self.no_such_criterion(row, "criterion", criteria_set, number)
            return []
        record = {"commune": commune, "criterion": criterion, "year": year, "status": status}
        if note:
            record["note"] = note
        return [record]

    def export(self, queryset=None, **kwargs):
        columns = self.get_import_columns()
        labels = dict(AssessmentStatus.choices)
        results = (
            self.assessments_of(queryset)
            .order_by("commune__code", "year", "criterion__number")
            .values_list(
                "commune__code",
                "commune__name",
                "year",
                "criterion__number",
                "status",
                "note",
                "commune_year__criteria_set__code",
            )
        )
        dataset = tablib.Dataset(headers=[str(c.name) for c in columns])
        keys = [c.key for c in columns]
        for code, name, year, number, status, note, set_code in results.iterator(chunk_size=5000):
            values = {
                "commune": code,
                "commune_name": name,
                "year": year,
                "criterion": number,
                "status": str(labels.get(status, status)),
                "note": note,
                "criteria_set": set_code,
            }
            dataset.append([values[k] for k in keys])
        dataset.ntm_title = self.get_template_title()
        dataset.ntm_number_formats = {}
        return dataset

    def template_rows(self, communes, year=None) -> list[list]:
        """Rows that pre-fill the template: one per commune and criterion 1–19 (and the year, if given)."""
        columns = self.get_import_columns()
        out = []
        for code, name in communes.order_by("parent__code", "code").values_list("code", "name"):
            for number in range(1, STANDARD_SIZE + 1):
                values = {"commune": code, "commune_name": name, "year": year or None, "criterion": number}
                out.append([values.get(c.key) for c in columns])
        return out


# The 2026–2030 templates (indicator results, criteria sets, commune groups) register themselves.
from criteria import indicator_resources  # noqa: E402, F401
