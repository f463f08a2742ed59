"""Import templates and exports of the sponsorship records, on the shared spreadsheet engine.

One row of each template, keyed on natural values (never database ids):

* organisations – name (the key), short name, kind, parent organisation, home unit;
* decisions – symbol (the key), type, issuer, date, term, title, province, the decision it amends;
* assignments – decision symbol, organisation (name or short name), commune (code, or name
  with its district: "Hương Liên, Hương Khê"), role, dates, contact officer;
* support-records – decision, organisation, commune (and role if needed) to find the
  assignment, then date, category, quantity, unit, value in đồng, criterion, description,
  and the reason when the date falls outside the assignment's term;
* initiatives, activities, proposals – hanging from an assignment the same way;
* support-categories, initiative-fields – the catalogues;
* ntm-recognitions – decisions recognising (or revoking) a commune's NTM standard.

Every problem is reported with its row and column; nothing is written if one row fails.
The engine writes in bulk without calling `save()`, so `prepare_instance` fills what
`save()` would (normalised text, search keys, default units).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils.translation import gettext_lazy as _
from import_export import fields

from criteria.choices import RecognitionAction, SetLevel
from criteria.models import CriteriaSet, Criterion, Recognition
from divisions.choices import UnitLevel
from divisions.models import AdministrativeUnit
from divisions.widgets import UnitWidget, unit_name_keys
from ntm_site.spreadsheets.errors import CellError, RowError
from ntm_site.spreadsheets.registry import register
from ntm_site.spreadsheets.resources import NtmResource
from ntm_site.spreadsheets.widgets import (
    ChoiceWidget,
    MoneyWidget,
    NaturalKeyWidget,
    TextWidget,
    VNBooleanWidget,
    VNDateWidget,
    VNDecimalWidget,
    VNIntegerWidget,
    is_blank,
)
from ntm_site.text import fold, nfc, search_key
from sponsorship.choices import (
    ActivityKind,
    AssignmentRole,
    DocumentType,
    InitiativeStatus,
    OrganisationKind,
    SupportKind,
)
from sponsorship.models import (
    Activity,
    Assignment,
    Decision,
    Initiative,
    InitiativeField,
    Organisation,
    Proposal,
    SupportCategory,
    SupportRecord,
)
from sponsorship.models.assignments import short_date

DEFERRED = object()  # a reference to a row of the same file, set after every row is in


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


class OrganisationWidget(NaturalKeyWidget):
    """An organisation by its full name or its short name, folded.

    A full name wins over short names that happen to read the same; a short name shared by
    two organisations ("Sở NN&PTNT" of two provinces) is an error naming both.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("cơ quan, đơn vị"))
        super().__init__(Organisation, lookup_fields=("name", "short_name"), **kwargs)

    def _load(self):
        index = defaultdict(list)
        by_name = {}
        for obj in self.get_queryset():
            by_name[fold(obj.name)] = obj
            for key in {fold(obj.name), fold(obj.short_name)} - {""}:
                index[key].append(obj)
        self._by_name = by_name
        self._cache = dict(index)
        return self._cache

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if self._cache is None:
            self._load()
        exact = self._by_name.get(fold(_text(value)))
        return exact if exact is not None else super().clean(value, row=row, **kwargs)


class DecisionWidget(NaturalKeyWidget):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("văn bản (số, ký hiệu)"))
        super().__init__(Decision, lookup_fields=("symbol",), **kwargs)


