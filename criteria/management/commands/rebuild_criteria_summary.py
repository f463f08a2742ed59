"""python manage.py rebuild_criteria_summary [--check]"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from criteria import summary


class Command(BaseCommand):
    help = (
        "Đếm lại số liệu tổng hợp của mọi bảng chấm (số tiêu chí có kết quả, đạt, chưa đạt, không áp dụng) từ "
        "kết quả đánh giá, và cài lại các trigger giữ nó. Thường không cần: cơ sở dữ liệu tự cập nhật khi kết quả "
        "thay đổi. Dùng sau khi nạp dữ liệu mà tắt trigger (ví dụ pg_restore --disable-triggers). --check chỉ "
        "kiểm tra, không ghi: in các bảng chấm lệch và trả mã lỗi nếu có."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Chỉ so với số đếm lại, không ghi gì.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, check, database, **options):
        connection = connections[database]
        if check:
            wrong = summary.stale(database)
            triggers = summary.is_installed(connection)
            if not triggers:
                self.stderr.write(_("Thiếu trigger giữ số liệu tổng hợp: chạy lệnh này không có --check."))
            if wrong:
                shown = ", ".join(str(pk) for pk in wrong[:20])
                self.stderr.write(
                    _("{n} bảng chấm có số liệu tổng hợp lệch với kết quả đánh giá (id: {ids}).").format(
                        n=len(wrong), ids=shown
                    )
                )
            if wrong or not triggers:
                raise CommandError(_("Số liệu tổng hợp chưa khớp."))
            self.stdout.write(_("Số liệu tổng hợp khớp với kết quả đánh giá của mọi bảng chấm."))
            return
        started = time.perf_counter()
        summary.install(connection)
        rows = summary.rebuild(database)
        self.stdout.write(
            _("Đã đếm lại {n} bảng chấm trong {s} giây.").format(
                n=number_format(rows, use_l10n=True, force_grouping=True),
                s=number_format(time.perf_counter() - started, decimal_pos=1, use_l10n=True),
            )
        )
