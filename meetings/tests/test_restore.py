"""A whole restore that meets a conflict is refused with the reason, and nothing of it comes back."""

import pytest
from django.core.exceptions import ValidationError

from meetings.models import Meeting, Participation, Speech
from meetings.tests.factories import MeetingFactory
from meetings.tests.restore_cases import meeting
from ntm_site.accounts.restore import restore_deleted

pytestmark = pytest.mark.django_db


def last_deletion(model, pk):
    return model.history.filter(**{model._meta.pk.attname: pk}, history_type="-").latest("history_id")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_meeting_whose_code_was_taken_since_is_not_restored_at_all(superuser):
    held = meeting(superuser, code="GB-2016-08")
    pk, people = held.pk, list(held.participations.values_list("pk", flat=True))
    held.delete()
    MeetingFactory(code="GB-2016-08", title="Hội nghị khác mang cùng mã")
    with pytest.raises(ValidationError) as refused:
        restore_deleted(record=last_deletion(Meeting, pk), user=superuser)
    assert "Hội nghị" in " ".join(refused.value.messages)
    assert not Meeting.objects.filter(pk=pk).exists()
    assert not Participation.objects.filter(pk__in=people).exists()
    assert not Speech.objects.filter(meeting_id=pk).exists()


def test_a_participant_whose_meeting_was_deleted_since_is_refused_naming_it(superuser):
    held = meeting(superuser)
    speaker = held.participations.get()
    speaker_pk = speaker.pk
    speech = held.speeches.get()
    speaker.delete()
    speech.refresh_from_db()
    assert speech.speaker_id is None
    meeting_pk = held.pk
    Meeting.objects.get(pk=meeting_pk).delete()
    with pytest.raises(ValidationError) as refused:
        restore_deleted(record=last_deletion(Participation, speaker_pk), user=superuser)
    assert "Không khôi phục được" in " ".join(refused.value.messages)
    assert not Participation.objects.exists()


def test_restoring_a_participant_gives_the_speech_its_speaker_back(superuser):
    held = meeting(superuser)
    speaker_pk = held.participations.get().pk
    Participation.objects.get(pk=speaker_pk).delete()
    assert held.speeches.get().speaker_id is None
    restore_deleted(record=last_deletion(Participation, speaker_pk), user=superuser)
    assert held.speeches.get().speaker_id == speaker_pk