class CategoryWidget(NaturalKeyWidget):
    """A support category by name or code; an unknown one names a few that exist."""

    def __init__(self, **kwargs):
        super().__init__(SupportCategory, lookup_fields=("name", "code"), label=_("loại hỗ trợ"), **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except CellError:
            names = ", ".join(c.name for c in SupportCategory.objects.all()[:6])
            raise CellError(
                _(
                    "không có trong danh mục loại hỗ trợ (ví dụ: {names}…); thêm loại mới ở trang Danh mục loại hỗ trợ."
                ).format(names=names)
            ) from None


def unit_label(unit) -> str:
    """ "Xã Hương Liên, Huyện Hương Khê": what the name columns export, and read back."""
    return str(unit)


class CommuneColumnsMixin:
    """The commune of a row: "Mã xã" (GSO code) or "Tên xã" (name, optionally ", district"), valid on a day."""

    def clean_commune(self, row, *, valid_on, required=True):
        code, name = row.raw("commune_code"), row.raw("commune_name")
        if is_blank(code) and is_blank(name):
            if required:
                key = (
                    "commune_code" if row.has("commune_code") else ("commune_name" if row.has("commune_name") else None)
                )
                row.error(key, _("cần mã xã hoặc tên xã."))
            return None
        if not is_blank(code):
            unit = row.clean("commune_code", valid_on=valid_on)
            if unit is not None and not is_blank(name):
                first = _text(name).split(",")[0]
                if not (unit_name_keys(first) & unit_name_keys(unit.name)):
                    row.error(
                        "commune_name",
                        _("không khớp với mã xã {code} ({name}).").format(code=unit.code, name=unit.name),
                    )
                    return None
            return unit
        return row.clean("commune_name", valid_on=valid_on)

    def dehydrate_commune_code(self, obj):
        return self.commune_of(obj).code

    def dehydrate_commune_name(self, obj):
        return unit_label(self.commune_of(obj))

    def commune_of(self, obj):
        return obj.commune


def commune_fields():
    return {
        "commune_code": fields.Field(column_name=_("Mã xã"), widget=UnitWidget(level=UnitLevel.COMMUNE)),
        "commune_name": fields.Field(column_name=_("Tên xã"), widget=UnitWidget(level=UnitLevel.COMMUNE)),
    }


COMMON_ALIASES = {
    "Số văn bản": ["Số, ký hiệu văn bản", "Văn bản", "Quyết định", "Số quyết định phân công", "Số QĐ"],
    "Cơ quan, đơn vị": ["Cơ quan", "Đơn vị", "Tên cơ quan", "Đơn vị phụ trách", "Đơn vị đỡ đầu", "Tên đơn vị"],
    "Mã xã": ["Mã ĐVHC", "Mã đơn vị hành chính"],
    "Tên xã": ["Xã", "Xã, phường, thị trấn", "Tên đơn vị hành chính"],
    "Hình thức": ["Hình thức phân công", "Vai trò"],
}
COMMON_HINTS = {
    "Số văn bản": _("Như ghi trên văn bản, ví dụ 140-QĐ/TU"),
    "Cơ quan, đơn vị": _("Tên đầy đủ hoặc tên viết tắt"),
    "Mã xã": _("5 chữ số; hoặc để trống và ghi tên xã"),
    "Tên xã": _("Ví dụ: Hương Liên, Hương Khê"),
    "Hình thức": _("Phụ trách / Đỡ đầu / Kết nghĩa / Giúp đỡ"),
}


# --- catalogues ---------------------------------------------------------------------------


@register
class SupportCategoryResource(NtmResource):
    code = fields.Field(attribute="code", column_name=_("Mã"), widget=TextWidget(max_length=40))
    name = fields.Field(attribute="name", column_name=_("Tên loại hỗ trợ"), widget=TextWidget(max_length=120))
    kind = fields.Field(attribute="kind", column_name=_("Hình thức"), widget=ChoiceWidget(SupportKind))
    default_unit = fields.Field(
        attribute="default_unit", column_name=_("Đơn vị tính"), widget=TextWidget(max_length=30)
    )
    group = fields.Field(attribute="group", column_name=_("Nhóm"), widget=TextWidget(max_length=80))
    ordering = fields.Field(attribute="ordering", column_name=_("Thứ tự"), widget=VNIntegerWidget(min_value=0))

    class Meta:
        model = SupportCategory
        import_id_fields = ("code",)
        fields = ("code", "name", "kind", "default_unit", "group", "ordering")
        export_order = fields
        clean_model_instances = True
        template_slug = "support-categories"
        template_title = _("Danh mục loại hỗ trợ")
        required_columns = (_("Tên loại hỗ trợ"), _("Hình thức"), _("Đơn vị tính"))
        hints = {"Mã": _("chữ thường, không dấu, nối bằng “-”, ví dụ xi-mang"), "Nhóm": _("ví dụ: Nhà ở")}

    def prepare_instance(self, instance, record, *, is_new):
        instance.search_key = search_key(instance.name, instance.group, instance.code.replace("-", " "))


@register
class InitiativeFieldResource(NtmResource):
    code = fields.Field(attribute="code", column_name=_("Mã"), widget=TextWidget(max_length=40))
    name = fields.Field(attribute="name", column_name=_("Tên lĩnh vực"), widget=TextWidget(max_length=160))
    ordering = fields.Field(attribute="ordering", column_name=_("Thứ tự"), widget=VNIntegerWidget(min_value=0))

    class Meta:
        model = InitiativeField
        import_id_fields = ("code",)
        fields = ("code", "name", "ordering")
        export_order = fields
        clean_model_instances = True
        template_slug = "initiative-fields"
        template_title = _("Danh mục lĩnh vực đăng ký mô hình")
        required_columns = (_("Tên lĩnh vực"),)

    def prepare_instance(self, instance, record, *, is_new):
        instance.search_key = search_key(instance.name)


# --- organisations and decisions ----------------------------------------------------------


class SameFileReferenceMixin:
    """A reference to a row written earlier in the same file (a Đảng bộ Khối listed above its chi bộ).

    The widget's index was read before the import began, so such references are set once
    every row is in: `after_import_rows` looks them up again and saves them (with history).
    """

    reference_field = ""  # the model field, e.g. "parent"
    reference_key = ""  # the model field naming a row, e.g. "name"

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self._keys_in_file = set()
        self._deferred = []

    def clean_reference(self, row, key_value):
        """The referenced object; DEFERRED for a same-file reference; None when blank or after an error."""
        raw = row.raw(self.reference_field)
        if is_blank(raw):
            return None
        try:
            return self.fields[self.reference_field].widget.clean(raw, row=row)
        except CellError as e:
            if fold(_text(raw)) in self._keys_in_file:
                self._deferred.append((row.number, row.sheet, key_value, raw))
                return DEFERRED
            row.error(self.reference_field, e.expected, raw)
            return None

    def after_import_rows(self, report, *, dry_run):
        super().after_import_rows(report, dry_run=dry_run)
        if not self._deferred or not report.ok:
            return
        widget = self.fields[self.reference_field].widget
        widget.prepare(self)
        column = str(self.fields[self.reference_field].column_name)
        for number, sheet, key_value, raw in self._deferred:
            obj = self._meta.model.objects.get(**{self.reference_key: key_value})
            try:
                target = widget.clean(raw)
            except CellError as e:
                report.errors.append(RowError(number, e.expected, column=column, value=raw, sheet=sheet))
                report.error_rows.add(number)
                continue
            if getattr(obj, f"{self.reference_field}_id") != target.pk:
                setattr(obj, self.reference_field, target)
                obj.save()


@register
class OrganisationResource(SameFileReferenceMixin, NtmResource):
    name = fields.Field(attribute="name", column_name=_("Tên cơ quan, đơn vị"), widget=TextWidget(max_length=255))
    short_name = fields.Field(attribute="short_name", column_name=_("Tên viết tắt"), widget=TextWidget(max_length=80))
    kind = fields.Field(attribute="kind", column_name=_("Loại"), widget=ChoiceWidget(OrganisationKind))
    parent = fields.Field(attribute="parent", column_name=_("Trực thuộc"), widget=OrganisationWidget())
    home_unit = fields.Field(attribute="home_unit", column_name=_("Địa bàn"), widget=UnitWidget())

    reference_field = "parent"
    reference_key = "name"

    class Meta:
        model = Organisation
        import_id_fields = ("name",)
        fields = ("name", "short_name", "kind", "parent", "home_unit")
        export_order = fields
        template_slug = "organisations"
        template_title = _("Danh sách cơ quan, đơn vị, doanh nghiệp")
        required_columns = (_("Loại"),)
        header_aliases = {
            "Tên cơ quan, đơn vị": ["Tên cơ quan", "Tên đơn vị", "Cơ quan, đơn vị", "Tên doanh nghiệp"],
            "Tên viết tắt": ["Viết tắt", "Tên gọi tắt"],
            "Loại": ["Loại hình", "Loại cơ quan"],
            "Trực thuộc": ["Cấp trên", "Thuộc"],
            "Địa bàn": ["Tỉnh", "Trụ sở", "Mã tỉnh"],
        }
        hints = {
            "Tên cơ quan, đơn vị": _("Tên đầy đủ, không trùng; ghi cả tên tỉnh nếu cần phân biệt"),
            "Loại": _("Chọn trong danh sách"),
            "Trực thuộc": _("Tên (hoặc tên viết tắt) của tổ chức cấp trên, nếu có"),
            "Địa bàn": _("Mã hoặc tên tỉnh/huyện nơi đóng trụ sở"),
        }

    def import_records(self, row):
        name = row.clean("name", required=True)
        record = {"name": name}
        for key in ("short_name", "kind", "home_unit"):
            if row.has(key):
                record[key] = row.clean(key, required=key == "kind")
        if row.has("parent"):
            parent = self.clean_reference(row, name)
            if parent is not DEFERRED:
                record["parent"] = parent
        if name:
            self._keys_in_file.add(fold(name))
            if record.get("short_name"):
                self._keys_in_file.add(fold(record["short_name"]))
        return [record]

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self._rekeyed = set()

    def prepare_instance(self, instance, record, *, is_new):
        key = search_key(instance.name, instance.short_name)
        if not is_new and key != instance.search_key:
            self._rekeyed.add(instance.pk)
        instance.search_key = key

    def after_import_rows(self, report, *, dry_run):
        super().after_import_rows(report, dry_run=dry_run)
        if report.ok and self._rekeyed:
            # Assignments carry their organisation's names in their own search key.
            Assignment.objects.filter(organisation__in=self._rekeyed).refresh_search_keys()


@register
class DecisionResource(SameFileReferenceMixin, NtmResource):
    symbol = fields.Field(attribute="symbol", column_name=_("Số, ký hiệu"), widget=TextWidget(max_length=60))
    document_type = fields.Field(
        attribute="document_type", column_name=_("Loại văn bản"), widget=ChoiceWidget(DocumentType)
    )
    issuer = fields.Field(attribute="issuer", column_name=_("Cơ quan ban hành"), widget=TextWidget(max_length=255))
    issued_on = fields.Field(attribute="issued_on", column_name=_("Ngày ban hành"), widget=VNDateWidget())
    term_from_year = fields.Field(
        attribute="term_from_year", column_name=_("Giai đoạn từ năm"), widget=VNIntegerWidget(1990, 2100)
    )
    term_to_year = fields.Field(
        attribute="term_to_year", column_name=_("Giai đoạn đến năm"), widget=VNIntegerWidget(1990, 2100)
    )
    title = fields.Field(attribute="title", column_name=_("Trích yếu"), widget=TextWidget(max_length=500))
    province = fields.Field(attribute="province", column_name=_("Tỉnh"), widget=UnitWidget(level=UnitLevel.PROVINCE))
    amends = fields.Field(attribute="amends", column_name=_("Sửa đổi, bổ sung văn bản"), widget=DecisionWidget())

    reference_field = "amends"
    reference_key = "symbol"

    class Meta:
        model = Decision
        import_id_fields = ("symbol",)
        fields = (
            "symbol",
            "document_type",
            "issuer",
            "issued_on",
            "term_from_year",
            "term_to_year",
            "title",
            "province",
            "amends",
        )
        export_order = fields
        template_slug = "decisions"
        template_title = _("Danh sách văn bản phân công phụ trách, đỡ đầu xã")
        required_columns = (_("Loại văn bản"), _("Cơ quan ban hành"), _("Ngày ban hành"), _("Trích yếu"))
        header_aliases = {
            "Số, ký hiệu": ["Số văn bản", "Số hiệu", "Số, ký hiệu văn bản", "Số quyết định"],
            "Loại văn bản": ["Loại"],
            "Cơ quan ban hành": ["Nơi ban hành", "Cơ quan ban hành văn bản"],
            "Ngày ban hành": ["Ngày", "Ngày ký"],
            "Trích yếu": ["Nội dung", "Trích yếu nội dung"],
            "Sửa đổi, bổ sung văn bản": ["Sửa đổi văn bản", "Thay thế văn bản", "Bổ sung văn bản"],
        }
        hints = {
            "Số, ký hiệu": _("Ví dụ: 140-QĐ/TU"),
            "Ngày ban hành": _("ngày/tháng/năm"),
            "Giai đoạn từ năm": _("Ví dụ: 2016"),
            "Giai đoạn đến năm": _("Ví dụ: 2020"),
            "Tỉnh": _("Mã hoặc tên tỉnh"),
            "Sửa đổi, bổ sung văn bản": _("Số, ký hiệu của văn bản gốc, nếu có"),
        }

    def import_records(self, row):
        symbol = row.clean("symbol", required=True)
        issued_on = row.clean("issued_on", required=True)
        record = {"symbol": symbol, "issued_on": issued_on}
        for key in ("document_type", "issuer", "title"):
            record[key] = row.clean(key, required=True)
        for key in ("term_from_year", "term_to_year"):
            if row.has(key):
                record[key] = row.clean(key)
        start, end = record.get("term_from_year"), record.get("term_to_year")
        if start and end and end < start:
            row.error(
                "term_to_year", _("năm kết thúc giai đoạn không được trước năm bắt đầu ({year}).").format(year=start)
            )
        if row.has("province"):
            record["province"] = row.clean("province", valid_on=issued_on)
        if row.has("amends"):
            amends = self.clean_reference(row, symbol)
            if amends is not DEFERRED:
                if amends is not None and amends.symbol == symbol:
                    row.error("amends", _("văn bản không thể sửa đổi chính nó."))
                record["amends"] = amends
        if symbol:
            self._keys_in_file.add(fold(symbol))
        return [record]

    def prepare_instance(self, instance, record, *, is_new):
        instance.search_key = search_key(instance.symbol, instance.title, instance.issuer)


# --- assignments and what hangs from them -----------------------------------------------


@register
class AssignmentResource(CommuneColumnsMixin, NtmResource):
    decision = fields.Field(attribute="decision", column_name=_("Số văn bản"), widget=DecisionWidget())
    organisation = fields.Field(attribute="organisation", column_name=_("Cơ quan, đơn vị"), widget=OrganisationWidget())
    commune_code = commune_fields()["commune_code"]
    commune_name = commune_fields()["commune_name"]
    role = fields.Field(attribute="role", column_name=_("Hình thức"), widget=ChoiceWidget(AssignmentRole))
    start_date = fields.Field(attribute="start_date", column_name=_("Từ ngày"), widget=VNDateWidget())
    end_date = fields.Field(attribute="end_date", column_name=_("Đến ngày"), widget=VNDateWidget())
    contact_officer = fields.Field(
        attribute="contact_officer", column_name=_("Cán bộ đầu mối"), widget=TextWidget(max_length=255)
    )

    class Meta:
        model = Assignment
        import_id_fields = ("decision", "organisation", "commune", "role")
        fields = (
            "decision",
            "organisation",
            "commune_code",
            "commune_name",
            "role",
            "start_date",
            "end_date",
            "contact_officer",
        )
        export_order = fields
        template_slug = "assignments"
        template_title = _("Danh sách phân công cơ quan, đơn vị phụ trách, đỡ đầu xã")
        header_aliases = {**COMMON_ALIASES, "Từ ngày": ["Ngày bắt đầu"], "Đến ngày": ["Ngày kết thúc"]}
        hints = {
            **COMMON_HINTS,
            "Từ ngày": _("Để trống: từ đầu thời hạn văn bản"),
            "Đến ngày": _("Để trống: đến hết thời hạn văn bản"),
        }

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self._existing = set(Assignment.objects.values_list("decision_id", "organisation_id", "commune_id", "role"))
        self._unit_keys = {}

    def import_records(self, row):
        decision = row.clean("decision", required=True)
        organisation = row.clean("organisation", required=True)
        role = row.clean("role", required=True)
        start = row.clean("start_date") if row.has("start_date") else None
        end = row.clean("end_date") if row.has("end_date") else None
        day = start or (decision.term_start if decision is not None else None)
        commune = self.clean_commune(row, valid_on=day)
        if start and end and end < start:
            row.error("end_date", _("không được trước ngày bắt đầu ({day}).").format(day=short_date(start)))
        if decision is not None and commune is not None and organisation is not None and role:
            is_new = (decision.pk, organisation.pk, commune.pk, role) not in self._existing
            if start and decision.has_ended_on(start):
                row.error(
                    "start_date",
                    _("sau khi văn bản {symbol} hết thời hạn ({term}).").format(
                        symbol=decision.symbol, term=decision.term_label
                    ),
                )
            elif is_new and start is None and decision.has_ended_on(datetime.date.today()):
                row.error(
                    "decision",
                    _(
                        "văn bản {symbol} đã hết thời hạn ({term}): không phân công mới theo văn bản này; "
                        "nếu ghi lại phân công của giai đoạn đó, hãy ghi “Từ ngày”."
                    ).format(symbol=decision.symbol, term=decision.term_label),
                )
        record = {"decision": decision, "organisation": organisation, "commune": commune, "role": role}
        for key, value in (("start_date", start), ("end_date", end)):
            if row.has(key):
                record[key] = value
        if row.has("contact_officer"):
            record["contact_officer"] = row.clean("contact_officer")
        return [record]

    def prepare_chunk(self, records, *, engine):
        wanted = {r["commune"].pk for r in records if r.get("commune") is not None} - self._unit_keys.keys()
        self._unit_keys.update(AdministrativeUnit.objects.filter(pk__in=wanted).values_list("pk", "search_key"))

    def prepare_instance(self, instance, record, *, is_new):
        organisation, decision = record["organisation"], record["decision"]
        own = search_key(organisation.name, organisation.short_name, decision.symbol)
        instance.search_key = own + self._unit_keys.get(instance.commune_id, "")

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("decision", "organisation", "commune__parent")


class AssignmentLookupMixin(CommuneColumnsMixin):
    """Finds the assignment a row hangs from: decision + organisation + commune (+ role when ambiguous)."""

    # A refusal of the assignment (outside the clerk's scope) is shown at the organisation column.
    columns_of_attributes = {"assignment": "organisation"}

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        index = defaultdict(list)
        rows = Assignment.objects.values_list(
            "pk", "decision_id", "organisation_id", "commune_id", "role", "start_date", "end_date"
        )
        for pk, decision_id, organisation_id, commune_id, role, start, end in rows:
            index[(decision_id, organisation_id, commune_id)].append((pk, role, start, end))
        self._assignments = index

    def find_assignment(self, row, *, day, day_key=None):
        """(assignment pk, decision, its term start, its term end) or None after recording the problem."""
        decision = row.clean("decision", required=True)
        organisation = row.clean("organisation", required=True)
        role = row.clean("role") if row.has("role") else None
        valid_on = day or (decision.term_start if decision is not None else None)
        commune = self.clean_commune(row, valid_on=valid_on)
        if decision is None or organisation is None or commune is None:
            return None
        candidates = self._assignments.get((decision.pk, organisation.pk, commune.pk), [])
        if role:
            candidates = [c for c in candidates if c[1] == role]
        if not candidates:
            row.error(
                None,
                _("không có phân công nào của “{organisation}” với {commune} theo văn bản {symbol}{role}.").format(
                    organisation=organisation.label,
                    commune=commune.name,
                    symbol=decision.symbol,
                    role=_(" (hình thức {role})").format(role=AssignmentRole(role).label) if role else "",
                ),
            )
            return None
        if len(candidates) > 1:
            roles = ", ".join(str(AssignmentRole(c[1]).label) for c in candidates)
            row.error(
                "role",
                _("đơn vị có {n} phân công với xã này ({roles}): ghi rõ hình thức.").format(
                    n=len(candidates), roles=roles
                ),
            )
            return None
        pk, _role, start, end = candidates[0]
        return pk, decision, start or decision.term_start, end or decision.term_end

    def commune_of(self, obj):
        return obj.assignment.commune

    def dehydrate_decision(self, obj):
        return obj.assignment.decision.symbol

    def dehydrate_organisation(self, obj):
        return obj.assignment.organisation.name

    def dehydrate_role(self, obj):
        return obj.assignment.get_role_display()


def assignment_lookup_fields():
    return {
        "decision": fields.Field(column_name=_("Số văn bản"), widget=DecisionWidget()),
        "organisation": fields.Field(column_name=_("Cơ quan, đơn vị"), widget=OrganisationWidget()),
        **commune_fields(),
        "role": fields.Field(column_name=_("Hình thức"), widget=ChoiceWidget(AssignmentRole)),
    }


LOOKUP_COLUMNS = ("decision", "organisation", "commune_code", "commune_name", "role")
LOOKUP_REQUIRED = (_("Số văn bản"), _("Cơ quan, đơn vị"))


def outside_term(day, start, end) -> bool:
    return day is not None and (day < start or (end is not None and day > end))


@register
class SupportRecordResource(AssignmentLookupMixin, NtmResource):
    decision, organisation, commune_code, commune_name, role = assignment_lookup_fields().values()
    date = fields.Field(attribute="date", column_name=_("Ngày hỗ trợ"), widget=VNDateWidget())
    category = fields.Field(attribute="category", column_name=_("Loại hỗ trợ"), widget=CategoryWidget())
    quantity = fields.Field(attribute="quantity", column_name=_("Số lượng"), widget=VNDecimalWidget(decimal_places=2))
    unit = fields.Field(attribute="unit", column_name=_("Đơn vị tính"), widget=TextWidget(max_length=30))
    value_vnd = fields.Field(attribute="value_vnd", column_name=_("Giá trị (đồng)"), widget=MoneyWidget(min_value=None))
    criterion = fields.Field(column_name=_("Tiêu chí"), widget=VNIntegerWidget(min_value=1, max_value=19))
    description = fields.Field(attribute="description", column_name=_("Nội dung"), widget=TextWidget())
    outside_term_reason = fields.Field(
        attribute="outside_term_reason", column_name=_("Lý do ngoài thời hạn"), widget=TextWidget(max_length=255)
    )

    class Meta:
        model = SupportRecord
        import_id_fields = ("assignment", "date", "category")
        fields = (
            *LOOKUP_COLUMNS,
            "date",
            "category",
            "quantity",
            "unit",
            "value_vnd",
            "criterion",
            "description",
            "outside_term_reason",
        )
        export_order = fields
        template_slug = "support-records"
        template_title = _("Kết quả hỗ trợ xã của các cơ quan, đơn vị, doanh nghiệp")
        required_columns = LOOKUP_REQUIRED
        header_aliases = {
            **COMMON_ALIASES,
            "Ngày hỗ trợ": ["Ngày", "Thời gian"],
            "Loại hỗ trợ": ["Nội dung hỗ trợ", "Hạng mục", "Loại"],
            "Số lượng": ["SL"],
            "Đơn vị tính": ["ĐVT", "Đơn vị"],
            "Giá trị (đồng)": ["Giá trị", "Thành tiền", "Số tiền", "Kinh phí", "Trị giá"],
            "Tiêu chí": ["Phục vụ tiêu chí", "Tiêu chí số"],
            "Nội dung": ["Ghi chú", "Diễn giải"],
            "Lý do ngoài thời hạn": ["Lý do"],
        }
        hints = {
            **COMMON_HINTS,
            "Hình thức": _("Chỉ cần khi đơn vị có hai phân công với xã"),
            "Ngày hỗ trợ": _("ngày/tháng/năm"),
            "Loại hỗ trợ": _("Theo danh mục, ví dụ Xi măng"),
            "Đơn vị tính": _("Để trống: đơn vị mặc định của loại hỗ trợ"),
            "Giá trị (đồng)": _("Số đồng, ví dụ 10.000.000"),
            "Tiêu chí": _("Số tiêu chí NTM 1–19 (không bắt buộc)"),
            "Lý do ngoài thời hạn": _("Bắt buộc nếu ngày hỗ trợ ngoài thời hạn phân công"),
        }

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        sets = CriteriaSet.objects.filter(level=SetLevel.COMMUNE, is_national=True).order_by("valid_from_year")
        self._sets = list(sets.values_list("pk", "valid_from_year", "valid_to_year", "name"))
        self._criteria = {
            (s, n): pk
            for pk, s, n in Criterion.objects.filter(criteria_set__in=sets).values_list("pk", "criteria_set", "number")
        }

    def criterion_for(self, row, number, day):
        if number is None or day is None:
            return None
        for set_id, first, last, name in self._sets:
            if first <= day.year and (last is None or day.year <= last):
                pk = self._criteria.get((set_id, number))
                if pk is None:
                    row.error("criterion", _("{set} không có tiêu chí số {n}.").format(set=name, n=number))
                return pk
        row.error("criterion", _("không có bộ tiêu chí quốc gia nào áp dụng năm {year}.").format(year=day.year))
        return None

    def import_records(self, row):
        day = row.clean("date", required=True)
        category = row.clean("category", required=True)
        found = self.find_assignment(row, day=day)
        record = {"date": day, "category": category, "assignment": found[0] if found else None}
        # A column left out of the file leaves that field of an existing record as it was.
        if row.has("quantity"):
            record["quantity"] = row.clean("quantity")
            if record["quantity"] is not None and record["quantity"] < 0:
                row.error("quantity", _("số lượng không được âm."))
        if row.has("value_vnd"):
            value = row.clean("value_vnd")
            if value is not None and value < 0:
                row.error("value_vnd", _("giá trị không được âm."))
            record["value_vnd"] = value or 0
        reason = row.clean("outside_term_reason") if row.has("outside_term_reason") else ""
        if row.has("outside_term_reason"):
            record["outside_term_reason"] = reason
        if found is not None:
            _pk, _decision, start, end = found
            if outside_term(day, start, end) and not reason:
                row.error(
                    "date",
                    _(
                        "ngày hỗ trợ nằm ngoài thời hạn phân công ({start} – {end}); ghi lý do vào cột "
                        "“Lý do ngoài thời hạn” nếu đúng là như vậy."
                    ).format(start=short_date(start), end=short_date(end)),
                )
        if row.has("unit"):
            record["unit"] = row.clean("unit")
        if row.has("criterion"):
            record["criterion_id"] = self.criterion_for(row, row.clean("criterion"), day)
        if row.has("description"):
            record["description"] = row.clean("description")
        return [record]

    def prepare_instance(self, instance, record, *, is_new):
        if not instance.unit and record.get("category") is not None:
            instance.unit = record["category"].default_unit

    def dehydrate_criterion(self, obj):
        return obj.criterion.number if obj.criterion_id else ""

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related(
                "assignment__decision",
                "assignment__organisation",
                "assignment__commune__parent",
                "category",
                "criterion",
            )
        )


