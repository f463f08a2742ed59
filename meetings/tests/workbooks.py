"""Minutes workbooks for tests, in the demo's own columns."""

import io

import openpyxl

from seeds import build_meetings_demo as demo

SHEETS = {
    "meetings": ("Hội nghị", demo.meeting_rows),
    "participants": ("Thành phần", demo.participant_rows),
    "speeches": ("Phát biểu", demo.speech_rows),
    "conclusions": ("Kết luận", demo.conclusion_rows),
    "tasks": ("Nhiệm vụ", demo.task_rows),
}

HT = "HT-20160815-DUK"


def meeting_row(code=HT, **changes):
    """One row of the meetings sheet: the 15/08/2016 giao ban unless told otherwise."""
    header, rows = demo.meeting_rows()
    row = dict(zip(header, next(r for r in rows if r[0] == HT), strict=True))
    row["Mã hội nghị"] = code
    row.update(changes)
    return [row[h] for h in header]


def minutes_file(**sheets) -> bytes:
    """A minutes workbook with the given sheets: {"meetings": [row, …], "speeches": [...], …}."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for key, rows in sheets.items():
        title, source = SHEETS[key]
        header, _rows = source()
        ws = wb.create_sheet(title)
        ws.append(["BIÊN BẢN HỘI NGHỊ"])
        ws.append(header)
        for row in rows:
            ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
