"""Imports of the 2026–2030 criteria: indicator results (wide and long), criteria sets, commune groups.

Indicator results ("indicator-results-wide"): one row per commune and year, `Mã xã`, `Tên xã`,
`Năm`, one column per indicator code of the set (`1.1`, `2.3` …), `Ghi chú`. Values as clerks
type them: `85%`, `85`, `85,5`, `Đạt`, `x`, `Không áp dụng`; a blank cell leaves the indicator as
it was. Long ("indicator-results-long"): one row per result, `Mã chỉ tiêu`, `Giá trị`, `Ghi chú`.

The engine writes the commune-year sheets (its model here is CommuneYear); the results of every
row wait in memory and are written in bulk once every row has been read, then the sheets are
scored (criteria.services.commune_years_score) in the same transaction. Every bad cell is named
before anything is written: a percent over 100, text in a numeric indicator, a commune with no
group for that year, a code not in the set, a commune not in force that year, a ward.
"""

from __future__ import annotations

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import fields

from criteria import services
from criteria.choices import AssessmentStatus, CommuneGroup, Comparison, Region, SetLevel, TargetBasis, ValueType
from criteria.models import (
    CommuneClassification,
    CommuneYear,
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorResult,
    IndicatorTarget,
)
from criteria.resources import (
    IN_BATCH,
    CriteriaSetWidget,
    _AssessmentBase,
    commune_year_label,
    wide_sheet_hints,
    wide_sheet_terms,
)
from criteria.scoring import indicator_value_read
from divisions.choices import UnitLevel
from divisions.widgets import UnitWidget
from ntm_site.spreadsheets.errors import CellError, RowError
from ntm_site.spreadsheets.history import InstanceFactory
from ntm_site.spreadsheets.preview import PreviewRow, PreviewTerms, kind_of
from ntm_site.spreadsheets.registry import register, template_label
from ntm_site.spreadsheets.resources import Column, NtmResource
from ntm_site.spreadsheets.widgets import (
    ChoiceWidget,
    TextWidget,
    VNDecimalWidget,
    VNIntegerWidget,
    is_blank,
)

RESULT_FIELDS = ["value_number", "value_bool", "value_text", "not_applicable", "note"]


def sets_with_indicators():
    return CriteriaSet.objects.filter(criteria__indicators__isnull=False).distinct()


def default_indicator_set(year=None):
    """The set whose codes head the template: the national set of `year` (this year) if it has indicators."""
    import datetime

    found = CriteriaSet.objects.default_for_year(year or datetime.date.today().year)
    if found is not None and services.sheet_has_indicators(found):
        return found
    return sets_with_indicators().order_by("-valid_from_year").first()


