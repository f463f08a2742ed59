"""Build the 2026 demo workbooks: an ILLUSTRATIVE indicator set for QĐ 51/2025, Hà Tĩnh's commune groups, 2026 sheets.

    seeds/data/31_criteria-sets.xlsx          47 indicators of qd-51-2025-xa with targets per commune group
    seeds/data/32_commune-groups.xlsx         a group for every rural commune of Hà Tĩnh on the 2025 map
    seeds/data/33_indicator-results-wide.xlsx 2026 results of six of those communes, indicator by indicator

NOTHING in them is official. The decision's annex (the wording of the 47 indicators and their
targets) is not in our sources, so the texts say "minh họa", the split of the 47 indicators over
the 10 criteria, the units, comparisons and targets are ours, and the groups and values are made
up. The set's note, loaded with the workbook, says so on the set itself. A province loads the
official wording with the same template (criteria-sets) from the text it holds.

Deterministic: running it again writes the same bytes. Run from the project root:

    .venv/bin/python seeds/build_indicators_demo.py
"""

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "seeds" / "data"
SET_CODE = "qd-51-2025-xa"
PROVINCE = "Tỉnh Hà Tĩnh"
YEAR = 2026
ILLUSTRATIVE = "minh họa, không phải văn bản chính thức"
SET_NOTE = (
    "Dữ liệu mẫu: nội dung, đơn vị và mức của 47 chỉ tiêu là " + ILLUSTRATIVE + ". "
    "Tỉnh nạp nội dung chính thức (Phụ lục I) bằng biểu mẫu criteria-sets."
)
# Indicators per criterion (ours: the annex gives 47 in all, its split is not in our sources).
SPLIT = [3, 8, 5, 3, 7, 4, 4, 6, 4, 3]
GROUP_LABELS = {"nhom_1": "Xã nhóm 1", "nhom_2": "Xã nhóm 2", "nhom_3": "Xã nhóm 3"}


def indicators():
    """(criterion, code, value type, comparison, unit, targets by group) of the 47 illustrative indicators."""
    out = []
    for number, count in enumerate(SPLIT, start=1):
        for position in range(1, count + 1):
            code = f"{number}.{position}"
            kind = (number + position) % 3
            if kind == 0:
                out.append((number, code, "Có/không", "Đạt/không đạt", "", ("", "", "")))
            elif kind == 1:
                base = 70 + (number * 3 + position) % 25
                out.append((number, code, "Tỷ lệ (%)", "≥", "%", (str(base + 5), str(base), str(base - 10))))
            else:
                base = 2 + (number + position) % 5
                out.append((number, code, "Số", "≥", "công trình", (str(base + 1), str(base), str(max(1, base - 1)))))
    assert len(out) == 47
    return out


def communes():
    from vietnamadminunits.database import query

    rows = query("SELECT province, wardCode, ward, wardType FROM admin_units")
    return sorted((r["wardCode"], r["ward"]) for r in rows if r["province"] == PROVINCE and r["wardType"] == "Xã")


def group_of(index):
    return "nhom_1" if index % 7 == 0 else ("nhom_3" if index % 3 == 0 else "nhom_2")


def value_of(index, indicator):
    number, code, kind, _cmp, _unit, targets = indicator
    seed = (index * 31 + number * 7 + int(code.split(".")[1]) * 3) % 10
    if kind == "Có/không":
        return "Đạt" if seed < 8 else "Chưa đạt"
    if kind == "Tỷ lệ (%)":
        return f"{min(100, int(targets[1]) - 4 + seed)}%"
    return str(int(targets[1]) - 1 + seed % 3)


def sheet(headers, rows, title) -> bytes:
    import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Nhập liệu"
    ws.append([title])
    ws.append([])
    ws.append(headers)
    ws.append([])
    for row in rows:
        ws.append(row)
    wb.properties.created = datetime.datetime(2026, 3, 1, 0, 0)
    wb.properties.creator = wb.properties.lastModifiedBy = "NTM records demo"
    buf = io.BytesIO()
    wb.save(buf)
    from seeds.build_criteria_demo import reproducible

    return reproducible(buf.getvalue())


def criteria_sets() -> bytes:
    headers = [
        "Mã bộ tiêu chí",
        "Ghi chú bộ tiêu chí",
        "Mức chỉ tiêu theo",
        "Tiêu chí số",
        "Mã chỉ tiêu",
        "Nội dung chỉ tiêu",
        "Đơn vị tính",
        "Loại giá trị",
        "Cách so sánh",
        *GROUP_LABELS.values(),
    ]
    rows = []
    for i, (number, code, kind, comparison, unit, targets) in enumerate(indicators()):
        text = f"Chỉ tiêu {code} của tiêu chí {number} (nội dung {ILLUSTRATIVE})"
        head = [SET_CODE, SET_NOTE, "Theo nhóm xã"] if i == 0 else [SET_CODE, "", ""]
        rows.append([*head, number, code, text, unit, kind, comparison, *targets])
    return sheet(headers, rows, "BỘ TIÊU CHÍ: TIÊU CHÍ, CHỈ TIÊU VÀ MỨC CHỈ TIÊU (MINH HỌA)")


def commune_groups(found) -> bytes:
    headers = ["Mã xã", "Tên xã", "Nhóm xã", "Từ năm", "Đến năm", "Căn cứ phân nhóm"]
    basis = "Phân nhóm " + ILLUSTRATIVE + " (dữ liệu mẫu)"
    rows = [[code, name, GROUP_LABELS[group_of(i)], YEAR, "", basis] for i, (code, name) in enumerate(found)]
    return sheet(headers, rows, "DANH SÁCH PHÂN NHÓM XÃ (MINH HỌA)")


def results(found) -> bytes:
    items = indicators()
    headers = ["Mã xã", "Tên xã", "Năm", *(i[1] for i in items), "Ghi chú"]
    rows = []
    for index, (code, name) in enumerate(found[:6]):
        rows.append([code, name, YEAR, *(value_of(index, i) for i in items), "Số liệu minh họa"])
    return sheet(headers, rows, "BẢNG TỔNG HỢP KẾT QUẢ CÁC CHỈ TIÊU (MINH HỌA)")


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_site.settings")
    import django

    django.setup()
    found = communes()
    (DATA / "31_criteria-sets.xlsx").write_bytes(criteria_sets())
    (DATA / "32_commune-groups.xlsx").write_bytes(commune_groups(found))
    (DATA / "33_indicator-results-wide.xlsx").write_bytes(results(found))
    print(f"47 indicators, {len(found)} Hà Tĩnh communes grouped, 6 sheets of {YEAR}")


if __name__ == "__main__":
    main()
