"""python manage.py approve_commune_years ACTION --user NAME (--id N … | --year N [--province CODE] [--commune CODE])"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from criteria import approval
from criteria.models import CommuneYear


class Command(BaseCommand):
    help = (
        "Chuyển bảng chấm tiêu chí của xã theo quy trình phê duyệt, như các nút trên trang quản trị: "
        "gửi (submit), xác nhận (verify, chỉ xã còn cấp huyện), phê duyệt (approve), trả lại (send_back) "
        "hoặc mở lại (reopen), với quyền và phạm vi của người dùng --user. Bảng nào bị từ chối thì in lý do "
        "và lệnh trả mã lỗi."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=approval.ACTIONS)
        parser.add_argument("--user", required=True, help="Tên đăng nhập của người thực hiện (ghi vào lịch sử).")
        parser.add_argument("--id", type=int, action="append", default=[], help="Mã (id) bảng chấm; lặp lại được.")
        parser.add_argument("--year", type=int, help="Mọi bảng chấm của năm này (cùng --province / --commune).")
        parser.add_argument("--province", help="Mã tỉnh (GSO), ví dụ 42; mọi danh mục.")
        parser.add_argument("--commune", help="Mã xã (GSO), ví dụ 18757.")
        parser.add_argument("--reason", default="", help="Lý do (bắt buộc khi trả lại hoặc mở lại).")

    def handle(self, *args, action, user, id, year, province, commune, reason, **options):
        try:
            account = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(_("Không có người dùng “{user}”.").format(user=user)) from None
        if not id and year is None:
            raise CommandError(_("Cần chọn bảng chấm: --id, hoặc --year (có thể thêm --province, --commune)."))
        sheets = CommuneYear.objects.select_related("commune__parent").order_by("commune__code", "year")
        if id:
            sheets = sheets.filter(pk__in=id)
        if year is not None:
            sheets = sheets.filter(year=year)
        if province:
            sheets = sheets.filter(Q(commune__province__code=province) | Q(commune__parent__code=province))
        if commune:
            sheets = sheets.filter(commune__code=commune)
        sheets = list(sheets)
        if not sheets:
            raise CommandError(_("Không có bảng chấm nào khớp điều kiện đã chọn."))
        refused = 0
        for sheet in sheets:
            try:
                approval.commune_year_transition(commune_year=sheet, action=action, user=account, reason=reason)
            except (ValidationError, PermissionDenied) as e:
                refused += 1
                self.stderr.write(f"{sheet}: {' '.join(getattr(e, 'messages', None) or [str(e)])}")
            else:
                self.stdout.write(f"{sheet}: {approval.done_message(sheet, action)}")
        if refused:
            raise CommandError(
                _("{refused} trong {total} bảng chấm bị từ chối (xem lý do ở trên).").format(
                    refused=refused, total=len(sheets)
                )
            )
