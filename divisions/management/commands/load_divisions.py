from django.core.management.base import BaseCommand
from tqdm import tqdm

from divisions.services import EDITIONS, divisions_load


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính chính thức (gói vietnamadminunits). Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument("--edition", choices=EDITIONS, default="all", help="legacy, 2025 hoặc all (mặc định).")
        parser.add_argument(
            "--province",
            action="append",
            default=[],
            metavar="NAME",
            help="Chỉ nạp tỉnh này (có thể lặp lại), ví dụ --province 'Hà Tĩnh'.",
        )

    def handle(self, *args, edition, province, verbosity, **options):
        bar = tqdm(total=5, desc="Đơn vị hành chính", unit="bước", disable=verbosity == 0)

        def progress(label, n):
            bar.set_postfix_str(f"{label}: {n}")
            bar.update(1)

        result = divisions_load(edition=edition, provinces=province, progress=progress)
        bar.close()
        if verbosity == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Tạo mới {result.created}, cập nhật {result.updated}, giữ nguyên {result.unchanged}; "
                f"thêm {result.successions_created} quan hệ kế thừa."
            )
        )
