from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.IntegerChoices):
    PROVINCE = 1, _("Cấp tỉnh")
    DISTRICT = 2, _("Cấp huyện")
    COMMUNE = 3, _("Cấp xã")


class UnitKind(models.TextChoices):
    PROVINCE = "tinh", _("Tỉnh")
    CENTRAL_CITY = "tp_tw", _("Thành phố trực thuộc Trung ương")
    RURAL_DISTRICT = "huyen", _("Huyện")
    URBAN_DISTRICT = "quan", _("Quận")
    TOWN = "thi_xa", _("Thị xã")
    PROVINCIAL_CITY = "tp_tinh", _("Thành phố thuộc tỉnh")
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    TOWNLET = "thi_tran", _("Thị trấn")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")


class Edition(models.TextChoices):
    """Which list a unit comes from."""

    LEGACY = "legacy", _("Trước 01/07/2025 (63 tỉnh)")
    REFORM_2025 = "2025", _("Từ 01/07/2025 (34 tỉnh)")
    MANUAL = "manual", _("Bổ sung thủ công")


# The heading a unit is offered under wherever units of several editions meet (pickers, filters): as criteria
# are listed under their set. A list (not a dict) because the order is the order pickers show them in.
EDITION_HEADINGS = [
    (Edition.REFORM_2025, _("Bản đồ hành chính từ 01/07/2025")),
    (Edition.LEGACY, _("Bản đồ hành chính trước 01/07/2025")),
    (Edition.MANUAL, _("Đơn vị bổ sung thủ công")),
]
ENDED_HEADING = _("{edition} (đã hết hiệu lực)")


LEVEL_OF_KIND = {
    UnitKind.PROVINCE: UnitLevel.PROVINCE,
    UnitKind.CENTRAL_CITY: UnitLevel.PROVINCE,
    UnitKind.RURAL_DISTRICT: UnitLevel.DISTRICT,
    UnitKind.URBAN_DISTRICT: UnitLevel.DISTRICT,
    UnitKind.TOWN: UnitLevel.DISTRICT,
    UnitKind.PROVINCIAL_CITY: UnitLevel.DISTRICT,
    UnitKind.COMMUNE: UnitLevel.COMMUNE,
    UnitKind.WARD: UnitLevel.COMMUNE,
    UnitKind.TOWNLET: UnitLevel.COMMUNE,
    UnitKind.SPECIAL_ZONE: UnitLevel.COMMUNE,
}