class _IndicatorResultsBase(_AssessmentBase):
    """Commune, year, set and rules as the criteria sheets; the results are kept and written at the end."""

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self.indicators = {}  # set id -> {code: Indicator}
        for indicator in Indicator.objects.select_related("criterion"):
            self.indicators.setdefault(indicator.criterion.criteria_set_id, {})[indicator.code] = indicator
        self.target_basis = dict(CriteriaSet.objects.values_list("pk", "target_basis"))
        self.groups = {}  # year -> {commune id: group}
        self.results = {}  # (commune id, year, set id) -> {indicator id: fields}
        self.result_rows = {}  # (commune id, year, set id, indicator id) -> row number
        self.values_read = {}  # (value type, type, cell) -> the result's fields (keep)

    def group_of(self, commune, year):
        if year not in self.groups:
            self.groups[year] = CommuneClassification.objects.groups_in_year(year)
        return self.groups[year].get(commune.pk)

    def read_sheet(self, row):
        """(commune, year, set, {code: indicator}) of a row, or None after naming what is wrong."""
        head = self.read_row_key(row)
        if head is None:
            return None
        commune, year, criteria_set = head
        codes = self.indicators.get(criteria_set.pk)
        if not codes and self.target_basis.get(criteria_set.pk) == TargetBasis.GROUP:
            # A set scored per indicator (QĐ 51/2025) whose indicators have not been loaded yet.
            row.error("year", services.no_indicator_set_message(year))
            return None
        if not codes:
            row.error(
                "year",
                _("bộ tiêu chí {set} không có chỉ tiêu (chấm theo tiêu chí: dùng biểu mẫu “{template}”).").format(
                    set=criteria_set.short_label, template=template_label("assessments-wide")
                ),
            )
            return None
        if self.target_basis.get(criteria_set.pk) == TargetBasis.GROUP and self.group_of(commune, year) is None:
            row.error("commune", services.no_group_message(commune, year))
            return None
        return commune, year, criteria_set, codes

    def keep(self, row, sheet_key, indicator, raw, note=None):
        """Read one value into the results waiting for the end of the import.

        A workbook repeats the same few spellings ("Đạt", "85%") thousands of times: each is read once per
        value type, and the results share the fields read (they are not changed afterwards).
        """
        memo_key = (indicator.value_type, type(raw), raw)
        values = self.values_read.get(memo_key)
        if values is None:
            try:
                values = indicator_value_read(indicator, raw)
            except CellError as e:
                return e.expected
            if len(self.values_read) < 50_000:
                self.values_read[memo_key] = values
        if note is not None:
            values = {**values, "note": note}
        self.results.setdefault(sheet_key, {})[indicator.pk] = values
        return None

    def record_for(self, commune, year, criteria_set, note=None):
        record = {"commune": commune, "year": year, "criteria_set": criteria_set}
        if note:
            record["note"] = note
        return record

    # The engine writes CommuneYear rows: the sheets themselves need nothing more.
    def prepare_chunk(self, records, *, engine):
        self.engine = engine

    def before_write(self, instance, record, *, is_new):
        pass

    def get_queryset(self):
        return CommuneYear.objects.all()

    def after_import_rows(self, report, *, dry_run):
        """Write the results kept, judged before they are written, then derive the sheets' criteria.

        Sheets are taken IN_BATCH at a time: one query for the sheets, one for their results, the
        results judged in memory against the target of the commune's group (one row and one history
        row per result created or changed), then the criteria of those sheets (criteria.services).
        The preview counts what each sheet row holds (restate_preview), also when other rows have
        errors; then nothing is written.
        """
        if not self.results:
            return
        sheets = {}
        communes = sorted({k[0] for k in self.results})
        years = {k[1] for k in self.results}
        for start in range(0, len(communes), IN_BATCH):
            part = communes[start : start + IN_BATCH]
            for sheet in CommuneYear.objects.filter(commune_id__in=part, year__in=years).select_related("commune"):
                sheets[(sheet.commune_id, sheet.year, sheet.criteria_set_id)] = sheet
        # Sheets of rows refused while being written (outside the user's scope) were not made: nothing to match.
        keys = [k for k in self.results if k in sheets]
        try:  # every commune's group was checked row by row; a group deleted meanwhile fails the import here
            scoring = services.SheetScoring([sheets[k] for k in keys], strict=True)
        except ValidationError as e:
            report.errors.extend(RowError(0, message) for message in e.messages)
            return
        writer = self.engine.writer_for(IndicatorResult)
        reason = self.engine.writer.reason
        make = InstanceFactory(IndicatorResult)
        columns = [f.attname for f in IndicatorResult._meta.concrete_fields]
        compared = [*RESULT_FIELDS, "status", "commune_group"]
        created = updated = unchanged = 0
        outcomes = {}  # sheet row -> [new, changed, unchanged, sheet key, indicator id], for the preview
        for start in range(0, len(keys), IN_BATCH):
            part = keys[start : start + IN_BATCH]
            ids = [sheets[k].pk for k in part]
            existing = {}
            for values in IndicatorResult.objects.filter(commune_year_id__in=ids).values_list(*columns):
                result = make.from_db(columns, values)
                existing[(result.commune_year_id, result.indicator_id)] = result
            new, changed, results = [], [], []
            for key, sheet_id in zip(part, ids, strict=True):
                for indicator_id, values in self.results[key].items():
                    tally = outcomes.setdefault(self.row_of_result(key, indicator_id), [0, 0, 0, key, indicator_id])
                    result = existing.pop((sheet_id, indicator_id), None)
                    if result is None:
                        result = make({"commune_year_id": sheet_id, "indicator_id": indicator_id, **values})
                        scoring.judge(result)
                        new.append(result)
                        tally[0] += 1
                    else:
                        d = result.__dict__
                        before = [d[f] for f in compared]
                        d.update(values)
                        scoring.judge(result)
                        if [d[f] for f in compared] != before:
                            changed.append(result)
                            tally[1] += 1
                        else:
                            unchanged += 1
                            tally[2] += 1
                    results.append(result)
            created, updated = created + len(new), updated + len(changed)
            for result in existing.values():  # results of these sheets the file leaves as they are: judged again
                if scoring.judge(result):
                    changed.append(result)
                results.append(result)
            if report.errors:
                continue  # nothing is written: the preview and the counts say what the rows without errors hold
            writer.create(new)
            writer.update(changed, compared)
            scoring.criteria(results, user=self.user, reason=reason)
        self.restate_preview(report, outcomes, sheets)
        report.created, report.updated, report.unchanged = created, updated, unchanged

    # --- the preview: the results each row holds, not the sheets the engine wrote -------------------

    def row_of_result(self, sheet_key, indicator_id) -> int:
        """The sheet row a result was read from."""
        raise NotImplementedError

    def result_label(self, sheet, indicator_id) -> str:
        return commune_year_label(sheet.commune, sheet.year)

    def restate_preview(self, report, outcomes, sheets):
        """The engine counted commune-year sheets; the clerk's rows hold indicator results: count those."""
        preview = report.preview
        preview.clear_accepted()
        for number in sorted(outcomes):
            if number in report.error_rows:
                continue
            new, updated, unchanged, key, indicator_id = outcomes[number]
            kind, shown = kind_of(new, updated, unchanged), None
            if preview.wants(kind):
                label = self.result_label(sheets[key], indicator_id)
                shown = PreviewRow(number, label, new=new, updated=updated, unchanged=unchanged)
            preview.count(kind, records=new + updated + unchanged, group=key[0], row=shown)

    def template_rows(self, communes, year=None) -> list[list]:
        columns = self.get_import_columns()
        out = []
        for code, name in communes.order_by("parent__code", "code").values_list("code", "name"):
            values = {"commune": code, "commune_name": name, "year": year or None}
            out.append([values.get(c.key) for c in columns])
        return out


def _chosen(resource):
    chosen = resource.criteria_set_choice
    if isinstance(chosen, str):
        chosen = CriteriaSet.objects.filter(code=chosen).first()
    return chosen or default_indicator_set()


def _results_of(queryset):
    """The indicator results an export writes: those of the commune-years chosen in the admin, else all."""
    sheets = queryset if queryset is not None and queryset.model is CommuneYear else CommuneYear.objects.all()
    return IndicatorResult.objects.filter(commune_year__in=sheets.values("pk"))


