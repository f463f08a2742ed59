"""Small factories for the minutes; real communes come from the test database's unit lists."""

import datetime
import itertools
import zoneinfo

import factory

from criteria.models import CriteriaSet, Criterion
from divisions.models import AdministrativeUnit
from meetings.choices import MeetingKind, ParticipationRole, SpeechKind
from meetings.models import Conclusion, FollowUpTask, Meeting, Participation, Person, Speech
from sponsorship.choices import OrganisationKind
from sponsorship.models import Organisation

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
_order = itertools.count(1)


def at(day: str, hour: int = 14) -> datetime.datetime:
    """A Vietnamese local time on a dd/mm/yyyy day."""
    return datetime.datetime.strptime(day, "%d/%m/%Y").replace(hour=hour, tzinfo=VN)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Sở thử nghiệm số {n}")
    kind = OrganisationKind.DEPARTMENT


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = "Hội nghị giao ban công tác xây dựng nông thôn mới"
    kind = MeetingKind.BRIEFING
    start = factory.LazyFunction(lambda: at("15/08/2016"))
    place = "Hội trường Đảng ủy Khối"
    organiser = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.PARTY_BODY)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.LazyFunction(lambda: next(_order))
    person = factory.SubFactory(PersonFactory)
    position = "Phó Giám đốc"
    role = ParticipationRole.ATTENDEE


class SpeechFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speech

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.LazyFunction(lambda: next(_order))
    kind = SpeechKind.REMARKS
    summary = "Đề nghị quan tâm chất lượng cán bộ cơ sở."


class ConclusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conclusion

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.LazyFunction(lambda: next(_order))
    text = "Các cấp ủy bám sát thông báo kết luận của Ban Chỉ đạo tỉnh."


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpTask

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.LazyFunction(lambda: next(_order))
    text = "Kiện toàn Tổ giúp việc xây dựng nông thôn mới."
    owner = factory.SubFactory(OrganisationFactory)
    due_date = factory.LazyAttribute(lambda o: o.meeting.local_date + datetime.timedelta(days=45))


def criteria_set_for(year: int) -> CriteriaSet:
    """The national commune set in force in `year` (reference data the test database loads)."""
    found = CriteriaSet.objects.default_for_year(year)
    assert found is not None, f"no national criteria set covers {year}: is fixtures/10_criteria_sets.json loaded?"
    return found


def criterion(number: int, year: int = 2016) -> Criterion:
    return criteria_set_for(year).criteria.get(number=number)


def commune(name: str, district: str) -> AdministrativeUnit:
    """A legacy-edition commune of the test database, e.g. commune("Xã Hương Liên", "Huyện Hương Khê")."""
    return AdministrativeUnit.objects.get(name=name, parent__name=district, valid_to__isnull=False)
