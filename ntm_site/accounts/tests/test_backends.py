"""A clerk's permissions (own and through groups) are read in one query."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def perm(codename):
    return Permission.objects.get(codename=codename)


def test_own_and_group_permissions_come_in_one_query_and_only_while_active():
    clerk = User.objects.create_user("thuky", is_staff=True)
    group = Group.objects.create(name="Nhập liệu")
    group.permissions.add(perm("view_meeting"), perm("change_meeting"))
    clerk.groups.add(group)
    clerk.user_permissions.add(perm("view_person"))
    Group.objects.create(name="Khác").permissions.add(perm("delete_meeting"))

    clerk = User.objects.get(pk=clerk.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert clerk.has_perm("meetings.change_meeting") and clerk.has_perm("meetings.view_person")
        assert not clerk.has_perm("meetings.delete_meeting")
        assert clerk.get_all_permissions() == {
            "meetings.view_meeting",
            "meetings.change_meeting",
            "meetings.view_person",
        }
    assert len(ctx.captured_queries) == 1

    User.objects.filter(pk=clerk.pk).update(is_active=False)
    assert not User.objects.get(pk=clerk.pk).has_perm("meetings.change_meeting")


def test_a_superuser_holds_every_permission():
    boss = User.objects.create_superuser("sa", password="x")
    assert boss.has_perm("meetings.delete_meeting")
    assert len(boss.get_all_permissions()) == Permission.objects.count()