@register
class InitiativeResource(AssignmentLookupMixin, NtmResource):
    decision, organisation, commune_code, commune_name, role = assignment_lookup_fields().values()
    field = fields.Field(
        attribute="field",
        column_name=_("Lĩnh vực"),
        widget=NaturalKeyWidget(InitiativeField, lookup_fields=("name", "code"), label=_("lĩnh vực")),
    )
    title = fields.Field(attribute="title", column_name=_("Tên mô hình, việc làm"), widget=TextWidget(max_length=500))
    registered_on = fields.Field(attribute="registered_on", column_name=_("Ngày đăng ký"), widget=VNDateWidget())
    status = fields.Field(attribute="status", column_name=_("Tình trạng"), widget=ChoiceWidget(InitiativeStatus))
    result = fields.Field(attribute="result", column_name=_("Kết quả"), widget=TextWidget())

    class Meta:
        model = Initiative
        import_id_fields = ("assignment", "field", "title")
        fields = (*LOOKUP_COLUMNS, "field", "title", "registered_on", "status", "result")
        export_order = fields
        template_slug = "initiatives"
        template_title = _("Mô hình, việc làm cụ thể đăng ký theo lĩnh vực")
        required_columns = LOOKUP_REQUIRED
        header_aliases = {
            **COMMON_ALIASES,
            "Tên mô hình, việc làm": ["Mô hình, việc làm", "Tên mô hình", "Mô hình"],
            "Ngày đăng ký": ["Ngày"],
        }
        hints = {
            **COMMON_HINTS,
            "Hình thức": _("Chỉ cần khi đơn vị có hai phân công với xã"),
            "Lĩnh vực": _("Theo danh mục lĩnh vực"),
            "Tình trạng": _("Để trống: Đã đăng ký"),
        }

    def import_records(self, row):
        registered_on = row.clean("registered_on") if row.has("registered_on") else None
        found = self.find_assignment(row, day=registered_on)
        record = {
            "field": row.clean("field", required=True),
            "title": row.clean("title", required=True),
            "assignment": found[0] if found else None,
        }
        if row.has("registered_on"):
            record["registered_on"] = registered_on
        if row.has("status"):
            record["status"] = row.clean("status") or InitiativeStatus.REGISTERED
        if row.has("result"):
            record["result"] = row.clean("result")
        return [record]

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related("assignment__decision", "assignment__organisation", "assignment__commune__parent", "field")
        )


