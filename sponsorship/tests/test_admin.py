"""The clerks' pages: lists that stay fast, decision and organisation pages, search, filters, warnings."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from divisions.models import AdministrativeUnit
from ntm_site.accounts.versions import VERSION_FIELD, history_token
from ntm_site.tests.autocomplete import options
from sponsorship.models import Activity, Assignment, Decision, Initiative, Organisation, Proposal, SupportRecord
from sponsorship.tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    DecisionFactory,
    InitiativeFactory,
    OrganisationFactory,
    SupportRecordFactory,
    category,
)

D = datetime.date
CHANGELISTS = [Organisation, Decision, Assignment, SupportRecord, Initiative, Activity, Proposal]


def ha_tinh_communes(n, *, offset=0):
    return list(AdministrativeUnit.objects.filter(province__code="42", edition="legacy", kind="xa").order_by("code"))[
        offset : offset + n
    ]


def populate(n: int, *, offset: int = 0):
    """n assignments, each with support, an initiative, an activity and a proposal."""
    decision = DecisionFactory()
    bloc = Organisation.objects.get_or_create(name="Đảng ủy Khối thử nghiệm", defaults={"kind": "co_quan_dang"})[0]
    for unit in ha_tinh_communes(n, offset=offset):
        assignment = AssignmentFactory(decision=decision, organisation=OrganisationFactory(parent=bloc), commune=unit)
        SupportRecordFactory(assignment=assignment)
        InitiativeFactory(assignment=assignment)
        activity = ActivityFactory(assignment=assignment)
        Proposal.objects.create(activity=activity, text="Đề nghị hỗ trợ xi măng", addressee=assignment.organisation)


def changelist_queries(client, model) -> int:
    url = reverse(f"admin:sponsorship_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("model", CHANGELISTS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model, django_assert_max_num_queries):
    populate(3)
    few = changelist_queries(admin_client, model)
    populate(30, offset=3)
    many = changelist_queries(admin_client, model)
    assert many == few, f"{model.__name__}: {few} queries with 3 rows, {many} with 33"
    with django_assert_max_num_queries(20):
        admin_client.get(reverse(f"admin:sponsorship_{model._meta.model_name}_changelist"))


@pytest.mark.django_db
def test_decision_page_pages_its_many_assignments_and_counts_roles(admin_client):
    decision = DecisionFactory(symbol="140-QĐ/TU")
    agency = OrganisationFactory()
    for unit in ha_tinh_communes(120):
        AssignmentFactory(decision=decision, organisation=agency, commune=unit, role="phu_trach")
    for unit in ha_tinh_communes(3):
        AssignmentFactory(decision=decision, commune=unit, role="ket_nghia")
    url = reverse("admin:sponsorship_decision_change", args=[decision.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    formset = page.context["inline_admin_formsets"][0].formset
    assert len(formset.forms) == 25
    html = page.content.decode()
    assert "Trang phân công:" in html and "trang_phan_cong=5" in html and "trang_phan_cong=6" not in html
    assert "collapse" in html
    assert "123 phân công" in html  # the link to the filtered list
    last = admin_client.get(url + "?trang_phan_cong=5")
    assert len(last.context["inline_admin_formsets"][0].formset.forms) == 23
    listed = admin_client.get(reverse("admin:sponsorship_decision_changelist"))
    row = listed.context["cl"].result_list[0]
    assert (row.assignment_count, row.phu_trach_count, row.ket_nghia_count) == (123, 120, 3)


@pytest.mark.django_db
def test_decision_and_assignment_pages_do_not_query_per_row(admin_client):
    decision = DecisionFactory()
    agency = OrganisationFactory()
    units = ha_tinh_communes(40)
    first = AssignmentFactory(decision=decision, organisation=agency, commune=units[0], role="phu_trach")
    SupportRecordFactory(assignment=first, date=D(2016, 3, 20))
    InitiativeFactory(assignment=first)
    ActivityFactory(assignment=first, date=D(2016, 3, 20))

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    decision_url = reverse("admin:sponsorship_decision_change", args=[decision.pk])
    assignment_url = reverse("admin:sponsorship_assignment_change", args=[first.pk])
    # The organisation's page lists its assignments: each row holds the organisation, no query of its own.
    organisation_url = reverse("admin:sponsorship_organisation_change", args=[agency.pk])
    urls = (decision_url, assignment_url, organisation_url)
    [queries(url) for url in urls]  # warm the content-type and permission caches
    few = [queries(url) for url in urls]
    for unit in units[1:]:
        AssignmentFactory(decision=decision, organisation=agency, commune=unit, role="phu_trach")
    for i in range(30):
        day = D(2016, 4, 1) + datetime.timedelta(days=i)
        SupportRecordFactory(assignment=first, date=day)
        InitiativeFactory(assignment=first)
        ActivityFactory(assignment=first, date=day)
    assert [queries(url) for url in urls] == few


@pytest.mark.django_db
def test_saving_one_page_of_a_decision_keeps_the_other_pages(admin_client):
    decision = DecisionFactory()
    agency = OrganisationFactory()
    for unit in ha_tinh_communes(60):
        AssignmentFactory(decision=decision, organisation=agency, commune=unit, role="phu_trach")
    url = reverse("admin:sponsorship_decision_change", args=[decision.pk]) + "?trang_phan_cong=2"
    page = admin_client.get(url)
    formset = page.context["inline_admin_formsets"][0].formset
    data = {
        "symbol": decision.symbol,
        "document_type": decision.document_type,
        "issuer": decision.issuer,
        "issued_on": "01/03/2016",
        "term_from_year": 2016,
        "term_to_year": 2020,
        "title": decision.title,
        VERSION_FIELD: history_token(Decision, decision.pk),
    }
    prefix = formset.prefix
    data.update(
        {f"{prefix}-TOTAL_FORMS": len(formset.forms), f"{prefix}-INITIAL_FORMS": len(formset.forms)},
        **{f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000},
    )
    for i, form in enumerate(formset.forms):
        obj = form.instance
        data.update(
            {
                f"{prefix}-{i}-id": obj.pk,
                f"{prefix}-{i}-{VERSION_FIELD}": formset._versions()[obj.pk],
                f"{prefix}-{i}-decision": decision.pk,
                f"{prefix}-{i}-organisation": obj.organisation_id,
                f"{prefix}-{i}-commune": obj.commune_id,
                f"{prefix}-{i}-role": obj.role,
                f"{prefix}-{i}-contact_officer": "Cán bộ đầu mối",
            }
        )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert Assignment.objects.filter(contact_officer="Cán bộ đầu mối").count() == 25
    assert Assignment.objects.filter(decision=decision).count() == 60


@pytest.mark.django_db
def test_organisation_page_shows_its_communes_and_support_totals(admin_client):
    assignment = AssignmentFactory()
    SupportRecordFactory(assignment=assignment, quantity=7, value_vnd=10_000_000)
    SupportRecordFactory(assignment=assignment, date=D(2018, 1, 5), category=category("nha-tinh-nghia"), quantity=1)
    page = admin_client.get(reverse("admin:sponsorship_organisation_change", args=[assignment.organisation.pk]))
    html = page.content.decode()
    assert "Xã Hương Liên" in html
    assert "Xi măng" in html and "7 tấn" in html and "10.000.000 đồng" in html
    assert "Nhà tình nghĩa" in html and "20.000.000 đồng" in html  # the total


@pytest.mark.django_db
def test_assignment_page_holds_support_initiatives_and_activities(admin_client):
    assignment = AssignmentFactory()
    SupportRecordFactory(assignment=assignment)
    InitiativeFactory(assignment=assignment, title="Mô hình trồng cam hữu cơ")
    ActivityFactory(assignment=assignment, summary="Làm việc về tiêu chí 17")
    page = admin_client.get(reverse("admin:sponsorship_assignment_change", args=[assignment.pk]))
    models = {f.formset.model for f in page.context["inline_admin_formsets"]}
    assert models == {SupportRecord, Initiative, Activity}
    html = page.content.decode()
    assert "Mô hình trồng cam hữu cơ" in html and "Làm việc về tiêu chí 17" in html


def support_form(assignment, **changes):
    data = {
        "assignment": assignment.pk,
        "date": "20/12/2021",
        "category": category("xi-mang").pk,
        "quantity": "7",
        "unit": "",
        "value_vnd": "10000000",
        "description": "",
        "outside_term_reason": "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_support_outside_the_term_asks_for_a_reason_then_warns(admin_client):
    assignment = AssignmentFactory()  # 2016–2020
    url = reverse("admin:sponsorship_supportrecord_add")
    refused = admin_client.post(url, support_form(assignment))
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert "ngoài thời hạn phân công (01/03/2016 – 31/12/2020)" in errors["outside_term_reason"][0]
    assert not SupportRecord.objects.exists()
    saved = admin_client.post(url, support_form(assignment, outside_term_reason="Xã đề nghị, huyện đồng ý"))
    assert saved.status_code == 302
    warnings = [str(m) for m in get_messages(saved.wsgi_request) if m.level_tag == "warning"]
    assert any("nằm ngoài thời hạn phân công" in w and "Xã đề nghị" in w for w in warnings)


@pytest.mark.django_db
def test_support_inside_the_term_saves_without_warning(admin_client):
    assignment = AssignmentFactory()
    saved = admin_client.post(
        reverse("admin:sponsorship_supportrecord_add"), support_form(assignment, date="10/05/2017")
    )
    assert saved.status_code == 302
    assert not [m for m in get_messages(saved.wsgi_request) if m.level_tag == "warning"]
    assert SupportRecord.objects.get().unit == "tấn"


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Assignment, SupportRecord, Initiative, Activity], ids=lambda m: m.__name__)
def test_search_by_commune_name_without_diacritics(admin_client, model):
    populate(5)
    url = reverse(f"admin:sponsorship_{model._meta.model_name}_changelist")
    target = ha_tinh_communes(5)[2]
    from ntm_site.text import fold

    response = admin_client.get(url, {"q": fold(target.name.removeprefix("Xã "))})
    rows = list(response.context["cl"].result_list)
    assert rows
    commune_of = (lambda r: r.commune) if model is Assignment else (lambda r: r.assignment.commune)
    assert commune_of(rows[0]) == target


def changelist(model, params, user):
    request = RequestFactory().get("/", params)
    request.user = user
    return admin.site._registry[model].get_changelist_instance(request)


@pytest.mark.django_db
def test_list_filters_by_province_district_role_decision_year(superuser):
    ninh_binh = AdministrativeUnit.objects.get(code="37", edition="legacy")
    huong_khe = AdministrativeUnit.objects.get(code="444", edition="legacy")
    ha_tinh = AdministrativeUnit.objects.get(code="42", edition="legacy")
    in_nb = AssignmentFactory(commune=AdministrativeUnit.objects.get(code="14386", edition="legacy"), role="phu_trach")
    in_hk = AssignmentFactory(decision=DecisionFactory(issued_on=D(2021, 3, 1), term_from_year=2021, term_to_year=2025))
    SupportRecordFactory(assignment=in_hk, date=D(2021, 12, 20))
    SupportRecordFactory(assignment=in_nb, category=category("suat-qua"))

    def results(model, **params):
        return set(changelist(model, {k: str(v) for k, v in params.items()}, superuser).queryset)

    assert results(Assignment, province=ninh_binh.pk) == {in_nb}
    assert results(Assignment, province=ha_tinh.pk, district=huong_khe.pk) == {in_hk}
    assert results(Assignment, role="phu_trach") == {in_nb}
    assert results(Assignment, decision=in_hk.decision_id) == {in_hk}
    assert results(Assignment, year=2018) == {in_nb}
    assert {r.assignment for r in results(SupportRecord, year=2021)} == {in_hk}
    assert {r.assignment for r in results(SupportRecord, category=category("suat-qua").pk)} == {in_nb}
    assert {r.assignment for r in results(SupportRecord, province=ninh_binh.pk)} == {in_nb}
    district_choices = changelist(Assignment, {"province": str(ha_tinh.pk)}, superuser).filter_specs[1].lookup_choices
    assert (huong_khe.pk, "Huyện Hương Khê") in district_choices


@pytest.mark.django_db
def test_commune_autocomplete_offers_only_communes(admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "huong khe", "app_label": "sponsorship", "model_name": "assignment", "field_name": "commune"},
    )
    assert response.status_code == 200
    ids = [int(r["id"]) for r in options(response)]
    assert ids and not AdministrativeUnit.objects.filter(pk__in=ids).exclude(level=3).exists()


@pytest.mark.django_db
def test_every_foreign_key_to_units_organisations_and_decisions_is_an_autocomplete():
    targets = {AdministrativeUnit, Organisation, Decision, Assignment}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "sponsorship":
            continue
        fks = [f.name for f in model._meta.fields if f.is_relation and f.related_model in targets]
        editable = [name for name in fks if name not in (model_admin.readonly_fields or ())]
        assert set(editable) <= set(model_admin.autocomplete_fields), (model.__name__, editable)
        for inline in model_admin.inlines:
            inline_fks = [
                f.name
                for f in inline.model._meta.fields
                if f.is_relation
                and f.related_model in targets
                and f.name != (inline.fk_name or "")
                and f.name in (inline.fields or [])
            ]
            parent_fk = [f.name for f in inline.model._meta.fields if f.is_relation and f.related_model is model]
            wanted = set(inline_fks) - set(parent_fk) - set(inline.readonly_fields or ())
            assert wanted <= set(inline.autocomplete_fields), (inline.__name__, wanted)


def export(client, model):
    """POST the export form of `model`'s list (first format, every column); the file's bytes and the queries."""
    from import_export.forms import SelectableFieldsExportForm

    model_admin = admin.site._registry[model]
    resource = model_admin.resource_classes[0]
    data = {"format": "0", "resource": "0"}
    for name in resource().get_export_order():
        data[SelectableFieldsExportForm.create_boolean_field_name(resource, name)] = "on"
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse(f"admin:sponsorship_{model._meta.model_name}_export"), data)
    assert response.status_code == 200, response.content[:500]
    return response.content, len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("model", CHANGELISTS, ids=lambda m: m.__name__)
def test_every_list_exports_all_its_rows_without_a_query_per_row(admin_client, model):
    import io

    import openpyxl

    populate(3)
    _content, few = export(admin_client, model)
    populate(30, offset=3)
    content, many = export(admin_client, model)
    assert many == few, f"{model.__name__}: {few} queries for 3 rows, {many} for 33"
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    values = [row for row in sheet.iter_rows(values_only=True) if any(v not in (None, "") for v in row)]
    assert len(values) >= model.objects.count()


@pytest.mark.django_db
def test_assignment_autocomplete_does_not_query_per_result(admin_client):
    populate(25)
    params = {"term": "", "app_label": "sponsorship", "model_name": "supportrecord", "field_name": "assignment"}
    with CaptureQueriesContext(connection) as ctx:
        response = admin_client.get(reverse("admin:autocomplete"), params)
    assert len(response.json()["results"]) == 20
    assert len(ctx.captured_queries) < 12


@pytest.mark.django_db
def test_a_clerk_records_a_decision_imports_fifty_assignments_adds_support_and_finds_it(admin_client):
    """The issue's "done when", through the admin alone."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ntm_site.tests.workbooks import xlsx

    this_year = datetime.date.today().year
    OrganisationFactory(name="Đảng bộ Kho bạc Nhà nước Hà Tĩnh", short_name="Kho bạc Nhà nước Hà Tĩnh")
    added = admin_client.post(
        reverse("admin:sponsorship_decision_add"),
        {
            "symbol": "25/QĐ-UBND",
            "document_type": "quyet_dinh",
            "issuer": "UBND tỉnh Hà Tĩnh",
            "issued_on": f"05/01/{this_year}",
            "term_from_year": this_year,
            "term_to_year": this_year + 4,
            "title": "Phân công đỡ đầu xã",
            "assignments-TOTAL_FORMS": 0,
            "assignments-INITIAL_FORMS": 0,
        },
    )
    assert added.status_code == 302, added.context["adminform"].form.errors if added.context else ""
    communes = list(
        AdministrativeUnit.objects.filter(province__code="42", edition="2025", kind="xa").order_by("code")[:50]
    )
    header = ["STT", "Số văn bản", "Cơ quan, đơn vị", "Mã xã", "Hình thức"]
    rows = [[i, "25/QĐ-UBND", "kho bac nha nuoc ha tinh", c.code, "Đỡ đầu"] for i, c in enumerate(communes, 1)]
    upload = SimpleUploadedFile("phan_cong.xlsx", xlsx([header, *rows], title_rows=[["UBND TỈNH HÀ TĨNH"], []]))
    preview = admin_client.post(reverse("admin:sponsorship_assignment_import"), {"import_file": upload})
    assert "confirm_form" in preview.context, [str(e) for e in preview.context.get("errors", [])][:3]
    admin_client.post(reverse("admin:sponsorship_assignment_process_import"), preview.context["confirm_form"].initial)
    assert Assignment.objects.filter(decision__symbol="25/QĐ-UBND").count() == 50
    target = Assignment.objects.get(decision__symbol="25/QĐ-UBND", commune=communes[10])
    saved = admin_client.post(
        reverse("admin:sponsorship_supportrecord_add"),
        {
            "assignment": target.pk,
            "date": f"20/03/{this_year}",
            "category": category("xi-mang").pk,
            "quantity": "7",
            "value_vnd": "10000000",
        },
    )
    assert saved.status_code == 302
    from ntm_site.text import fold

    typed = fold(communes[10].name.removeprefix("Xã "))
    found = admin_client.get(reverse("admin:sponsorship_supportrecord_changelist"), {"q": typed})
    assert [r.assignment for r in found.context["cl"].result_list] == [target]
