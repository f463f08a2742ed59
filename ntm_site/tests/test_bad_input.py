"""The bad-input suite against the child process: crafted workbooks meet its limits, not the worker.

Every case is built in code (bad_inputs.py). For each: a Vietnamese message, zero rows written,
the worker's own Python allocations far under 300 MiB (tracemalloc), the child's CPU time under
its RLIMIT_CPU and its peak memory under its RLIMIT_AS (os.wait4 and the peak it reports; a child
the limit ended reports none), and the next request is served: the same file uploaded to the
admin's import page gets the same message, and the list page after it answers. What each case
gave is recorded for docs/reliability.md (test_reliability_doc.py).
"""

import html
import io
import time
import tracemalloc

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from divisions.models import AdministrativeUnit
from divisions.resources import AdministrativeUnitResource
from ntm_site.spreadsheets import registry, sandbox
from ntm_site.spreadsheets.reader import read_sheets
from ntm_site.spreadsheets.services import workbook_import

from .bad_inputs import FILE_CASES, HEADER, HONEST, WEB_PEAK_BYTES, record, sheet_xlsx, worksheet
from .workbooks import xlsx

IMPORT_URL = "/admin/divisions/administrativeunit/import/"
CHANGELIST_URL = "/admin/divisions/administrativeunit/"


def import_units(data, name, **kwargs):
    return workbook_import(resource_class=AdministrativeUnitResource, file=data, file_name=name, **kwargs)


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def run_case(case, client=None):
    """Import the case for real (not a preview) and check what a clerk and the worker would notice."""
    data = case.build()
    before = AdministrativeUnit.objects.count()
    sandbox._stats.run = None
    with override_settings(**case.settings):
        tracemalloc.start()
        started = time.monotonic()
        try:
            report = import_units(data, case.file_name)
            seconds = time.monotonic() - started
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        run = sandbox.last_run()
        if client is not None:
            # The same file through the admin's upload, then the next page: a live worker answers both.
            upload = SimpleUploadedFile(case.file_name, data)
            page = client.post(IMPORT_URL, {"import_file": upload})
            assert page.status_code == 200
            shown = html.unescape(page.content.decode())
            assert client.get(CHANGELIST_URL).status_code == 200
    written = AdministrativeUnit.objects.count() - before
    message = report.fatal or (str(report.errors[0]) if report.errors else "")
    if client is not None and message:
        # The page shows the file's message, or each error's row, column and message in a table.
        assert (report.fatal or str(report.errors[0].message)) in shown
    assert peak < WEB_PEAK_BYTES
    parts = []
    if run is not None:
        # Bounded by the child's limits, whatever it did: its CPU time under RLIMIT_CPU, its memory under RLIMIT_AS
        # (a child that met the memory limit ends before it can say its peak).
        assert run.cpu_seconds < sandbox.cpu_limit_seconds()
        with override_settings(**case.settings):
            assert run.peak_kib is None or run.peak_kib * 1024 <= sandbox.memory_limit_bytes()
            limit = sandbox.memory_limit_bytes() // (1024 * 1024)
        parts.append(f"reader {_mib(run.peak_kib)}" if run.peak_kib else f"reader ended at its {limit:,} MiB limit")
    parts.append(f"worker +{peak / (1024 * 1024):,.1f} MiB")
    record(case.key, message=message, rows_written=written, seconds=seconds, peak=", ".join(parts))
    return report, written


@pytest.mark.django_db
@pytest.mark.parametrize("case", [c for c in FILE_CASES if c.refused], ids=lambda c: c.key)
def test_a_crafted_file_is_refused_with_one_message_and_writes_nothing(admin_client, case):
    report, written = run_case(case, admin_client)
    assert not report.ok and written == 0
    message = report.fatal or str(report.errors[0])
    for needle in case.needles:
        assert needle in message, message
    assert "Traceback" not in message
    # The worker goes on: the next file imports.
    assert import_units(xlsx(HONEST), "tiep.xlsx").ok


