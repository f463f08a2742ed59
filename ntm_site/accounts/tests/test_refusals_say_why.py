"""Refusals say why: the column and value of a row out of scope, the commune and year of a closed sheet."""

import pytest

from criteria.choices import ApprovalStatus
from criteria.models import CommuneYear
from criteria.resources import AssessmentWideResource
from ntm_site.spreadsheets.services import workbook_import
from ntm_site.tests.workbooks import xlsx
from sponsorship.resources import SupportRecordResource

pytestmark = pytest.mark.django_db

SUPPORT_HEADER = ["Số văn bản", "Cơ quan, đơn vị", "Mã xã", "Ngày hỗ trợ", "Loại hỗ trợ", "Giá trị (đồng)"]


def test_a_support_row_for_another_sponsors_assignment_names_the_column_and_the_value(people, records):
    row = ["1234/QĐ-UBND", "Ngân hàng Nông nghiệp chi nhánh Hà Tĩnh", "18763", "02/05/2017", "Xi măng", "1.000.000"]
    report = workbook_import(
        resource_class=SupportRecordResource, file=xlsx([SUPPORT_HEADER, row]), user=people.sponsor_clerk
    )
    assert not report.ok
    (error,) = report.errors
    assert error.column == "Cơ quan, đơn vị"
    assert "Ngân hàng Nông nghiệp chi nhánh Hà Tĩnh" in error.message
    assert "ngoài phạm vi được giao cho bạn (Sở Nông nghiệp và Phát triển nông thôn)" in error.message


def test_an_approved_sheet_refusal_names_the_commune_and_the_year(people, records, place):
    CommuneYear.objects.filter(commune=place.huong_lien, year=2019).update(approval_status=ApprovalStatus.APPROVED)
    header = ["Mã xã", "Tên xã", "Năm", "TC1", "TC2"]
    report = workbook_import(
        resource_class=AssessmentWideResource,
        file=xlsx([header, ["18559", "Hương Liên", 2019, "Chưa đạt", "Đạt"]]),
        user=people.huong_khe_clerk,
    )
    assert not report.ok
    message = report.errors[0].message
    assert "Xã Hương Liên – năm 2019" in message and "đã được tỉnh phê duyệt" in message
    assert "kết quả của xã trong năm" not in message


def test_a_record_outside_the_scope_opened_by_its_address_names_the_scope(client, people, records):
    """Django said "… không tồn tại. Có lẽ nó đã bị xóa?" of another commune's record: the clerk took it as lost."""
    from django.contrib.messages import get_messages
    from django.urls import reverse

    client.force_login(people.commune_clerk)
    sheet = records.as_phu.commune_year
    response = client.get(reverse("admin:criteria_communeyear_change", args=[sheet.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:criteria_communeyear_changelist")
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"số “{sheet.pk}”" in message and "đã bị xóa hoặc nằm ngoài phạm vi được giao cho bạn" in message
    assert str(people.commune_clerk.ntm_scope.place) in message and "Có lẽ" not in message
