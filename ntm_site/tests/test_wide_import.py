"""The wide criteria workbook: one row per commune, TC1..TC19 side by side."""

import pytest

from criteria.choices import AssessmentStatus
from criteria.models import Assessment
from criteria.resources import AssessmentWideResource
from ntm_site.spreadsheets.services import workbook_import
from ntm_site.tests.workbooks import xlsx

HEADER = ["STT", "Mã xã", "Tên xã", "Năm", *[f"TC{n}" for n in range(1, 20)], "Ghi chú"]


def wide(*rows, title=True):
    return xlsx(
        [HEADER, *rows],
        title_rows=[["UBND HUYỆN HƯƠNG KHÊ"], ["BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ NTM"], []] if title else [],
    )


@pytest.mark.django_db
def test_wide_row_becomes_nineteen_assessments(criteria_set, superuser):
    row = [
        1,
        "18559",
        "Xã Hương Liên",
        2019,
        *(["Đạt"] * 10 + ["x", "1", "Chưa đạt", "0", "-", "", None, "Đạt", "Đạt"]),
    ]
    report = workbook_import(resource_class=AssessmentWideResource, file=wide(row), user=superuser)
    assert report.ok, report.error_lines()
    assert report.created == 17  # two blank cells leave their criteria alone
    rows = Assessment.objects.filter(commune__code="18559", year=2019)
    assert rows.filter(status=AssessmentStatus.MET).count() == 14
    assert rows.filter(status=AssessmentStatus.NOT_MET).count() == 3
    assert rows.first().assessed_by == superuser
