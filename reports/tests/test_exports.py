"""A download's table rows, written as XML text beside openpyxl (reports.exports._Sheet.rows), read back cell for
cell as the cells openpyxl itself writes (_Sheet.value): values, types, number formats, fonts, fills, borders."""

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from criteria.choices import AssessmentStatus
from reports.exports import _Sheet, to_xlsx
from reports.registry import Column, ColumnKind, Report, ReportResult

K = ColumnKind

COLUMNS = [
    Column("name", "Tên", width=20),
    Column("kind", "Loại", choices={"so_nganh": "Sở, ngành", "doanh_nghiep": "Doanh nghiệp"}),
    Column("count", "Số", K.INT),
    Column("money", "Tiền", K.VND),
    Column("share", "Tỷ lệ", K.PERCENT),
    Column("amount", "Số lượng", K.DECIMAL),
    Column("day", "Ngày", K.DATE),
    Column("month", "Tháng", K.MONTH),
    Column("year", "Năm", K.YEAR),
    Column("wait", "Chờ", K.DAYS),
    Column("tc1", "TC1", K.STATUS),
    Column("flag", "Quá hạn"),
    Column("fields", "Lĩnh vực"),
]

ROWS = [
    {
        "name": "Sở Nông nghiệp & PTNT <Hà Tĩnh>",
        "kind": "so_nganh",
        "count": 12,
        "money": 10_000_000,
        "share": Decimal("83.3"),
        "amount": Decimal("7"),
        "day": datetime.date(2021, 12, 15),
        "month": datetime.date(2021, 12, 1),
        "year": 2021,
        "wait": datetime.timedelta(days=45),
        "tc1": AssessmentStatus.MET,
        "flag": True,
        "fields": ["Giao thông", "Môi trường"],
    },
    {
        "name": "=SUM(A1:A9) viết như công thức",
        "kind": "doanh_nghiep",
        "count": 0,
        "money": 0,
        "share": 12.35,
        "amount": Decimal("2.5"),
        "day": datetime.date(1900, 2, 1),
        "tc1": AssessmentStatus.NOT_MET,
        "flag": False,
    },
    {
        "name": "  cách đầu và cuối  ",
        "kind": "khac",
        "count": 10**15,
        "amount": 0.1,
        "tc1": AssessmentStatus.NOT_APPLICABLE,
        "fields": [],
    },
    {"name": "ký tự điều khiển\x07 bị bỏ\r\ndòng mới", "tc1": None},
    {},
]


class _Demo(Report):
    slug = "xlsx-demo"
    title = "Bảng thử"
    columns = COLUMNS


def _reference(rows) -> bytes:
    """The same table written cell by cell through openpyxl (the path the title and totals still take)."""
    wb = Workbook(write_only=True)
    sheet = _Sheet(wb, "Báo cáo")
    sheet.append([sheet.text("header")])
    for row in rows:
        sheet.append([sheet.value(column, row.get(column.key)) for column in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _fast(rows) -> bytes:
    wb = Workbook(write_only=True)
    sheet = _Sheet(wb, "Báo cáo")
    sheet.append([sheet.text("header")])
    sheet.rows(COLUMNS, rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cells(content):
    ws = load_workbook(io.BytesIO(content)).active
    return [
        [
            (
                c.value,
                c.data_type,
                c.number_format,
                repr(c.font),
                repr(c.fill),
                repr(c.border),
                repr(c.alignment),
            )
            for c in row
        ]
        for row in ws.iter_rows(min_row=2)
    ]


def test_table_rows_written_as_text_read_back_as_openpyxl_writes_them():
    # Control characters are dropped (openpyxl would refuse the cell); the rest must match exactly.
    clean = [{k: (v.replace("\x07", "") if isinstance(v, str) else v) for k, v in row.items()} for row in ROWS]
    fast, reference = _cells(_fast(ROWS)), _cells(_reference(clean))
    assert len(fast) == len(ROWS)
    assert fast == reference
    ws = load_workbook(io.BytesIO(_fast(ROWS))).active
    # Never a formula: text, shown as stored, with Excel's quote prefix (no visible apostrophe).
    assert ws["A3"].value == "=SUM(A1:A9) viết như công thức" and ws["A3"].data_type == "s"
    assert ws["A3"].quotePrefix and not ws["A4"].quotePrefix
    assert ws["A4"].value == "  cách đầu và cuối  "  # spaces kept
    assert ws["G2"].value == datetime.datetime(2021, 12, 15) and ws["G2"].number_format == "dd/mm/yyyy"
    assert ws["K2"].fill.fgColor.rgb.endswith("C6EFCE") and ws["K3"].fill.fgColor.rgb.endswith("FFC7CE")


def test_a_report_download_puts_its_rows_after_the_title_totals_and_header():
    result = ReportResult(
        report=_Demo(),
        params={},
        filters=[("Năm", "2021")],
        totals={"count": 12},
        total_columns=[Column("count", "Tổng số", K.INT)],
        columns=COLUMNS,
        rows=ROWS[:3] * 400,
    )
    ws = load_workbook(io.BytesIO(to_xlsx(result))).active
    header = next(r for r in range(1, 12) if ws.cell(r, 1).value == "Tên")
    assert ws.cell(header - 2, 1).value == "Tổng số" and ws.cell(header - 2, 2).value == 12
    assert ws.max_row == header + 1200
    assert [ws.cell(header + 1 + i, 3).value for i in range(3)] == [12, 0, 10**15]
    assert ws.freeze_panes == f"A{header + 1}"
