import datetime
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from meetings.choices import ParticipationRole, TaskStatus
from meetings.models import FollowUpTask, Meeting, Participation, Person, Speech
from meetings.tests.factories import (
    ConclusionFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    SpeechFactory,
    TaskFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def refused(callable_, *args, **kwargs):
    """Run a write that the database must refuse, inside its own savepoint."""
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_(*args, **kwargs)


def saved_parents(task):
    """A built (unsaved) task whose meeting and owner are in the database."""
    task.meeting = MeetingFactory()
    task.owner = OrganisationFactory()
    return task


# --- Meeting -----------------------------------------------------------------------------


def test_meeting_code_is_made_from_its_day_when_left_blank():
    first = MeetingFactory(code="")
    second = MeetingFactory(code="")
    assert first.code == "HN-20160815-1"
    assert second.code == "HN-20160815-2"


def test_meeting_day_is_the_vietnamese_day_not_utc():
    # 06:30 in Hà Nội is still the previous day in UTC.
    meeting = MeetingFactory(start=at("15/08/2016", hour=6))
    assert meeting.local_date == datetime.date(2016, 8, 15)
    assert str(meeting).startswith("15/08/2016 – ")


def test_bridge_points_only_on_an_online_meeting():
    meeting = MeetingFactory.build(is_online=False, bridge_point_count=11)
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "Chỉ hội nghị trực tuyến mới có điểm cầu." in str(error.value)
    refused(MeetingFactory, is_online=False, bridge_point_count=11)


def test_meeting_search_key_finds_title_without_diacritics():
    MeetingFactory(title="Hội nghị trực tuyến sơ kết quý I")
    assert Meeting.objects.filter(search_key__contains=" truc tuyen").count() == 1


# --- Person and participation -------------------------------------------------------------


def test_person_names_are_normalised_and_folded():
    decomposed = unicodedata.normalize("NFD", "Trần Thế Dũng")
    person = PersonFactory(name=decomposed)
    assert person.name == "Trần Thế Dũng"
    assert " tran the dung" in person.search_key


def test_two_people_with_one_name_need_a_note_to_tell_them_apart():
    PersonFactory(name="Nguyễn Văn Thảo")
    with pytest.raises(ValidationError) as error:
        Person(name="Nguyễn Văn Thảo").full_clean()
    assert "ghi chú để phân biệt" in str(error.value)
    Person(name="Nguyễn Văn Thảo", note="Sở Nội vụ Hà Tĩnh").full_clean()


def test_participation_with_neither_person_nor_position_is_refused_with_a_message():
    meeting = MeetingFactory()
    empty = Participation(meeting=meeting, order=1, role=ParticipationRole.ATTENDEE)
    with pytest.raises(ValidationError) as error:
        empty.full_clean()
    assert "Thành phần dự họp cần có họ tên hoặc chức vụ." in error.value.messages
    refused(empty.save)
    assert not Participation.objects.exists()


def test_a_delegation_named_only_by_its_post_is_a_participation():
    participation = ParticipationFactory(
        person=None, position="Đại diện 13 đơn vị sở, ban, ngành, đoàn thể cấp tỉnh", organisation_name=""
    )
    participation.full_clean()
    assert str(participation) == "Đại diện 13 đơn vị sở, ban, ngành, đoàn thể cấp tỉnh"


def test_position_and_organisation_are_kept_as_at_the_meeting():
    participation = ParticipationFactory(
        person__name="Trần Thế Dũng",
        position="TUV, Bí thư Đảng ủy Khối",
        organisation_name="Đảng ủy Khối các cơ quan tỉnh",
    )
    assert str(participation) == "Trần Thế Dũng – TUV, Bí thư Đảng ủy Khối, Đảng ủy Khối các cơ quan tỉnh"


def test_a_person_is_listed_once_per_meeting():
    first = ParticipationFactory()
    refused(ParticipationFactory, meeting=first.meeting, person=first.person)


# --- Speech and conclusion ------------------------------------------------------------------


def test_speech_order_repeated_in_one_meeting_is_refused_with_a_message():
    speech = SpeechFactory(order=1)
    again = Speech(meeting=speech.meeting, order=1, summary="Ý kiến khác")
    with pytest.raises(ValidationError) as error:
        again.full_clean()
    assert "Số thứ tự phát biểu này đã có trong hội nghị." in error.value.messages
    refused(again.save)
    assert Speech.objects.count() == 1
    SpeechFactory(order=1)  # another meeting may use the same number


def test_speaker_must_be_a_participant_of_the_same_meeting():
    other = ParticipationFactory()
    speech = SpeechFactory.build(meeting=MeetingFactory(), order=1, speaker=other)
    with pytest.raises(ValidationError) as error:
        speech.full_clean()
    assert "speaker" in error.value.message_dict


def test_conclusion_order_is_unique_per_meeting():
    conclusion = ConclusionFactory(order=1)
    refused(ConclusionFactory, meeting=conclusion.meeting, order=1)


# --- Follow-up tasks -----------------------------------------------------------------------


def test_task_due_before_its_meeting_is_refused_with_a_message():
    task = saved_parents(TaskFactory.build(due_date=datetime.date(2016, 8, 14)))
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert error.value.message_dict["due_date"] == ["Hạn hoàn thành không được trước ngày họp (15/08/2016)."]
    refused(task.save)
    assert not FollowUpTask.objects.exists()


def test_task_due_on_the_meeting_day_is_accepted():
    task = TaskFactory(due_date=datetime.date(2016, 8, 15))
    assert task.meeting_date == datetime.date(2016, 8, 15)


def test_done_date_on_an_open_task_is_refused_with_a_message():
    task = saved_parents(TaskFactory.build(status=TaskStatus.IN_PROGRESS, done_on=datetime.date(2016, 9, 1)))
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert error.value.message_dict["done_on"] == ["Chỉ nhiệm vụ đã hoàn thành mới có ngày hoàn thành."]
    refused(task.save)
    assert not FollowUpTask.objects.exists()


def test_done_date_before_the_meeting_is_refused():
    task = saved_parents(TaskFactory.build(status=TaskStatus.DONE, done_on=datetime.date(2016, 8, 1)))
    with pytest.raises(ValidationError):
        task.full_clean()
    refused(task.save)


def test_moving_the_meeting_moves_its_tasks_day():
    task = TaskFactory(due_date=datetime.date(2016, 12, 31))
    meeting = task.meeting
    meeting.start = at("20/08/2016")
    meeting.save()
    task.refresh_from_db()
    assert task.meeting_date == datetime.date(2016, 8, 20)


def test_moving_the_meeting_past_a_due_date_is_refused_by_the_database():
    task = TaskFactory(due_date=datetime.date(2016, 8, 20))
    meeting = Meeting.objects.get(pk=task.meeting_id)
    meeting.start = at("25/08/2016")
    refused(meeting.save)


def test_task_conclusion_must_belong_to_the_same_meeting():
    task = TaskFactory()
    task.conclusion = ConclusionFactory()
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert "conclusion" in error.value.message_dict


def test_every_model_and_field_has_a_vietnamese_label():
    from django.apps import apps

    for model in apps.get_app_config("meetings").get_models():
        if model.__name__.startswith("Historical"):
            continue
        assert model._meta.verbose_name, model
        for field in model._meta.get_fields():
            if field.concrete and not field.auto_created:
                label = str(field.verbose_name)
                assert label != field.name.replace("_", " "), f"{model.__name__}.{field.name} has no label"
