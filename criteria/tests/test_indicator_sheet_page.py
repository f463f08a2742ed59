"""The commune-year page of a 2026 sheet: indicators under their criteria, targets beside the values."""

import re

import pytest

from criteria.choices import AssessmentStatus
from criteria.models import CommuneYear, IndicatorResult
from criteria.tests.indicator_helpers import classify, commune_2025, load_demo_set

pytestmark = pytest.mark.django_db


def _post_data(html):
    """The form as a browser would send it (inputs with their values, selects on their chosen option)."""
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    for name in re.findall(r'<input[^>]*name="([^"]+)"', html):
        data.setdefault(name, "")
    for name in re.findall(r'<select[^>]*name="([^"]+)"', html):
        data.setdefault(name, "")
    return {k: v for k, v in data.items() if not re.search(r"-(not_applicable|status_overridden|DELETE)$", k)}


def test_a_clerk_fills_in_a_2026_sheet_and_met_is_derived_on_save(admin_client, django_assert_max_num_queries):
    load_demo_set()
    commune = commune_2025()
    classify(commune, "nhom_2")
    cy = CommuneYear.objects.create(commune=commune, year=2026)
    url = f"/admin/criteria/communeyear/{cy.pk}/change/"
    with django_assert_max_num_queries(40):
        page = admin_client.get(url)
    html = page.content.decode()
    assert "indicator-lines.js" in html
    assert "1. Quy hoạch" in html and "Xã nhóm 2" in html
    assert re.search(r"≥ \d+ %", html)
    data = _post_data(html)
    value_names = [k for k in data if k.endswith("-value")]
    assert len(value_names) == 47
    first = re.search(r'name="([^"]+)"[^>]*data-indicator="1\.3"', html).group(1)
    data[first] = "100%"
    response = admin_client.post(url, {**data, "_continue": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    result = IndicatorResult.objects.get(commune_year=cy, indicator__code="1.3")
    assert result.status == AssessmentStatus.MET
    assert IndicatorResult.objects.filter(commune_year=cy).count() == 1
    # A percent over 100 is refused on save with the reason, nothing changes.
    page = admin_client.get(url)
    data = _post_data(page.content.decode())
    key = next(k for k in data if k.endswith("-value") and data[k] == "100%")
    data[key] = "150%"
    response = admin_client.post(url, {**data, "_continue": "1"})
    assert response.status_code == 200 and "0 đến 100" in response.content.decode()
    result.refresh_from_db()
    assert result.value_number == 100


def test_a_sheet_of_a_commune_without_a_group_says_where_to_set_it(admin_client):
    load_demo_set()
    commune = commune_2025()
    cy = CommuneYear.objects.create(commune=commune, year=2026)
    html = admin_client.get(f"/admin/criteria/communeyear/{cy.pk}/change/").content.decode()
    assert "chưa được phân nhóm" in html and "Phân nhóm xã" in html


def test_a_filled_2026_sheet_opens_in_a_bounded_number_of_queries(admin_client, django_assert_max_num_queries):
    from criteria.models import Indicator
    from criteria.tests.indicator_helpers import load, xlsx

    load_demo_set()
    commune = commune_2025()
    classify(commune, "nhom_1")
    indicators = Indicator.objects.filter(criterion__criteria_set__code="qd-51-2025-xa").order_by("code")
    values = ["Đạt" if i.value_type == "bool" else "90" for i in indicators]
    workbook = xlsx(["Mã xã", "Năm", *(i.code for i in indicators)], [[commune.code, 2026, *values]])
    assert load("indicator-results-wide", workbook).ok
    cy = CommuneYear.objects.get(commune=commune, year=2026)
    assert cy.indicator_results.count() == 47
    # The scale benchmark's bound for an admin page (issue 16), whatever the number of indicators.
    with django_assert_max_num_queries(15):
        page = admin_client.get(f"/admin/criteria/communeyear/{cy.pk}/change/")
    assert page.status_code == 200 and page.content.decode().count('class="form-row indicator-line"') == 47


def test_a_2026_sheet_before_the_indicators_are_loaded_says_where_to_load_them(admin_client):
    commune = commune_2025()
    classify(commune, "nhom_2")
    cy = CommuneYear.objects.create(commune=commune, year=2026)  # QĐ 51/2025 in the fixtures, no indicator yet
    html = admin_client.get(f"/admin/criteria/communeyear/{cy.pk}/change/").content.decode()
    assert "Năm 2026 chưa có bộ tiêu chí nào có chỉ tiêu" in html and "criteria-sets" in html
    assert "1. Quy hoạch" in html  # its ten criteria, scored by hand meanwhile
    load_demo_set()
    html = admin_client.get(f"/admin/criteria/communeyear/{cy.pk}/change/").content.decode()
    assert "chưa có bộ tiêu chí nào có chỉ tiêu" not in html and "indicator-lines.js" in html


def _new_sheet_page(client) -> str:
    """The page of a new 2026 sheet of a nhóm 2 commune, with the demo's indicators."""
    load_demo_set()
    commune = commune_2025()
    classify(commune, "nhom_2")
    cy = CommuneYear.objects.create(commune=commune, year=2026)
    return client.get(f"/admin/criteria/communeyear/{cy.pk}/change/").content.decode()


def test_a_yes_no_indicator_is_a_drop_down_not_a_list_box(admin_client):
    """A <select> with the text box's size attribute is a list box ten lines high, cut off in its cell."""
    html = _new_sheet_page(admin_client)
    selects = re.findall(r"<select[^>]*data-type=\"bool\"[^>]*>", html)
    assert selects, "no yes/no indicator on the sheet"
    assert not any(re.search(r"\ssize=", s) for s in selects), selects[:1]
    texts = re.findall(r"<input[^>]*data-indicator=\"1\.3\"[^>]*>", html)
    assert texts and 'size="10"' in texts[0]  # the text boxes keep their width


def test_the_by_hand_result_of_an_unscored_line_reads_a_dash_not_chua_dat(admin_client):
    html = _new_sheet_page(admin_client)
    statuses = re.findall(r'<select name="[^"]+-status"[^>]*>(.*?)</select>', html, re.S)
    assert len(statuses) == 47
    chosen = {re.search(r"<option[^>]*selected[^>]*>([^<]*)<", s).group(1) for s in statuses}
    assert chosen == {"—"}