@register
class IndicatorResultWideResource(_IndicatorResultsBase):
    """One row per commune and year, one column per indicator code of the set."""

    class Meta:
        model = CommuneYear
        import_id_fields = ("commune", "year", "criteria_set")
        fields = ("commune", "commune_name", "year", "note", "criteria_set")
        template_slug = "indicator-results-wide"
        template_title = _("Bảng tổng hợp kết quả thực hiện các chỉ tiêu nông thôn mới theo xã")
        header_aliases = _AssessmentBase.HEADER_ALIASES
        hints = wide_sheet_hints(example_year=2026)

    @classmethod
    def get_display_name(cls):
        return str(_("Chỉ tiêu, bảng ngang: mỗi xã một dòng, mỗi chỉ tiêu một cột"))

    @classmethod
    def preview_terms(cls):
        return wide_sheet_terms(record=pgettext_lazy("đếm", "kết quả chỉ tiêu"), item=pgettext_lazy("đếm", "chỉ tiêu"))

    def row_of_result(self, sheet_key, indicator_id) -> int:
        return self.sheets_seen[sheet_key]

    def indicator_columns(self):
        """The chosen set's indicators first (in order), then codes of other sets with indicators."""
        chosen = _chosen(self)
        seen, columns = set(), []
        indicators = Indicator.objects.filter(criterion__criteria_set__in=sets_with_indicators()).select_related(
            "criterion"
        )
        ordered = sorted(
            indicators,
            key=lambda i: (
                i.criterion.criteria_set_id != getattr(chosen, "pk", None),
                i.criterion.criteria_set_id,
                i.criterion.number,
                i.position,
                i.code,
            ),
        )
        yes_no = [str(AssessmentStatus.MET.label), str(AssessmentStatus.NOT_MET.label), str(_("Không áp dụng"))]
        for indicator in ordered:
            if indicator.code in seen:
                continue
            seen.add(indicator.code)
            hint = {
                ValueType.PERCENT: _("%"),
                ValueType.NUMBER: indicator.unit,
                ValueType.BOOLEAN: _("Đạt / Chưa đạt"),
                ValueType.TEXT: _("Mô tả"),
            }.get(indicator.value_type, "")
            columns.append(
                Column(
                    key=f"ind:{indicator.code}",
                    name=indicator.code,
                    aliases=(f"CT {indicator.code}", f"Chỉ tiêu {indicator.code}"),
                    hint=str(hint or ""),
                    choices=yes_no if indicator.value_type == ValueType.BOOLEAN else None,
                    width=10,
                )
            )
        return columns

    def get_import_columns(self):
        columns = {c.key: c for c in NtmResource.get_import_columns(self)}
        head = [columns[k] for k in ("commune", "commune_name", "year")]
        columns["criteria_set"].required = False  # part of the sheet's key, but the year names it by default
        return [*head, *self.indicator_columns(), columns["note"], columns["criteria_set"]]

    def import_records(self, row):
        sheet = self.read_sheet(row)
        note = row.clean("note") if row.has("note") else ""
        if sheet is None or row.failed:
            return []
        commune, year, criteria_set, codes = sheet
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
        filled = 0
        for key, raw in row.values.items():
            if not key.startswith("ind:") or is_blank(raw):
                continue
            code = key[4:]
            indicator = codes.get(code)
            if indicator is None:
                row.error(
                    key,
                    _("chỉ tiêu {code} không có trong bộ tiêu chí {set}.").format(
                        code=code, set=criteria_set.short_label
                    ),
                )
                continue
            problem = self.keep(row, sheet_key, indicator, raw)
            if problem:
                row.error(key, problem)
            filled += 1
        if row.failed:
            self.results.pop(sheet_key, None)
            return []
        if not filled and not note:
            row.skip(_("không có ô chỉ tiêu nào được điền"))
            return []
        return [self.record_for(commune, year, criteria_set, note)]

    def export(self, queryset=None, **kwargs):
        """One row per commune-year, one column per indicator code (the layout clerks import)."""
        columns = self.get_import_columns()
        results = (
            _results_of(queryset)
            .order_by("commune_year__commune__code", "commune_year__year", "commune_year_id")
            .values_list(
                "commune_year_id",
                "commune_year__commune__code",
                "commune_year__commune__name",
                "commune_year__year",
                "commune_year__note",
                "commune_year__criteria_set__code",
                "indicator__code",
                "indicator__value_type",
                "value_number",
                "value_bool",
                "value_text",
                "not_applicable",
            )
        )
        rows = {}
        for sheet_id, code, name, year, note, set_code, ind, kind, number, flag, text, na in results.iterator(
            chunk_size=5000
        ):
            row = rows.setdefault(
                sheet_id,
                {"commune": code, "commune_name": name, "year": year, "note": note, "criteria_set": set_code},
            )
            row[f"ind:{ind}"] = result_display(kind, number, flag, text, na)
        dataset = tablib.Dataset(headers=[str(c.name) for c in columns])
        for row in rows.values():
            dataset.append([row.get(c.key, "") for c in columns])
        dataset.ntm_title = self.get_template_title()
        dataset.ntm_number_formats = {}
        return dataset


