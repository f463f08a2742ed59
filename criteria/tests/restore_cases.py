"""Full records of the criteria models with dependants, for ntm_site/accounts/tests/test_every_dependant.py."""

from django.core.files.base import ContentFile

from criteria.models import CriteriaSet, Evidence, Indicator, IndicatorResult, IndicatorTarget
from criteria.tests.factories import KY_TIEN, sheet

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def commune_year(user):
    """Xã Kỳ Tiến's 2017 sheet: its 19 results, an indicator's value and a piece of evidence with its file."""
    year = sheet(KY_TIEN, 2017, "1111111111111111110")
    measured = Indicator.objects.create(
        criterion=year.criteria_set.criteria.get(number=2), code="2.8", text="Đường xã được cứng hóa", unit="%"
    )
    IndicatorResult.objects.create(commune_year=year, indicator=measured, value_number=85, status="dat", note="Đo 2017")
    evidence = Evidence(commune_year=year, criterion=year.criteria_set.criteria.get(number=1), note="Biên bản")
    evidence.file.save("bien-ban.pdf", ContentFile(PDF), save=False)
    evidence.file_name, evidence.content_type, evidence.size, evidence.attached_by = (
        "bien-ban.pdf",
        "application/pdf",
        len(PDF),
        user,
    )
    evidence.save()
    return year


def indicator(user):
    criterion = CriteriaSet.objects.get(code="qd-1980-xa").criteria.get(number=2)
    found = Indicator.objects.create(criterion=criterion, code="2.9", text="Đường trục thôn được cứng hóa")
    IndicatorTarget.objects.create(indicator=found, region="btb", value=70, text="≥ 70%")
    return found


CASES = {"criteria.communeyear": commune_year, "criteria.indicator": indicator}
