from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingKind(models.TextChoices):
    BRIEFING = "giao_ban", _("Giao ban")
    QUARTERLY_REVIEW = "so_ket_quy", _("Sơ kết quý")
    HALF_YEAR_REVIEW = "so_ket_6_thang", _("Sơ kết 6 tháng")
    MULTI_YEAR_REVIEW = "so_ket_nhieu_nam", _("Sơ kết nhiều năm")
    FINAL_REVIEW = "tong_ket", _("Tổng kết")
    ONLINE = "truc_tuyen", _("Hội nghị trực tuyến")
    COMMUNE_WORKING_SESSION = "lam_viec_voi_xa", _("Làm việc với xã")
    INSPECTION = "kiem_tra_giam_sat", _("Kiểm tra, giám sát")


class ParticipationRole(models.TextChoices):
    CHAIR = "chu_tri", _("Chủ trì")
    CO_CHAIR = "dong_chu_tri", _("Đồng chủ trì")
    ATTENDEE = "du", _("Dự")
    # Context: the same word is the Reports menu ("Reports" in English), here the one who reports.
    REPORTER = "bao_cao", pgettext_lazy("vai trò dự họp", "Báo cáo")
    SECRETARY = "thu_ky", _("Thư ký")


CHAIR_ROLES = (ParticipationRole.CHAIR, ParticipationRole.CO_CHAIR)


class SpeechKind(models.TextChoices):
    OPENING_REPORT = "bao_cao_de_dan", _("Báo cáo đề dẫn")
    PAPER = "tham_luan", _("Tham luận")
    REMARKS = "phat_bieu", _("Phát biểu")
    CONCLUDING = "ket_luan", _("Kết luận")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "chua_thuc_hien", _("Chưa thực hiện")
    IN_PROGRESS = "dang_thuc_hien", _("Đang thực hiện")
    DONE = "hoan_thanh", _("Đã hoàn thành")
    CANCELLED = "khong_thuc_hien", _("Không thực hiện nữa")


# A task still to be done: what "open" means in every list and report.
OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
