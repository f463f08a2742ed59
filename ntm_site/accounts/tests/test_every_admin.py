"""The real admin site (every app's own ModelAdmin), from both sides of the roles' boundaries.

test_admin_scope.py checks each kind of page on a small test site; here every admin the project
registers is opened by an anonymous visitor, a user without scope, a viewer and a coordinator of
another province, and the exports run as each role.
"""

import io

import openpyxl
import pytest
from django import forms
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import NoReverseMatch, reverse

from criteria.models import Criterion
from ntm_site.accounts.roles import PROJECT_APPS
from sponsorship.models import Decision

pytestmark = pytest.mark.django_db

# Models every role may add to (each reader keeps their own saved report filters).
OWN_ROWS = {"reports.savedfilter"}


def project_admins():
    found = []
    for model in admin.site._registry:
        if model._meta.app_label in PROJECT_APPS:
            found.append(pytest.param(model, id=model._meta.label_lower))
    return sorted(found, key=lambda p: p.id)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", project_admins())
def test_anonymous_visitors_are_sent_to_the_login_page(client, model):
    for view in ("changelist", "add"):
        response = client.get(admin_url(model, view))
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("model", project_admins())
def test_a_user_without_scope_or_role_opens_no_admin_page(client, people, model):
    client = as_user(client, people.stranger)
    assert client.get(admin_url(model, "changelist")).status_code == 403
    assert client.get(admin_url(model, "add")).status_code == 403


@pytest.mark.parametrize("model", project_admins())
def test_the_viewer_adds_nothing_and_imports_nothing(client, people, model):
    client = as_user(client, people.viewer)
    assert client.get(admin_url(model, "changelist")).status_code in (200, 403)
    if model._meta.label_lower not in OWN_ROWS:
        assert client.get(admin_url(model, "add")).status_code == 403
    try:
        import_url = admin_url(model, "import")
    except NoReverseMatch:
        return
    assert client.get(import_url).status_code == 403


def test_a_refusal_is_explained_in_vietnamese_inside_the_admin(client, people):
    """A viewer who follows an import address gets the admin's page saying why, not Django's bare "403 Forbidden"."""
    response = as_user(client, people.viewer).get(reverse("admin:sponsorship_supportrecord_import"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Forbidden" not in page
    assert "không được dùng trang hoặc thao tác này" in page
    assert "Hồ sơ Nông thôn mới" in page and "Về bảng điều khiển" in page


@pytest.mark.parametrize("name", ["as_lien", "s_lien", "a_lien"])
def test_another_provinces_coordinator_cannot_open_ha_tinh_records(client, people, records, name):
    record = getattr(records, name)
    client = as_user(client, people.nghe_an_coordinator)
    response = client.get(admin_url(type(record), "change", record.pk))
    # The admin answers an id it cannot find with a redirect to its index and a message, never the row.
    assert response.status_code == 302 and str(record.pk) not in response["Location"]
    history = client.get(admin_url(type(record), "history", record.pk))
    assert history.status_code in (302, 403, 404)
    changelist = client.get(admin_url(type(record), "changelist")).content.decode()
    assert admin_url(type(record), "change", record.pk) not in changelist


def test_a_hatinh_decision_is_read_by_the_province_but_not_by_nghe_an(client, people, records):
    url = admin_url(Decision, "change", records.decision.pk)
    assert as_user(client, people.viewer).get(url).status_code == 200
    assert as_user(client, people.nghe_an_coordinator).get(url).status_code == 302


# --- exports, per role ------------------------------------------------------------------------------


def export_values(client, model):
    """Every value of the xlsx export of the model's whole changelist, as the user sees it."""
    url = admin_url(model, "export")
    page = client.get(url)
    assert page.status_code == 200
    ticked = {name: "on" for name, f in page.context["form"].fields.items() if isinstance(f, forms.BooleanField)}
    response = client.post(url, {"format": "0", "resource": "0", **ticked})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return {c.value for row in ws.iter_rows() for c in row if c.value is not None}


def support_values(values):
    """The support records' values found in an export (15, 7.5 and 1.5 million in the fixture)."""
    wanted = {15_000_000, 7_500_000, 1_500_000}
    return {v for v in values if isinstance(v, int | float) and v in wanted}


@pytest.mark.parametrize(
    "role,expected",
    [
        ("coordinator", {15_000_000, 7_500_000}),
        ("viewer", {15_000_000, 7_500_000}),
        ("huong_khe_clerk", {15_000_000, 7_500_000}),  # reads the whole province
        ("commune_clerk", {15_000_000}),
        ("sponsor_clerk", {15_000_000}),
        ("nghe_an_coordinator", {1_500_000}),
    ],
)
def test_each_role_exports_exactly_the_support_it_reads(client, people, records, role, expected):
    from sponsorship.models import SupportRecord

    values = export_values(as_user(client, getattr(people, role)), SupportRecord)
    assert support_values(values) == expected


def test_export_needs_a_scope(client, people, records):
    from sponsorship.models import SupportRecord

    client = as_user(client, people.stranger)
    assert client.get(admin_url(SupportRecord, "export")).status_code == 403


# --- protected deletes: what depends on the record is named ------------------------------------------


def refused_delete(client, obj):
    url = admin_url(type(obj), "delete", obj.pk)
    page = client.get(url)
    texts = [str(m) for m in get_messages(page.wsgi_request)]
    client.post(url, {"post": "yes"})
    assert type(obj)._default_manager.filter(pk=obj.pk).exists()
    return " ".join(texts)


def test_a_decision_with_assignments_is_not_deleted(client, people, records):
    text = refused_delete(as_user(client, people.coordinator), records.decision)
    assert "Không thể xóa “1234/QĐ-UBND" in text and "2 phân công phụ trách xã" in text


def test_a_criterion_with_assessments_is_not_deleted(admin_client, records):
    criterion = Criterion.objects.get(pk=records.c1.pk)
    text = refused_delete(admin_client, criterion)
    assert "Không thể xóa" in text and "3 kết quả đánh giá tiêu chí" in text


def test_a_unit_with_assessments_is_not_deleted(admin_client, records, place):
    text = refused_delete(admin_client, place.ky_phu)
    assert "Không thể xóa “" in text and "kết quả đánh giá tiêu chí" in text
