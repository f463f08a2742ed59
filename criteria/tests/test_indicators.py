"""Indicator-level scoring (QĐ 51/2025): values as typed, targets per commune group, criteria derived."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from criteria import services
from criteria.choices import AssessmentStatus, Comparison, ValueType
from criteria.models import Assessment, CommuneYear, CriteriaSet, Indicator, IndicatorResult, IndicatorTarget
from criteria.scoring import indicator_result_judge, indicator_value_read
from criteria.tests.factories import KY_TIEN, sheet, unit
from criteria.tests.indicator_helpers import classify, commune_2025, load, load_demo_set, xlsx
from ntm_site.spreadsheets.errors import CellError

pytestmark = pytest.mark.django_db
MET, NOT_MET, NA = AssessmentStatus.MET, AssessmentStatus.NOT_MET, AssessmentStatus.NOT_APPLICABLE


def qd51():
    return CriteriaSet.objects.get(code="qd-51-2025-xa")


def indicator(code):
    return Indicator.objects.get(criterion__criteria_set__code="qd-51-2025-xa", code=code)


def grouped(group="nhom_2", code="1.1"):
    """The demo set loaded, a 2025-map commune of `group`, the indicator `code` and its target for that group."""
    load_demo_set()
    commune = commune_2025()
    classification = classify(commune, group)
    found = indicator(code)
    return commune, classification, found, found.targets.get(commune_group=group).value


def wide(commune, values, year=2026):
    return xlsx(["Mã xã", "Tên xã", "Năm", *values], [[commune.code, commune.name, year, *values.values()]])


def test_values_read_as_clerks_type_them():
    percent = Indicator(code="9.9", value_type=ValueType.PERCENT, comparison=Comparison.AT_LEAST)
    assert indicator_value_read(percent, "85%")["value_number"] == Decimal("85.00")
    assert indicator_value_read(percent, "85,5")["value_number"] == Decimal("85.50")
    assert indicator_value_read(percent, 85)["value_number"] == Decimal("85.00")
    assert indicator_value_read(percent, "Không áp dụng")["not_applicable"] is True
    yes_no = Indicator(code="9.8", value_type=ValueType.BOOLEAN, comparison=Comparison.YES_NO)
    assert indicator_value_read(yes_no, "Đạt")["value_bool"] is True
    assert indicator_value_read(yes_no, "x")["value_bool"] is True
    assert indicator_value_read(yes_no, "Chưa đạt")["value_bool"] is False
    with pytest.raises(CellError):
        indicator_value_read(percent, "120%")
    with pytest.raises(CellError):
        indicator_value_read(percent, "khá tốt")


def test_a_value_exactly_at_a_gte_target_is_met():
    target = IndicatorTarget(value=Decimal("80"))
    rule = Indicator(code="2.1", value_type=ValueType.PERCENT, comparison=Comparison.AT_LEAST)
    assert indicator_result_judge(indicator=rule, target=target, value_number=Decimal("80")) == MET
    assert indicator_result_judge(indicator=rule, target=target, value_number=Decimal("79.99")) == NOT_MET
    assert indicator_result_judge(indicator=rule, target=target, not_applicable=True) == NA


def test_the_demo_sheets_are_scored_per_indicator_and_per_criterion():
    load_demo_set()
    assert Indicator.objects.filter(criterion__criteria_set=qd51()).count() == 47
    assert "minh họa, không phải văn bản chính thức" in qd51().note
    commune = commune_2025()
    classify(commune, "nhom_2")
    first = indicator("1.1")  # percent ≥, nhóm 2 target 80 in the demo
    target = first.targets.get(commune_group="nhom_2").value
    values = {ind.code: "Đạt" for ind in Indicator.objects.filter(criterion__criteria_set=qd51(), value_type="bool")}
    values["1.1"] = f"{target:.0f}%"
    report = load("indicator-results-wide", wide(commune, values))
    assert report.ok, report.error_lines()
    cy = CommuneYear.objects.get(commune=commune, year=2026)
    assert cy.criteria_set == qd51()
    result = cy.indicator_results.get(indicator=first)
    assert (result.status, result.commune_group) == (MET, "nhom_2")
    # Criterion 1 has three indicators and only two are filled: not met until all are.
    assert Assessment.objects.get(commune_year=cy, criterion__number=1).status == NOT_MET


def test_a_criterion_is_met_when_all_its_indicators_are_and_na_counts_as_met():
    load_demo_set()
    commune = commune_2025()
    classify(commune)
    codes = Indicator.objects.filter(criterion__criteria_set=qd51(), criterion__number=4).order_by("position")
    values = {}
    for n, ind in enumerate(codes):
        if n == 0:
            values[ind.code] = "Không áp dụng"
        elif ind.value_type == "bool":
            values[ind.code] = "x"
        else:
            values[ind.code] = "100" if ind.value_type == "percent" else "99"
    assert load("indicator-results-wide", wide(commune, values)).ok
    cy = CommuneYear.objects.get(commune=commune, year=2026)
    assert Assessment.objects.get(commune_year=cy, criterion__number=4).status == MET
    assert CommuneYear.objects.filter(pk=cy.pk).with_met().get().met == 1


def test_a_commune_without_a_group_is_refused_naming_it_and_where_to_set_it():
    load_demo_set()
    commune = commune_2025()
    report = load("indicator-results-wide", wide(commune, {"1.1": "90%"}))
    assert not report.ok
    line = " ".join(report.error_lines())
    assert commune.name in line and "Phân nhóm xã" in line
    assert not IndicatorResult.objects.exists()
    cy = CommuneYear.objects.create(commune=commune, year=2026)
    IndicatorResult.objects.create(commune_year=cy, indicator=indicator("1.1"), value_number=90)
    with pytest.raises(ValidationError, match=commune.name):
        services.commune_year_score(commune_year=cy)


def test_wrong_types_and_codes_of_another_set_name_their_cell_and_write_nothing():
    load_demo_set()
    commune = commune_2025()
    classify(commune)
    bool_code = Indicator.objects.filter(criterion__criteria_set=qd51(), value_type="bool").first().code
    percent_code = Indicator.objects.filter(criterion__criteria_set=qd51(), value_type="percent").first().code
    report = load("indicator-results-wide", wide(commune, {percent_code: "105%", bool_code: "tốt"}))
    assert not report.ok
    columns = {e.column for e in report.errors}
    assert {percent_code, bool_code} <= columns
    assert "0 đến 100" in " ".join(report.error_lines())
    # The long layout: an indicator code the set does not have.
    long = xlsx(["Mã xã", "Năm", "Mã chỉ tiêu", "Giá trị"], [[commune.code, 2026, "19.4", "Đạt"]])
    report = load("indicator-results-long", long)
    assert not report.ok and "19.4" in " ".join(report.error_lines())
    text = xlsx(["Mã xã", "Năm", "Mã chỉ tiêu", "Giá trị"], [[commune.code, 2026, percent_code, "nhiều"]])
    assert not load("indicator-results-long", text).ok
    assert not IndicatorResult.objects.exists() and not CommuneYear.objects.filter(year=2026).exists()


def test_an_indicator_of_another_set_does_not_belong_on_a_sheet():
    load_demo_set()
    old = sheet(KY_TIEN, 2017, "1" * 19)
    result = IndicatorResult(commune_year=old, indicator=indicator("1.1"))
    with pytest.raises(ValidationError):
        result.clean()


def test_a_ward_and_a_commune_not_in_force_are_refused():
    load_demo_set()
    ward = commune_2025(kind="phuong")
    report = load("indicator-results-wide", wide(ward, {"1.1": "90%"}))
    assert not report.ok and "không phải xã" in " ".join(report.error_lines())
    # Phường Phúc Xá (00001, Hà Nội) on the criteria sheet of 2017.
    old = xlsx(["Mã xã", "Năm", "TC1"], [["00001", 2017, "Đạt"]])
    report = load("assessments-wide", old)
    assert not report.ok and "không phải xã" in " ".join(report.error_lines())
    legacy = xlsx(["Mã xã", "Năm", "1.1"], [[KY_TIEN, 2026, "90%"]])
    assert not load("indicator-results-wide", legacy).ok


def test_a_target_changed_after_scoring_rescores_and_keeps_history():
    load_demo_set()
    commune = commune_2025()
    classify(commune)
    first = indicator("1.1")
    target = first.targets.get(commune_group="nhom_2")
    assert load("indicator-results-wide", wide(commune, {"1.1": f"{target.value:.0f}"})).ok
    result = IndicatorResult.objects.get(indicator=first)
    assert result.status == MET
    target.value += 5
    target.save()
    services.indicator_targets_rescore(indicators=[first])
    result.refresh_from_db()
    assert result.status == NOT_MET
    assert list(result.history.order_by("history_id").values_list("status", flat=True))[-2:] == [MET, NOT_MET]


def test_a_group_changed_rescores_the_communes_sheets():
    commune, group, first, low = grouped("nhom_3")
    assert load("indicator-results-wide", wide(commune, {"1.1": f"{low:.0f}"})).ok
    assert IndicatorResult.objects.get(indicator=first).status == MET
    group.group = "nhom_1"
    group.save()
    services.commune_classification_rescore(commune=commune)
    result = IndicatorResult.objects.get(indicator=first)
    assert (result.status, result.commune_group) == (NOT_MET, "nhom_1")


def test_a_result_set_against_the_rule_needs_a_reason():
    load_demo_set()
    commune = commune_2025()
    classify(commune)
    cy = CommuneYear.objects.create(commune=commune, year=2026)
    with pytest.raises(Exception):  # noqa: B017 (the database refuses it: IntegrityError)
        from django.db import transaction

        with transaction.atomic():
            IndicatorResult.objects.create(commune_year=cy, indicator=indicator("1.1"), status_overridden=True)
    result = IndicatorResult.objects.create(
        commune_year=cy,
        indicator=indicator("1.1"),
        value_number=1,
        status=MET,
        status_overridden=True,
        override_reason="Hội đồng thẩm định kết luận đạt",
    )
    services.commune_year_score(commune_year=cy)
    result.refresh_from_db()
    assert result.status == MET
    assert result.history.first().override_reason == "Hội đồng thẩm định kết luận đạt"


def test_sets_without_indicators_keep_criterion_level_scoring():
    load_demo_set()
    old = sheet(KY_TIEN, 2017, "1" * 18 + "0")
    assert services.commune_years_score(commune_years=[old]) == 0
    assert list(Assessment.objects.filter(commune_year=old).values_list("status", flat=True)).count(MET) == 18
    report = load("assessments-wide", xlsx(["Mã xã", "Năm", "TC19"], [[KY_TIEN, 2017, "Đạt"]]))
    assert report.ok, report.error_lines()
    assert CommuneYear.objects.filter(pk=old.pk).with_met().get().meets_all
    assert unit(KY_TIEN).ntm_commune_years.get().indicator_results.count() == 0


def test_a_year_no_set_covers_says_where_to_load_one():
    commune = commune_2025()
    report = load("indicator-results-wide", xlsx(["Mã xã", "Năm", "1.1"], [[commune.code, 2031, "90%"]]))
    assert not report.ok
    assert "2031" in " ".join(report.error_lines())


def test_an_import_writes_each_result_judged_once_with_one_history_row_per_change():
    commune, _group, first, goal = grouped("nhom_2")
    flag = Indicator.objects.filter(criterion__criteria_set=qd51(), value_type="bool").order_by("code").first()
    report = load("indicator-results-wide", wide(commune, {"1.1": f"{goal:.0f}%", flag.code: "x"}))
    assert (report.created, report.updated) == (2, 0), report.error_lines()
    result = IndicatorResult.objects.get(indicator=first)
    # Written with its status and group: one "+" row, no second row for the scoring.
    assert list(result.history.values_list("history_type", "status", "commune_group")) == [("+", MET, "nhom_2")]
    criterion = Assessment.objects.get(commune_year=result.commune_year, criterion=first.criterion)
    assert criterion.history.count() == 1
    # The same file again: nothing changes, nothing is written.
    report = load("indicator-results-wide", wide(commune, {"1.1": f"{goal:.0f}%", flag.code: "x"}))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert result.history.count() == 1
    # One value below its target: that result and its criterion change, each with one "~" row.
    report = load("indicator-results-wide", wide(commune, {"1.1": f"{goal - 1:.0f}", flag.code: "x"}))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert list(result.history.order_by("history_id").values_list("history_type", "status")) == [
        ("+", MET),
        ("~", NOT_MET),
    ]
    assert IndicatorResult.objects.get(indicator=flag).history.count() == 1
    assert criterion.history.count() == 1  # criterion 1 was not met (not every indicator filled): still not


def test_an_import_judges_again_the_results_of_its_sheets_it_leaves_as_they_are():
    commune, group, first, low = grouped("nhom_3")
    other = indicator("1.2")
    assert load("indicator-results-wide", wide(commune, {"1.1": f"{low:.0f}"})).ok
    type(group).objects.filter(pk=group.pk).update(group="nhom_1")  # no rescore on purpose
    value = "Đạt" if other.value_type == "bool" else "100"
    report = load("indicator-results-wide", wide(commune, {other.code: value}))
    assert report.ok and (report.created, report.updated) == (1, 0)
    result = IndicatorResult.objects.get(indicator=first)
    assert (result.status, result.commune_group) == (NOT_MET, "nhom_1")


def test_a_2026_row_before_the_indicators_are_loaded_says_where_to_load_them():
    commune = commune_2025()
    classify(commune)
    report = load("indicator-results-wide", wide(commune, {"1.1": "90%"}))
    assert not report.ok
    (error,) = report.errors
    assert error.column == "Năm" and "Năm 2026 chưa có bộ tiêu chí nào có chỉ tiêu" in str(error)
    assert "criteria-sets" in str(error)
