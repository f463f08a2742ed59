"""The queryset questions the reports ask about follow-up tasks and meetings."""

import datetime

import pytest

from meetings.choices import TaskStatus
from meetings.models import FollowUpTask, Meeting, Person
from meetings.tests.factories import MeetingFactory, OrganisationFactory, ParticipationFactory, TaskFactory, at

pytestmark = pytest.mark.django_db

D = datetime.date
ON = D(2016, 10, 15)


@pytest.fixture
def tasks():
    meeting = MeetingFactory(start=at("15/08/2016"))
    department = OrganisationFactory(name="Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Tĩnh", short_name="Sở VHTTDL")
    bloc = OrganisationFactory(name="Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh")
    cell = OrganisationFactory(name="Chi bộ Sở Nội vụ", parent=bloc)
    made = {
        "late": TaskFactory(meeting=meeting, order=1, owner=department, due_date=D(2016, 9, 30)),
        "due_later": TaskFactory(
            meeting=meeting, order=2, owner=department, due_date=D(2016, 12, 31), status=TaskStatus.IN_PROGRESS
        ),
        "done_late": TaskFactory(
            meeting=meeting,
            order=3,
            owner=department,
            due_date=D(2016, 9, 1),
            status=TaskStatus.DONE,
            done_on=D(2016, 9, 10),
        ),
        "undated": TaskFactory(meeting=meeting, order=4, owner=bloc, due_date=None),
        "cancelled": TaskFactory(
            meeting=meeting, order=5, owner=bloc, due_date=D(2016, 8, 31), status=TaskStatus.CANCELLED
        ),
        "cell": TaskFactory(meeting=meeting, order=6, owner=cell, due_date=D(2016, 10, 1)),
    }
    return department, bloc, made


def test_open_overdue_and_done(tasks):
    _department, _bloc, t = tasks
    assert set(FollowUpTask.objects.open()) == {t["late"], t["due_later"], t["undated"], t["cell"]}
    assert set(FollowUpTask.objects.overdue(on=ON)) == {t["late"], t["cell"]}
    assert set(FollowUpTask.objects.done()) == {t["done_late"]}
    # A task due today is not overdue yet; an undated or cancelled one never is.
    assert set(FollowUpTask.objects.overdue(on=D(2016, 9, 30))) == set()


def test_overdue_is_computed_for_the_day_asked_not_stored(tasks):
    _department, _bloc, t = tasks
    flags = dict(FollowUpTask.objects.with_overdue(on=ON).values_list("pk", "is_overdue"))
    assert flags[t["late"].pk] is True and flags[t["due_later"].pk] is False
    later = dict(FollowUpTask.objects.with_overdue(on=D(2017, 1, 1)).values_list("pk", "is_overdue"))
    assert later[t["due_later"].pk] is True
    late_done = FollowUpTask.objects.with_overdue(on=ON).get(pk=t["done_late"].pk)
    assert late_done.done_late is True and late_done.is_overdue is False


def test_every_open_task_of_one_organisation(tasks):
    department, bloc, t = tasks
    assert list(FollowUpTask.objects.for_owner(department).open().order_by("due_date")) == [t["late"], t["due_later"]]
    assert set(FollowUpTask.objects.for_owner(bloc, include_children=True).open()) == {t["undated"], t["cell"]}


def test_summary_per_owner(tasks):
    rows = {row["owner__name"]: row for row in FollowUpTask.objects.summary_by_owner(on=ON)}
    department = rows["Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Tĩnh"]
    assert department["owner__short_name"] == "Sở VHTTDL"
    assert (department["total"], department["open"], department["overdue"], department["done"]) == (3, 2, 1, 1)
    assert department["done_late"] == 1
    assert department["next_due"] == D(2016, 9, 30) and department["oldest_overdue"] == D(2016, 9, 30)
    bloc = rows["Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh"]
    assert (bloc["total"], bloc["open"], bloc["overdue"], bloc["cancelled"]) == (2, 1, 0, 1)
    assert bloc["next_due"] is None  # its only open task has no due date
    assert list(rows) == sorted(rows)


def test_summary_follows_the_filters_before_it(tasks):
    summary = FollowUpTask.objects.due_in_month(2016, 9).summary_by_owner(on=ON)
    assert [(r["owner__name"], r["total"]) for r in summary] == [("Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Tĩnh", 2)]
    assert FollowUpTask.objects.totals(on=ON) == {"total": 6, "open": 4, "overdue": 2, "done": 1, "cancelled": 1}


def test_tasks_set_at_meetings_between_two_days(tasks):
    assert FollowUpTask.objects.set_at_meetings_between(D(2016, 8, 1), D(2016, 8, 31)).count() == 6
    assert not FollowUpTask.objects.set_at_meetings_between(D(2017, 1, 1), D(2017, 12, 31)).exists()


def test_meeting_counts_in_one_query(tasks, django_assert_num_queries):
    meeting = Meeting.objects.get()
    ParticipationFactory(meeting=meeting, order=1)
    with django_assert_num_queries(1):
        row = Meeting.objects.with_counts().get()
    assert (row.participant_count, row.task_count, row.open_task_count, row.speech_count) == (1, 6, 4, 0)


def test_person_meeting_count(db):
    person = Person.objects.create(name="Ngô Đình Long")
    for day in ("15/08/2016", "20/04/2017"):
        ParticipationFactory(meeting=MeetingFactory(start=at(day)), person=person, order=1)
    assert Person.objects.with_meeting_count().get().meeting_count == 2