@register
class ActivityResource(AssignmentLookupMixin, NtmResource):
    decision, organisation, commune_code, commune_name, role = assignment_lookup_fields().values()
    date = fields.Field(attribute="date", column_name=_("Ngày"), widget=VNDateWidget())
    kind = fields.Field(attribute="kind", column_name=_("Hình thức hoạt động"), widget=ChoiceWidget(ActivityKind))
    participants = fields.Field(
        attribute="participants", column_name=_("Thành phần đi"), widget=TextWidget(max_length=500)
    )
    summary = fields.Field(attribute="summary", column_name=_("Nội dung làm việc"), widget=TextWidget())

    class Meta:
        model = Activity
        import_id_fields = ("assignment", "date", "kind")
        fields = (*LOOKUP_COLUMNS, "date", "kind", "participants", "summary")
        export_order = fields
        template_slug = "activities"
        template_title = _("Hoạt động của cơ quan, đơn vị với xã (đi thực tế, làm việc, báo cáo)")
        required_columns = LOOKUP_REQUIRED
        header_aliases = {
            **COMMON_ALIASES,
            "Ngày": ["Ngày làm việc", "Thời gian"],
            "Hình thức hoạt động": ["Hoạt động", "Loại hoạt động"],
            "Thành phần đi": ["Thành phần", "Người đi"],
            "Nội dung làm việc": ["Nội dung", "Kết quả làm việc"],
        }
        hints = {**COMMON_HINTS, "Hình thức": _("Chỉ cần khi đơn vị có hai phân công với xã")}

    def import_records(self, row):
        day = row.clean("date", required=True)
        found = self.find_assignment(row, day=day)
        if found is not None and outside_term(day, found[2], found[3]):
            row.error(
                "date",
                _("ngày nằm ngoài thời hạn phân công ({start} – {end}).").format(
                    start=short_date(found[2]), end=short_date(found[3])
                ),
            )
        record = {"date": day, "kind": row.clean("kind", required=True), "assignment": found[0] if found else None}
        for key in ("participants", "summary"):
            if row.has(key):
                record[key] = row.clean(key)
        return [record]

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related("assignment__decision", "assignment__organisation", "assignment__commune__parent")
        )


