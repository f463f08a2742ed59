from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "so_nganh", _("Sở, ban, ngành")
    PARTY_BODY = "co_quan_dang", _("Cơ quan Đảng")
    PARTY_ORGANISATION = "to_chuc_dang", _("Đảng bộ, chi bộ")
    MASS_ORGANISATION = "mttq_doan_the", _("Mặt trận Tổ quốc, đoàn thể")
    ENTERPRISE = "doanh_nghiep", _("Doanh nghiệp")
    PUBLIC_SERVICE = "su_nghiep", _("Đơn vị sự nghiệp")
    ARMED_FORCES = "luc_luong_vu_trang", _("Lực lượng vũ trang")
    OTHER = "khac", _("Khác")


class DocumentType(models.TextChoices):
    DECISION = "quyet_dinh", _("Quyết định")
    REGULATION = "quy_dinh", _("Quy định")
    PLAN = "ke_hoach", _("Kế hoạch")
    RESOLUTION = "nghi_quyet", _("Nghị quyết")
    DIRECTIVE = "chi_thi", _("Chỉ thị")
    CONCLUSION_NOTICE = "thong_bao_ket_luan", _("Thông báo kết luận")
    SCHEME = "de_an", _("Đề án")
    OFFICIAL_LETTER = "cong_van", _("Công văn")


class AssignmentRole(models.TextChoices):
    IN_CHARGE = "phu_trach", _("Phụ trách")
    SPONSOR = "do_dau", _("Đỡ đầu")
    TWINNED = "ket_nghia", _("Kết nghĩa")
    HELPER = "giup_do", _("Giúp đỡ")


class SupportKind(models.TextChoices):
    MONEY = "tien", _("Tiền")
    GOODS = "hien_vat", _("Hiện vật")
    WORKS = "cong_trinh", _("Công trình")
    SERVICE = "dich_vu", _("Dịch vụ, ngày công")


class InitiativeStatus(models.TextChoices):
    REGISTERED = "dang_ky", _("Đã đăng ký")
    IN_PROGRESS = "dang_thuc_hien", _("Đang thực hiện")
    DONE = "hoan_thanh", _("Hoàn thành")
    DROPPED = "dung", _("Dừng thực hiện")


class ActivityKind(models.TextChoices):
    VISIT = "tham", _("Đi thực tế, thăm xã")
    WORKING_SESSION = "lam_viec", _("Làm việc với xã")
    MONTHLY_REPORT = "bao_cao_thang", _("Báo cáo tháng")
    QUARTERLY_REPORT = "bao_cao_quy", _("Báo cáo quý")
    OTHER = "khac", _("Khác")