@pytest.mark.django_db
@pytest.mark.parametrize("case", [c for c in FILE_CASES if c.key.startswith("declared-")], ids=lambda c: c.key)
def test_a_declared_range_alone_costs_nothing(admin_client, case):
    """LibreOffice declares whole columns: calamine sizes the sheet by its cells, so the file is honest (its one
    header cell then lacks the other columns, or, for a reference calamine does not expand, it is unreadable)."""
    report, written = run_case(case, admin_client)
    assert written == 0 and "vượt giới hạn" not in report.fatal
    assert sandbox.last_run().exit_status == 0


@pytest.mark.django_db
def test_formula_text_is_stored_as_text_and_exported_with_the_quote_prefix(admin_client):
    case = next(c for c in FILE_CASES if c.key == "formula-text")
    report, written = run_case(case, admin_client)
    assert report.ok and written == 1
    unit = AdministrativeUnit.objects.get(code="99954")
    assert unit.name == '=HYPERLINK("http://x","bấm")'
    export_url = reverse("admin:divisions_administrativeunit_export") + "?q=99954"
    form = admin_client.get(export_url).context["form"]
    fields = {name: "on" for name in form.fields if name.startswith("administrativeunitresource_")}
    ws = openpyxl.load_workbook(io.BytesIO(admin_client.post(export_url, {"format": "0"} | fields).content)).active
    cell = next(c for row in ws.iter_rows() for c in row if c.value == unit.name)
    assert cell.data_type == "s" and cell.quotePrefix


def test_the_same_file_reads_under_the_default_memory_limit():
    """The memory case is an honest file: only the lowered limit refused it."""
    case = next(c for c in FILE_CASES if c.key == "memory")
    _fmt, sheets = read_sheets(case.build(), case.file_name)
    assert len(sheets[0].rows) == 20_001


@pytest.mark.django_db
def test_nul_and_control_characters_are_refused_with_row_and_column():
    case = next(c for c in FILE_CASES if c.key == "control-characters")
    report = import_units(case.build(), case.file_name)
    assert [(e.row_number, str(e.column)) for e in report.errors] == [
        (2, "Tên đơn vị"),
        (2, "Loại"),
        (2, "Hiệu lực từ"),
    ]
    assert [str(e.message).split("(")[1].split(")")[0] for e in report.errors] == [
        "mã U+0000",
        "mã U+0007",
        "mã U+001F",
    ]
    assert not AdministrativeUnit.objects.filter(code="99952").exists()


def _every_text_column(resource_class) -> bytes:
    """The template's header, and one row with a NUL, a bell or a unit separator in every column."""
    columns = resource_class().get_import_columns()
    escapes = ["_x0000_", "_x0007_", "_x001F_"]
    values = [f"A{escapes[i % 3]}B" for i in range(len(columns))]
    header = [str(c.name) for c in columns]
    rows = b""
    for number, cells in ((1, header), (2, values)):
        rows += b'<row r="%d">' % number
        for i, value in enumerate(cells):
            ref = (chr(65 + i) if i < 26 else "A" + chr(65 + i - 26)).encode() + b"%d" % number
            rows += b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, html.escape(value).encode())
        rows += b"</row>"
    return sheet_xlsx(worksheet(rows))


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(registry.all_resources()))
def test_control_characters_in_every_column_of_every_template_are_named(slug):
    resource_class = registry.get_resource(slug)
    columns = resource_class().get_import_columns()
    report = workbook_import(resource_class=resource_class, file=_every_text_column(resource_class), dry_run=True)
    named = {str(e.column) for e in report.errors if e.row_number == 2 and "ký tự điều khiển" in str(e.message)}
    assert named == {str(c.name) for c in columns}, report.error_lines(5)


def test_the_table_keys_are_unique():
    keys = [c.key for c in FILE_CASES]
    assert len(keys) == len(set(keys)) and HEADER[0] == "Mã đơn vị"