@register
class ProposalResource(AssignmentLookupMixin, NtmResource):
    """Proposals, found through their activity: the assignment's columns plus the activity's day and kind."""

    decision, organisation, commune_code, commune_name, role = assignment_lookup_fields().values()
    activity_date = fields.Field(column_name=_("Ngày làm việc"), widget=VNDateWidget())
    activity_kind = fields.Field(column_name=_("Hình thức hoạt động"), widget=ChoiceWidget(ActivityKind))
    text = fields.Field(attribute="text", column_name=_("Nội dung kiến nghị"), widget=TextWidget())
    addressee = fields.Field(attribute="addressee", column_name=_("Cơ quan trả lời"), widget=OrganisationWidget())
    resolved = fields.Field(attribute="resolved", column_name=_("Đã giải quyết"), widget=VNBooleanWidget())
    resolved_on = fields.Field(attribute="resolved_on", column_name=_("Ngày giải quyết"), widget=VNDateWidget())
    answer = fields.Field(attribute="answer", column_name=_("Trả lời, kết quả"), widget=TextWidget())

    class Meta:
        model = Proposal
        import_id_fields = ("activity", "text")
        fields = (
            *LOOKUP_COLUMNS,
            "activity_date",
            "activity_kind",
            "text",
            "addressee",
            "resolved",
            "resolved_on",
            "answer",
        )
        export_order = fields
        template_slug = "proposals"
        template_title = _("Kiến nghị, đề xuất của xã và việc trả lời")
        required_columns = (*LOOKUP_REQUIRED, _("Ngày làm việc"), _("Hình thức hoạt động"))
        header_aliases = COMMON_ALIASES
        hints = COMMON_HINTS

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self._activities = {
            (assignment, day, kind): pk
            for pk, assignment, day, kind in Activity.objects.values_list("pk", "assignment_id", "date", "kind")
        }

    def import_records(self, row):
        day = row.clean("activity_date", required=True)
        kind = row.clean("activity_kind", required=True)
        found = self.find_assignment(row, day=day)
        activity = None
        if found is not None and day and kind:
            activity = self._activities.get((found[0], day, kind))
            if activity is None:
                row.error(
                    "activity_date", _("không có hoạt động nào ngày này với hình thức này; nhập hoạt động trước.")
                )
        resolved = bool(row.clean("resolved")) if row.has("resolved") else False
        resolved_on = row.clean("resolved_on") if row.has("resolved_on") else None
        if resolved_on and not resolved:
            row.error("resolved_on", _("kiến nghị chưa giải quyết thì không có ngày giải quyết."))
        record = {"activity": activity, "text": row.clean("text", required=True), "resolved": resolved}
        for key, value in (("resolved_on", resolved_on),):
            if row.has(key):
                record[key] = value
        for key in ("addressee", "answer"):
            if row.has(key):
                record[key] = row.clean(key)
        return [record]

    def commune_of(self, obj):
        return obj.activity.assignment.commune

    def dehydrate_decision(self, obj):
        return obj.activity.assignment.decision.symbol

    def dehydrate_organisation(self, obj):
        return obj.activity.assignment.organisation.name

    def dehydrate_role(self, obj):
        return obj.activity.assignment.get_role_display()

    def dehydrate_activity_date(self, obj):
        return obj.activity.date

    def dehydrate_activity_kind(self, obj):
        return obj.activity.get_kind_display()

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related(
                "activity__assignment__decision",
                "activity__assignment__organisation",
                "activity__assignment__commune__parent",
                "addressee",
            )
        )


