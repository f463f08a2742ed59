"""Users move with the map: a coordinator previews and moves the scopes of users tied to ended units."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db.models import Count
from django.urls import reverse

from divisions.models import AdministrativeUnit, UnitSuccession
from ntm_site.accounts.choices import Role
from ntm_site.accounts.models import UserScope
from ntm_site.accounts.services import user_scope_set

pytestmark = pytest.mark.django_db
URL = reverse("admin:divisions_administrativeunit_move_scopes")


def legacy(name, parent=None):
    units = AdministrativeUnit.objects.filter(edition="legacy", name=name)
    return units.get(parent__name=parent) if parent else units.get()


def new(name):
    return AdministrativeUnit.objects.get(edition="2025", name=name)


def _user(username, role, unit, **extra):
    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.vn", password="mat-khau-rat-dai-2026", is_staff=True, **extra
    )
    user_scope_set(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def people():
    return {
        "tinh": _user("dieuphoi.hatinh", Role.PROVINCE_COORDINATOR, new("Tỉnh Hà Tĩnh"), first_name="VP Điều phối"),
        "xa": _user("xa.kybac", Role.COMMUNE_CLERK, legacy("Xã Kỳ Bắc", "Huyện Kỳ Anh")),
        "huyen": _user("huyen.kyanh", Role.DISTRICT_CLERK, legacy("Huyện Kỳ Anh")),
        "nghean": _user("dieuphoi.nghean", Role.PROVINCE_COORDINATOR, new("Tỉnh Nghệ An")),
    }


def _split_commune():
    """A legacy commune of Hà Tĩnh whose lands went to several 2025 communes."""
    split = (
        UnitSuccession.objects.filter(
            predecessor__province__code="42", predecessor__edition="legacy", predecessor__level=3
        )
        .values("predecessor")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("predecessor")
        .first()
    )
    return AdministrativeUnit.objects.get(pk=split["predecessor"])


def _texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_preview_says_who_moves_where_and_who_cannot(client, people):
    client.force_login(people["tinh"])
    page = client.get(URL)
    assert page.status_code == 200
    plan = {m.scope.user.username: m for m in page.context["moves"]}
    assert set(plan) == {"xa.kybac", "huyen.kyanh"}  # Nghệ An's coordinator is not Hà Tĩnh's to move
    assert plan["xa.kybac"].proposed == new("Xã Kỳ Xuân")
    assert "huyen.kyanh: Huyện Kỳ Anh, Tỉnh Hà Tĩnh đã hết hiệu lực ngày 30/06/2025" in plan["huyen.kyanh"].refusal
    html = page.content.decode()
    assert "Xã Kỳ Xuân, Tỉnh Hà Tĩnh" in html and "không chuyển" in html


def test_moving_takes_the_main_successor_and_refuses_the_district_clerk_by_name(client, people):
    client.force_login(people["tinh"])
    response = client.post(URL, {})
    texts = _texts(response)
    assert any("xa.kybac: Xã Kỳ Bắc, Huyện Kỳ Anh → Xã Kỳ Xuân, Tỉnh Hà Tĩnh" in t for t in texts)
    assert any(t.startswith("huyen.kyanh: ") and "không chuyển" in t for t in texts)
    clerk = UserScope.objects.get(user=people["xa"])
    assert clerk.unit == new("Xã Kỳ Xuân")
    assert clerk.history.first().history_change_reason.startswith("Chuyển theo bản đồ mới: Xã Kỳ Bắc")
    assert clerk.history.first().history_user == people["tinh"]
    assert UserScope.objects.get(user=people["huyen"]).unit == legacy("Huyện Kỳ Anh")  # kept for legacy data


def test_a_split_unit_offers_its_successors_and_a_crafted_choice_is_refused(client, people):
    split = _split_commune()
    user = _user("xa.chia", Role.COMMUNE_CLERK, split)
    successors = list(UnitSuccession.objects.filter(predecessor=split).order_by("-is_main", "successor__code"))
    client.force_login(people["tinh"])
    move = {m.scope.user.username: m for m in client.get(URL).context["moves"]}["xa.chia"]
    assert move.has_choice and move.proposed == successors[0].successor
    record = UserScope.objects.get(user=user)
    stranger = new("Xã Kỳ Anh") if new("Xã Kỳ Anh") not in move.successors else new("Xã Kỳ Khang")
    texts = _texts(client.post(URL, {f"unit_{record.pk}": stranger.pk}))
    assert any("xa.chia: đơn vị đã chọn không phải đơn vị kế thừa" in t for t in texts)
    assert UserScope.objects.get(user=user).unit == split
    other = successors[-1].successor
    client.post(URL, {f"unit_{record.pk}": other.pk})
    assert UserScope.objects.get(user=user).unit == other


def test_only_coordinators_move_scopes(client, people):
    client.force_login(people["xa"])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {}).status_code == 403
    assert UserScope.objects.get(user=people["xa"]).unit.name == "Xã Kỳ Bắc"


def test_the_dashboard_tells_a_user_of_an_ended_unit_what_replaced_it_and_whom_to_ask(client, people):
    client.force_login(people["xa"])
    html = client.get(reverse("admin:index")).content.decode()
    block = html.split('id="ntm-ended-scope"')[1].split("</div>")[0]
    assert "Xã Kỳ Bắc, Huyện Kỳ Anh hết hiệu lực từ sau ngày 30/06/2025" in block
    assert "<strong>Xã Kỳ Xuân, Tỉnh Hà Tĩnh</strong> (từ 01/07/2025)" in block
    assert "VP Điều phối" in block and "dieuphoi.hatinh@example.vn" in block
    client.force_login(people["tinh"])
    html = client.get(reverse("admin:index")).content.decode()
    assert "2 người dùng đang gắn với đơn vị đã hết hiệu lực" in html
    assert 'id="ntm-ended-scope"' not in html
