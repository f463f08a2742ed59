"""Build seeds/data/30_assessments-wide.xlsx: the 2017 criteria results of Huyện Kỳ Anh (Hà Tĩnh).

Published figure (Huyện ủy Kỳ Anh, Q1 2017 review, reported 14/04/2017): the district's NTM
programme stood at an average of 9.8 criteria per commune. Only that average is published.
Everything below it is the project's own illustrative choice:

- the communes are the 19 rural communes (kind "xã") of the legacy Huyện Kỳ Anh in the
  official unit list (the list as it stood before 07/2025, so Lâm Hợp appears as one commune;
  Thị trấn Kỳ Đồng is a township and Thị xã Kỳ Anh another district, both left out);
- the split of criteria met per commune (table SPLIT) totals 186, and 186 / 19 = 9.789…,
  which rounds to 9.8 with one decimal (185 would give 9.7, 187 gives 9.84: 186 is the
  total closest to 9.80);
- which criteria each commune met follows the order of difficulty the Hà Tĩnh bloc reported
  in 2016 (criteria 17, 2, 6, 10, 11, 5, 16 weakest), with a little variety between communes.

Deterministic: running it again writes the same workbook. Run from the project root:

    .venv/bin/python seeds/build_criteria_demo.py
"""

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "seeds" / "data" / "30_assessments-wide.xlsx"
YEAR = 2017
PROVINCE, DISTRICT = "Tỉnh Hà Tĩnh", "Huyện Kỳ Anh"

# Criteria from the most often met to the least (illustrative, see above).
EASIEST_FIRST = [4, 8, 19, 1, 3, 12, 9, 15, 14, 18, 13, 7, 16, 5, 11, 10, 6, 2, 17]

# Criteria met per commune in 2017 (illustrative; only the 9.8 average is published).
SPLIT = {
    "Xã Kỳ Xuân": 9,
    "Xã Kỳ Bắc": 10,
    "Xã Kỳ Phú": 9,
    "Xã Kỳ Phong": 11,
    "Xã Kỳ Tiến": 12,
    "Xã Kỳ Giang": 10,
    "Xã Kỳ Khang": 9,
    "Xã Kỳ Văn": 8,
    "Xã Kỳ Trung": 10,
    "Xã Kỳ Thọ": 9,
    "Xã Kỳ Tây": 8,
    "Xã Kỳ Thượng": 8,
    "Xã Kỳ Hải": 10,
    "Xã Kỳ Thư": 11,
    "Xã Kỳ Châu": 10,
    "Xã Kỳ Tân": 9,
    "Xã Lâm Hợp": 14,
    "Xã Kỳ Sơn": 9,
    "Xã Kỳ Lạc": 10,
}


def communes():
    """(code, name) of the rural communes of Huyện Kỳ Anh in the official legacy list."""
    from vietnamadminunits.database import query

    rows = query("SELECT provinceCode, province, district, wardCode, ward, wardType FROM admin_units_legacy")
    return sorted(
        (r["wardCode"], r["ward"])
        for r in rows
        if r["province"] == PROVINCE and r["district"] == DISTRICT and r["wardType"] == "Xã"
    )


def met_criteria(index: int, count: int) -> set[int]:
    """The `count` easiest criteria, the last one swapped with the next for every other commune."""
    chosen = EASIEST_FIRST[:count]
    if index % 2 and count < len(EASIEST_FIRST):
        chosen = [*chosen[:-1], EASIEST_FIRST[count]]
    return set(chosen)


def rows():
    found = communes()
    names = [name for _code, name in found]
    if sorted(names) != sorted(SPLIT):
        sys.exit(f"The unit list changed: {sorted(set(names) ^ set(SPLIT))}")
    out = []
    for index, (code, name) in enumerate(found):
        met = met_criteria(index, SPLIT[name])
        out.append([code, name, YEAR, *("Đạt" if n in met else "Chưa đạt" for n in range(1, 20)), ""])
    return out


def build() -> bytes:
    import datetime

    from openpyxl import load_workbook

    from criteria.resources import AssessmentWideResource
    from ntm_site.spreadsheets.workbooks import template_workbook

    data = rows()
    total = sum(SPLIT.values())
    assert round(total / len(data), 1) == 9.8, total
    wb = load_workbook(io.BytesIO(template_workbook(AssessmentWideResource)))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[3]]
    assert headers[:3] == ["Mã xã (*)", "Tên xã", "Năm (*)"] and headers[3] == "TC1", headers
    for offset, values in enumerate(data):
        for column, value in enumerate(values, start=1):
            if value != "":
                ws.cell(row=5 + offset, column=column, value=value)
    wb.properties.created = datetime.datetime(2017, 4, 14, 0, 0)
    wb.properties.creator = wb.properties.lastModifiedBy = "NTM records demo"
    buf = io.BytesIO()
    wb.save(buf)
    return reproducible(buf.getvalue())


def reproducible(content: bytes) -> bytes:
    """The same .xlsx with the save time taken out (openpyxl stamps "modified" and zip entry dates)."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2017-04-14T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2017, 4, 14, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_site.settings")
    import django

    django.setup()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    total = sum(SPLIT.values())
    print(f"{OUT.relative_to(ROOT)}: {len(SPLIT)} communes, {total} criteria met, average {total / len(SPLIT):.3f}")


if __name__ == "__main__":
    main()
