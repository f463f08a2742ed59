"""Full records of the models with dependants whose links reach the minutes, for
ntm_site/accounts/tests/test_every_dependant.py (meetings come after criteria, divisions and
sponsorship, so the cases that need a meeting's rows live here)."""

import datetime

from django.core.files.base import ContentFile

from criteria.models import CriteriaSet, Criterion, Indicator
from divisions.models import AdministrativeUnit, UnitSuccession
from meetings.models import MeetingAttachment
from meetings.tests.factories import (
    ConclusionFactory,
    MeetingFactory,
    ParticipationFactory,
    SpeechFactory,
    TaskFactory,
    criterion,
)
from sponsorship.tests.factories import DecisionFactory, legacy_unit


def meeting(user, **extra):
    """A review meeting with everything its minutes hold: people, speeches, a conclusion, a task, a file, links."""
    found = MeetingFactory(**extra)
    found.decisions.add(DecisionFactory())
    found.bridge_units.add(legacy_unit("444"))
    chair = ParticipationFactory(meeting=found)
    speech = SpeechFactory(meeting=found, speaker=chair)
    speech.criteria.add(criterion(17))
    conclusion = ConclusionFactory(meeting=found)
    task = TaskFactory(meeting=found, conclusion=conclusion)
    task.communes.add(legacy_unit("18559"))
    task.criteria.add(criterion(2))
    attachment = MeetingAttachment(meeting=found, title="Báo cáo đề dẫn")
    attachment.file.save("bao-cao.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    attachment.save()
    return found


def speech(user):
    found = SpeechFactory()
    found.criteria.add(criterion(17))
    return found


def task(user):
    found = TaskFactory()
    found.communes.add(legacy_unit("18559"))
    found.criteria.add(criterion(2))
    return found


def participation(user):
    """A participant who spoke: deleting them leaves the speech without its speaker; restoring gives it back."""
    found = ParticipationFactory()
    SpeechFactory(meeting=found.meeting, speaker=found)
    return found


def conclusion(user):
    found = ConclusionFactory()
    TaskFactory(meeting=found.meeting, conclusion=found)
    return found


def decision(user):
    found = DecisionFactory()
    MeetingFactory().decisions.add(found)
    return found


def decision_with_assignment(user):
    """The decision of a meeting, assigning a sponsor (its page's inline; an assignment keeps it from deletion)."""
    from sponsorship.tests.factories import AssignmentFactory

    found = decision(user)
    AssignmentFactory(decision=found)
    return found


def criterion_with_links(user):
    """A criterion of a province's own set, with an indicator, named by a speech and a task."""
    cset = CriteriaSet.objects.create(code="ha-tinh-thu", name="Bộ tiêu chí thử của tỉnh", valid_from_year=2016)
    found = Criterion.objects.create(criteria_set=cset, number=1, name="Giao thông")
    Indicator.objects.create(criterion=found, code="1.1", text="Đường xã được nhựa hóa")
    SpeechFactory().criteria.add(found)
    TaskFactory().criteria.add(found)
    return found


def unit(user):
    """A commune added by hand, with its lineage both ways, a bridge point and a task naming it."""
    district = legacy_unit("444")
    found = AdministrativeUnit.objects.create(
        code="99001", name="Xã Thử Nghiệm", kind="xa", level=district.level + 1, parent=district
    )
    UnitSuccession.objects.create(
        predecessor=legacy_unit("18559"), successor=found, effective_date=datetime.date(2020, 1, 1)
    )
    later = AdministrativeUnit.objects.create(
        code="99002", name="Xã Thử Nghiệm Mới", kind="xa", level=district.level + 1, parent=district
    )
    UnitSuccession.objects.create(predecessor=found, successor=later, effective_date=datetime.date(2024, 1, 1))
    MeetingFactory().bridge_units.add(found)
    TaskFactory().communes.add(found)
    return found


CASES = {
    "meetings.meeting": meeting,
    "meetings.speech": speech,
    "meetings.followuptask": task,
    "meetings.participation": participation,
    "meetings.conclusion": conclusion,
    "sponsorship.decision": decision,
    "criteria.criterion": criterion_with_links,
    "divisions.administrativeunit": unit,
}


PAGE_CASES = {"sponsorship.decision": decision_with_assignment}
