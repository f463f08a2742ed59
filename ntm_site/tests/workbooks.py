"""Builders of workbook files for tests: what clerks' real files look like."""

import io

import openpyxl


def xlsx(rows, *, title_rows=(), sheet="Sheet1", merged=(), extra_sheets=()):
    """An .xlsx whose first sheet holds `title_rows`, then `rows` (header first)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in title_rows:
        ws.append(list(r))
    for r in rows:
        ws.append(list(r))
    for ref in merged:
        ws.merge_cells(ref)
    for name, other in extra_sheets:
        extra = wb.create_sheet(name)
        for r in other:
            extra.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, *, encoding="utf-8", delimiter=","):
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for r in rows:
        writer.writerow(["" if v is None else v for v in r])
    text = out.getvalue()
    if encoding == "utf-8-sig":
        return text.encode("utf-8-sig")
    if encoding == "utf-16":
        return text.encode("utf-16")  # with BOM, as Excel's "Unicode text" writes it
    return text.encode(encoding)
