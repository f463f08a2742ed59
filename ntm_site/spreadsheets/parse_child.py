"""The reader of untrusted workbooks, run in a process of its own with hard limits (see sandbox.py).

    python -I parse_child.py '<job as JSON>' < workbook bytes > marshal of the result

The parent (the web worker) starts this file with a clean interpreter (`-I`: no environment, no
current directory on the path) and no Django. The first thing it does is lower its own limits:
address space (RLIMIT_AS), CPU seconds (RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL one second
later), no files written, no core dumps. Only then does it read the upload from stdin, measure the
zip parts, pre-scan the XML with a real streaming parser (lxml, no DTD, no entities, no network,
libxml2's own caps on text nodes and nesting kept) and let python-calamine build the sheets.
Whatever calamine does with a crafted file (a Rust allocation failure aborts the process), only
this process dies: the parent turns the exit into one Vietnamese message.

The answer is one `marshal` blob (never pickle: the parent must not run code a compromised child
sends): ("ok", sheets) or ("refused", code, params). Dates and times, which marshal cannot carry,
travel as tagged tuples in the rows listed in `special` (most rows have none).

This module imports nothing of the project, so that `-I` can run it as a plain file; its scanners
are also imported by the parent for CSV extents (`Extent`) and by the tests.
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
import marshal
import re
import sys
import zipfile

# Defaults; the parent always sends its settings (sandbox.job_limits()).
DEFAULTS = {
    "max_cells": 6_000_000,
    "max_columns": 1024,
    "max_rows": 500_000,
    "max_part_bytes": 400 * 1024 * 1024,
    "max_shared_strings_bytes": 64 * 1024 * 1024,
    "max_string_chars": 32_767,
    "max_styles": 100_000,
    "max_merged": 100_000,
    "max_output_bytes": 512 * 1024 * 1024,
}
_REF = re.compile(r"^\$?([A-Za-z]{1,4})\$?([0-9]{1,9})$")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_STYLE_TAGS = ("xf", "font", "fill", "border", "numFmt", "dxf", "cellStyle", "tableStyle")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Refusal(Exception):
    """The file is past a limit or unreadable: a code and the figures the message needs."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def set_limits(memory_bytes: int, cpu_seconds: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# --- extents --------------------------------------------------------------------------------