def result_display(kind, number, flag, text, not_applicable) -> str:
    """A result's value as a clerk would type it back."""
    if not_applicable:
        return str(_("Không áp dụng"))
    if kind == ValueType.BOOLEAN:
        return "" if flag is None else str(AssessmentStatus.MET.label if flag else AssessmentStatus.NOT_MET.label)
    if kind == ValueType.TEXT:
        return text
    if number is None:
        return ""
    shown = f"{number.normalize():f}".replace(".", ",")
    return f"{shown}%" if kind == ValueType.PERCENT else shown


@register
class IndicatorResultLongResource(_IndicatorResultsBase):
    """One row per commune, year and indicator."""

    indicator = fields.Field(column_name=_("Mã chỉ tiêu"), widget=TextWidget(max_length=12), readonly=True)
    value = fields.Field(column_name=_("Giá trị"), widget=TextWidget(), readonly=True)
    result_note = fields.Field(column_name=_("Ghi chú chỉ tiêu"), widget=TextWidget(), readonly=True)

    class Meta:
        model = CommuneYear
        import_id_fields = ("commune", "year", "criteria_set")
        fields = ("commune", "commune_name", "year", "indicator", "value", "result_note", "criteria_set")
        template_slug = "indicator-results-long"
        template_title = _("Danh sách kết quả các chỉ tiêu nông thôn mới")
        required_columns = (_("Mã chỉ tiêu"), _("Giá trị"))
        header_aliases = {
            **_AssessmentBase.HEADER_ALIASES,
            "Mã chỉ tiêu": ["Chỉ tiêu", "Mã CT"],
            "Giá trị": ["Kết quả", "Giá trị đạt được"],
        }
        hints = {
            "Mã chỉ tiêu": _("Ví dụ 2.3"),
            "Giá trị": _("85%, 85, 85,5, Đạt, x, Không áp dụng"),
            "Bộ tiêu chí": _("Để trống: bộ tiêu chí quốc gia của năm"),
        }

    @classmethod
    def get_display_name(cls):
        return str(_("Chỉ tiêu, danh sách dọc: mỗi chỉ tiêu một dòng"))

    @classmethod
    def preview_terms(cls):
        return PreviewTerms(record=str(pgettext_lazy("đếm", "kết quả chỉ tiêu")))

    def row_of_result(self, sheet_key, indicator_id) -> int:
        return self.result_rows[(*sheet_key, indicator_id)]

    def result_label(self, sheet, indicator_id) -> str:
        codes = {i.pk: code for by_code in self.indicators.values() for code, i in by_code.items()}
        return str(
            _("{sheet}, chỉ tiêu {code}").format(
                sheet=super().result_label(sheet, indicator_id), code=codes.get(indicator_id, "")
            )
        )

    def get_import_columns(self):
        columns = NtmResource.get_import_columns(self)
        for column in columns:
            column.required = column.key in ("commune", "year", "indicator", "value")
        return columns

    def import_records(self, row):
        sheet = self.read_sheet(row)
        code = row.clean("indicator", required=True)
        if isinstance(row.raw("indicator"), float):  # 2.3 typed as a number
            code = f"{row.raw('indicator'):g}"
        note = row.clean("result_note") if row.has("result_note") else None
        if sheet is None or row.failed:
            return []
        commune, year, criteria_set, codes = sheet
        indicator = codes.get(str(code))
        if indicator is None:
            row.error(
                "indicator",
                _("chỉ tiêu {code} không có trong bộ tiêu chí {set}.").format(code=code, set=criteria_set.short_label),
            )
            return []
        sheet_key = (commune.pk, year, criteria_set.pk)
        result_key = (*sheet_key, indicator.pk)
        earlier = self.result_rows.get(result_key)
        if earlier is not None:
            row.error(
                "indicator",
                _("chỉ tiêu {code} của xã {name} năm {year} đã có ở dòng {row}.").format(
                    code=code, name=commune.name, year=year, row=earlier
                ),
            )
            return []
        if is_blank(row.raw("value")):
            row.skip(_("ô giá trị trống"))
            return []
        problem = self.keep(row, sheet_key, indicator, row.raw("value"), note)
        if problem:
            row.error("value", problem)
            return []
        self.result_rows[result_key] = row.number
        if sheet_key in self.sheets_seen:
            return []  # the sheet is already a record of an earlier row
        self.sheets_seen[sheet_key] = row.number
        return [self.record_for(commune, year, criteria_set)]

    def export(self, queryset=None, **kwargs):
        columns = self.get_import_columns()
        results = (
            _results_of(queryset)
            .order_by("commune_year__commune__code", "commune_year__year", "indicator__criterion__number")
            .values_list(
                "commune_year__commune__code",
                "commune_year__commune__name",
                "commune_year__year",
                "indicator__code",
                "indicator__value_type",
                "value_number",
                "value_bool",
                "value_text",
                "not_applicable",
                "note",
                "commune_year__criteria_set__code",
            )
        )
        dataset = tablib.Dataset(headers=[str(c.name) for c in columns])
        keys = [c.key for c in columns]
        for code, name, year, ind, kind, number, flag, text, na, note, set_code in results.iterator(chunk_size=5000):
            values = {
                "commune": code,
                "commune_name": name,
                "year": year,
                "indicator": ind,
                "value": result_display(kind, number, flag, text, na),
                "result_note": note,
                "criteria_set": set_code,
            }
            dataset.append([values.get(k) for k in keys])
        dataset.ntm_title = self.get_template_title()
        dataset.ntm_number_formats = {}
        return dataset


# --- criteria sets: the set, its criteria, its indicators and their targets -------------------

