"""python manage.py import_workbook TEMPLATE FILE [--dry-run] [--user USERNAME]"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from ntm_site.spreadsheets.registry import all_resources, get_resource
from ntm_site.spreadsheets.services import workbook_import


class Command(BaseCommand):
    help = (
        "Nhập một tệp Excel/CSV theo biểu mẫu (như nút “Nhập từ Excel” trong trang quản trị): "
        "có lỗi ở bất kỳ dòng nào thì không ghi gì và lệnh trả mã lỗi."
    )

    def add_arguments(self, parser):
        parser.add_argument("template", help="Tên biểu mẫu, ví dụ: " + ", ".join(all_resources()) + ".")
        parser.add_argument("file", help="Đường dẫn tệp .xlsx, .xls, .ods hoặc .csv.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì.")
        parser.add_argument("--user", help="Tên đăng nhập của người nhập (ghi vào lịch sử và lô nhập).")
        parser.add_argument("--max-errors", type=int, default=200, help="Số lỗi tối đa in ra (mặc định 200).")

    def handle(self, *args, template, file, dry_run, user, max_errors, verbosity, **options):
        try:
            resource_class = get_resource(template)
        except KeyError:
            raise CommandError(
                _("Không có biểu mẫu “{t}”. Các biểu mẫu: {all}.").format(t=template, all=", ".join(all_resources()))
            ) from None
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(_("Không có người dùng “{user}”.").format(user=user)) from None
        bar = tqdm(total=0, unit=" dòng", disable=verbosity < 1, file=self.stderr._out, leave=False)

        def progress(done, total, written=0):
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            report = workbook_import(
                resource_class=resource_class, file=file, user=account, dry_run=dry_run, progress=progress
            )
        except FileNotFoundError:
            raise CommandError(_("Không tìm thấy tệp “{file}”.").format(file=file)) from None
        finally:
            bar.close()
        if report.sheet:
            self.stdout.write(
                _("Trang “{sheet}”, dòng tiêu đề {row}.").format(sheet=report.sheet, row=report.header_row)
            )
        self.stdout.write(report.summary())
        if not report.ok:
            for line in report.error_lines(max_errors):
                self.stderr.write(line)
            hidden = len(report.errors) - max_errors
            if hidden > 0:
                self.stderr.write(_("… và {n} lỗi nữa.").format(n=hidden))
            raise CommandError(_("Không ghi gì: tệp có {n} lỗi.").format(n=report.counts["errors"]))
        if dry_run:
            self.stdout.write(self.style.WARNING(_("Chạy thử (--dry-run): chưa ghi gì.")))
        else:
            done = _("Đã ghi (lô nhập #{batch}) trong {seconds} giây.")
            self.stdout.write(self.style.SUCCESS(done.format(batch=report.batch_id, seconds=f"{report.seconds:.1f}")))
