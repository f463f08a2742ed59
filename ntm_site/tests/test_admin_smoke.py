"""Every admin page of the project opens for a superuser, in Vietnamese."""

import pytest
from django.contrib import admin
from django.urls import reverse

MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.django_db
@pytest.mark.parametrize("model", [m for m, _ in MODEL_ADMINS], ids=lambda m: m._meta.label)
def test_changelist_and_add_page_open(admin_client, model):
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission(changelist.wsgi_request):
        add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code == 200


@pytest.mark.django_db
def test_admin_index_is_vietnamese(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Hồ sơ Nông thôn mới" in page
    assert "Thoát" in page  # Django's vi word for "Log out"
    assert "Log out" not in page


@pytest.mark.django_db
def test_english_is_available(admin_client):
    admin_client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Log out" in page


@pytest.mark.django_db
def test_an_english_browser_still_gets_the_vietnamese_admin(admin_client):
    """Office browsers mostly send Accept-Language: en-US; Vietnamese stays the default."""
    page = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Thoát" in page
    assert "Log out" not in page
