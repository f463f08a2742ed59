from django.core.management.base import BaseCommand

from seeds.loader import seed_demo


class Command(BaseCommand):
    help = "Nạp bộ dữ liệu mẫu (các sổ Excel trong seeds/) qua bộ nhập dữ liệu. Chạy lại không thay đổi gì."

    def handle(self, *args, verbosity, **options):
        for line in seed_demo():
            if verbosity:
                self.stdout.write(line)
