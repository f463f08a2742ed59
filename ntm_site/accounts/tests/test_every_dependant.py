"""Every model with dependants is restored whole and refuses lost updates, through its admin pages.

The models are found by walking the model graph (`_meta`): a tracked model has dependants when rows
go or change with it on delete (CASCADE, SET_NULL, SET_DEFAULT) or when it has many-to-many links.
Each app says how to build a full record of its models in `<app>/tests/restore_cases.py`
(`CASES = {"app_label.model_name": builder}`; a builder takes the test's superuser and returns a
saved record with at least one row in every relation of its model; `PAGE_CASES`, where needed, one with a
row in every inline of its page too). A new model with dependants,
or a new dependant relation of a listed model, fails here until its case builds it.
"""

from __future__ import annotations

import importlib

import lxml.html
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from ntm_site.accounts.versions import local_time
from ntm_site.models import TrackedModel

pytestmark = pytest.mark.django_db

ON_DELETE_FOLLOWS = (models.CASCADE, models.SET_NULL, models.SET_DEFAULT)


def dependant_relations(model) -> list:
    """The reverse relations whose rows go or change when a row of `model` is deleted, and its m2m links."""
    found = []
    for field in model._meta.get_fields(include_hidden=True):
        if field.many_to_many or (
            field.auto_created
            and not field.concrete
            and (field.one_to_many or field.one_to_one)
            and field.on_delete in ON_DELETE_FOLLOWS
            and not field.related_model._meta.auto_created
        ):
            found.append(field)
    return found


def models_with_dependants() -> list[str]:
    return sorted(
        m._meta.label_lower for m in apps.get_models() if issubclass(m, TrackedModel) and dependant_relations(m)
    )


def restore_cases(name: str = "CASES") -> dict:
    cases = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tests.restore_cases")
        except ModuleNotFoundError as e:
            if e.name not in (f"{config.name}.tests", f"{config.name}.tests.restore_cases"):
                raise
            continue
        cases.update(getattr(module, name, {}))
    return cases


def page_cases() -> dict:
    """The builders for the lost-update test: a record with a saved row in every inline of its page. A module's
    PAGE_CASES add to its CASES, for a page whose inline holds rows that keep the record from being deleted
    (PROTECT), which a restore case cannot have."""
    return {**restore_cases(), **restore_cases("PAGE_CASES")}


def _relation_rows(obj, relation) -> list:
    """(model, rows) of `relation` of `obj`: the dependants, or the link rows of a many-to-many field."""
    if relation.many_to_many:
        if relation.concrete:
            through, column = relation.remote_field.through, relation.m2m_field_name()
        else:
            through, column = relation.through, relation.field.m2m_reverse_field_name()
        return through, list(through._base_manager.filter(**{column: obj.pk}))
    return relation.related_model, list(relation.related_model._base_manager.filter(**{relation.field.name: obj.pk}))


def _values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def whole(obj, seen=None) -> dict:
    """{(model label, pk): field values} of the record and of everything that goes or changes with it."""
    seen = {} if seen is None else seen
    key = (obj._meta.label_lower, obj.pk)
    if key in seen:
        return seen
    seen[key] = _values(obj)
    for relation in dependant_relations(type(obj)) if issubclass(type(obj), TrackedModel) else []:
        _model, rows = _relation_rows(obj, relation)
        for row in rows:
            if issubclass(type(row), TrackedModel):
                whole(row, seen)
            else:
                seen[(row._meta.label_lower, row.pk)] = _values(row)
    return seen


def _history_count(snapshot) -> int:
    total = 0
    for label, pk in snapshot:
        model = apps.get_model(label)
        if issubclass(model, TrackedModel):
            total += model.history.filter(**{model._meta.pk.attname: pk}).count()
    return total


