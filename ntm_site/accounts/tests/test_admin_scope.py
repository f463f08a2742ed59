"""Each role's boundary in the admin, from both sides: lists, change pages by id, saves, deletes, autocompletes."""

import pytest
from django.urls import reverse

from criteria.models import Assessment
from ntm_site.accounts.versions import VERSION_FIELD, history_token
from ntm_site.tests.autocomplete import options
from sponsorship.models import SupportRecord

pytestmark = [pytest.mark.django_db, pytest.mark.urls("ntm_site.accounts.tests.site")]


def url(name, *args, **query):
    path = reverse(f"scopetest:{name}", args=args)
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def as_user(client, user):
    client.force_login(user)
    return client


def support_form(record, **changes):
    data = {
        "assignment": record.assignment_id,
        "date": record.date.isoformat(),
        "category": record.category_id,
        "quantity": str(record.quantity or ""),
        "unit": record.unit,
        "value_vnd": str(record.value_vnd),
        "description": record.description,
    }
    if record.pk is not None:
        # The version a page opened now carries (ntm_site.accounts.versions).
        data[VERSION_FIELD] = history_token(type(record), record.pk)
    data.update(changes)
    return data


def autocomplete(client, app_label, model_name, field_name, term=""):
    response = client.get(
        url("autocomplete", app_label=app_label, model_name=model_name, field_name=field_name, term=term)
    )
    assert response.status_code == 200
    return {int(r["id"]) for r in options(response)}


# --- lists ------------------------------------------------------------------------------


def test_district_clerk_lists_the_province_but_not_another_province(client, people, records):
    page = as_user(client, people.huong_khe_clerk).get(url("sponsorship_supportrecord_changelist"))
    assert page.status_code == 200
    shown = {r.pk for r in page.context["cl"].result_list}
    assert shown == {records.s_lien.pk, records.s_phu.pk}


def test_commune_clerk_lists_only_their_commune(client, people, records):
    page = as_user(client, people.commune_clerk).get(url("criteria_assessment_changelist"))
    assert {r.pk for r in page.context["cl"].result_list} == {records.as_lien.pk}


def test_sponsor_clerk_lists_only_their_organisations_support(client, people, records):
    page = as_user(client, people.sponsor_clerk).get(url("sponsorship_supportrecord_changelist"))
    assert {r.pk for r in page.context["cl"].result_list} == {records.s_lien.pk}


