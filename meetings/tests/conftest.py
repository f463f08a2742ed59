import datetime

import pytest

from meetings.tests.factories import criteria_set_for
from seeds import build_meetings_demo as demo
from sponsorship.choices import OrganisationKind
from sponsorship.models import Decision, Organisation

KIND_BY_LABEL = {str(label): value for value, label in OrganisationKind.choices}


@pytest.fixture
def references(db):
    """What the demo minutes refer to: their organisations, two decisions, the 2016–2020 criteria."""
    organisations = {}
    made_elsewhere = [(name, short, kind, "", "") for name, short, kind in demo.SPONSORSHIP_ORGANISATIONS]
    for name, short_name, kind, _parent, _home in made_elsewhere + demo.ORGANISATIONS:
        organisations[name] = Organisation.objects.create(name=name, short_name=short_name, kind=KIND_BY_LABEL[kind])
    Decision.objects.create(
        symbol="140-QĐ/TU",
        document_type="quyet_dinh",
        issuer="Ban Thường vụ Tỉnh ủy Ninh Bình",
        issued_on=datetime.date(2016, 3, 1),
        title="Phân công cơ quan, đơn vị phụ trách và doanh nghiệp kết nghĩa với xã đặc thù",
    )
    Decision.objects.create(
        symbol="11-KH/ĐUK",
        document_type="ke_hoach",
        issuer="Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh",
        issued_on=datetime.date(2016, 5, 27),
        title="Kế hoạch số 11",
    )
    criteria_set_for(2016)
    return organisations
