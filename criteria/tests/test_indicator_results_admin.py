"""The list of indicator results: searched by the commune's name (folded) and by indicator code."""

import re

import pytest
from django.urls import reverse

from criteria.models import CommuneYear, Indicator, IndicatorResult
from criteria.tests.indicator_helpers import commune_2025, load_demo_set
from ntm_site.text import fold

pytestmark = pytest.mark.django_db


@pytest.fixture
def results():
    load_demo_set()
    indicators = list(Indicator.objects.filter(code__in=["1.1", "2.1", "2.3"]).order_by("code"))
    assert len(indicators) == 3
    communes = [commune_2025(0), commune_2025(1)]
    for commune in communes:
        sheet = CommuneYear.objects.create(commune=commune, year=2026)
        for indicator in indicators:
            IndicatorResult.objects.create(commune_year=sheet, indicator=indicator, value_text="x")
    return communes


def _listed(client, term):
    page = client.get(reverse("admin:criteria_indicatorresult_changelist"), {"q": term})
    assert page.status_code == 200
    return set(
        IndicatorResult.objects.filter(
            pk__in=re.findall(r'name="_selected_action" value="(\d+)"', page.content.decode())
        ).values_list("commune_year__commune__name", "indicator__code")
    )


def test_the_commune_without_its_accents_and_an_indicator_code(admin_client, results):
    first, second = results
    folded = first.name.lower().replace("xã ", "")
    assert _listed(admin_client, f"{fold(folded)} 2.3") == {(first.name, "2.3")}
    # A criterion's number lists its indicators; a commune name alone lists its results.
    assert _listed(admin_client, "2") == {(c.name, code) for c in results for code in ("2.1", "2.3")}
    assert _listed(admin_client, fold(folded)) == {(first.name, code) for code in ("1.1", "2.1", "2.3")}
    # A commune's five-digit code is the commune's, not an indicator's.
    assert _listed(admin_client, second.code) == {(second.name, code) for code in ("1.1", "2.1", "2.3")}