def admin_url(obj, view, *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def page_form(page, model) -> list[tuple[str, str]]:
    """The fields a browser would send from the change form of `page`."""
    html = lxml.html.fromstring(page.content.decode())
    (form,) = html.xpath(f'//form[@id="{model._meta.model_name}_form"]')
    return [(k, v) for k, v in form.form_values() if "__prefix__" not in k]


def _post(client, url, pairs):
    data = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return client.post(url, data)


@pytest.fixture
def other_clerk(db):
    return get_user_model().objects.create_superuser("nguoikhac", "khac@example.vn", "mat-khau-dai-456")


def test_every_model_with_dependants_has_a_restore_case():
    """A new model with dependants needs a case in its app's tests/restore_cases.py."""
    missing = sorted(set(models_with_dependants()) - set(restore_cases()))
    assert not missing, f"no restore case for {missing}: add one to <app>/tests/restore_cases.py"


def test_the_walk_finds_the_records_the_clerks_delete():
    found = set(models_with_dependants())
    assert {"meetings.meeting", "criteria.communeyear", "sponsorship.decision", "sponsorship.activity"} <= found


@pytest.mark.parametrize("label", models_with_dependants())
def test_deleting_and_restoring_brings_back_the_whole_record(admin_client, superuser, label):
    build = restore_cases().get(label)
    assert build is not None, f"no restore case for {label}"
    obj = build(superuser)
    model = type(obj)
    for relation in dependant_relations(model):
        _model, rows = _relation_rows(obj, relation)
        assert rows, f"the case of {label} builds no row of {relation.name}: make it build one"
    before = whole(obj)
    files = [v.name for values in before.values() for v in values.values() if isinstance(v, FieldFile) and v]
    if model in admin.site._registry:
        assert admin_client.post(admin_url(obj, "delete", obj.pk), {"post": "yes"}).status_code == 302
    else:
        # Rows without a page of their own are deleted on their parent's page: its inline's "Xóa" box, saved.
        parent = _parent_of(obj)
        change = admin_url(parent, "change", parent.pk)
        page = admin_client.get(change)
        (form,) = [
            f
            for fs in page.context["inline_admin_formsets"]
            for f in fs.formset.forms
            if type(f.instance) is model and f.instance.pk == obj.pk
        ]
        sent = [*page_form(page, type(parent)), (f"{form.prefix}-DELETE", "on")]
        assert _post(admin_client, change, sent).status_code == 302
    assert not model._default_manager.filter(pk=obj.pk).exists()
    gone = [key for key in before if apps.get_model(key[0])._base_manager.filter(pk=key[1]).exists()]
    # Rows that only lost their reference to the record (SET_NULL) are still there; the rest is gone.
    assert all(before[key] != _values(apps.get_model(key[0])._base_manager.get(pk=key[1])) for key in gone)
    assert all(default_storage.exists(name) for name in files), "a deleted record's files stay in storage"

    # "Khôi phục" on the list of deleted records: the record's own, or its parent's for a row of its page.
    listed = obj if model in admin.site._registry else _parent_of(obj)
    listing = admin_client.get(admin_url(listed, "deleted"))
    rows = [
        r for r in listing.context["rows"] if type(r["record"].instance) is model and r["record"].instance.pk == obj.pk
    ]
    assert len(rows) == 1
    assert "Khôi phục" in listing.content.decode() and rows[0]["restore_url"] in listing.content.decode()
    assert admin_client.post(rows[0]["restore_url"]).status_code == 302

    restored = model._default_manager.get(pk=obj.pk)
    assert whole(restored) == before
    assert all(default_storage.exists(name) for name in files)


def _parent_of(obj):
    """The record on whose page a row without a page of its own is written (its inline's foreign key)."""
    for parent_admin in admin.site._registry.values():
        for inline in parent_admin.inlines:
            if inline.model is type(obj):
                fk = next(
                    f
                    for f in type(obj)._meta.concrete_fields
                    if f.is_relation and f.related_model is parent_admin.model and f.name == (inline.fk_name or f.name)
                )
                return getattr(obj, fk.name)
    raise AssertionError(f"{obj._meta.label} has no page and no parent page")


def models_with_pages() -> list[str]:
    return [label for label in models_with_dependants() if apps.get_model(label) in admin.site._registry]


def test_rows_without_a_page_of_their_own_are_written_on_their_parents_page():
    """Their versions are then checked there (the inline rows of the parent's test below)."""
    inlined = {i.model._meta.label_lower for a in admin.site._registry.values() for i in a.inlines}
    assert set(models_with_dependants()) - set(models_with_pages()) <= inlined


def _stale_rows(page, obj) -> list:
    """The rows a save of `page` writes, one of each kind: the record, then the first saved row of each inline."""
    rows = [obj]
    for formset in page.context["inline_admin_formsets"]:
        saved = [f.instance for f in formset.formset.forms if f.instance.pk]
        if saved:
            rows.append(saved[0])
    return rows


@pytest.mark.parametrize("label", models_with_pages())
def test_a_page_opened_before_another_save_refuses_to_save_over_it(admin_client, superuser, other_clerk, label):
    """Whichever row the page writes moved meanwhile (the record, or a row of any of its inlines): the save is
    refused, naming the row, who saved it and when, and nothing is written."""
    build = page_cases().get(label)
    assert build is not None, f"no restore case for {label}"
    obj = build(superuser)
    model = type(obj)
    change = admin_url(obj, "change", obj.pk)
    stale = _stale_rows(admin_client.get(change), obj)
    inlines = admin.site._registry[model].get_inlines(None, obj)
    assert len(stale) == 1 + len(inlines), f"the case of {label} builds no row of some inline: make it build one"
    for row in stale:
        page = admin_client.get(change)
        sent = page_form(page, model)
        moved = type(row)._default_manager.get(pk=row.pk)
        moved._history_user = other_clerk
        moved.save()
        when = local_time(
            type(moved).history.filter(**{moved._meta.pk.attname: moved.pk}).latest("history_id").history_date
        )
        snapshot = whole(model._default_manager.get(pk=obj.pk))
        written = _history_count(snapshot)

        refused = _post(admin_client, change, sent)
        assert refused.status_code == 200, f"a stale {moved._meta.label_lower} was saved over"
        text = lxml.html.fromstring(refused.content.decode()).text_content()
        assert "sau khi bạn mở trang" in text and f"bởi nguoikhac lúc {when}" in text
        assert str(moved) in text
        assert _history_count(snapshot) == written

    without = [(k, v) for k, v in page_form(admin_client.get(change), model) if not k.endswith("ntm_version")]
    refused = _post(admin_client, change, without)
    assert refused.status_code == 200
    assert "không kèm phiên bản" in refused.content.decode()
    assert _history_count(snapshot) == written

    # The same page opened now saves.
    assert _post(admin_client, change, page_form(admin_client.get(change), model)).status_code == 302


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
