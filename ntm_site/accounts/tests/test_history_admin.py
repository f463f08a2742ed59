"""Nothing lost: concurrent saves refused, protected deletes explained, deleted rows restored by a coordinator."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ntm_site.accounts.admin_mixins import VERSION_FIELD, history_token
from sponsorship.models import Organisation, SupportRecord

from .test_admin_scope import as_user, support_form, url

pytestmark = [pytest.mark.django_db, pytest.mark.urls("ntm_site.accounts.tests.site")]


def opened_version(client, record):
    page = client.get(url("sponsorship_supportrecord_change", record.pk))
    return page.context["adminform"].form[VERSION_FIELD].value()


def test_a_save_over_a_newer_save_is_refused_with_a_message(client, people, records):
    client = as_user(client, people.coordinator)
    version = opened_version(client, records.s_lien)
    # Meanwhile the district clerk saves the same record.
    other = SupportRecord.objects.get(pk=records.s_lien.pk)
    other.value_vnd = 20_000_000
    other._history_user = people.huong_khe_clerk
    other.save()
    response = client.post(
        url("sponsorship_supportrecord_change", records.s_lien.pk),
        support_form(records.s_lien, value_vnd="1", **{VERSION_FIELD: version}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "sau khi bạn mở trang" in page and "huonghke" in page
    records.s_lien.refresh_from_db()
    assert records.s_lien.value_vnd == 20_000_000


def test_a_save_on_the_latest_version_goes_through(client, people, records):
    client = as_user(client, people.coordinator)
    version = opened_version(client, records.s_lien)
    response = client.post(
        url("sponsorship_supportrecord_change", records.s_lien.pk),
        support_form(records.s_lien, value_vnd="1", **{VERSION_FIELD: version}),
    )
    assert response.status_code == 302
    records.s_lien.refresh_from_db()
    assert records.s_lien.value_vnd == 1
    # The version moved with the save: the next page carries the new one.
    assert opened_version(client, records.s_lien) != version


def test_read_only_pages_carry_no_version_field(client, people, records):
    page = as_user(client, people.viewer).get(url("sponsorship_supportrecord_change", records.s_lien.pk))
    assert VERSION_FIELD not in page.content.decode()


def test_deleting_an_organisation_with_assignments_is_refused_naming_them(client, people, records):
    client = as_user(client, people.coordinator)
    delete = url("sponsorship_organisation_delete", records.agri.pk)
    page = client.get(delete)
    texts = [str(m) for m in get_messages(page.wsgi_request)]
    assert any("Không thể xóa “Sở Nông nghiệp" in t and "1 phân công phụ trách xã" in t for t in texts), texts
    client.post(delete, {"post": "yes"})
    assert Organisation.objects.filter(pk=records.agri.pk).exists()


def test_coordinator_restores_a_deleted_record_from_history(client, people, records):
    client = as_user(client, people.coordinator)
    pk = records.s_phu.pk
    assert client.post(url("sponsorship_supportrecord_delete", pk), {"post": "yes"}).status_code == 302
    assert not SupportRecord.objects.filter(pk=pk).exists()
    listing = client.get(url("sponsorship_supportrecord_deleted"))
    assert listing.status_code == 200
    rows = listing.context["rows"]
    assert [r["record"].id for r in rows] == [pk]
    assert client.get(url("sponsorship_supportrecord_changelist")).context["ntm_deleted_url"]
    response = client.post(rows[0]["restore_url"])
    assert response.status_code == 302
    restored = SupportRecord.objects.get(pk=pk)
    assert restored.value_vnd == 7_500_000
    latest = restored.history.order_by("-history_id").first()
    assert latest.history_type == "+"
    assert latest.history_user == people.coordinator
    assert latest.history_change_reason.startswith("Khôi phục bản ghi đã xóa")
    assert client.get(url("sponsorship_supportrecord_deleted")).context["rows"] == []


def test_restore_is_for_coordinators_of_the_records_province(client, people, records):
    pk = records.s_phu.pk
    records.s_phu.delete()
    record = SupportRecord.history.filter(id=pk, history_type="-").get()
    restore = url("sponsorship_supportrecord_restore", record.history_id)
    clerk = as_user(client, people.ky_anh_clerk)
    assert clerk.get(url("sponsorship_supportrecord_deleted")).status_code == 403
    assert clerk.post(restore).status_code == 403
    nghe_an = as_user(client, people.nghe_an_coordinator)
    assert nghe_an.get(url("sponsorship_supportrecord_deleted")).context["rows"] == []
    assert nghe_an.post(restore).status_code == 404
    assert not SupportRecord.objects.filter(pk=pk).exists()


def test_a_record_whose_parent_was_deleted_too_comes_back_after_its_parent(client, people, records):
    from sponsorship.models import Assignment

    pk, assignment_pk = records.s_phu.pk, records.a_phu.pk
    records.s_phu.delete()
    records.a_phu.delete()
    client = as_user(client, people.coordinator)
    # Its place is reached through the deleted assignment: it is listed once the assignment is back.
    assert client.get(url("sponsorship_supportrecord_deleted")).context["rows"] == []
    assignments = client.get(url("sponsorship_assignment_deleted")).context["rows"]
    assert [r["record"].id for r in assignments] == [assignment_pk]
    client.post(assignments[0]["restore_url"])
    assert Assignment.objects.filter(pk=assignment_pk).exists()
    rows = client.get(url("sponsorship_supportrecord_deleted")).context["rows"]
    client.post(rows[0]["restore_url"])
    assert SupportRecord.objects.filter(pk=pk, assignment_id=assignment_pk).exists()


def test_reverting_a_deleted_record_through_history_needs_the_restore_permission(client, people, records):
    pk = records.s_phu.pk
    records.s_phu.delete()
    last = SupportRecord.history.filter(id=pk).order_by("-history_id")[1]  # the version before the delete
    client = as_user(client, people.ky_anh_clerk)
    response = client.post(
        url("sponsorship_supportrecord_simple_history", pk, last.history_id),
        support_form(last.instance, **{VERSION_FIELD: history_token(SupportRecord, pk)}),
    )
    assert response.status_code == 403
    assert not SupportRecord.objects.filter(pk=pk).exists()


def test_deleted_records_page_is_linked_from_the_changelist(client, people, records):
    page = as_user(client, people.coordinator).get(url("sponsorship_supportrecord_changelist"))
    assert reverse("scopetest:sponsorship_supportrecord_deleted") in page.content.decode()
