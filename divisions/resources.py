"""Import and export of administrative units.

The official lists come from `load_divisions`; this resource adds units that existed
earlier and are in neither list (a commune of 2016 merged in 2019), keyed by code and
the date their validity starts, their parent given by code.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields

from divisions.choices import LEVEL_OF_KIND, Edition, UnitKind
from divisions.models import AdministrativeUnit
from divisions.widgets import UnitWidget
from ntm_site.spreadsheets.registry import register
from ntm_site.spreadsheets.resources import NtmResource
from ntm_site.spreadsheets.widgets import ChoiceWidget, CodeWidget, TextWidget, VNDateWidget
from ntm_site.text import nfc, search_key


@register
class AdministrativeUnitResource(NtmResource):
    code = fields.Field(
        attribute="code",
        column_name=_("Mã đơn vị"),
        widget=CodeWidget(max_length=8, pattern=r"^\d{2,8}$", pattern_message=_("cần mã số của Tổng cục Thống kê.")),
    )
    name = fields.Field(attribute="name", column_name=_("Tên đơn vị"), widget=TextWidget(max_length=120))
    kind = fields.Field(attribute="kind", column_name=_("Loại"), widget=ChoiceWidget(UnitKind))
    parent = fields.Field(attribute="parent", column_name=_("Mã đơn vị cấp trên"), widget=UnitWidget())
    valid_from = fields.Field(attribute="valid_from", column_name=_("Hiệu lực từ"), widget=VNDateWidget())
    valid_to = fields.Field(attribute="valid_to", column_name=_("Hiệu lực đến"), widget=VNDateWidget())

    class Meta:
        model = AdministrativeUnit
        import_id_fields = ("code", "valid_from")
        fields = ("code", "name", "kind", "parent", "valid_from", "valid_to")
        export_order = fields
        clean_model_instances = True
        template_slug = "units"
        template_title = _("Danh mục đơn vị hành chính")
        required_columns = (_("Tên đơn vị"), _("Loại"))
        header_aliases = {
            "Mã đơn vị": ["Mã ĐVHC", "Mã", "Mã xã", "Mã số"],
            "Tên đơn vị": ["Tên", "Tên ĐVHC", "Tên xã"],
            "Loại": ["Loại đơn vị", "Cấp"],
            "Mã đơn vị cấp trên": ["Mã cấp trên", "Mã huyện", "Đơn vị cấp trên"],
            "Hiệu lực từ": ["Từ ngày", "Ngày hiệu lực"],
            "Hiệu lực đến": ["Đến ngày", "Ngày hết hiệu lực"],
        }
        hints = {
            "Mã đơn vị": _("Mã TCTK: tỉnh 2 số, huyện 3 số, xã 5 số"),
            "Tên đơn vị": _("Ví dụ: Xã Hương Liên"),
            "Loại": _("Chọn trong danh sách"),
            "Mã đơn vị cấp trên": _("Mã huyện (hoặc tỉnh) chứa đơn vị"),
            "Hiệu lực từ": _("ngày/tháng/năm; để trống: có từ trước"),
            "Hiệu lực đến": _("ngày/tháng/năm; để trống: còn hiệu lực"),
        }

    def import_records(self, row):
        valid_from = row.clean("valid_from")
        # The parent is the unit of that code that existed when this one started.
        day = valid_from or row.clean("valid_to") or datetime.date(2000, 1, 1)
        record = {
            "code": row.clean("code", required=True),
            "name": row.clean("name", required=True),
            "kind": row.clean("kind", required=True),
            "valid_from": valid_from,
            "valid_to": row.clean("valid_to"),
        }
        if row.has("parent"):
            record["parent"] = row.clean("parent", valid_on=day)
        return [record]

    def prepare_instance(self, instance, record, *, is_new):
        if not is_new and instance.edition != Edition.MANUAL:
            raise ValidationError(
                _("đơn vị này thuộc danh mục chính thức ({edition}): không sửa bằng cách nhập tệp.").format(
                    edition=instance.get_edition_display()
                )
            )
        instance.name = nfc(instance.name)
        instance.level = LEVEL_OF_KIND.get(instance.kind, instance.level)
        parent = record.get("parent") if "parent" in record else (instance.parent if instance.parent_id else None)
        if parent is not None and parent.level >= instance.level:
            raise ValidationError({"parent": _("đơn vị cấp trên phải ở cấp cao hơn.")})
        instance.province_id = (parent.province_id or parent.pk) if parent is not None else None
        names = [instance.name]
        if parent is not None:
            names.append(parent.name)
            if parent.parent_id:
                names.append(parent.parent.name)
        instance.search_key = search_key(*names, instance.code)
