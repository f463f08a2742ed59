"""export_report: the same reports from the command line."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def export(*args):
    out = io.StringIO()
    call_command("export_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_shape_of_the_decision_review(world):
    data = json.loads(export("decision-review", "--param", "decision=140-QĐ/TU", "--param", "as_of=2019-05-22"))
    assert set(data) == {"report", "params", "totals", "rows", "tables"}
    assert data["params"] == {"decision": "140-QĐ/TU", "as_of": "2019-05-22"}
    assert data["totals"]["organisations"] == {"phu_trach": 4, "ket_nghia": 1}
    assert data["totals"]["support_value_vnd"] == 180_000_000
    cement = next(r for r in data["rows"] if r["category_code"] == "xi-mang")
    assert {k: cement[k] for k in ("category", "unit", "quantity", "value_vnd")} == {
        "category": "Xi măng",
        "unit": "tấn",
        "quantity": 7,
        "value_vnd": 10_000_000,
    }


def test_json_shape_of_the_scorecard_and_the_summary(world):
    data = json.loads(export("sponsor-scorecard", "-p", "as_of=2019-05-22", "-p", "kind=so_nganh"))
    assert {"organisations", "communes", "communes_reached"} <= set(data["totals"])
    assert {"organisation", "short_name", "communes", "communes_reached", "support_value_vnd", "initiatives"} <= set(
        data["rows"][0]
    )
    data = json.loads(export("criteria-summary", "-p", "province=Tỉnh Hà Tĩnh", "-p", "year=2017"))
    assert data["totals"]["bands"] == {"19": 1, "15-18": 1, "10-14": 1, "5-9": 1, "0-4": 1}
    assert data["rows"][0] == {"number": 17, "name": data["rows"][0]["name"], "assessed": 5, "met": 1, "rate": 20.0}


def test_ambiguous_name_is_an_error_listing_the_candidates(world):
    with pytest.raises(CommandError) as error:
        export("criteria-summary", "-p", "district=Kỳ Anh", "-p", "year=2017")
    assert "Huyện Kỳ Anh" in str(error.value) and "Thị xã Kỳ Anh" in str(error.value)


def test_unknown_report_or_parameter_is_an_error(world):
    with pytest.raises(CommandError, match="Không có báo cáo"):
        export("no-such-report")
    with pytest.raises(CommandError, match="không có tham số: colour"):
        export("tasks", "-p", "colour=red")
    with pytest.raises(CommandError, match="NAME=VALUE"):
        export("tasks", "-p", "as_of")


def test_xlsx_and_csv_to_a_file(world, tmp_path):
    target = tmp_path / "so.xlsx"
    export("support-ledger", "-p", "group_by=category,year", "--format", "xlsx", "-o", str(target))
    ws = load_workbook(target).active
    assert ws["A1"].value == "Sổ tổng hợp kết quả hỗ trợ"
    with pytest.raises(CommandError, match="--output"):
        export("support-ledger", "--format", "xlsx")
    target = tmp_path / "so.csv"
    export("support-ledger", "-p", "group_by=year", "--format", "csv", "-o", str(target))
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert rows[0] == ["Năm", "Số lần", "Giá trị (đồng)"]
    assert ["2014", "1", "5000000"] in rows


def test_list_describes_every_report_and_its_parameters(db):
    text = export("--list")
    assert "decision-review" in text and "initiative_fields" in text and "tasks" in text
