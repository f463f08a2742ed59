from django.core.management.base import BaseCommand, CommandError

from seeds.loader import seed_demo


class Command(BaseCommand):
    help = "Nạp bộ dữ liệu mẫu (các sổ Excel trong seeds/data) qua bộ nhập dữ liệu. Chạy lại không thay đổi gì."

    def handle(self, *args, verbosity, **options):
        try:
            for line in seed_demo():
                if verbosity:
                    self.stdout.write(line)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
