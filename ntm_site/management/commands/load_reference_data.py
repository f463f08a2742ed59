from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Nạp dữ liệu danh mục (bộ tiêu chí, danh mục hỗ trợ, nhóm quyền…) từ thư mục fixtures/."

    def handle(self, *args, verbosity, **options):
        # Files are loaded in name order; each app's issue adds its own NN_name.json.
        names = sorted(p.name for d in settings.FIXTURE_DIRS for p in Path(d).glob("*.json"))
        if names:
            call_command("loaddata", *names, verbosity=verbosity)
        elif verbosity:
            self.stdout.write("Chưa có tệp danh mục nào.")