# --- recognitions (criteria.Recognition) ----------------------------------------------------


@register
class RecognitionResource(CommuneColumnsMixin, NtmResource):
    """Decisions recognising (or revoking) a commune's NTM standard.

    Lives here until the criteria app has its own recognitions template (then the demo file
    moves to it); the set defaults to the national commune set in force in the decision's year.
    """

    commune_code, commune_name = commune_fields().values()
    criteria_set = fields.Field(
        attribute="criteria_set",
        column_name=_("Bộ tiêu chí"),
        widget=NaturalKeyWidget(CriteriaSet, lookup_fields=("code", "name"), label=_("bộ tiêu chí")),
    )
    action = fields.Field(attribute="action", column_name=_("Nội dung"), widget=ChoiceWidget(RecognitionAction))
    decision_number = fields.Field(
        attribute="decision_number", column_name=_("Số quyết định"), widget=TextWidget(max_length=60)
    )
    decision_date = fields.Field(attribute="decision_date", column_name=_("Ngày quyết định"), widget=VNDateWidget())
    issuer = fields.Field(attribute="issuer", column_name=_("Cơ quan ban hành"), widget=TextWidget(max_length=255))
    year = fields.Field(attribute="year", column_name=_("Năm đạt chuẩn"), widget=VNIntegerWidget(2000, 2100))

    class Meta:
        model = Recognition
        import_id_fields = ("commune", "criteria_set", "action", "decision_number")
        fields = (
            "commune_code",
            "commune_name",
            "criteria_set",
            "action",
            "decision_number",
            "decision_date",
            "issuer",
            "year",
        )
        export_order = fields
        template_slug = "ntm-recognitions"
        template_title = _("Quyết định công nhận (thu hồi) xã đạt chuẩn nông thôn mới")
        required_columns = (_("Ngày quyết định"),)
        header_aliases = {
            "Mã xã": ["Mã ĐVHC"],
            "Tên xã": ["Xã"],
            "Số quyết định": ["Số QĐ", "Số, ký hiệu"],
            "Ngày quyết định": ["Ngày", "Ngày ký"],
            "Năm đạt chuẩn": ["Năm"],
        }
        hints = {
            "Bộ tiêu chí": _("Để trống: bộ tiêu chí quốc gia áp dụng năm quyết định"),
            "Nội dung": _("Công nhận đạt chuẩn / Thu hồi công nhận"),
            "Năm đạt chuẩn": _("Để trống: năm của ngày quyết định"),
        }

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self._sets = list(
            CriteriaSet.objects.filter(level=SetLevel.COMMUNE, is_national=True).order_by("valid_from_year")
        )

    def import_records(self, row):
        day = row.clean("decision_date", required=True)
        commune = self.clean_commune(row, valid_on=day)
        criteria_set = row.clean("criteria_set") if row.has("criteria_set") else None
        if criteria_set is None and day is not None:
            criteria_set = next((s for s in self._sets if s.covers_year(day.year)), None)
            if criteria_set is None:
                row.error(
                    "decision_date", _("không có bộ tiêu chí quốc gia nào áp dụng năm {year}.").format(year=day.year)
                )
        year = row.clean("year") if row.has("year") else None
        record = {
            "commune": commune,
            "criteria_set": criteria_set,
            "action": row.clean("action") if row.has("action") else None,
            "decision_number": row.clean("decision_number", required=True),
            "decision_date": day,
            "year": year or (day.year if day else None),
        }
        record["action"] = record["action"] or RecognitionAction.RECOGNISE
        if row.has("issuer"):
            record["issuer"] = row.clean("issuer")
        return [record]

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("commune__parent", "criteria_set")


__all__ = [
    "ActivityResource",
    "AssignmentResource",
    "DecisionResource",
    "InitiativeFieldResource",
    "InitiativeResource",
    "OrganisationResource",
    "ProposalResource",
    "RecognitionResource",
    "SupportCategoryResource",
    "SupportRecordResource",
]
