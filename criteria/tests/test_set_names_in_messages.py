"""Messages name a criteria set as clerks know it, by its decision, never by its code (issue 19, point 7).

"qd-318-xa" is the key the import matches on; a clerk reads "QĐ 318/QĐ-TTg". The same goes for the
templates a message sends the clerk to: named by their title, not their slug.
"""

import re

import pytest
from django.urls import reverse

from criteria.models import CriteriaSet
from criteria.resources import AssessmentResource, AssessmentWideResource
from criteria.tests.factories import KY_BAC, KY_TIEN, unit
from criteria.tests.test_imports import ALL_MET, LONG, WIDE, run, wide
from ntm_site.spreadsheets.registry import all_resources, get_resource
from ntm_site.tests.workbooks import xlsx

pytestmark = pytest.mark.django_db

SET_CODE = re.compile(r"\bqd-\d+(-\d+)?-xa\b")


def no_code_in(text: str) -> bool:
    slugs = [slug for slug in all_resources() if "-" in slug]
    return not SET_CODE.search(text) and not any(slug in text for slug in slugs)


def said(report) -> str:
    """What the first error says (the cell's own value, quoted before it, is what the clerk typed)."""
    return str(report.errors[0].as_dict()["message"])


def test_a_set_outside_its_years_is_named_by_its_decision_in_an_import(superuser):
    report = run(
        AssessmentWideResource, wide(["18769", "", 2017, *ALL_MET, "", "qd-318-xa"], header=[*WIDE, "Bộ tiêu chí"])
    )
    message = said(report)
    assert "bộ tiêu chí QĐ 318/QĐ-TTg chỉ áp dụng 2021–2025, không dùng cho năm 2017" in message
    assert no_code_in(message), message


def test_a_criterion_the_set_lacks_is_refused_naming_the_set_by_its_decision(superuser):
    report = run(AssessmentResource, xlsx([LONG, ["18769", "Kỳ Tiến", 2017, 20, "Đạt", ""]]), user=superuser)
    message = said(report)
    assert "bộ tiêu chí QĐ 1980/QĐ-TTg có 19 tiêu chí, không có tiêu chí số 20" in message
    assert no_code_in(message), message


def test_an_unknown_set_lists_the_sets_by_their_decisions_and_a_decision_number_is_read(superuser):
    header = [*WIDE, "Bộ tiêu chí"]
    report = run(AssessmentWideResource, wide(["18769", "", 2017, *ALL_MET, "", "bộ lạ"], header=header))
    message = said(report)
    assert "QĐ 491/QĐ-TTg; QĐ 1980/QĐ-TTg; QĐ 318/QĐ-TTg; QĐ 51/2025/QĐ-TTg" in message
    assert no_code_in(message), message
    # What the message offers is what the column reads.
    report = run(AssessmentWideResource, wide(["18769", "", 2017, *ALL_MET, "", "QĐ 1980/QĐ-TTg"], header=header))
    assert report.ok, report.error_lines()


def test_a_set_without_indicators_names_the_set_and_the_template_by_their_titles(superuser):
    report = run(
        get_resource("indicator-results-wide"),
        xlsx([["Mã xã", "Năm", "1.1"], [KY_TIEN, 2017, "Đạt"]]),
        user=superuser,
    )
    message = said(report)
    assert "bộ tiêu chí QĐ 1980/QĐ-TTg không có chỉ tiêu" in message
    assert "“Bảng ngang: mỗi xã một dòng, TC1…TC19”" in message
    assert no_code_in(message), message


def test_the_sheet_form_names_a_set_outside_its_years_by_its_decision(admin_client):
    qd_1980 = CriteriaSet.objects.get(code="qd-1980-xa")
    response = admin_client.post(
        reverse("admin:criteria_communeyear_add"),
        {"commune": unit(KY_BAC).pk, "year": 2023, "criteria_set": qd_1980.pk, "note": ""},
    )
    message = " ".join(response.context["adminform"].form.errors["criteria_set"])
    assert "Bộ tiêu chí QĐ 1980/QĐ-TTg chỉ áp dụng 2016–2020" in message
    assert no_code_in(message), message


def test_a_set_with_no_decision_is_named_by_its_name():
    own = CriteriaSet(code="ht-rieng-2018", name="Bộ tiêu chí riêng của Hà Tĩnh", valid_from_year=2018)
    assert own.short_label == "Bộ tiêu chí riêng của Hà Tĩnh"
