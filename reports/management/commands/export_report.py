"""python manage.py export_report SLUG [--param NAME=VALUE …] --format json|xlsx|csv [-o FILE]

The command line has no user: the report covers every record, not one reader's scope (the pages,
downloads and drafts in the admin do; see reports.registry). It is for whoever runs the server.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from reports import exports, registry
from reports.registry import ReportParamsError


class Command(BaseCommand):
    help = (
        "Chạy một báo cáo với cùng tham số như trang báo cáo và xuất ra JSON, XLSX hoặc CSV. "
        "Ví dụ: export_report criteria-summary --param district='Huyện Kỳ Anh' --param year=2017"
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="Báo cáo: " + ", ".join(registry.slugs()))
        parser.add_argument(
            "--param",
            "-p",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="Tham số của báo cáo; lặp lại cho nhiều tham số hoặc nhiều giá trị.",
        )
        # docx: the draft report in the official format (reports/documents), for the reports that have one.
        parser.add_argument("--format", "-f", choices=sorted([*exports.FORMATS, "docx"]), default="json")
        parser.add_argument("--output", "-o", help="Ghi ra tệp này (mặc định: màn hình; XLSX bắt buộc có tệp).")
        parser.add_argument("--list", action="store_true", help="Liệt kê các báo cáo và tham số của chúng.")

    def handle(self, *args, slug, param, format, output, list, **options):
        if list or not slug:
            self.stdout.write(self.describe())
            return
        try:
            report = registry.get(slug)
        except KeyError:
            raise CommandError(f"Không có báo cáo “{slug}”. Các báo cáo: {', '.join(registry.slugs())}") from None
        params = QueryDict(mutable=True)
        for item in param:
            name, sep, value = item.partition("=")
            if not sep or not name.strip():
                raise CommandError(f"Tham số phải có dạng NAME=VALUE: “{item}”.")
            params.appendlist(name.strip(), value.strip())
        unknown = set(params) - set(report.filterset_class.base_filters)
        if unknown:
            raise CommandError(
                f"Báo cáo {slug} không có tham số: {', '.join(sorted(unknown))}. "
                f"Tham số: {', '.join(report.filterset_class.base_filters)}"
            )
        try:
            result = report.run(params)
        except ReportParamsError as error:
            raise CommandError(f"Tham số chưa hợp lệ:\n{error}") from None
        if result.empty:
            self.stderr.write(result.empty)
        if format == "docx":
            from reports.documents import REPORT_DOCUMENTS, report_document

            if slug not in REPORT_DOCUMENTS:
                raise CommandError(f"Báo cáo {slug} chưa có mẫu văn bản; có: {', '.join(REPORT_DOCUMENTS)}.")
            if not output:
                raise CommandError("Xuất DOCX cần --output TỆP.")
            content = report_document(result).content
        else:
            content = exports.FORMATS[format][1](result)
        if format == "xlsx" and not output:
            raise CommandError("Xuất XLSX cần --output TỆP.")
        if output:
            mode, data = ("wb", content) if isinstance(content, bytes) else ("w", content)
            with open(output, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as handle:
                handle.write(data)
            self.stderr.write(f"Đã ghi {output}")
        else:
            sys.stdout.flush()
            self.stdout.write(content.lstrip("\ufeff") if format == "csv" else content)

    def describe(self) -> str:
        lines = []
        for report in registry.all_reports():
            lines.append(f"{report.slug}: {report.title}")
            for name, flt in report.filterset_class.base_filters.items():
                lines.append(f"    {name}: {flt.label}")
        return "\n".join(lines)
