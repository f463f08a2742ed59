"""Years are never grouped in any download or page: 2017, not 2.017 (issue 19, point 9)."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import registry
from reports.documents.reports import REPORT_DOCUMENTS
from reports.documents.testing import ReadDocument

pytestmark = pytest.mark.django_db

# Every report with the year parameters it takes: each one is printed in the filter line.
PARAMS = {
    "decision-review": {"decision": "140-QĐ/TU", "as_of": "2019-05-22"},
    "sponsor-scorecard": {"as_of": "2022-03-31", "since_year": "2012"},
    "criteria-summary": {"year": "2017", "approved_only": "no"},
    "criteria-matrix": {"year": "2017", "approved_only": "no", "target_year": "2017"},
    "indicator-summary": {"year": "2026", "approved_only": "no"},
    "support-ledger": {"group_by": ["year", "category"], "year": "2017"},
    "tasks": {"as_of": "2019-05-22"},
    "sponsor-activity": {"as_of": "2019-05-22"},
}
GROUPED_YEAR = re.compile(r"(?<![\d.])(19|20)\.\d{2}\d?(?![\d.,])|(?<![\d.])2\.0\d\d(?![\d.])")


def download(client, slug, fmt):
    response = client.get(reverse("reports:export", args=[slug, fmt]), PARAMS[slug])
    assert response.status_code == 200, slug
    return response.content


def test_every_report_has_its_parameters_here():
    assert set(PARAMS) == {report.slug for report in registry.all_reports()}


@pytest.mark.parametrize("slug", sorted(PARAMS))
def test_no_year_reads_like_a_grouped_number_in_a_report_workbook(admin_client, world, slug):
    workbook = load_workbook(io.BytesIO(download(admin_client, slug, "xlsx")))
    for sheet in workbook.worksheets:
        headers = {}
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not GROUPED_YEAR.search(cell.value), f"{slug} {sheet.title}!{cell.coordinate}: {cell.value}"
                    if "năm" in cell.value.lower():
                        headers[cell.column] = cell.value
                elif isinstance(cell.value, int) and cell.column in headers and 1990 <= cell.value <= 2100:
                    assert "#,##" not in cell.number_format, f"{slug} {sheet.title}!{cell.coordinate}"
    filters = workbook.worksheets[0]["A2"].value
    for name, value in PARAMS[slug].items():
        if "year" in name:
            assert value in filters, filters


@pytest.mark.parametrize("slug", sorted(PARAMS))
def test_no_year_is_grouped_on_the_page_or_in_the_csv(admin_client, world, slug):
    page = admin_client.get(reverse("reports:report", args=[slug]), PARAMS[slug]).content.decode()
    filters = page[page.find("<form") : page.find("</form>")]
    assert not GROUPED_YEAR.search(re.sub(r"<[^>]+>", " ", filters)), slug
    text = download(admin_client, slug, "csv").decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        for value in row:
            assert not GROUPED_YEAR.fullmatch(value.strip()), f"{slug}: {value}"


@pytest.mark.parametrize("slug", sorted(REPORT_DOCUMENTS))
def test_no_year_is_grouped_in_a_draft_document(admin_client, world, slug):
    response = admin_client.get(reverse("reports:document", args=[slug]), PARAMS[slug])
    assert response.status_code == 200
    assert not GROUPED_YEAR.search(ReadDocument.from_bytes(response.content).text), slug


@pytest.mark.parametrize("slug", sorted(PARAMS))
def test_text_columns_of_a_report_workbook_wrap_and_fit_the_printed_page(admin_client, world, slug):
    """Long organisation names were cut off at the column edge in the printed page."""
    sheet = load_workbook(io.BytesIO(download(admin_client, slug, "xlsx"))).worksheets[0]
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    merged = {cell for r in sheet.merged_cells.ranges for row in sheet[r.coord] for cell in row}
    long_texts = 0
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, str) and len(cell.value) > 40 and cell not in merged:
                long_texts += 1
                assert cell.alignment.wrap_text, (slug, cell.coordinate, cell.value)
                assert sheet.column_dimensions[cell.column_letter].width <= 40, (slug, cell.coordinate)
    if slug in ("sponsor-scorecard", "sponsor-activity"):
        assert long_texts, "no long name in the demo world: the test would prove nothing"


@pytest.mark.parametrize("slug", sorted(PARAMS))
def test_every_download_of_a_report_is_named_in_vietnamese_never_by_its_code(admin_client, world, slug):
    """Issue 19, point 7: a report was saved as "bao-cao-criteria-summary-….xlsx"."""
    from reports.exports import FORMATS, file_stem

    title = registry.get(slug).title
    for fmt in FORMATS:
        response = admin_client.get(reverse("reports:export", args=[slug, fmt]), PARAMS[slug])
        name = re.fullmatch(r'attachment; filename="([a-z0-9-]+)-\d{8}-\d{4}\.(\w+)"', response["Content-Disposition"])
        assert name and name[2] == fmt, response["Content-Disposition"]
        assert slug not in name[1] and name[1] == file_stem(title), name[1]
    if slug in REPORT_DOCUMENTS:
        response = admin_client.get(reverse("reports:document", args=[slug]), PARAMS[slug])
        assert slug not in response["Content-Disposition"], response["Content-Disposition"]
