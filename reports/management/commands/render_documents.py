"""python manage.py render_documents [--out DIR] [--samples]: the demo drafts as .docx files (make docs-preview)."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# The demo's documents: the reports with the parameters of the published figures, and the meeting of 15/08/2016.
DEMO_REPORTS = [
    ("decision-review", {"decision": "140-QĐ/TU", "as_of": "2019-05-22"}),
    (
        "sponsor-scorecard",
        {
            "parent": "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh",
            "since_year": "2012",
            "as_of": "2022-03-31",
        },
    ),
    ("criteria-summary", {"district": "Huyện Kỳ Anh", "year": "2017"}),
]
DEMO_MEETING_DAY = datetime.date(2016, 8, 15)


class Command(BaseCommand):
    help = (
        "Ghi các văn bản dự thảo của dữ liệu mẫu (báo cáo sơ kết 140-QĐ/TU, kết quả đỡ đầu của Đảng bộ Khối, "
        "kết quả tiêu chí huyện Kỳ Anh 2017, biên bản và thông báo kết luận hội nghị 15/08/2016) ra tệp .docx."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.VAR_DIR) / "docs-preview"), help="Thư mục ghi tệp.")
        parser.add_argument(
            "--samples",
            action="store_true",
            help="Dùng số liệu mẫu có sẵn trong mã (không cần cơ sở dữ liệu có dữ liệu mẫu).",
        )

    def handle(self, *args, out, samples, verbosity, **options):
        from reports.documents import meeting_document, report_document

        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        if samples:
            from reports.documents import samples as sample_data

            for result in (sample_data.DECISION_REVIEW, sample_data.SPONSOR_SCORECARD, sample_data.CRITERIA_SUMMARY):
                files.append(report_document(result))
            meeting = sample_data.sample_meeting()
        else:
            from meetings.models import Meeting
            from reports import registry
            from reports.registry import ReportParamsError

            for slug, params in DEMO_REPORTS:
                try:
                    files.append(report_document(registry.get(slug).run(params)))
                except ReportParamsError as error:
                    raise CommandError(
                        f"Chưa có dữ liệu mẫu cho {slug} ({error}). "
                        "Chạy `make setup` (nạp dữ liệu mẫu) hoặc thêm --samples."
                    ) from None
            meeting = Meeting.objects.for_minutes().filter(start__date=DEMO_MEETING_DAY).first()
            if meeting is None:
                raise CommandError(
                    "Chưa có hội nghị ngày 15/08/2016 trong dữ liệu. Chạy `make setup` hoặc thêm --samples."
                )
        files += [meeting_document(meeting, "minutes"), meeting_document(meeting, "conclusions")]
        for file in files:
            path = folder / file.filename
            path.write_bytes(file.content)
            if verbosity:
                self.stdout.write(str(path))
