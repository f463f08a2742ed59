"""The meetings part of the demo data set loads through `seed_demo` on top of the other demos."""

import datetime

import pytest
from django.core.management import call_command

from meetings.models import FollowUpTask, Meeting, Person
from ntm_site.models import ImportBatch
from seeds import build_meetings_demo as demo

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_six_meetings_and_their_references(capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert len([line for line in output.splitlines() if line.startswith("5")]) == 7
    assert not ImportBatch.objects.filter(status=ImportBatch.Status.FAILED).exists()
    assert Meeting.objects.count() == 6
    giao_ban = Meeting.objects.get(code="HT-20160815-DUK")
    assert giao_ban.organiser.name == demo.BLOC_2016
    # Speakers' organisations are the sponsorship demo's Party organisations, so the minutes join
    # their sponsorship records; the name the minutes print stays the one of 2016.
    speaker = giao_ban.participations.get(person__name="Nguyễn Văn Hạnh")
    assert speaker.organisation.name == "Đảng bộ Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Tĩnh"
    assert speaker.organisation.assignments.exists()
    assert speaker.organisation_label == "Sở Văn hóa, Thể thao và Du lịch"
    assert list(giao_ban.decisions.values_list("symbol", flat=True)) == ["11-KH/ĐUK"]
    review = Meeting.objects.get(code="NB-2019-140QD")
    assert review.decisions.get().issued_on == datetime.date(2016, 3, 1)
    assert Person.objects.get(name="Ngô Đình Long").participations.count() == 1
    assert FollowUpTask.objects.count() == 19
    assert FollowUpTask.objects.filter(criteria__number=17).exists()

    call_command("seed_demo")  # again: nothing changes
    assert Meeting.objects.count() == 6 and FollowUpTask.objects.count() == 19
