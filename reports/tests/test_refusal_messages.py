"""A download or draft refused for a place outside the reader's scope names the place and the scope (issue 19, 8)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reports.tests.test_scope import PARAMS, as_user, export_url, nghe_an, readers  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def refusal(response) -> str:
    assert response.status_code == 302
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_download_outside_the_scope_names_the_place_and_the_scope(client, readers):
    client = as_user(client, readers.ky_anh)
    message = refusal(
        client.get(export_url("support-ledger", "xlsx"), {**PARAMS["support-ledger"], "province": "Tỉnh Nghệ An"})
    )
    assert "Chưa tải được" in message
    assert "“Tỉnh Nghệ An” nằm ngoài phạm vi được giao cho bạn (Huyện Kỳ Anh" in message


def test_a_draft_document_outside_the_scope_names_the_place_and_the_scope(client, readers):
    client = as_user(client, readers.ky_anh)
    url = reverse("reports:document", args=["criteria-summary"])
    message = refusal(client.get(url, {**PARAMS["criteria-summary"], "province": "Tỉnh Nghệ An"}))
    assert "Chưa tạo được bản dự thảo" in message and "“Tỉnh Nghệ An” nằm ngoài phạm vi" in message