COMPARISON_ALIASES = {
    "≥": Comparison.AT_LEAST,
    ">=": Comparison.AT_LEAST,
    "tu tro len": Comparison.AT_LEAST,
    "≤": Comparison.AT_MOST,
    "<=": Comparison.AT_MOST,
    "khong qua": Comparison.AT_MOST,
    "=": Comparison.EQUALS,
    "co/khong": Comparison.YES_NO,
    "dat/khong dat": Comparison.YES_NO,
    "dat/chua dat": Comparison.YES_NO,
    "mo ta": Comparison.TEXT,
    "theo mo ta": Comparison.TEXT,
}
GROUP_COLUMNS = [(f"group:{g.value}", g) for g in CommuneGroup]
REGION_COLUMNS = [(f"region:{r.value}", r) for r in Region]
SET_COLUMNS = (
    "set_name",
    "legal_basis",
    "legal_number",
    "signed_on",
    "in_force_on",
    "valid_from_year",
    "valid_to_year",
    "target_basis",
    "base_set",
    "set_note",
)


@register
class CriteriaSetWorkbookResource(NtmResource):
    """A criteria set in one sheet: one row per indicator (a criterion with none: one row without a code).

    The set's own columns (name, legal basis, years, targets by region or group, base set) are read
    from the first row that fills them. Targets go in the columns Nhóm 1/2/3 (a grouped set) or the
    seven regions. A province's own set names the national one in `Dựa trên bộ tiêu chí`: it starts
    as a copy of it, and its rows make targets stricter or add indicators.
    """

    code = fields.Field(attribute="code", column_name=_("Mã bộ tiêu chí"), widget=TextWidget(max_length=40))

    class Meta:
        model = CriteriaSet
        import_id_fields = ("code",)
        fields = ("code",)
        template_slug = "criteria-sets"
        template_title = _("Bộ tiêu chí: tiêu chí, chỉ tiêu và mức chỉ tiêu")

    @classmethod
    def get_display_name(cls):
        return str(_("Bộ tiêu chí, chỉ tiêu và mức chỉ tiêu"))

    def get_import_columns(self):
        def col(key, name, widget, hint="", choices=None, required=False, aliases=(), width=None):
            return Column(
                key=key,
                name=str(name),
                widget=widget,
                hint=str(hint),
                choices=choices,
                required=required,
                aliases=aliases,
                width=width,
            )

        basis = ChoiceWidget(TargetBasis, aliases={"vung": TargetBasis.REGION, "nhom": TargetBasis.GROUP})
        value_type = ChoiceWidget(ValueType, aliases={"%": ValueType.PERCENT, "ty le": ValueType.PERCENT})
        comparison = ChoiceWidget(Comparison, aliases=COMPARISON_ALIASES)
        from ntm_site.spreadsheets.widgets import VNDateWidget

        columns = [
            col("code", _("Mã bộ tiêu chí"), TextWidget(max_length=40), _("Ví dụ qd-51-2025-xa"), required=True),
            col("set_name", _("Tên bộ tiêu chí"), TextWidget(max_length=255)),
            col("legal_basis", _("Căn cứ pháp lý"), TextWidget(max_length=255)),
            col("legal_number", _("Số văn bản"), TextWidget(max_length=60), _("Ví dụ 51/2025/QĐ-TTg")),
            col("signed_on", _("Ngày ký"), VNDateWidget(), _("dd/mm/yyyy")),
            col("in_force_on", _("Ngày có hiệu lực"), VNDateWidget(), _("dd/mm/yyyy")),
            col("valid_from_year", _("Áp dụng từ năm"), VNIntegerWidget(2000, 2100)),
            col("valid_to_year", _("Áp dụng đến năm"), VNIntegerWidget(2000, 2100)),
            col("target_basis", _("Mức chỉ tiêu theo"), basis, choices=basis.labels),
            col("base_set", _("Dựa trên bộ tiêu chí"), CriteriaSetWidget(), _("Bộ tiêu chí riêng của tỉnh")),
            col("set_note", _("Ghi chú bộ tiêu chí"), TextWidget()),
            col("number", _("Tiêu chí số"), VNIntegerWidget(1, 99), required=True, aliases=(_("Tiêu chí"),)),
            col("criterion_name", _("Tên tiêu chí"), TextWidget(max_length=255)),
            col("indicator", _("Mã chỉ tiêu"), TextWidget(max_length=12), _("Ví dụ 2.3")),
            col("text", _("Nội dung chỉ tiêu"), TextWidget(), width=50),
            col("unit", _("Đơn vị tính"), TextWidget(max_length=40)),
            col("value_type", _("Loại giá trị"), value_type, choices=value_type.labels),
            col(
                "comparison", _("Cách so sánh"), comparison, _("≥, ≤, =, Đạt/không đạt, Theo mô tả"), comparison.labels
            ),
        ]
        for key, group in GROUP_COLUMNS:
            columns.append(col(key, group.label, TextWidget(max_length=255), aliases=(group.label.replace("Xã ", ""),)))
        for key, region in REGION_COLUMNS:
            columns.append(col(key, region.label, TextWidget(max_length=255)))
        return columns

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        for column in self.get_import_columns():
            prepare = getattr(column.widget, "prepare", None)
            if prepare is not None:
                prepare(self)
        self.user = user if getattr(user, "pk", None) else None
        self.sets = {}  # code -> {"fields": {...}, "row": n, "criteria": {number: name}, "indicators": {code: {...}}}
        self.existing = {s.code: s for s in CriteriaSet.objects.all()}
        self.criteria_numbers = {}
        for set_id, number in Criterion.objects.values_list("criteria_set_id", "number"):
            self.criteria_numbers.setdefault(set_id, set()).add(number)

    def _set_state(self, row, code):
        state = self.sets.get(code)
        if state is None:
            state = self.sets[code] = {"fields": {}, "row": row.number, "criteria": {}, "indicators": {}}
        for key in SET_COLUMNS:
            if row.has(key) and not is_blank(row.raw(key)) and key not in state["fields"]:
                value = row.clean(key)
                if value is not None:
                    state["fields"][key] = value
        return state

    def _basis(self, state, code):
        basis = state["fields"].get("target_basis")
        if basis:
            return basis
        existing = self.existing.get(code)
        if existing is not None:
            return existing.target_basis
        base = state["fields"].get("base_set")
        return base.target_basis if base is not None else TargetBasis.REGION

    def _known_numbers(self, state, code):
        numbers = set(state["criteria"])
        existing = self.existing.get(code)
        if existing is not None:
            numbers |= self.criteria_numbers.get(existing.pk, set())
        base = state["fields"].get("base_set")
        if base is not None:
            numbers |= self.criteria_numbers.get(base.pk, set())
        return numbers

    def import_records(self, row):
        code = row.clean("code", required=True)
        if not code:
            return []
        state = self._set_state(row, code)
        number = row.clean("number", required=True)
        name = row.clean("criterion_name") if row.has("criterion_name") else None
        if row.failed or number is None:
            return []
        known = self._known_numbers(state, code)
        if name:
            state["criteria"].setdefault(number, name)
        elif number not in known:
            if known:
                message = _("bộ tiêu chí {code} có {size} tiêu chí, không có tiêu chí số {number}.").format(
                    code=code, size=len(known), number=number
                )
            else:
                message = _("tiêu chí số {number} chưa có: cần ghi tên tiêu chí.").format(number=number)
            row.error("number", message)
            return []
        indicator = row.clean("indicator") if row.has("indicator") else None
        if indicator:
            self._read_indicator(row, code, state, number, str(indicator))
        if row.failed:
            return []
        if state["row"] != row.number:
            return []  # the set is a record of its first row
        return [self._set_record(row, code, state)]

    def _read_indicator(self, row, code, state, number, indicator_code):
        earlier = state["indicators"].get(indicator_code)
        if earlier is not None:
            row.error(
                "indicator",
                _("mã chỉ tiêu {code} trùng với dòng {row}: mỗi mã chỉ một lần trong bộ tiêu chí.").format(
                    code=indicator_code, row=earlier["row"]
                ),
            )
            return
        text = row.clean("text") if row.has("text") else ""
        value_type = row.clean("value_type") if row.has("value_type") else None
        comparison = row.clean("comparison", required=True)
        if row.failed:
            return
        value_type = value_type or {
            Comparison.YES_NO: ValueType.BOOLEAN,
            Comparison.TEXT: ValueType.TEXT,
        }.get(comparison, ValueType.NUMBER)
        if not text:
            row.error("text", _("cần nội dung chỉ tiêu."))
        basis = self._basis(state, code)
        targets = {}
        columns = GROUP_COLUMNS if basis == TargetBasis.GROUP else REGION_COLUMNS
        numeric = comparison in (Comparison.AT_LEAST, Comparison.AT_MOST, Comparison.EQUALS)
        for key, choice in columns:
            raw = row.raw(key)
            if is_blank(raw):
                if numeric and basis == TargetBasis.GROUP:
                    row.error(
                        key,
                        _("chỉ tiêu {code} so sánh theo số: cần mức cho {group}.").format(
                            code=indicator_code, group=choice.label.lower()
                        ),
                    )
                continue
            if numeric:
                text_value = str(raw).strip().rstrip("%").strip() if isinstance(raw, str) else raw
                try:
                    value = VNDecimalWidget(decimal_places=2).clean(text_value)
                except CellError as e:
                    row.error(key, e.expected)
                    continue
                if value_type == ValueType.PERCENT and not (0 <= value <= 100):
                    row.error(key, _("mức là tỷ lệ phần trăm: cần từ 0 đến 100."))
                    continue
                targets[choice.value] = {"value": value, "text": str(raw).strip()[:255]}
            else:
                targets[choice.value] = {"value": None, "text": str(raw).strip()[:255]}
        if row.failed:
            return
        state["indicators"][indicator_code] = {
            "row": row.number,
            "number": number,
            "text": text,
            "unit": (row.clean("unit") if row.has("unit") else "") or "",
            "value_type": value_type,
            "comparison": comparison,
            "targets": targets,
            "basis": basis,
            "position": len([i for i in state["indicators"].values() if i["number"] == number]) + 1,
        }

    def _set_record(self, row, code, state):
        f = state["fields"]
        existing = self.existing.get(code)
        if existing is None:
            if not f.get("set_name"):
                row.error("set_name", _("bộ tiêu chí {code} chưa có: cần tên bộ tiêu chí.").format(code=code))
            if not f.get("valid_from_year"):
                row.error(
                    "valid_from_year", _("bộ tiêu chí {code} chưa có: cần năm bắt đầu áp dụng.").format(code=code)
                )
            if row.failed:
                return {}
        record = {"code": code}
        names = {"set_name": "name", "set_note": "note"}
        for key in SET_COLUMNS:
            if key in f:
                record[names.get(key, key)] = f[key]
        if existing is None and "target_basis" not in record:
            record["target_basis"] = self._basis(state, code)
        if f.get("base_set") is not None:
            record["is_national"] = False
            record["level"] = f["base_set"].level
        elif existing is None:
            record["level"] = SetLevel.COMMUNE
        return record

    def get_queryset(self):
        return CriteriaSet.objects.all()

    def after_import_rows(self, report, *, dry_run):
        if report.errors:
            return
        reason = getattr(getattr(self, "_engine", None), "writer", None)
        changed_indicators = []
        for code, state in self.sets.items():
            criteria_set = CriteriaSet.objects.get(code=code)
            changed_indicators += self._write_set(criteria_set, state)
        if changed_indicators:
            services.indicator_targets_rescore(indicators=changed_indicators, user=self.user)
        del reason

    def _save(self, obj):
        obj._history_user = self.user
        obj.save()
        return obj

    def _write_set(self, criteria_set, state) -> list:
        base = criteria_set.base_set
        criteria = {c.number: c for c in criteria_set.criteria.all()}
        if base is not None and not criteria:
            self._copy_from(base, criteria_set)
            criteria = {c.number: c for c in criteria_set.criteria.all()}
        for number, name in state["criteria"].items():
            criterion = criteria.get(number)
            if criterion is None:
                criteria[number] = self._save(Criterion(criteria_set=criteria_set, number=number, name=name))
            elif criterion.name != name:
                criterion.name = name
                self._save(criterion)
        indicators = {i.code: i for i in Indicator.objects.filter(criterion__criteria_set=criteria_set)}
        changed = []
        for code, spec in state["indicators"].items():
            indicator = indicators.get(code) or Indicator(code=code)
            values = {
                "criterion": criteria[spec["number"]],
                "text": spec["text"],
                "unit": spec["unit"],
                "value_type": spec["value_type"],
                "comparison": spec["comparison"],
                "position": spec["position"],
            }
            dirty = indicator.pk is None or any(getattr(indicator, k) != v for k, v in values.items())
            for k, v in values.items():
                setattr(indicator, k, v)
            if dirty:
                self._save(indicator)
            if self._write_targets(indicator, spec) or dirty:
                changed.append(indicator)
        return changed

    def _write_targets(self, indicator, spec) -> bool:
        field = "commune_group" if spec["basis"] == TargetBasis.GROUP else "region"
        existing = {getattr(t, field): t for t in indicator.targets.all()}
        changed = False
        for key, target in spec["targets"].items():
            row = existing.get(key) or IndicatorTarget(indicator=indicator, **{field: key})
            if row.pk is None or row.value != target["value"] or row.text != target["text"]:
                row.value, row.text = target["value"], target["text"]
                self._save(row)
                changed = True
        return changed

    def _copy_from(self, base, criteria_set):
        """A province's set starts as a copy of the national set it is based on."""
        for criterion in base.criteria.prefetch_related("indicators__targets"):
            copy = self._save(
                Criterion(
                    criteria_set=criteria_set, number=criterion.number, name=criterion.name, group=criterion.group
                )
            )
            for indicator in criterion.indicators.all():
                new = self._save(
                    Indicator(
                        criterion=copy,
                        code=indicator.code,
                        text=indicator.text,
                        unit=indicator.unit,
                        value_type=indicator.value_type,
                        comparison=indicator.comparison,
                        position=indicator.position,
                    )
                )
                for target in indicator.targets.all():
                    self._save(
                        IndicatorTarget(
                            indicator=new,
                            region=target.region,
                            commune_group=target.commune_group,
                            value=target.value,
                            text=target.text,
                        )
                    )

    def export(self, queryset=None, **kwargs):
        """Every chosen set as the sheet this template imports (one row per indicator)."""
        columns = self.get_import_columns()
        sets = queryset if queryset is not None else CriteriaSet.objects.all()
        dataset = tablib.Dataset(headers=[str(c.name) for c in columns])
        labels = {
            "target_basis": dict(TargetBasis.choices),
            "value_type": dict(ValueType.choices),
            "comparison": dict(Comparison.choices),
        }
        for criteria_set in sets.select_related("base_set").order_by("valid_from_year", "code"):
            head = {
                "code": criteria_set.code,
                "set_name": criteria_set.name,
                "legal_basis": criteria_set.legal_basis,
                "legal_number": criteria_set.legal_number,
                "signed_on": criteria_set.signed_on.strftime("%d/%m/%Y") if criteria_set.signed_on else "",
                "in_force_on": criteria_set.in_force_on.strftime("%d/%m/%Y") if criteria_set.in_force_on else "",
                "valid_from_year": criteria_set.valid_from_year,
                "valid_to_year": criteria_set.valid_to_year,
                "target_basis": str(labels["target_basis"][criteria_set.target_basis]),
                "base_set": criteria_set.base_set.code if criteria_set.base_set_id else "",
                "set_note": criteria_set.note,
            }
            first = True
            for criterion in criteria_set.criteria.prefetch_related("indicators__targets").order_by("number"):
                indicators = sorted(criterion.indicators.all(), key=lambda i: (i.position, i.code))
                for indicator in indicators or [None]:
                    values = dict(head) if first else {"code": criteria_set.code}
                    first = False
                    values |= {"number": criterion.number, "criterion_name": criterion.name}
                    if indicator is not None:
                        values |= {
                            "indicator": indicator.code,
                            "text": indicator.text,
                            "unit": indicator.unit,
                            "value_type": str(labels["value_type"][indicator.value_type]),
                            "comparison": str(labels["comparison"][indicator.comparison]),
                        }
                        for target in indicator.targets.all():
                            where = (
                                f"group:{target.commune_group}" if target.commune_group else f"region:{target.region}"
                            )
                            values[where] = target.text or (
                                f"{target.value.normalize():f}".replace(".", ",") if target.value is not None else ""
                            )
                    dataset.append([values.get(c.key, "") for c in columns])
        dataset.ntm_title = self.get_template_title()
        dataset.ntm_number_formats = {}
        return dataset


