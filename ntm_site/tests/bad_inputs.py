"""The bad-input suite's cases, one place for the tests and for the table in docs/reliability.md.

Every file is built here, in code. `FILE_CASES` are uploads (read by the limited child process,
sandbox.py); `DATABASE_CASES` are imports the database fails under (import_scenarios.py). The tests
(test_bad_input.py, test_import_failures.py) run them and `record()` what they saw; the table's
fixed columns (input, what stops it, message, rows written) are rendered from those records by
`table_rows()`, and test_reliability_doc.py checks the document against them. Time and peak memory
are measured by `python -m ntm_site.tests.reliability_table`, which runs the same tests and writes
the whole table.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from . import hostile
from .workbooks import xlsx

MAIN = hostile._MAIN
HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"]
HONEST = [HEADER, ["99951", "Xã Thử Một", "Xã", "444", "01/01/2016"]]
WEB_PEAK_BYTES = 300 * 1024 * 1024  # what the issue allows the web process


def sheet_xlsx(sheet_xml: bytes, styles: bytes | None = None, shared: bytes | None = None) -> bytes:
    """A real workbook (openpyxl) whose sheet1 (and styles, shared strings) are replaced by crafted XML."""
    base = zipfile.ZipFile(io.BytesIO(xlsx(HONEST)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in base.infolist():
            body = base.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = sheet_xml
            elif info.filename == "xl/styles.xml" and styles is not None:
                body = styles
            elif info.filename == "xl/sharedStrings.xml" and shared is not None:
                body = shared
            z.writestr(info.filename, body)
    return out.getvalue()


def worksheet(rows: bytes, head: bytes = b"", tail: bytes = b"") -> bytes:
    return b"<worksheet " + MAIN + b">" + head + b"<sheetData>" + rows + b"</sheetData>" + tail + b"</worksheet>"


def inline_row(number: int, values) -> bytes:
    cells = b"".join(
        b'<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + i).encode(), number, str(v).encode())
        for i, v in enumerate(values)
    )
    return b'<row r="%d">%s</row>' % (number, cells)


FAR_CELL = {
    "double quotes": b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    "single quotes": b"<row r='1'><c r='A1'><v>1</v></c></row><row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    "spaces around =": b'<row r = "1"><c r = "A1"><v>1</v></c></row>'
    b'<row r =\n"1048576"><c r\t= "XFD1048576"><v>1</v></c></row>',
    "character references": b'<row r="1"><c r="&#65;1"><v>1</v></c></row>'
    b'<row r="1048576"><c r="&#x58;FD1048576"><v>1</v></c></row>',
}
DECLARED = {
    "double quotes": b'ref="A1:XFD1048576"',
    "single quotes": b"ref='A1:XFD1048576'",
    "spaces and a character reference": b'ref = "A1:&#88;FD1048576"',
}


def _far_row() -> bytes:
    return inline_row(1, HEADER) + b'<row r="1048576"><c><v>1</v></c></row>'


def _merged(count: int, rows: int) -> bytes:
    """A sheet of `rows` rows whose `count` merged ranges each claim everything from row 3 to the last cell."""
    body = inline_row(1, HEADER) + b"".join(inline_row(r, ["x"] * 5) for r in range(2, rows + 1))
    merges = b"".join(b'<mergeCell ref="A%d:XFD1048576"/>' % (3 + i % (rows - 2)) for i in range(count))
    return sheet_xlsx(worksheet(body, tail=b'<mergeCells count="%d">%s</mergeCells>' % (count, merges)))


def _styles(count: int) -> bytes:
    styles = (
        b"<styleSheet "
        + MAIN
        + b'><cellXfs count="%d">' % count
        + b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * count
        + b"</cellXfs></styleSheet>"
    )
    return sheet_xlsx(worksheet(b'<row r="1"><c r="A1"><v>1</v></c></row>'), styles=styles)


def _doctype() -> bytes:
    return sheet_xlsx(
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<worksheet " + MAIN + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )


def _control_characters() -> bytes:
    # What Excel writes for a NUL, a bell and a unit separator typed into cells: _xHHHH_ escapes.
    row = [HEADER, ["99952", "Xã _x0000_ Nul", "Xã_x0007_", "444", "01/01_x001F_/2016"]]
    return sheet_xlsx(worksheet(inline_row(1, row[0]) + inline_row(2, row[1])))


def _big_honest(rows: int = 20_000) -> bytes:
    return xlsx([HEADER] + [[f"{90000 + i}", f"Xã số {i}", "Xã", "444", "01/01/2016"] for i in range(rows)])


@dataclass(frozen=True)
class FileCase:
    """One crafted upload: what it is (the table's words), how it is built, what stops it."""

    key: str
    input: str
    file_name: str
    build: Callable[[], bytes] = field(compare=False)
    stopped_by: str
    needles: tuple = ()
    settings: dict = field(default_factory=dict, compare=False)
    refused: bool = True  # False: read without harm (it then fails on the header, or imports as text)


FILE_CASES = [
    *(
        FileCase(
            f"far-cell-{syntax.replace(' ', '-')}",
            f"2 KB .xlsx, a value in XFD1048576 (the last cell), `r` written with {syntax}",
            "goc.xlsx",
            (lambda rows=rows: sheet_xlsx(worksheet(rows))),
            "`NTM_MAX_SHEET_COLUMNS` (1,024), in the pre-scan",
            ("vượt giới hạn", "16.384"),
        )
        for syntax, rows in FAR_CELL.items()
    ),
    *(
        FileCase(
            f"declared-{syntax.replace(' ', '-')}",
            f"`<dimension {ref.decode()}/>` (17 billion cells declared), {syntax}",
            "khai_bao.xlsx",
            (lambda ref=ref: sheet_xlsx(worksheet(inline_row(1, ["Mã đơn vị"]), b"<dimension " + ref + b"/>"))),
            "nothing to stop: a declared range costs nothing (calamine sizes a sheet by its cells)",
            refused=False,
        )
        for syntax, ref in DECLARED.items()
    ),
    FileCase(
        "far-row",
        "a value in row 1,048,576 of a cell with no reference",
        "dong_xa.xlsx",
        lambda: sheet_xlsx(worksheet(_far_row())),
        "`NTM_MAX_IMPORT_ROWS` (500,000)",
        ("1048576 dòng", "500000"),
    ),
    FileCase(
        "merged-count",
        "100,001 merged ranges `A3:XFD1048576` (0.5 MB)",
        "gop.xlsx",
        lambda: _merged(100_001, 10),
        "`NTM_MAX_MERGED_RANGES` (100,000), in the pre-scan",
        ("vùng ô gộp", "100.000"),
    ),
    FileCase(
        "merged-area",
        "2,000 merged ranges `A3:XFD1048576` over a sheet of 3,000 rows",
        "gop_rong.xlsx",
        lambda: _merged(2_000, 3_000),
        "`NTM_MAX_SHEET_CELLS` (6,000,000) for the cells the ranges cover, cut to the sheet",
        ("vùng ô gộp", "6.000.000"),
    ),
    FileCase(
        "shared-string",
        "a 5,000,000-character shared string (under the part limit; 40 KB zipped)",
        "chuoi.xlsx",
        lambda: hostile.xlsx_parts(
            [b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'], [b"<si><t>" + b"x" * 5_000_000 + b"</t></si>"]
        ),
        "`NTM_MAX_STRING_CHARS` (32,767), in the pre-scan",
        ("5.000.000 ký tự", "32.767"),
    ),
    FileCase(
        "inline-string",
        "a 5,000,000-character inline string",
        "noi_tuyen.xlsx",
        lambda: sheet_xlsx(
            worksheet(b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"y" * 5_000_000 + b"</t></is></c></row>")
        ),
        "`NTM_MAX_STRING_CHARS` (32,767), in the pre-scan",
        ("vượt giới hạn", "A1"),
    ),
    FileCase(
        "text-node",
        "a 30,000,000-character text node",
        "rat_dai.xlsx",
        lambda: sheet_xlsx(
            worksheet(b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"z" * 30_000_000 + b"</t></is></c></row>")
        ),
        "libxml2's cap of 10 MB a text node (`huge_tree` off)",
        ("vượt giới hạn",),
    ),
    FileCase(
        "nesting",
        "XML nested 100,000 levels deep",
        "sau.xlsx",
        lambda: sheet_xlsx(
            worksheet(
                b'<row r="1"><c r="A1"><v>1</v></c></row>',
                b"<extLst>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</extLst>",
            )
        ),
        "libxml2's cap of 256 levels",
        ("vượt giới hạn", "lồng quá sâu"),
    ),
    FileCase(
        "styles",
        "2,000,000 cell styles in `styles.xml`",
        "kieu.xlsx",
        lambda: _styles(2_000_000),
        "`NTM_MAX_STYLES` (100,000), in the pre-scan",
        ("định dạng ô",),
    ),
    FileCase(
        "doctype",
        "a part with a DOCTYPE and nested entities (billion laughs)",
        "dtd.xlsx",
        _doctype,
        "no DTD in any part",
        ("DOCTYPE",),
    ),
    FileCase(
        "zip-bomb",
        "a 1 MB .xlsx whose sheet unzips to 1 GB",
        "bom.xlsx",
        hostile.zip_bomb,
        "`NTM_MAX_SHEET_XML_BYTES` (400 MB), before unzipping",
        ("giải nén ra quá lớn",),
    ),
    FileCase(
        "encrypted",
        "an encrypted .xlsx (a compound file with `EncryptionInfo` and `EncryptedPackage`)",
        "mat_khau.xlsx",
        hostile.encrypted_xlsx,
        "recognised before any parser runs",
        ("mật khẩu",),
    ),
    FileCase(
        "xls-dimensions",
        ".xls (3 KB) whose DIMENSIONS record claims 4,294,967,295 rows x 65,535 columns",
        "to.xls",
        lambda: hostile.xls(HONEST, dimensions=(0xFFFFFFFF, 0xFFFF)),
        "`NTM_PARSE_MEMORY_MB` (RLIMIT_AS): calamine asks for 11 PB and aborts, in the child",
        ("“to.xls” vượt giới hạn bộ nhớ",),
    ),
    FileCase(
        "xls-last-cell",
        ".xls with a value in its last cell (65,536 x 256)",
        "o_cuoi.xls",
        lambda: hostile.xls([*HONEST, *([[]] * 65_533), [*([None] * 255), 1]]),
        "`NTM_MAX_SHEET_CELLS` (6,000,000), after calamine, inside RLIMIT_AS",
        ("vượt giới hạn 6.000.000 ô",),
    ),
    FileCase(
        "ods-repeated-all",
        ".ods, one cell repeated over 1,048,576 rows x 16,384 columns",
        "lap.ods",
        lambda: hostile.ods_repeated(1_048_576, 16_384),
        "`NTM_MAX_SHEET_COLUMNS` (1,024), in the pre-scan",
        ("vượt giới hạn",),
    ),
    FileCase(
        "ods-repeated-square",
        ".ods, one cell repeated over 3,000 x 3,000",
        "lap_vuong.ods",
        lambda: hostile.ods_repeated(3_000, 3_000),
        "`NTM_MAX_SHEET_COLUMNS` (1,024), in the pre-scan",
        ("vượt giới hạn",),
    ),
    FileCase(
        "memory",
        "an honest 20,000-row file read with `NTM_PARSE_MEMORY_MB=30`",
        "lon.xlsx",
        _big_honest,
        "`NTM_PARSE_MEMORY_MB` (RLIMIT_AS of the child)",
        ("“lon.xlsx” vượt giới hạn bộ nhớ", "30 MB"),
        settings={"NTM_PARSE_MEMORY_MB": 30},
    ),
    FileCase(
        "control-characters",
        "NUL, BEL and US (`_x0000_` escapes) in text cells",
        "nul.xlsx",
        _control_characters,
        "refused by row and column (every column of every template: test_bad_input.py)",
        ("dòng 2", "ký tự điều khiển", "U+0000"),
    ),
    FileCase(
        "csv-nul",
        "a .csv with a NUL byte in a cell",
        "nul.csv",
        lambda: (
            "Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên,Hiệu lực từ\n99953,Xã\x00 Nul,Xã,444,01/01/2016\n".encode()
        ),
        "refused by row and column",
        ("dòng 2", "U+0000"),
    ),
    FileCase(
        "formula-text",
        'formula text in a cell (`=HYPERLINK("http://x","bấm")`)',
        "cong_thuc.xlsx",
        # A text cell (not a formula) holding what a formula would: as a clerk types it after an apostrophe.
        lambda: sheet_xlsx(
            worksheet(
                inline_row(1, HEADER)
                + inline_row(2, ["99954", '=HYPERLINK("http://x","bấm")', "Xã", "444", "01/01/2016"])
                .replace(b'"http://x","b', b"&quot;http://x&quot;,&quot;b")
                .replace(b'm")', b"m&quot;)")
            )
        ),
        "nothing to stop: stored as text, exported as text with Excel's quote prefix",
        refused=False,
    ),
]


@dataclass(frozen=True)
class DatabaseCase:
    key: str
    input: str
    backend: str
    scenario: str
    stopped_by: str


DATABASE_CASES = [
    DatabaseCase(
        "pg-terminate",
        "PostgreSQL: the importing connection killed (`pg_terminate_backend`) after the first chunk",
        "postgresql",
        "terminate",
        "one message for the file; the transaction rolled back",
    ),
    DatabaseCase(
        "pg-deadlock",
        "PostgreSQL: a deadlock with a second connection after the first chunk",
        "postgresql",
        "deadlock",
        "one message for the file; the transaction rolled back",
    ),
    DatabaseCase(
        "pg-full",
        "PostgreSQL: the disk full (SQLSTATE 53100) from the second chunk on",
        "postgresql",
        "full",
        "one message for the file; the transaction rolled back",
    ),
    DatabaseCase(
        "sqlite-full",
        "SQLite: the database full (SQLITE_FULL, `max_page_count`) after the first chunk",
        "sqlite",
        "full",
        "one message for the file; the transaction rolled back",
    ),
    DatabaseCase(
        "sqlite-locked",
        "SQLite: another writer holds the lock past the busy timeout",
        "sqlite",
        "conflict",
        "one message for the file; nothing begun",
    ),
    DatabaseCase(
        "pg-sigkill",
        "PostgreSQL: the importing process killed with SIGKILL after the first chunk (the admin's confirm)",
        "postgresql",
        "sigkill",
        "the database rolls back; the batch is marked failed when next looked at; the same confirm runs again",
    ),
    DatabaseCase(
        "sqlite-sigkill",
        "SQLite: the importing process killed with SIGKILL after the first chunk (the admin's confirm)",
        "sqlite",
        "sigkill",
        "the database rolls back; the batch is marked failed when next looked at; the same confirm runs again",
    ),
]


@dataclass(frozen=True)
class JobCase:
    """A background worker killed in the middle of a job (test_killed_jobs.py)."""

    key: str
    input: str
    backend: str
    scenario: str
    stopped_by: str


_KILLED_DOWNLOAD = (
    "the worker's heartbeat stops; the page shows the job failed once its last beat is NTM_JOB_STALE_SECONDS "
    "old, its half-written file removed; “Chạy lại” has a live worker build it again"
)
JOB_CASES = [
    JobCase(
        "pg-sigkill-download-reading",
        "PostgreSQL: the worker building a report's .xlsx (a background download) killed with SIGKILL while "
        "it reads the report",
        "postgresql",
        "reading",
        _KILLED_DOWNLOAD,
    ),
    JobCase(
        "pg-sigkill-download-writing",
        "PostgreSQL: the worker building a report's .xlsx killed with SIGKILL halfway through writing the file",
        "postgresql",
        "writing",
        _KILLED_DOWNLOAD,
    ),
    JobCase(
        "sqlite-sigkill-download-writing",
        "SQLite: the worker building a report's .xlsx killed with SIGKILL halfway through writing the file",
        "sqlite",
        "writing",
        _KILLED_DOWNLOAD,
    ),
]

# What the suite saw in this run, by case key: {"message", "rows_written", "seconds", "peak"}.
RESULTS: dict[str, dict] = {}


def record(key: str, *, message: str, rows_written: int, seconds: float | None = None, peak: str = "") -> None:
    RESULTS[key] = {"message": message, "rows_written": rows_written, "seconds": seconds, "peak": peak}


def cell(text) -> str:
    """Text as a Markdown table cell: one line, control characters shown as escapes, pipes escaped."""
    text = " ".join(str(text).split())
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 32 else c for c in text).replace("|", "\\|")


def fixed_columns(case, result: dict) -> tuple[str, str, str, str]:
    """(input, stopped by, message, rows written) of one case: the part of the table a test can check."""
    return (cell(case.input), cell(case.stopped_by), cell(result["message"] or "—"), str(result["rows_written"]))


def all_cases():
    return [*FILE_CASES, *DATABASE_CASES, *JOB_CASES]


TABLE_START = "<!-- The table: its input, stopped-by, message and rows columns are checked by make test. -->"
TABLE_END = "<!-- end of the table -->"
HEADINGS = ("input", "stopped by", "time", "peak memory", "message", "rows written")


def render_table(results: dict) -> str:
    """The whole table of docs/reliability.md, with the measured columns (time, peak memory) as recorded."""
    lines = ["| " + " | ".join(HEADINGS) + " |", "|" + "---|" * len(HEADINGS)]
    for case in all_cases():
        result = results[case.key]
        given, stopped, message, rows = fixed_columns(case, result)
        seconds = result.get("seconds")
        time_ = f"{seconds:.2f} s" if seconds is not None else "—"
        lines.append(f"| {given} | {stopped} | {time_} | {cell(result.get('peak') or '—')} | {message} | {rows} |")
    return "\n".join(lines)


def table_in(document: str) -> list[tuple[str, ...]]:
    """The fixed columns of every row of the table in a document (time and peak memory left out)."""
    import re

    body = document.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0]
    rows = [line for line in body.strip().splitlines() if line.startswith("|")][2:]
    out = []
    for line in rows:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        out.append((cells[0], cells[1], cells[4], cells[5]))
    return out
