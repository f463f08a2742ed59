"""Reading cells the way clerks type them."""

import datetime
from decimal import Decimal

import pytest

from criteria.models import CriteriaSet
from divisions.widgets import UnitWidget
from ntm_site.spreadsheets.errors import CellError
from ntm_site.spreadsheets.widgets import (
    ChoiceWidget,
    MoneyWidget,
    NaturalKeyWidget,
    VNBooleanWidget,
    VNDateWidget,
    VNDecimalWidget,
    VNIntegerWidget,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("10.000.000", 10_000_000), ("10.000.000 đ", 10_000_000), ("10 000 000", 10_000_000), (10_000_000.0, 10_000_000)]
    + [("10,000,000", 10_000_000), ("1.500.000 VNĐ", 1_500_000), (" 250.000 ", 250_000)],
)
def test_money_is_read_as_whole_dong(typed, expected):
    assert MoneyWidget().clean(typed) == expected


def test_money_refuses_fractions_and_words():
    with pytest.raises(CellError, match="số tiền"):
        MoneyWidget().clean("10,5")
    with pytest.raises(CellError, match="số tiền"):
        MoneyWidget().clean("mười triệu")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("10,5", Decimal("10.5")), ("1.234,5", Decimal("1234.5")), ("2.5", Decimal("2.5")), (3.25, Decimal("3.25"))]
    + [("1.234.567", Decimal("1234567")), ("1,234.5", Decimal("1234.5"))],
)
def test_decimal_numbers_vietnamese_and_excel(typed, expected):
    assert VNDecimalWidget().clean(typed) == expected


def test_integer_out_of_range_says_the_range():
    widget = VNIntegerWidget(min_value=2000, max_value=2100)
    assert widget.clean("2.019") == 2019
    with pytest.raises(CellError, match="từ 2000 đến 2100"):
        widget.clean(1990)


@pytest.mark.parametrize(
    "typed",
    ["15/08/2016", "15-8-2016", "15.08.2016", "2016-08-15", 42597, 42597.0, datetime.date(2016, 8, 15)]
    + [datetime.datetime(2016, 8, 15), "15/08/16"],
)
def test_dates_in_every_way_clerks_write_them(typed):
    assert VNDateWidget().clean(typed) == datetime.date(2016, 8, 15)


def test_impossible_date_is_an_error():
    with pytest.raises(CellError, match="ngày không có thật"):
        VNDateWidget().clean("31/02/2016")
    with pytest.raises(CellError, match="ngày/tháng/năm"):
        VNDateWidget().clean("tháng tám")


@pytest.mark.parametrize("typed", ["Có", "có", "x", "X", 1, "1", "Đạt", "dat", "✓"])
def test_yes_words(typed):
    assert VNBooleanWidget().clean(typed) is True


@pytest.mark.parametrize("typed", ["Không", "khong", 0, "0", "-", "Chưa đạt", "chua dat"])
def test_no_words(typed):
    assert VNBooleanWidget().clean(typed) is False


def test_blank_boolean_is_none_and_junk_is_an_error():
    assert VNBooleanWidget().clean("  ") is None
    with pytest.raises(CellError, match="Có"):
        VNBooleanWidget().clean("có lẽ")


def test_choice_by_code_or_label_without_diacritics():
    from divisions.choices import UnitKind

    widget = ChoiceWidget(UnitKind)
    assert widget.clean("Thị trấn") == UnitKind.TOWNLET
    assert widget.clean("THI TRAN") == UnitKind.TOWNLET
    assert widget.clean("thi_tran") == UnitKind.TOWNLET
    assert widget.clean("Thi\u0323 tra\u0302\u0301n") == UnitKind.TOWNLET  # typed decomposed
    with pytest.raises(CellError, match="Thị trấn"):
        widget.clean("làng")


@pytest.mark.django_db
def test_unit_by_code_name_or_name_with_parent():
    widget = UnitWidget(level=3)
    widget.valid_on = datetime.date(2019, 1, 1)
    by_code = widget.clean("18559")
    assert by_code.name == "Xã Hương Liên"
    assert widget.clean(18559) == by_code
    assert widget.clean("huong lien") == by_code
    assert widget.clean("Xã Hương Liên, Hương Khê") == by_code
    assert widget.clean("Hương Liên, huyen huong khe") == by_code


@pytest.mark.django_db
def test_commune_code_stored_as_number_gets_its_leading_zeros():
    widget = UnitWidget(level=3, valid_on=datetime.date(2019, 1, 1))
    assert widget.clean(4).code == "00004"


@pytest.mark.django_db
def test_ambiguous_unit_name_lists_candidates():
    widget = UnitWidget(level=3, valid_on=datetime.date(2019, 1, 1))
    with pytest.raises(CellError) as e:
        widget.clean("Xã Hương Lâm")
    assert "đơn vị khớp" in str(e.value)
    assert "Hương Khê" in str(e.value) or "," in str(e.value)


@pytest.mark.django_db
def test_unit_code_reused_in_2025_is_resolved_by_date():
    from divisions.models import AdministrativeUnit

    reused = (
        AdministrativeUnit.objects.filter(edition="2025", level=3)
        .filter(code__in=AdministrativeUnit.objects.filter(edition="legacy", level=3).values("code"))
        .first()
    )
    assert reused is not None
    widget = UnitWidget(level=3)
    assert widget.clean(reused.code, valid_on=datetime.date(2019, 1, 1)).edition == "legacy"
    assert widget.clean(reused.code, valid_on=datetime.date(2025, 8, 1)).edition == "2025"


@pytest.mark.django_db
def test_unknown_unit_code_is_an_error():
    with pytest.raises(CellError, match="không có đơn vị"):
        UnitWidget(level=3).clean("99999")


@pytest.mark.django_db
def test_natural_key_widget_reads_the_table_once(django_assert_num_queries):
    CriteriaSet.objects.create(code="a-1", name="Bộ A", valid_from_year=2016)
    CriteriaSet.objects.create(code="b-2", name="Bộ B", valid_from_year=2016)
    widget = NaturalKeyWidget(CriteriaSet, lookup_fields=("code", "name"))
    with django_assert_num_queries(1):
        for _ in range(50):
            assert widget.clean("bo a").code == "a-1"
            assert widget.clean("B-2").name == "Bộ B"


@pytest.mark.django_db
def test_natural_key_widget_ambiguity_is_an_error():
    CriteriaSet.objects.create(code="c-1", name="Bộ chung", valid_from_year=2016)
    CriteriaSet.objects.create(code="c-2", name="Bộ chung", valid_from_year=2017)
    with pytest.raises(CellError, match="có 2"):
        NaturalKeyWidget(CriteriaSet, lookup_fields=("code", "name")).clean("bộ chung")
