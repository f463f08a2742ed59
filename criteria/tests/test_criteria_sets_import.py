"""The criteria-sets workbook: exported from any set, imported to create or update one, all or nothing."""

import pytest

from criteria.models import CriteriaSet, Indicator, IndicatorTarget
from criteria.tests.indicator_helpers import load, load_demo_set, xlsx
from ntm_site.spreadsheets.registry import get_resource

pytestmark = pytest.mark.django_db
HEAD = [
    "Mã bộ tiêu chí",
    "Tiêu chí số",
    "Mã chỉ tiêu",
    "Nội dung chỉ tiêu",
    "Cách so sánh",
    "Xã nhóm 1",
    "Xã nhóm 2",
    "Xã nhóm 3",
]


def row(code="1.1", number=1, comparison="≥", targets=("90", "80", "70"), set_code="qd-51-2025-xa"):
    return [set_code, number, code, f"Chỉ tiêu thử {code}", comparison, *targets]


def test_a_set_loads_with_indicators_and_group_targets():
    report = load("criteria-sets", xlsx(HEAD, [row(), row("1.2", comparison="Đạt/không đạt", targets=("", "", ""))]))
    assert report.ok, report.error_lines()
    first = Indicator.objects.get(criterion__criteria_set__code="qd-51-2025-xa", code="1.1")
    assert dict(first.targets.values_list("commune_group", "value")) == {"nhom_1": 90, "nhom_2": 80, "nhom_3": 70}


@pytest.mark.parametrize(
    ("rows", "column", "words"),
    [
        ([row(), row()], "Mã chỉ tiêu", "trùng"),
        ([row(targets=("90", "", "70"))], "Xã nhóm 2", "nhóm 2"),
        ([row(comparison="lớn hơn nhiều")], "Cách so sánh", "cần một trong"),
        ([row(number=11)], "Tiêu chí số", "10 tiêu chí"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(rows, column, words):
    report = load("criteria-sets", xlsx(HEAD, [row("3.1", number=3), *rows]))
    assert not report.ok
    assert any(e.column == column and words in e.message for e in report.errors), report.error_lines()
    assert not Indicator.objects.exists()


def test_a_base_set_that_does_not_exist_is_refused():
    head = [*HEAD, "Dựa trên bộ tiêu chí", "Tên bộ tiêu chí", "Áp dụng từ năm"]
    report = load("criteria-sets", xlsx(head, [[*row(set_code="ha-tinh-2026"), "qd-99-xa", "Bộ riêng", 2026]]))
    assert not report.ok
    assert any(e.column == "Dựa trên bộ tiêu chí" for e in report.errors)
    assert not CriteriaSet.objects.filter(code="ha-tinh-2026").exists()


def test_a_provinces_own_set_starts_from_the_national_one_with_stricter_targets():
    load_demo_set()
    head = [*HEAD, "Dựa trên bộ tiêu chí", "Tên bộ tiêu chí", "Áp dụng từ năm", "Áp dụng đến năm"]
    stricter = [
        *row(set_code="ha-tinh-2026", targets=("99", "95", "90")),
        "qd-51-2025-xa",
        "Bộ tiêu chí Hà Tĩnh",
        2026,
        2030,
    ]
    report = load("criteria-sets", xlsx(head, [stricter]))
    assert report.ok, report.error_lines()
    own = CriteriaSet.objects.get(code="ha-tinh-2026")
    assert own.base_set.code == "qd-51-2025-xa" and not own.is_national and own.target_basis == "group"
    assert Indicator.objects.filter(criterion__criteria_set=own).count() == 47
    assert (
        IndicatorTarget.objects.get(
            indicator__criterion__criteria_set=own, indicator__code="1.1", commune_group="nhom_2"
        ).value
        == 95
    )


def test_a_set_exports_in_the_layout_it_imports():
    load_demo_set()
    dataset = get_resource("criteria-sets")().export(CriteriaSet.objects.filter(code="qd-51-2025-xa"))
    assert len(dataset) == 47
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(dataset.headers)
    for values in dataset:
        ws.append(list(values))
    out = io.BytesIO()
    wb.save(out)
    report = load("criteria-sets", out.getvalue())
    assert report.ok and report.unchanged == 1, report.error_lines()
