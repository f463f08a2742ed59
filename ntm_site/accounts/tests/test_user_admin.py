"""The user list of Hệ thống: each user's role and place, read with the page."""

import pytest
from django.urls import reverse

from ntm_site.accounts.choices import Role
from ntm_site.accounts.services import user_scope_set

pytestmark = pytest.mark.django_db


def test_the_user_list_names_each_place_without_a_query_per_user(
    admin_client, people, django_user_model, place, django_assert_max_num_queries
):
    # Each user's place is shown with its parent ("Xã Hương Liên, Huyện Hương Khê"): read with the page.
    page = admin_client.get(reverse("admin:auth_user_changelist"))
    assert page.status_code == 200 and str(place.huong_lien) in page.content.decode()
    for n in range(6):
        user = django_user_model.objects.create_user(username=f"xa{n}", password="x", is_staff=True)
        user_scope_set(user=user, role=Role.COMMUNE_CLERK, unit=place.huong_lien)
    with django_assert_max_num_queries(12):
        page = admin_client.get(reverse("admin:auth_user_changelist"))
    assert page.content.decode().count(str(place.huong_lien)) >= 7
