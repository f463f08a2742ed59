"""Figures and dates as the sources print them, and the support sentence of the 140-QĐ/TU review."""

import datetime
from decimal import Decimal

import pytest

from reports.documents.formats import (
    place_date_line,
    vn_date,
    vn_decimal,
    vn_int,
    vn_percent,
    vn_quantity,
    vnd_phrase,
)
from reports.documents.phrases import SupportItem, support_clauses, support_sentence


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (7, "7"),
        (7120, "7.120"),
        (1234567, "1.234.567"),
        (50_312_400_000, "50.312.400.000"),
        (-2500, "-2.500"),
    ],
)
def test_whole_numbers_group_thousands_with_dots(value, text):
    assert vn_int(value) == text


def test_decimals_use_a_comma_and_drop_a_zero_fraction():
    assert vn_decimal(9.8) == "9,8"
    assert vn_decimal(Decimal("224.80"), 1) == "224,8"
    assert vn_decimal(1234.5) == "1.234,5"
    assert vn_decimal(7.0) == "7"
    assert vn_percent(82.14) == "82,1%"
    assert vn_quantity(Decimal("7.00")) == "7"
    assert vn_quantity(Decimal("2.50")) == "2,5"


def test_money_in_running_text_is_rounded_down_as_reports_say_it():
    assert vnd_phrase(50_312_400_000) == "hơn 50 tỷ đồng"
    assert vnd_phrase(50_000_000_000) == "50 tỷ đồng"
    assert vnd_phrase(10_000_000) == "10 triệu đồng"
    assert vnd_phrase(2_500_000) == "hơn 2 triệu đồng"
    assert vnd_phrase(500_000) == "500.000 đồng"


def test_dates_read_day_month_year():
    assert vn_date(datetime.date(2016, 3, 1)) == "01/03/2016"


def test_date_line_pads_small_days_and_january_february_only():
    assert place_date_line("Hà Tĩnh", date=datetime.date(2019, 2, 5)) == "Hà Tĩnh, ngày 05 tháng 02 năm 2019"
    assert place_date_line("Ninh Bình", date=datetime.date(2019, 5, 22)) == "Ninh Bình, ngày 22 tháng 5 năm 2019"


def test_date_line_without_a_date_leaves_day_and_month_to_the_signer():
    line = place_date_line("Hà Tĩnh", year=2016)
    assert line.startswith("Hà Tĩnh, ngày ")
    assert line.endswith(" năm 2016")
    assert "tháng" in line
    assert not any(ch.isdigit() for ch in line[: -len("2016")])


NINH_BINH_SUPPORT = [
    SupportItem("Nhà tình nghĩa", "nhà", Decimal(24), group="Nhà ở"),
    SupportItem("Nhà đại đoàn kết", "nhà", Decimal(6), group="Nhà ở"),
    SupportItem("Nhà mái ấm tình thương", "nhà", Decimal(1), group="Nhà ở"),
    SupportItem("Nhà mái ấm công đoàn", "nhà", Decimal(1), group="Nhà ở"),
    SupportItem("Nhà khăn quàng đỏ", "nhà", Decimal(1), group="Nhà ở"),
    SupportItem("Nhà văn hóa", "nhà", Decimal(15), kind="cong_trinh"),
    SupportItem("Sửa chữa trường học", "trường", Decimal(9), kind="cong_trinh"),
    SupportItem("Sửa chữa trạm y tế", "trạm", Decimal(4), kind="cong_trinh"),
    SupportItem("Máy vi tính", "bộ", Decimal(107), kind="hien_vat"),
    SupportItem("Máy in", "máy", Decimal(7), kind="hien_vat"),
    SupportItem("Suất quà", "suất", Decimal(7120), kind="hien_vat"),
    SupportItem("Suất học bổng", "suất", Decimal(180), kind="hien_vat"),
    SupportItem("Khám, tư vấn sức khỏe", "người", Decimal(2700), kind="dich_vu"),
    SupportItem("Tiền mặt", "đồng", None, 30_000_000_000, kind="tien"),
]


def test_support_clauses_read_like_the_ninh_binh_review():
    assert support_clauses(NINH_BINH_SUPPORT) == [
        "xây dựng 33 ngôi nhà, trong đó 24 nhà tình nghĩa, 6 nhà đại đoàn kết, 1 nhà mái ấm tình thương, "
        "1 nhà mái ấm công đoàn và 1 nhà khăn quàng đỏ",
        "xây dựng 15 nhà văn hóa",
        "sửa chữa, nâng cấp 9 trường học, 4 trạm y tế",
        "tặng 107 bộ máy vi tính, 7 máy in, 7.120 suất quà, 180 suất học bổng",
        "khám, tư vấn sức khỏe cho 2.700 người",
    ]


def test_support_sentence_ends_with_the_total_value():
    sentence = support_sentence(NINH_BINH_SUPPORT, subject="Các cơ quan, đơn vị", total_vnd=50_312_400_000)
    assert sentence.startswith("Các cơ quan, đơn vị đã hỗ trợ xây dựng 33 ngôi nhà, trong đó 24 nhà tình nghĩa")
    assert sentence.endswith("; tổng giá trị hơn 50 tỷ đồng.")


def test_a_unit_before_the_noun_is_kept_unless_the_noun_repeats_it():
    cement = SupportItem("Xi măng", "tấn", Decimal(7), kind="hien_vat")
    assert cement.counted() == "7 tấn xi măng"
    assert SupportItem("Ngày công", "ngày công", Decimal(120)).counted() == "120 ngày công"


def test_cash_alone_is_said_as_its_value():
    sentence = support_sentence(
        [SupportItem("Tiền mặt", "đồng", None, 10_000_000, kind="tien")], subject="Kho bạc", total_vnd=10_000_000
    )
    assert sentence == "Kho bạc đã hỗ trợ các xã với tổng giá trị 10 triệu đồng."