# --- commune groups ------------------------------------------------------------------------


@register
class CommuneClassificationResource(NtmResource):
    """Each commune's group for a period: `Mã xã`, `Tên xã`, `Nhóm`, `Từ năm`, `Đến năm`, `Căn cứ`, `Ghi chú`."""

    commune = fields.Field(attribute="commune", column_name=_("Mã xã"), widget=UnitWidget(level=UnitLevel.COMMUNE))
    commune_name = fields.Field(column_name=_("Tên xã"), widget=TextWidget(), readonly=True)
    group = fields.Field(
        attribute="group",
        column_name=_("Nhóm xã"),
        widget=ChoiceWidget(
            CommuneGroup,
            aliases={"1": CommuneGroup.GROUP_1, "2": CommuneGroup.GROUP_2, "3": CommuneGroup.GROUP_3}
            | {f"nhom {n}": getattr(CommuneGroup, f"GROUP_{n}") for n in (1, 2, 3)},
        ),
    )
    valid_from_year = fields.Field(
        attribute="valid_from_year", column_name=_("Từ năm"), widget=VNIntegerWidget(2000, 2100)
    )
    valid_to_year = fields.Field(
        attribute="valid_to_year", column_name=_("Đến năm"), widget=VNIntegerWidget(2000, 2100)
    )
    basis = fields.Field(attribute="basis", column_name=_("Căn cứ phân nhóm"), widget=TextWidget(max_length=255))
    note = fields.Field(attribute="note", column_name=_("Ghi chú"), widget=TextWidget())

    class Meta:
        model = CommuneClassification
        import_id_fields = ("commune", "valid_from_year")
        fields = ("commune", "commune_name", "group", "valid_from_year", "valid_to_year", "basis", "note")
        template_slug = "commune-groups"
        template_title = _("Danh sách phân nhóm xã theo Quyết định 51/2025/QĐ-TTg")
        required_columns = (_("Nhóm xã"),)
        header_aliases = {"Mã xã": ["Mã ĐVHC", "Mã đơn vị"], "Nhóm xã": ["Nhóm"], "Căn cứ phân nhóm": ["Căn cứ"]}
        hints = {
            "Mã xã": _("5 chữ số, ví dụ 18769"),
            "Nhóm xã": _("Xã nhóm 1 / 2 / 3"),
            "Từ năm": _("Ví dụ 2026"),
            "Đến năm": _("Để trống: đến nay"),
            "Căn cứ phân nhóm": _("Số, ngày quyết định phân nhóm"),
        }

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self.user = user if getattr(user, "pk", None) else None
        self.periods = {}  # commune id -> [(from, to, row)]
        self.communes = set()

    def import_records(self, row):
        start = row.clean("valid_from_year", required=True)
        end = row.clean("valid_to_year") if row.has("valid_to_year") else None
        days = None
        if start:
            import datetime

            days = (datetime.date(start, 12, 31), datetime.date(start, 1, 1))
        commune = row.clean("commune", required=True, valid_on=days)
        group = row.clean("group", required=True)
        basis = row.clean("basis") if row.has("basis") else ""
        note = row.clean("note") if row.has("note") else ""
        if row.failed:
            return []
        if commune.kind != "xa":
            row.error("commune", services.not_rural_message(commune))
            return []
        if end is not None and end < start:
            row.error("valid_to_year", _("năm kết thúc không được trước năm bắt đầu."))
            return []
        for other_start, other_end, other_row in self.periods.get(commune.pk, []):
            if (other_end is None or other_end >= start) and (end is None or other_start <= end):
                row.error(
                    "valid_from_year",
                    _("thời gian trùng với nhóm của xã {name} ở dòng {row}.").format(name=commune.name, row=other_row),
                )
                return []
        self.periods.setdefault(commune.pk, []).append((start, end, row.number))
        self.communes.add(commune.pk)
        return [
            {
                "commune": commune,
                "group": group,
                "valid_from_year": start,
                "valid_to_year": end,
                "basis": basis or "",
                "note": note or "",
            }
        ]

    def prepare_instance(self, instance, record, *, is_new):
        clash = instance.overlapping().exclude(
            valid_from_year__in=[p[0] for p in self.periods.get(instance.commune_id, [])]
        )
        clash = clash.first()
        if clash is not None:
            raise ValidationError(_("Thời gian này trùng với nhóm đã ghi cho xã: {other}.").format(other=str(clash)))

    def after_import_rows(self, report, *, dry_run):
        if report.errors or not self.communes:
            return
        from criteria.models import CommuneYear as Sheet

        communes = sorted(self.communes)
        sheets = []
        for start in range(0, len(communes), IN_BATCH):
            part = communes[start : start + IN_BATCH]
            sheets += list(
                Sheet.objects.filter(commune_id__in=part, criteria_set__target_basis=TargetBasis.GROUP).select_related(
                    "commune"
                )
            )
        services.commune_years_score(
            commune_years=sheets, user=self.user, reason=_("Chấm lại vì nhóm của xã thay đổi"), strict=False
        )