def test_anonymous_and_unscoped_users_get_no_data(client, people, records):
    response = client.get(url("sponsorship_supportrecord_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.get(url("sponsorship_supportrecord_change", records.s_lien.pk))
    assert response.status_code == 302 and "/login/" in response["Location"]
    stranger = as_user(client, people.stranger)
    assert stranger.get(url("sponsorship_supportrecord_changelist")).status_code == 403
    assert stranger.get(url("sponsorship_supportrecord_change", records.s_lien.pk)).status_code in (302, 403)


# --- change pages reached by typing an id ---------------------------------------------------


def test_an_id_outside_the_read_scope_is_not_found(client, people, records):
    client = as_user(client, people.huong_khe_clerk)
    response = client.get(url("sponsorship_supportrecord_change", records.s_nam.pk))
    assert response.status_code == 302  # "does not exist", back to the index
    assert "Công ty Nghệ An" not in client.get(response["Location"]).content.decode()
    history = client.get(url("sponsorship_supportrecord_history", records.s_nam.pk))
    assert history.status_code == 403
    revert = client.get(url("sponsorship_supportrecord_simple_history", records.s_nam.pk, 1))
    assert revert.status_code in (403, 404)


def test_a_row_read_but_not_written_opens_read_only_and_refuses_a_save(client, people, records):
    client = as_user(client, people.huong_khe_clerk)
    page = client.get(url("sponsorship_supportrecord_change", records.s_phu.pk))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    response = client.post(
        url("sponsorship_supportrecord_change", records.s_phu.pk), support_form(records.s_phu, value_vnd="1")
    )
    assert response.status_code == 403
    records.s_phu.refresh_from_db()
    assert records.s_phu.value_vnd == 7_500_000


def test_own_row_is_saved_but_cannot_be_moved_to_another_district(client, people, records):
    client = as_user(client, people.huong_khe_clerk)
    change = url("sponsorship_supportrecord_change", records.s_lien.pk)
    moved = client.post(change, support_form(records.s_lien, assignment=records.a_phu.pk))
    assert moved.status_code == 200  # the form refuses the choice
    assert "assignment" in moved.context["adminform"].form.errors
    records.s_lien.refresh_from_db()
    assert records.s_lien.assignment_id == records.a_lien.pk
    saved = client.post(change, support_form(records.s_lien, value_vnd="16000000"))
    assert saved.status_code == 302
    records.s_lien.refresh_from_db()
    assert records.s_lien.value_vnd == 16_000_000


def test_adding_a_row_is_limited_to_the_write_scope(client, people, records):
    client = as_user(client, people.huong_khe_clerk)
    add = url("sponsorship_supportrecord_add")
    before = SupportRecord.objects.count()
    refused = client.post(add, support_form(records.s_phu))
    assert refused.status_code == 200 and "assignment" in refused.context["adminform"].form.errors
    assert SupportRecord.objects.count() == before
    assert client.post(add, support_form(records.s_lien, date="2017-06-01")).status_code == 302
    assert SupportRecord.objects.count() == before + 1


def test_sponsor_clerk_records_support_for_their_own_assignments_only(client, people, records):
    client = as_user(client, people.sponsor_clerk)
    add = url("sponsorship_supportrecord_add")
    refused = client.post(add, support_form(records.s_phu))
    assert refused.status_code == 200 and "assignment" in refused.context["adminform"].form.errors
    assert client.post(add, support_form(records.s_lien, date="2017-06-01", value_vnd="1000")).status_code == 302
    assert client.get(url("sponsorship_supportrecord_change", records.s_phu.pk)).status_code == 302


def test_viewer_reads_but_changes_nothing(client, people, records):
    client = as_user(client, people.viewer)
    assert client.get(url("sponsorship_supportrecord_changelist")).status_code == 200
    page = client.get(url("sponsorship_supportrecord_change", records.s_lien.pk))
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    assert client.get(url("sponsorship_supportrecord_add")).status_code == 403
    response = client.post(url("sponsorship_supportrecord_change", records.s_lien.pk), support_form(records.s_lien))
    assert response.status_code == 403
    assert client.post(url("sponsorship_supportrecord_delete", records.s_lien.pk), {"post": "yes"}).status_code == 403


def test_coordinator_of_another_province_cannot_reach_ha_tinh(client, people, records):
    client = as_user(client, people.nghe_an_coordinator)
    page = client.get(url("sponsorship_supportrecord_changelist"))
    assert {r.pk for r in page.context["cl"].result_list} == {records.s_nam.pk}
    assert client.get(url("sponsorship_supportrecord_change", records.s_lien.pk)).status_code == 302
    response = client.post(url("sponsorship_supportrecord_delete", records.s_lien.pk), {"post": "yes"})
    assert response.status_code == 302
    assert SupportRecord.objects.filter(pk=records.s_lien.pk).exists()


# --- deletes, actions and bulk edits ------------------------------------------------------------


def test_delete_of_a_row_read_but_not_written_is_refused(client, people, records):
    client = as_user(client, people.huong_khe_clerk)
    assert client.post(url("sponsorship_supportrecord_delete", records.s_phu.pk), {"post": "yes"}).status_code == 403
    assert SupportRecord.objects.filter(pk=records.s_phu.pk).exists()


def test_bulk_delete_action_touches_only_rows_the_user_may_write(client, people, records):
    client = as_user(client, people.huong_khe_clerk)
    response = client.post(
        url("sponsorship_supportrecord_changelist"),
        {"action": "delete_selected", "_selected_action": [records.s_lien.pk, records.s_phu.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not SupportRecord.objects.filter(pk=records.s_lien.pk).exists()
    assert SupportRecord.objects.filter(pk=records.s_phu.pk).exists()


def test_list_editable_cannot_change_rows_outside_the_write_scope(client, people, records):
    client = as_user(client, people.huong_khe_clerk)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": records.s_phu.pk,
        "form-0-value_vnd": "1",
        "_save": "Lưu",
    }
    client.post(url("sponsorship_supportrecord_changelist"), data)
    records.s_phu.refresh_from_db()
    assert records.s_phu.value_vnd == 7_500_000


# --- autocompletes ------------------------------------------------------------------------------


def test_autocomplete_offers_only_foreign_keys_that_keep_the_row_in_write_scope(client, people, records, place):
    clerk = as_user(client, people.huong_khe_clerk)
    assert autocomplete(clerk, "sponsorship", "supportrecord", "assignment") == {records.a_lien.pk}
    assert autocomplete(clerk, "criteria", "assessment", "commune", "ky phu") == set()
    assert place.huong_lien.pk in autocomplete(clerk, "criteria", "assessment", "commune", "huong lien")
    other = as_user(client, people.ky_anh_clerk)
    assert autocomplete(other, "criteria", "assessment", "commune", "ky phu") == {place.ky_phu.pk}
    coordinator = as_user(client, people.coordinator)
    assert autocomplete(coordinator, "sponsorship", "supportrecord", "assignment") == {
        records.a_lien.pk,
        records.a_phu.pk,
    }
    assert autocomplete(coordinator, "criteria", "assessment", "commune", "nam hung") == set()
    sponsor = as_user(client, people.sponsor_clerk)
    assert autocomplete(sponsor, "sponsorship", "supportrecord", "assignment") == {records.a_lien.pk}


def test_autocomplete_of_a_model_the_user_cannot_write_is_empty(client, people, records):
    viewer = as_user(client, people.viewer)
    assert autocomplete(viewer, "sponsorship", "supportrecord", "assignment") == set()


def test_autocomplete_of_reference_data_is_not_narrowed(client, people, records):
    clerk = as_user(client, people.huong_khe_clerk)
    assert records.cement.pk in autocomplete(clerk, "sponsorship", "supportrecord", "category")


def test_assessment_of_another_district_cannot_be_added(client, people, records, place):
    client = as_user(client, people.huong_khe_clerk)
    data = {"commune": place.ky_phu.pk, "criterion": records.c2.pk, "year": "2019", "status": "dat", "note": ""}
    before = Assessment.objects.count()
    response = client.post(url("criteria_assessment_add"), data)
    assert response.status_code in (200, 403)
    assert Assessment.objects.count() == before