def cell_name(row: int, col: int) -> str:
    """Excel's name of a cell: (1048576, 16384) -> "XFD1048576"."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def parse_ref(ref: str | None):
    """(row, col) of "XFD1048576" / "$B$7"; None when it is not a cell reference."""
    m = _REF.match(ref.strip()) if ref else None
    if not m:
        return None
    return int(m.group(2)), column_number(m.group(1))


class Extent:
    """The rectangle of cells holding values, refused as soon as it passes a limit."""

    def __init__(self, sheet: str, limits: dict, *, cells: bool = True):
        self.sheet = sheet
        self.rows = 0
        self.cols = 0
        self.cell_cap = limits["max_cells"] if cells else float("inf")
        self.col_cap = limits["max_columns"]

    def add(self, row: int, col: int, code: str = "") -> None:
        if col > self.cols:
            self.cols = col
            if col > self.col_cap:
                raise Refusal(
                    (code or "columns"), sheet=self.sheet, cell=cell_name(row, col), col=col, limit=self.col_cap
                )
        if row > self.rows:
            self.rows = row
        if self.rows * self.cols > self.cell_cap:
            raise Refusal(
                (code or "cells"),
                sheet=self.sheet,
                cell=cell_name(row, col),
                rows=self.rows,
                cols=self.cols,
                limit=self.cell_cap,
            )


# --- the XML pre-scan -----------------------------------------------------------------------


def _iterparse(part, **kwargs):
    from lxml import etree

    # huge_tree off keeps libxml2's caps: a text node of 10 MB at most, elements nested 256 deep at most.
    return etree.iterparse(
        part, huge_tree=False, resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True, **kwargs
    )


def _scan(zf, info, handler, **kwargs):
    """Run `handler(iterator)` over a part, turning parser failures into refusals."""
    from lxml import etree

    with zf.open(info) as part:
        events = _iterparse(part, **kwargs)
        try:
            handler(_no_doctype(events, info.filename))
        except etree.XMLSyntaxError as e:
            text = str(e).lower()
            if "depth" in text or "huge" in text or "too long" in text or "limit" in text:
                raise Refusal("xml_limit", part=info.filename) from None
            raise Refusal("corrupt") from None


def _no_doctype(events, name):
    """No OOXML or ODF part has a DTD: a part that declares one (entities, bombs) is refused.

    Judged on the first event; the rest go on unwrapped (a sheet is hundreds of thousands of events).
    """
    events = iter(events)
    for event, elem in events:
        docinfo = elem.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise Refusal("doctype", part=name)
        return itertools.chain([(event, elem)], events)
    return events


def _drop_done(elem):
    """Free what the scan has read: the element and its earlier siblings."""
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def _strip(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def check_xlsx(zf: zipfile.ZipFile, limits: dict) -> None:
    """Every XML part through the streaming parser; sheets, shared strings and styles measured."""
    for info in zf.infolist():
        name = info.filename
        lower = name.lower()
        if not lower.endswith((".xml", ".rels")):
            continue
        if lower.endswith("sharedstrings.xml"):
            if info.file_size > limits["max_shared_strings_bytes"]:
                raise Refusal("shared_strings_bytes", size=info.file_size, limit=limits["max_shared_strings_bytes"])
            _scan(zf, info, lambda ev: _shared_strings(ev, limits), events=("end",), tag=_MAIN + "si")
        elif lower.endswith("styles.xml") and lower.startswith("xl/"):
            _scan(zf, info, lambda ev: _styles(ev, limits), events=("end",), tag=[_MAIN + t for t in _STYLE_TAGS])
        elif lower.startswith("xl/") and "sheet" in lower.rsplit("/", 1)[-1]:
            sheet = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            # <dimension ref="A1:AMJ1048576"/> is not read: calamine sizes a sheet by the cells it finds, not by
            # the range a sheet declares (LibreOffice declares whole columns), so only the cells count.
            tags = [_MAIN + t for t in ("row", "c", "is", "mergeCell")]
            _scan(zf, info, lambda ev, s=sheet: _sheet(ev, s, limits), events=("start", "end"), tag=tags)
        else:
            _scan(zf, info, _drain, events=("end",))


def _drain(events):
    for _event, elem in events:
        _drop_done(elem)


def _text_length(elem) -> int:
    if len(elem) == 1:  # <is><t>…</t></is>, <si><t>…</t></si>: the usual string, one text node
        (t,) = elem
        if not len(t) and not t.tail and not elem.text:
            return len(t.text or "")
    return sum(len(t) for t in elem.itertext())


def _shared_strings(events, limits):
    cap = limits["max_string_chars"]
    for count, (_event, si) in enumerate(events, start=1):
        n = _text_length(si)
        if n > cap:
            raise Refusal("string", where=f"#{count}", chars=n, limit=cap)
        if count > limits["max_cells"]:
            raise Refusal("shared_strings_count", count=count, limit=limits["max_cells"])
        _drop_done(si)


def _styles(events, limits):
    cap = limits["max_styles"]
    for count, (_event, elem) in enumerate(events, start=1):
        if count > cap:
            raise Refusal("styles", limit=cap)
        _drop_done(elem)


_ROW, _CELL, _INLINE, _MERGE = _MAIN + "row", _MAIN + "c", _MAIN + "is", _MAIN + "mergeCell"


def _sheet(events, sheet, limits):
    """Rows, cells, inline strings and merged ranges of a sheet part (the events of those four tags only)."""
    extent = Extent(sheet, limits)
    cap = limits["max_string_chars"]
    row = col = merged = 0
    columns = {}  # "AB" -> 28: a sheet repeats the same few column letters on every row
    match = _REF.match
    for event, elem in events:
        tag = elem.tag
        if event == "end":
            if tag == _CELL:
                if len(elem):  # a value, a formula or an inline string: an empty styled cell costs nothing
                    extent.add(max(row, 1), col)
            elif tag == _MERGE:
                # Each merged range is a pair of corners to calamine, but the reader fills every cell it covers.
                merged += 1
                if merged > limits["max_merged"]:
                    raise Refusal("merged_count", sheet=sheet, limit=limits["max_merged"])
                _drop_done(elem)
            elif tag == _INLINE:
                n = _text_length(elem)
                if n > cap:
                    raise Refusal("string", where=cell_name(max(row, 1), max(col, 1)), chars=n, limit=cap)
            elif tag == _ROW:
                _drop_done(elem)
            continue
        if tag == _CELL:
            ref = elem.get("r")
            m = match(ref.strip()) if ref else None  # parse_ref(), its column letters memoised
            if m:
                letters = m.group(1)
                col = columns.get(letters)
                if col is None:
                    col = columns[letters] = column_number(letters)
                row = int(m.group(2))
            elif ref and ref.strip():
                raise Refusal("corrupt")
            else:
                col += 1  # a cell without a reference takes the next column
        elif tag == _ROW:
            r = elem.get("r")
            row = int(r) if r and r.isdigit() and len(r) < 10 else row + 1
            col = 0


def check_ods(zf: zipfile.ZipFile, limits: dict) -> None:
    """Repeated rows and cells of every OpenDocument sheet, unfolded the way readers do, before they do."""
    for info in zf.infolist():
        if info.filename.lower().endswith(".xml") and info.filename != "content.xml":
            _scan(zf, info, _drain, events=("end",))
    try:
        info = zf.getinfo("content.xml")
    except KeyError:
        return
    tags = [_TABLE + t for t in ("table", "table-row", "table-cell", "covered-table-cell")]
    _scan(zf, info, lambda ev: _ods(ev, limits), events=("start", "end"), tag=tags)


def _repeat(elem, name) -> int:
    value = elem.get(_TABLE + name)
    if value and value.isdigit():
        return int(value) if len(value) < 10 else 10**9
    return 1


def _ods(events, limits):
    extent = Extent("content.xml", limits)
    row = col = 0
    repeat_rows = 1
    for event, elem in events:
        tag = _strip(elem.tag)
        if tag == "table":
            if event == "start":
                extent = Extent(elem.get(_TABLE + "name") or "?", limits)
                row = 0
            else:
                _drop_done(elem)
            continue
        if tag == "table-row":
            if event == "start":
                repeat_rows = _repeat(elem, "number-rows-repeated")
                col = 0
            else:
                row += repeat_rows
                _drop_done(elem)
            continue
        if event == "end":
            continue
        col += _repeat(elem, "number-columns-repeated")
        if elem.get(_OFFICE + "value-type"):
            extent.add(row + repeat_rows, col)


def check_zip(zf: zipfile.ZipFile, limits: dict) -> None:
    max_part = limits["max_part_bytes"]
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > max_part or total > 2 * max_part:
            raise Refusal("unzipped", limit=max_part)


# --- reading --------------------------------------------------------------------------------


def _pack(value):
    t = type(value)
    if t is datetime.datetime:
        return ("dt", value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond)
    if t is datetime.date:
        return ("d", value.year, value.month, value.day)
    if t is datetime.time:
        return ("t", value.hour, value.minute, value.second, value.microsecond)
    if t is datetime.timedelta:
        return ("td", value.days, value.seconds, value.microseconds)
    return value


def unpack(value):
    kind = value[0]
    if kind == "dt":
        return datetime.datetime(*value[1:])
    if kind == "d":
        return datetime.date(*value[1:])
    if kind == "t":
        return datetime.time(*value[1:])
    return datetime.timedelta(*value[1:])


_PLAIN = (str, int, float, bool, type(None))


def read_calamine(data: bytes, limits: dict) -> list:
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise Refusal("encrypted") from None
    except Exception:
        raise Refusal("corrupt") from None
    sheets = []
    for meta in book.sheets_metadata:
        if str(meta.typ) != str(pc.SheetTypeEnum.WorkSheet) or str(meta.visible) != str(pc.SheetVisibleEnum.Visible):
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
        except Exception:
            raise Refusal("sheet_corrupt", sheet=meta.name) from None
        if sheet.height > limits["max_rows"]:
            raise Refusal("rows", sheet=meta.name, rows=sheet.height, limit=limits["max_rows"])
        Extent(meta.name, limits).add(sheet.height, sheet.width)
        start = sheet.start or (0, 0)
        try:
            ranges = sheet.merged_cell_ranges or []
        except Exception:
            ranges = []
        merged = _merged_within(ranges, meta.name, start, sheet.height, sheet.width, limits)
        rows = list(sheet.iter_rows()) if sheet.height else []
        special = []
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if not isinstance(value, _PLAIN):
                    row[j] = _pack(value)
                    if not special or special[-1] != i:
                        special.append(i)
        sheets.append((meta.name, rows, start[0] + 1, start[1], merged, special))
    return sheets


def _merged_within(ranges, name, start, height, width, limits) -> list:
    """Merged ranges cut to the cells the sheet holds: a range "A3:XFD1048576" over a sheet of 200 rows and 5
    columns covers 198 x 5 cells, not 17 billion, and all of them together at most NTM_MAX_SHEET_CELLS."""
    if len(ranges) > limits["max_merged"]:
        raise Refusal("merged_count", sheet=name, limit=limits["max_merged"])
    last_row, last_col = start[0] + height - 1, start[1] + width - 1
    merged, area = [], 0
    for (r1, c1), (r2, c2) in ranges:
        r2, c2 = min(r2, last_row), min(c2, last_col)
        if r1 > r2 or c1 > c2 or (r1 == r2 and c1 == c2):
            continue
        area += (r2 - r1 + 1) * (c2 - c1 + 1)
        if area > limits["max_cells"]:
            raise Refusal("merged", sheet=name, limit=limits["max_cells"])
        merged.append(((r1, c1), (r2, c2)))
    return merged


def parse(data: bytes, fmt: str, limits: dict) -> list:
    if fmt in ("xlsx", "ods"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                check_zip(zf, limits)
                (check_xlsx if fmt == "xlsx" else check_ods)(zf, limits)
        except zipfile.BadZipFile:
            raise Refusal("corrupt_zip") from None
    return read_calamine(data, limits)


def main(argv) -> int:
    job = json.loads(argv[1])
    set_limits(job["memory_bytes"], job["cpu_seconds"])
    limits = {**DEFAULTS, **job.get("limits", {})}
    data = sys.stdin.buffer.read()
    try:
        result = ("ok", parse(data, job["format"], limits))
    except Refusal as e:
        result = ("refused", e.code, e.params)
    except MemoryError:
        result = ("refused", "memory", {})
    blob = marshal.dumps(result)
    if len(blob) > limits["max_output_bytes"]:
        blob = marshal.dumps(("refused", "output", {"size": len(blob), "limit": limits["max_output_bytes"]}))
    sys.stdout.buffer.write(blob)
    sys.stdout.buffer.flush()
    # The peak memory of this process since it started (not ru_maxrss, which counts the parent it forked from).
    sys.stderr.write(f"\n{PEAK_MARK}{_peak_kib()}\n")
    return 0


PEAK_MARK = "ntm-peak-kib="


def _peak_kib() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
