"""Small builders for criteria tests, on the real units the test database holds."""

from criteria.choices import ApprovalStatus, AssessmentStatus
from criteria.models import Assessment, CommuneYear, CriteriaSet
from divisions.models import AdministrativeUnit

# A sheet written as one character per criterion, in number order:
# "1" đạt, "0" chưa đạt, "-" không áp dụng, "." no result recorded.
_STATUS = {"1": AssessmentStatus.MET, "0": AssessmentStatus.NOT_MET, "-": AssessmentStatus.NOT_APPLICABLE}

HA_TINH = "42"
HUYEN_KY_ANH = "447"
THI_XA_KY_ANH = "449"
KY_TIEN, KY_XUAN, KY_BAC, KY_PHU, KY_LAM_HOP = "18769", "18757", "18760", "18763", "18838"
KY_LOI = "18796"  # a xã of Thị xã Kỳ Anh, not of Huyện Kỳ Anh


def unit(code: str) -> AdministrativeUnit:
    """The legacy unit with this code (valid until 30/06/2025)."""
    return AdministrativeUnit.objects.get(code=code, edition="legacy")


def criteria_set(code: str = "qd-1980-xa") -> CriteriaSet:
    return CriteriaSet.objects.get(code=code)


def sheet(commune, year: int, results: str, set_code: str = "qd-1980-xa", *, approved: bool = False) -> CommuneYear:
    """A commune-year with its results, e.g. sheet(xa, 2017, "1111111111111111110"); a draft unless `approved`."""
    if isinstance(commune, str):
        commune = unit(commune)
    cset = criteria_set(set_code)
    status = ApprovalStatus.APPROVED if approved else ApprovalStatus.DRAFT
    commune_year = CommuneYear.objects.create(commune=commune, year=year, criteria_set=cset, approval_status=status)
    criteria = {c.number: c for c in cset.criteria.all()}
    Assessment.objects.bulk_create(
        Assessment(
            commune_year=commune_year,
            commune=commune,
            year=year,
            criterion=criteria[number],
            status=_STATUS[mark],
        )
        for number, mark in enumerate(results, start=1)
        if mark != "."
    )
    return commune_year
