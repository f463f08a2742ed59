"""A commune-year's history reads in words (issue 19, point 2)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from criteria.choices import ApprovalStatus
from criteria.tests.factories import KY_TIEN, sheet


def commune_year_submit(*, commune_year, user):
    """The submit step as the approval service records it (status, time, who), by any user."""
    commune_year.approval_status = ApprovalStatus.SUBMITTED
    commune_year.approval_changed_at = timezone.now()
    commune_year.approval_changed_by = user
    commune_year._history_user = user
    commune_year.save()


def history_changes(client, commune_year) -> str:
    page = client.get(reverse("admin:criteria_communeyear_history", args=[commune_year.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    return re.sub(r"\s+", " ", html[html.index('id="change-history"') :])


@pytest.mark.django_db
def test_history_shows_labels_local_times_and_empty_values_in_words(admin_client, superuser):
    commune_year = sheet(KY_TIEN, 2017, "1" * 19)
    commune_year_submit(commune_year=commune_year, user=superuser)
    changes = history_changes(admin_client, commune_year)
    assert "Đang nhập &nbsp;&rarr;&nbsp;&nbsp;Xã đã gửi, chờ cấp trên" in changes
    assert "draft" not in changes and "submitted" not in changes
    assert "+00:00" not in changes and "None" not in changes and "pk=" not in changes
    assert "(trống)" in changes
    # Times local (Asia/Ho_Chi_Minh), as dd/mm/yyyy HH:MM, in the changes and the time column.
    commune_year.refresh_from_db()
    local = timezone.localtime(commune_year.approval_changed_at).strftime("%d/%m/%Y %H:%M")
    assert changes.count(local) >= 2


@pytest.mark.django_db
def test_a_change_without_a_user_shows_no_user_and_a_deleted_user_says_so(admin_client, django_user_model):
    commune_year = sheet(KY_TIEN, 2017, "1" * 19)  # created by a script: no user
    clerk = django_user_model.objects.create_user("canbo.tam", password="mat-khau-dai-123")
    commune_year_submit(commune_year=commune_year, user=clerk)
    clerk.delete()
    changes = history_changes(admin_client, commune_year)
    assert "(người dùng đã xóa)" in changes
    assert "Không có" not in changes and "pk=None" not in changes
