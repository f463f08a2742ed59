"""The meetings part of the demo data set loads through `seed_demo` on top of the other demos."""

import datetime

import pytest
from django.core.management import call_command

from meetings.models import FollowUpTask, Meeting, Person
from seeds import build_meetings_demo as demo

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_six_meetings_and_their_references(capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    lines = [line for line in output.splitlines() if line.startswith("5")]
    assert len(lines) == 7 and all(line.endswith(" 0 lỗi.") for line in lines)
    assert Meeting.objects.count() == 6
    giao_ban = Meeting.objects.get(code="HT-20160815-DUK")
    # The organiser is the sponsorship demo's bloc, so the minutes join its sponsorship records.
    assert giao_ban.organiser.name == demo.BLOC
    assert giao_ban.organiser.assignments.exists() or giao_ban.organiser.children.exists()
    assert list(giao_ban.decisions.values_list("symbol", flat=True)) == ["11-KH/ĐUK"]
    review = Meeting.objects.get(code="NB-2019-140QD")
    assert review.decisions.get().issued_on == datetime.date(2016, 3, 1)
    assert Person.objects.get(name="Ngô Đình Long").participations.count() == 1
    assert FollowUpTask.objects.count() == 19
    assert FollowUpTask.objects.filter(criteria__number=17).exists()

    call_command("seed_demo")  # again: nothing changes
    assert Meeting.objects.count() == 6 and FollowUpTask.objects.count() == 19
