from django.db import models
from django.utils.translation import gettext_lazy as _


class SetLevel(models.TextChoices):
    COMMUNE = "xa", _("Xã nông thôn mới")
    COMMUNE_ADVANCED = "xa_nang_cao", _("Xã nông thôn mới nâng cao")
    COMMUNE_MODEL = "xa_kieu_mau", _("Xã nông thôn mới kiểu mẫu")
    DISTRICT = "huyen", _("Huyện nông thôn mới")


class AssessmentStatus(models.TextChoices):
    MET = "dat", _("Đạt")
    NOT_MET = "chua_dat", _("Chưa đạt")
    NOT_APPLICABLE = "khong_ap_dung", _("Không áp dụng")


# A criterion that does not apply to a commune (e.g. no market in the commune's plan) cannot be
# failed: it is left out of what the commune must meet, so it counts towards "criteria met".
COUNTS_AS_MET = (AssessmentStatus.MET, AssessmentStatus.NOT_APPLICABLE)


class Comparison(models.TextChoices):
    AT_LEAST = "gte", _("Từ … trở lên (≥)")
    AT_MOST = "lte", _("Không quá … (≤)")
    EQUALS = "eq", _("Bằng")
    YES_NO = "bool", _("Đạt/không đạt")
    TEXT = "text", _("Theo mô tả")


class ValueType(models.TextChoices):
    """What a clerk records for an indicator: a number, a percentage, yes/no, or a description."""

    NUMBER = "number", _("Số")
    PERCENT = "percent", _("Tỷ lệ (%)")
    BOOLEAN = "bool", _("Có/không")
    TEXT = "text", _("Mô tả")


class CommuneGroup(models.TextChoices):
    """The commune groups of QĐ 51/2025/QĐ-TTg: each indicator's target is set per group."""

    GROUP_1 = "nhom_1", _("Xã nhóm 1")
    GROUP_2 = "nhom_2", _("Xã nhóm 2")
    GROUP_3 = "nhom_3", _("Xã nhóm 3")


class TargetBasis(models.TextChoices):
    """Whether a set's indicator targets are per region (2016–2025) or per commune group (QĐ 51/2025)."""

    REGION = "region", _("Theo vùng")
    GROUP = "group", _("Theo nhóm xã")


class Region(models.TextChoices):
    """The seven socio-economic regions the national targets are set for."""

    NORTHERN_MIDLANDS_MOUNTAINS = "tdmnpb", _("Trung du và miền núi phía Bắc")
    RED_RIVER_DELTA = "dbsh", _("Đồng bằng sông Hồng")
    NORTH_CENTRAL = "btb", _("Bắc Trung Bộ")
    SOUTH_CENTRAL_COAST = "dhntb", _("Duyên hải Nam Trung Bộ")
    CENTRAL_HIGHLANDS = "tn", _("Tây Nguyên")
    SOUTHEAST = "dnb", _("Đông Nam Bộ")
    MEKONG_DELTA = "dbscl", _("Đồng bằng sông Cửu Long")


class RecognitionAction(models.TextChoices):
    RECOGNISE = "cong_nhan", _("Công nhận đạt chuẩn")
    REVOKE = "thu_hoi", _("Thu hồi công nhận")


class ApprovalStatus(models.TextChoices):
    """Where a commune's yearly sheet is in its approval: draft → submitted → verified → approved."""

    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Xã đã gửi, chờ huyện xác nhận")
    VERIFIED = "verified", _("Huyện đã xác nhận, chờ tỉnh phê duyệt")
    APPROVED = "approved", _("Tỉnh đã phê duyệt")
