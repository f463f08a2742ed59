"""Full records of the reports models with dependants, for ntm_site/accounts/tests/test_every_dependant.py."""

from django.contrib.auth.models import Group

from reports.models import SavedFilter


def saved_filter(user):
    found = SavedFilter.objects.create(name="Hà Tĩnh 2017", report="communes", params={"year": "2017"}, owner=user)
    found.shared_with.add(Group.objects.create(name="Nhóm thử xem báo cáo"))
    return found


CASES = {"reports.savedfilter": saved_filter}
