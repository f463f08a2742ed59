"""Import and export of meeting minutes on the shared spreadsheet engine.

The minutes workbook has one sheet per part of the minutes, all linked by the meeting's
code (`Mã hội nghị`), imported in this order (see services.minutes_workbook_import):

    Hội nghị      meetings      one row per meeting: code, title, kind, day and hour, place,
                                organiser, online and bridge points, decisions, period, summary
    Thành phần    participants  code + STT: name (or only a post), post and organisation as
                                written in the minutes, role
    Phát biểu     speeches      code + order: kind, speaker (name, post or STT), summary, criteria
    Kết luận      conclusions   code + STT: the text of each point
    Nhiệm vụ      tasks         code + STT: text, owner, communes, criteria, due date, status…

Each sheet is also a template of its own (registered below), so a clerk may import just
the tasks, and the demo loader imports one file per sheet.

Organisations, decisions, criteria and units are looked up, never created: an
organisation or decision the clerk names must already be in the system (their own
templates, "organisations" and "decisions", add them). People are the exception: a name
not yet known becomes a new Person (two namesakes are told apart by the note column).

The engine writes rows in bulk without calling `save()` and knows nothing of
many-to-many fields: `prepare_instance` fills the derived fields (`normalise()`), and
the many-to-many values (bridge units, decisions, criteria, communes) are written after
the last row, inside the same transaction.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from import_export import fields

from criteria.models import CriteriaSet, Criterion
from divisions.choices import UnitLevel
from divisions.widgets import UnitWidget
from meetings.choices import OPEN_STATUSES, MeetingKind, ParticipationRole, SpeechKind, TaskStatus
from meetings.models import Conclusion, FollowUpTask, Meeting, Participation, Person, Speech
from meetings.querysets import units_with_parents
from ntm_site.spreadsheets.errors import CellError, RowError
from ntm_site.spreadsheets.registry import register
from ntm_site.spreadsheets.resources import NtmResource
from ntm_site.spreadsheets.widgets import (
    ChoiceWidget,
    NaturalKeyWidget,
    TextWidget,
    VNBooleanWidget,
    VNDateWidget,
    VNIntegerWidget,
    is_blank,
)
from ntm_site.text import fold, nfc
from sponsorship.resources import DecisionWidget
from sponsorship.resources import OrganisationWidget as SponsorshipOrganisationWidget

LIST_SEPARATORS = re.compile(r"\s*[;\n]\s*")
NUMBERS = re.compile(r"\d+")
MEETING_CODE = _("Mã hội nghị")


class Record(dict):
    """One record for the engine, plus what the engine does not write itself."""

    __slots__ = ("m2m", "row_number", "person_key")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.m2m = {}
        self.row_number = 0
        self.person_key = None


# --- widgets ----------------------------------------------------------------------------


class MeetingWidget(NaturalKeyWidget):
    """A meeting by its code: one in the system, or one the "Hội nghị" sheet has just added."""

    def __init__(self, **kwargs):
        super().__init__(Meeting, lookup_fields=("code",), label=_("hội nghị"), **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except CellError:
            raise CellError(_("không có hội nghị mang mã này (trong trang “Hội nghị” hay trong hệ thống).")) from None


class OrganisationWidget(SponsorshipOrganisationWidget):
    """The sponsorship template's organisation lookup (full name first, then short name), which
    here also tells the clerk where to add a missing one, and can look a name up silently."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except CellError as e:
            if self._cache is not None and fold(nfc(str(value))) not in self._cache:
                raise CellError(
                    _("không tìm thấy cơ quan, đơn vị này; hãy thêm ở trang “Cơ quan, đơn vị” trước.")
                ) from None
            raise e

    def find(self, value):
        """The organisation `value` names exactly (full or short name), or None; never an error."""
        if is_blank(value):
            return None
        if self._cache is None:
            self._load()
        key = fold(nfc(str(value)))
        exact = self._by_name.get(key)
        if exact is not None:
            return exact
        found = self._cache.get(key) or []
        return found[0] if len(found) == 1 else None


class TimeWidget(TextWidget):
    """An hour of the day: 14:00, 14h, 14h30, 14 giờ 30, an Excel time cell or day fraction."""

    _TEXT = re.compile(r"^(\d{1,2})\s*(?:[:hg.]|giờ)\s*(\d{1,2})?\s*(?:phút|p)?$", re.IGNORECASE)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.time().replace(second=0, microsecond=0)
        if isinstance(value, datetime.time):
            return value.replace(second=0, microsecond=0)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if 0 <= value < 1:
                minutes = round(float(value) * 24 * 60)
                return datetime.time(minutes // 60 % 24, minutes % 60)
            if isinstance(value, int) and 0 <= value <= 23:
                return datetime.time(value, 0)
            raise CellError(_("cần giờ bắt đầu, ví dụ 14:00 hoặc 8h30."))
        text = fold(nfc(str(value))).replace("gio", "giờ")
        match = self._TEXT.match(text)
        if match:
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
            if hour < 24 and minute < 60:
                return datetime.time(hour, minute)
        raise CellError(_("cần giờ bắt đầu, ví dụ 14:00 hoặc 8h30."))

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%H:%M") if value else ""


def split_list(value) -> list[str]:
    """The items of a list cell: separated by ";" or line breaks (commas belong to unit names)."""
    if is_blank(value):
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return [item for item in LIST_SEPARATORS.split(nfc(str(value))) if item]


def criterion_numbers(value) -> list[int]:
    """Criterion numbers in a cell: "17, 2, 6", "TC17; TC2", "Tiêu chí 18", or one number."""
    if is_blank(value):
        return []
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [int(value)]
    return [int(n) for n in NUMBERS.findall(str(value))]


def local_start(day: datetime.date, hour: datetime.time | None) -> datetime.datetime:
    """The meeting's start as an aware datetime in the project's time zone."""
    return datetime.datetime.combine(day, hour or datetime.time(0)).replace(
        tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )


def meeting_field():
    return fields.Field(attribute="meeting", column_name=MEETING_CODE, widget=MeetingWidget())


# --- shared machinery -----------------------------------------------------------------------


class MinutesResource(NtmResource):
    """What every sheet of the minutes shares: many-to-many values, lookups, the meeting column's export."""

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self._pending = []  # (instance, record) of every row, for after_import_rows
        self._criteria_sets = None
        self._criteria = None

    def prepare_instance(self, instance, record, *, is_new):
        normalise = getattr(instance, "normalise", None)
        if normalise is not None:
            normalise()
        self._pending.append((instance, record))

    def after_import_rows(self, report, *, dry_run):
        super().after_import_rows(report, dry_run=dry_run)
        if report.errors:
            return  # everything is rolled back anyway
        write_many_to_many(self._meta.model, [(obj, rec.m2m) for obj, rec in self._pending if rec.m2m])

    # --- criteria by number, in the national commune set of the meeting's year ----------

    def criteria_for(self, row, key, meeting) -> list | None:
        """Criteria by number, in the national commune set in force in the meeting's year."""
        numbers = criterion_numbers(row.raw(key))
        if not numbers:
            return []
        if meeting is None:
            return None
        if self._criteria is None:
            self._criteria_sets = {}
            self._criteria = {(c.criteria_set_id, c.number): c for c in Criterion.objects.all()}
        year = meeting.local_date.year
        if year not in self._criteria_sets:
            self._criteria_sets[year] = CriteriaSet.objects.default_for_year(year)
        criteria_set = self._criteria_sets[year]
        if criteria_set is None:
            row.error(key, _("chưa có bộ tiêu chí quốc gia nào áp dụng cho năm {year}.").format(year=year))
            return None
        found = []
        for number in numbers:
            criterion = self._criteria.get((criteria_set.pk, number))
            if criterion is None:
                row.error(
                    key,
                    _("bộ tiêu chí {set} không có tiêu chí số {number}.").format(set=criteria_set.name, number=number),
                )
                return None
            found.append(criterion)
        return found

    def units_for(self, row, key, *, level, day) -> list | None:
        widget = self.fields[key].widget
        found = []
        for item in split_list(row.raw(key)):
            try:
                found.append(widget._instance(widget.lookup(item, valid_on=day)))
            except CellError as e:
                row.error(key, _("“{item}”: {problem}").format(item=item, problem=e.expected))
                return None
        return found

    # --- export helpers ------------------------------------------------------------------

    def dehydrate_meeting(self, obj):
        return obj.meeting.code


def write_many_to_many(model, items) -> None:
    """Set many-to-many values of freshly written rows: one DELETE and one INSERT per field.

    `items` is a list of (instance, {field name: [related objects]}); a field absent from
    an item's dict is left as it is (its column was not in the file).
    """
    by_field = defaultdict(list)
    for instance, values in items:
        for name, related in values.items():
            by_field[name].append((instance, related))
    for name, pairs in by_field.items():
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        ids = [instance.pk for instance, _related in pairs]
        through.objects.filter(**{f"{source}__in": ids}).delete()
        rows = []
        for instance, related in pairs:
            for obj in dict.fromkeys(related):
                rows.append(through(**{f"{source}_id": instance.pk, f"{target}_id": obj.pk}))
        through.objects.bulk_create(rows)


# --- Hội nghị -------------------------------------------------------------------------------


@register
class MeetingResource(MinutesResource):
    code = fields.Field(attribute="code", column_name=MEETING_CODE, widget=TextWidget(max_length=40))
    title = fields.Field(attribute="title", column_name=_("Tên hội nghị"), widget=TextWidget(max_length=500))
    kind = fields.Field(attribute="kind", column_name=_("Loại hội nghị"), widget=ChoiceWidget(MeetingKind))
    day = fields.Field(attribute="day", column_name=_("Ngày họp"), widget=VNDateWidget())
    hour = fields.Field(attribute="hour", column_name=_("Giờ bắt đầu"), widget=TimeWidget())
    place = fields.Field(attribute="place", column_name=_("Địa điểm"), widget=TextWidget(max_length=255))
    organiser = fields.Field(attribute="organiser", column_name=_("Cơ quan tổ chức"), widget=OrganisationWidget())
    organiser_name = fields.Field(
        attribute="organiser_name",
        column_name=_("Tên cơ quan tổ chức trên biên bản"),
        widget=TextWidget(max_length=255),
    )
    is_online = fields.Field(attribute="is_online", column_name=_("Họp trực tuyến"), widget=VNBooleanWidget())
    bridge_point_count = fields.Field(
        attribute="bridge_point_count", column_name=_("Số điểm cầu"), widget=VNIntegerWidget(min_value=1)
    )
    bridge_units = fields.Field(
        attribute="bridge_units", column_name=_("Đơn vị có điểm cầu"), widget=UnitWidget(level=UnitLevel.DISTRICT)
    )
    decisions = fields.Field(
        attribute="decisions",
        column_name=_("Văn bản được sơ kết"),
        widget=DecisionWidget(),
    )
    period_from = fields.Field(attribute="period_from", column_name=_("Kỳ đánh giá từ ngày"), widget=VNDateWidget())
    period_to = fields.Field(attribute="period_to", column_name=_("Kỳ đánh giá đến ngày"), widget=VNDateWidget())
    summary = fields.Field(attribute="summary", column_name=_("Tóm tắt nội dung"), widget=TextWidget())

    class Meta:
        model = Meeting
        import_id_fields = ("code",)
        fields = (
            "code",
            "title",
            "kind",
            "day",
            "hour",
            "place",
            "organiser",
            "organiser_name",
            "is_online",
            "bridge_point_count",
            "bridge_units",
            "decisions",
            "period_from",
            "period_to",
            "summary",
        )
        export_order = fields
        clean_model_instances = True
        template_slug = "meetings"
        template_title = _("Hội nghị, cuộc họp")
        sheet_title = _("Hội nghị")
        required_columns = (_("Tên hội nghị"), _("Loại hội nghị"), _("Ngày họp"), _("Cơ quan tổ chức"))
        header_aliases = {
            "Mã hội nghị": ["Mã cuộc họp", "Mã"],
            "Tên hội nghị": ["Tên cuộc họp", "Hội nghị"],
            "Ngày họp": ["Ngày", "Ngày tổ chức", "Thời gian"],
            "Giờ bắt đầu": ["Giờ", "Giờ họp"],
            "Cơ quan tổ chức": ["Đơn vị tổ chức", "Cơ quan chủ trì"],
            "Văn bản được sơ kết": ["Văn bản", "Văn bản liên quan"],
        }
        hints = {
            "Mã hội nghị": _("Tự đặt, không trùng; dùng để nối các trang, ví dụ HT-20160815"),
            "Loại hội nghị": _("Chọn trong danh sách"),
            "Ngày họp": _("ngày/tháng/năm"),
            "Giờ bắt đầu": _("ví dụ 14:00"),
            "Cơ quan tổ chức": _("Tên hoặc tên viết tắt, đã có trong hệ thống"),
            "Tên cơ quan tổ chức trên biên bản": _("Chỉ khi khác tên trong hệ thống, ví dụ tên cũ"),
            "Họp trực tuyến": _("Có / Không"),
            "Đơn vị có điểm cầu": _("Các huyện, cách nhau bởi dấu ;"),
            "Văn bản được sơ kết": _("Số, ký hiệu, cách nhau bởi dấu ;"),
        }

    def import_records(self, row):
        code = row.clean("code", required=True)
        day = row.clean("day", required=True)
        hour = row.clean("hour") if row.has("hour") else None
        if isinstance(row.raw("day"), datetime.datetime) and hour is None:
            hour = row.raw("day").time()
        record = Record(
            code=code,
            title=row.clean("title", required=True),
            kind=row.clean("kind", required=True),
            organiser=row.clean("organiser", required=True),
        )
        record.row_number = row.number
        if day is not None:
            record["start"] = local_start(day, hour)
        for key in ("place", "summary", "organiser_name"):
            if row.has(key):
                record[key] = row.clean(key)
        for key in ("period_from", "period_to"):
            if row.has(key):
                record[key] = row.clean(key)
        online = row.clean("is_online") if row.has("is_online") else None
        count = row.clean("bridge_point_count") if row.has("bridge_point_count") else None
        if row.has("is_online"):
            record["is_online"] = bool(online)
        if row.has("bridge_point_count"):
            record["bridge_point_count"] = count
            if count is not None and not online:
                row.error("bridge_point_count", _("Chỉ hội nghị trực tuyến mới có điểm cầu."))
        if record.get("period_from") and record.get("period_to") and record["period_to"] < record["period_from"]:
            row.error("period_to", _("Ngày kết thúc kỳ đánh giá không được trước ngày bắt đầu."))
        if row.has("bridge_units") and day is not None:
            units = self.units_for(row, "bridge_units", level=UnitLevel.DISTRICT, day=day)
            if units is not None:
                record.m2m["bridge_units"] = units
                if units and not online:
                    row.error("bridge_units", _("Chỉ hội nghị trực tuyến mới có điểm cầu."))
        if row.has("decisions"):
            decisions = []
            widget = self.fields["decisions"].widget
            for symbol in split_list(row.raw("decisions")):
                try:
                    decisions.append(widget.clean(symbol))
                except CellError as e:
                    row.error(
                        "decisions",
                        _("“{item}”: {problem} Thêm văn bản ở trang “Văn bản” trước.").format(
                            item=symbol, problem=e.expected
                        ),
                    )
            record.m2m["decisions"] = decisions
        return [record]

    def after_import_rows(self, report, *, dry_run):
        super().after_import_rows(report, dry_run=dry_run)
        if report.errors:
            return
        # A meeting moved to another day moves its tasks' day too, unless a task would then
        # fall due before the meeting: that row is refused.
        for meeting, record in self._pending:
            if meeting.pk is None:
                continue
            tasks = FollowUpTask.objects.filter(meeting=meeting).exclude(meeting_date=meeting.local_date)
            late = tasks.filter(due_date__lt=meeting.local_date).order_by("order").first()
            if late is not None:
                report.errors.append(
                    RowError(
                        row_number=record.row_number,
                        message=_(
                            "Ngày họp mới ({day}) sau hạn của nhiệm vụ số {order} ({due}); sửa hạn nhiệm vụ trước."
                        ).format(
                            day=meeting.local_date.strftime("%d/%m/%Y"),
                            order=late.order,
                            due=late.due_date.strftime("%d/%m/%Y"),
                        ),
                        column=str(self.fields["day"].column_name),
                        value=meeting.local_date,
                        sheet=report.sheet,
                    )
                )
                report.error_rows.add(record.row_number)
                continue
            tasks.update(meeting_date=meeting.local_date)

    # --- export --------------------------------------------------------------------------

    def dehydrate_day(self, obj):
        return obj.local_date

    def dehydrate_hour(self, obj):
        return obj.start.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).strftime("%H:%M")

    def dehydrate_bridge_units(self, obj):
        return "; ".join(str(u) for u in obj.bridge_units.all())

    def dehydrate_decisions(self, obj):
        return "; ".join(d.symbol for d in obj.decisions.all())

    def dehydrate_organiser(self, obj):
        return obj.organiser.name

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = queryset.select_related("organiser").prefetch_related(
                "decisions", Prefetch("bridge_units", queryset=units_with_parents())
            )
        return super().export(queryset, **kwargs)


# --- Thành phần -----------------------------------------------------------------------------


@register
class ParticipationResource(MinutesResource):
    meeting = meeting_field()
    order = fields.Field(attribute="order", column_name=_("STT"), widget=VNIntegerWidget(min_value=1))
    person_name = fields.Field(attribute="person_name", column_name=_("Họ và tên"), widget=TextWidget(max_length=120))
    person_note = fields.Field(
        attribute="person_note", column_name=_("Ghi chú phân biệt người trùng tên"), widget=TextWidget(max_length=255)
    )
    position = fields.Field(
        attribute="position", column_name=_("Chức vụ khi dự họp"), widget=TextWidget(max_length=255)
    )
    organisation_name = fields.Field(
        attribute="organisation_name",
        column_name=_("Cơ quan, đơn vị (như biên bản)"),
        widget=TextWidget(max_length=255),
    )
    organisation = fields.Field(
        attribute="organisation", column_name=_("Cơ quan trong danh mục"), widget=OrganisationWidget()
    )
    role = fields.Field(attribute="role", column_name=_("Vai trò"), widget=ChoiceWidget(ParticipationRole))

    class Meta:
        model = Participation
        import_id_fields = ("meeting", "order")
        fields = (
            "meeting",
            "order",
            "person_name",
            "person_note",
            "position",
            "organisation_name",
            "organisation",
            "role",
        )
        export_order = fields
        clean_model_instances = True
        template_slug = "meeting-participants"
        template_title = _("Thành phần dự họp")
        sheet_title = _("Thành phần")
        required_columns = (_("Họ và tên"), _("Chức vụ khi dự họp"), _("Vai trò"))
        header_aliases = {
            "STT": ["Số thứ tự", "TT"],
            "Họ và tên": ["Họ tên", "Tên người dự", "Đại biểu"],
            "Chức vụ khi dự họp": ["Chức vụ", "Chức danh"],
            "Cơ quan, đơn vị (như biên bản)": ["Cơ quan, đơn vị", "Đơn vị công tác", "Cơ quan"],
        }
        hints = {
            "STT": _("1, 2, 3… trong mỗi hội nghị"),
            "Họ và tên": _("Để trống nếu biên bản chỉ ghi chức vụ"),
            "Chức vụ khi dự họp": _("Như biên bản ghi, ví dụ Phó Giám đốc Sở"),
            "Cơ quan trong danh mục": _("Nếu có trong hệ thống: tên hoặc tên viết tắt"),
            "Vai trò": _("Chủ trì / Đồng chủ trì / Dự / Báo cáo / Thư ký"),
        }

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self._people_in_meeting = {}

    def import_records(self, row):
        meeting = row.clean("meeting", required=True)
        record = Record(meeting=meeting, order=row.clean("order", required=True))
        record.row_number = row.number
        name = row.clean("person_name") if row.has("person_name") else ""
        note = row.clean("person_note") if row.has("person_note") else ""
        position = row.clean("position") if row.has("position") else ""
        if not name and not position:
            row.error("person_name", _("Thành phần dự họp cần có họ tên hoặc chức vụ."))
        if note and not name:
            row.error("person_note", _("chỉ ghi chú phân biệt khi có họ tên."))
        record["position"] = position
        record["role"] = (row.clean("role") if row.has("role") else None) or ParticipationRole.ATTENDEE
        text = row.clean("organisation_name") if row.has("organisation_name") else ""
        organisation = row.clean("organisation") if row.has("organisation") else None
        if organisation is None and text:
            # The organisation as the minutes name it may be the catalogue's own name.
            organisation = self.fields["organisation"].widget.find(text)
            if organisation is not None and fold(organisation.name) == fold(text):
                text = ""
        record["organisation"] = organisation
        record["organisation_name"] = text
        if name:
            record.person_key = (nfc(name), nfc(note or ""))
            if meeting is not None:
                seen = self._people_in_meeting.setdefault(meeting.pk, {})
                earlier = seen.get(record.person_key)
                if earlier is not None:
                    row.error("person_name", _("người này đã có ở dòng {row} của cùng hội nghị.").format(row=earlier))
                seen[record.person_key] = row.number
        else:
            record["person"] = None
        return [record]

    def prepare_chunk(self, records, *, engine):
        """People named in the sheet: found by (name, note), the missing ones created in one go."""
        keys = {r.person_key for r in records if getattr(r, "person_key", None)}
        if not keys:
            return
        names = {name for name, _note in keys}
        people = {(p.name, p.note): p for p in Person.objects.filter(name__in=names)}
        missing = []
        for name, note in sorted(keys - people.keys()):
            person = Person(name=name, note=note)
            person.normalise()
            missing.append(person)
        if missing:
            for person in engine.writer_for(Person).create(missing):
                people[(person.name, person.note)] = person
        for record in records:
            if getattr(record, "person_key", None):
                record["person"] = people[record.person_key]

    def dehydrate_person_name(self, obj):
        return obj.person.name if obj.person_id else ""

    def dehydrate_person_note(self, obj):
        return obj.person.note if obj.person_id else ""


# --- Phát biểu ------------------------------------------------------------------------------


@register
class SpeechResource(MinutesResource):
    meeting = meeting_field()
    order = fields.Field(attribute="order", column_name=_("Thứ tự phát biểu"), widget=VNIntegerWidget(min_value=1))
    kind = fields.Field(attribute="kind", column_name=_("Hình thức"), widget=ChoiceWidget(SpeechKind))
    speaker = fields.Field(attribute="speaker", column_name=_("Người trình bày"), widget=TextWidget())
    topic = fields.Field(attribute="topic", column_name=_("Chủ đề"), widget=TextWidget(max_length=255))
    summary = fields.Field(attribute="summary", column_name=_("Tóm tắt ý kiến"), widget=TextWidget())
    criteria = fields.Field(attribute="criteria", column_name=_("Tiêu chí được nêu"), widget=TextWidget())

    class Meta:
        model = Speech
        import_id_fields = ("meeting", "order")
        fields = ("meeting", "order", "kind", "speaker", "topic", "summary", "criteria")
        export_order = fields
        clean_model_instances = True
        template_slug = "meeting-speeches"
        template_title = _("Diễn biến hội nghị: báo cáo, tham luận, phát biểu")
        sheet_title = _("Phát biểu")
        required_columns = (_("Tóm tắt ý kiến"),)
        header_aliases = {
            "Thứ tự phát biểu": ["Thứ tự", "STT phát biểu"],
            "Người trình bày": ["Người phát biểu", "Đại biểu phát biểu"],
            "Tóm tắt ý kiến": ["Nội dung", "Nội dung phát biểu", "Tóm tắt nội dung"],
            "Tiêu chí được nêu": ["Tiêu chí", "Tiêu chí liên quan"],
        }
        hints = {
            "Thứ tự phát biểu": _("1, 2, 3… không trùng trong một hội nghị"),
            "Hình thức": _("Báo cáo đề dẫn / Tham luận / Phát biểu / Kết luận"),
            "Người trình bày": _("Họ tên, chức vụ hoặc STT ở trang Thành phần"),
            "Tiêu chí được nêu": _("Số tiêu chí, ví dụ 17; 2; 6"),
        }

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self._participants = {}

    def participants_of(self, meeting) -> list:
        if meeting.pk not in self._participants:
            self._participants[meeting.pk] = list(
                Participation.objects.filter(meeting=meeting).select_related("person")
            )
        return self._participants[meeting.pk]

    def find_speaker(self, row, meeting):
        value = row.raw("speaker")
        if is_blank(value) or meeting is None:
            return None
        participants = self.participants_of(meeting)
        if isinstance(value, int | float) or str(value).strip().isdigit():
            matches = [p for p in participants if p.order == int(float(value))]
        else:
            wanted = fold(nfc(str(value)))
            head = wanted.split(" - ")[0].split(" – ")[0].split(",")[0].strip()
            matches = [p for p in participants if p.person_id and fold(p.person.name) in (wanted, head)]
            if not matches:
                matches = [p for p in participants if p.position and fold(p.position) == wanted]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            row.error(
                "speaker",
                _("không có người này trong trang “Thành phần” của hội nghị {code}.").format(code=meeting.code),
            )
        else:
            row.error(
                "speaker",
                _("có {n} người khớp; hãy ghi STT ở trang “Thành phần”.").format(n=len(matches)),
            )
        return None

    def import_records(self, row):
        meeting = row.clean("meeting", required=True)
        record = Record(
            meeting=meeting,
            order=row.clean("order", required=True),
            summary=row.clean("summary", required=True),
        )
        record.row_number = row.number
        record["kind"] = (row.clean("kind") if row.has("kind") else None) or SpeechKind.REMARKS
        if row.has("topic"):
            record["topic"] = row.clean("topic")
        if row.has("speaker"):
            record["speaker"] = self.find_speaker(row, meeting)
        if row.has("criteria"):
            criteria = self.criteria_for(row, "criteria", meeting)
            if criteria is not None:
                record.m2m["criteria"] = criteria
        return [record]

    def dehydrate_speaker(self, obj):
        return str(obj.speaker) if obj.speaker_id else ""

    def dehydrate_criteria(self, obj):
        return "; ".join(str(c.number) for c in obj.criteria.all())


# --- Kết luận -------------------------------------------------------------------------------


@register
class ConclusionResource(MinutesResource):
    meeting = meeting_field()
    order = fields.Field(attribute="order", column_name=_("STT kết luận"), widget=VNIntegerWidget(min_value=1))
    text = fields.Field(attribute="text", column_name=_("Nội dung kết luận"), widget=TextWidget())

    class Meta:
        model = Conclusion
        import_id_fields = ("meeting", "order")
        fields = ("meeting", "order", "text")
        export_order = fields
        clean_model_instances = True
        template_slug = "meeting-conclusions"
        template_title = _("Kết luận hội nghị")
        sheet_title = _("Kết luận")
        required_columns = (_("Nội dung kết luận"),)
        header_aliases = {"STT kết luận": ["Kết luận số", "STT"], "Nội dung kết luận": ["Kết luận"]}
        hints = {"STT kết luận": _("1, 2, 3… trong mỗi hội nghị")}

    def import_records(self, row):
        record = Record(
            meeting=row.clean("meeting", required=True),
            order=row.clean("order", required=True),
            text=row.clean("text", required=True),
        )
        record.row_number = row.number
        return [record]


# --- Nhiệm vụ -------------------------------------------------------------------------------


@register
class FollowUpTaskResource(MinutesResource):
    meeting = meeting_field()
    order = fields.Field(attribute="order", column_name=_("STT nhiệm vụ"), widget=VNIntegerWidget(min_value=1))
    text = fields.Field(attribute="text", column_name=_("Nội dung nhiệm vụ"), widget=TextWidget())
    conclusion = fields.Field(
        attribute="conclusion", column_name=_("Theo kết luận số"), widget=VNIntegerWidget(min_value=1)
    )
    owner = fields.Field(attribute="owner", column_name=_("Đơn vị thực hiện"), widget=OrganisationWidget())
    communes = fields.Field(
        attribute="communes", column_name=_("Xã liên quan"), widget=UnitWidget(level=UnitLevel.COMMUNE)
    )
    criteria = fields.Field(attribute="criteria", column_name=_("Tiêu chí liên quan"), widget=TextWidget())
    due_date = fields.Field(attribute="due_date", column_name=_("Hạn hoàn thành"), widget=VNDateWidget())
    status = fields.Field(attribute="status", column_name=_("Tình trạng"), widget=ChoiceWidget(TaskStatus))
    done_on = fields.Field(attribute="done_on", column_name=_("Ngày hoàn thành"), widget=VNDateWidget())
    result = fields.Field(attribute="result", column_name=_("Kết quả thực hiện"), widget=TextWidget())
    # Export only: what the task list shows besides the columns a clerk types.
    meeting_date = fields.Field(
        attribute="meeting_date", column_name=_("Ngày giao"), widget=VNDateWidget(), readonly=True
    )
    meeting_title = fields.Field(column_name=_("Tên hội nghị"), readonly=True)
    overdue = fields.Field(column_name=_("Quá hạn"), readonly=True)

    class Meta:
        model = FollowUpTask
        import_id_fields = ("meeting", "order")
        fields = (
            "meeting",
            "order",
            "text",
            "conclusion",
            "owner",
            "communes",
            "criteria",
            "due_date",
            "status",
            "done_on",
            "result",
            "meeting_date",
            "meeting_title",
            "overdue",
        )
        export_order = fields
        clean_model_instances = True
        template_slug = "meeting-tasks"
        template_title = _("Nhiệm vụ sau hội nghị")
        sheet_title = _("Nhiệm vụ")
        required_columns = (_("Nội dung nhiệm vụ"), _("Đơn vị thực hiện"))
        header_aliases = {
            "STT nhiệm vụ": ["STT", "Số thứ tự"],
            "Nội dung nhiệm vụ": ["Nhiệm vụ", "Nội dung"],
            "Đơn vị thực hiện": ["Đơn vị chủ trì", "Cơ quan thực hiện", "Đơn vị được giao"],
            "Hạn hoàn thành": ["Thời hạn", "Hạn"],
            "Xã liên quan": ["Xã", "Địa bàn"],
        }
        hints = {
            "STT nhiệm vụ": _("1, 2, 3… trong mỗi hội nghị"),
            "Theo kết luận số": _("STT ở trang Kết luận (nếu có)"),
            "Đơn vị thực hiện": _("Tên hoặc tên viết tắt, đã có trong hệ thống"),
            "Xã liên quan": _("Mã xã hoặc “tên xã, tên huyện”, cách nhau bởi dấu ;"),
            "Tiêu chí liên quan": _("Số tiêu chí, ví dụ 2; 17"),
            "Hạn hoàn thành": _("ngày/tháng/năm, không trước ngày họp; trống: thường xuyên"),
            "Tình trạng": _("Chưa thực hiện / Đang thực hiện / Đã hoàn thành / Không thực hiện nữa"),
            "Ngày hoàn thành": _("Chỉ khi đã hoàn thành"),
        }

    EXPORT_ONLY = ("meeting_date", "meeting_title", "overdue")

    def get_import_columns(self):
        return [c for c in super().get_import_columns() if c.key not in self.EXPORT_ONLY]

    def prepare_import(self, *, dry_run, user=None):
        super().prepare_import(dry_run=dry_run, user=user)
        self._conclusions = {}

    def conclusion_of(self, row, meeting):
        number = row.clean("conclusion")
        if number is None or meeting is None:
            return None
        if meeting.pk not in self._conclusions:
            self._conclusions[meeting.pk] = {c.order: c for c in Conclusion.objects.filter(meeting=meeting)}
        found = self._conclusions[meeting.pk].get(number)
        if found is None:
            row.error(
                "conclusion",
                _("hội nghị {code} không có kết luận số {number} (trang “Kết luận”).").format(
                    code=meeting.code, number=number
                ),
            )
        return found

    def import_records(self, row):
        meeting = row.clean("meeting", required=True)
        record = Record(
            meeting=meeting,
            order=row.clean("order", required=True),
            text=row.clean("text", required=True),
            owner=row.clean("owner", required=True),
        )
        record.row_number = row.number
        due = row.clean("due_date") if row.has("due_date") else None
        done = row.clean("done_on") if row.has("done_on") else None
        status = (row.clean("status") if row.has("status") else None) or TaskStatus.NOT_STARTED
        record.update(due_date=due, done_on=done, status=status)
        if row.has("result"):
            record["result"] = row.clean("result")
        if row.has("conclusion"):
            record["conclusion"] = self.conclusion_of(row, meeting)
        if meeting is not None:
            day = meeting.local_date
            if due is not None and due < day:
                row.error(
                    "due_date",
                    _("Hạn hoàn thành không được trước ngày họp ({date}).").format(date=day.strftime("%d/%m/%Y")),
                )
            if done is not None and done < day:
                row.error(
                    "done_on",
                    _("Ngày hoàn thành không được trước ngày họp ({date}).").format(date=day.strftime("%d/%m/%Y")),
                )
            if row.has("communes"):
                communes = self.units_for(row, "communes", level=UnitLevel.COMMUNE, day=day)
                if communes is not None:
                    record.m2m["communes"] = communes
        if done is not None and status != TaskStatus.DONE:
            row.error("done_on", _("Chỉ nhiệm vụ đã hoàn thành mới có ngày hoàn thành."))
        if row.has("criteria"):
            criteria = self.criteria_for(row, "criteria", meeting)
            if criteria is not None:
                record.m2m["criteria"] = criteria
        return [record]

    # --- export --------------------------------------------------------------------------

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = (
                queryset.select_related("meeting", "owner", "conclusion")
                .prefetch_related(Prefetch("communes", queryset=units_with_parents()), "criteria")
                .with_overdue()
            )
        return super().export(queryset, **kwargs)

    def dehydrate_owner(self, obj):
        return obj.owner.name

    def dehydrate_conclusion(self, obj):
        return obj.conclusion.order if obj.conclusion_id else None

    def dehydrate_communes(self, obj):
        return "; ".join(str(u) for u in obj.communes.all())

    def dehydrate_criteria(self, obj):
        return "; ".join(str(c.number) for c in obj.criteria.all())

    def dehydrate_meeting_title(self, obj):
        return obj.meeting.title

    def dehydrate_overdue(self, obj):
        overdue = getattr(obj, "is_overdue", None)
        if overdue is None:
            overdue = obj.status in OPEN_STATUSES and obj.due_date is not None and obj.due_date < _today()
        return _("Quá hạn") if overdue else ""


def _today():
    from django.utils import timezone

    return timezone.localdate()


# The order the sheets of the minutes workbook are imported in: later sheets refer to earlier ones.
MINUTES_SHEETS = (
    MeetingResource,
    ParticipationResource,
    SpeechResource,
    ConclusionResource,
    FollowUpTaskResource,
)


def minutes_template() -> bytes:
    """The empty minutes workbook: one sheet per part, each the engine's own template of that sheet.

    The engine writes one sheet per template; this puts them side by side in one file
    (dropdown lists that the engine keeps on a hidden sheet are gathered on one hidden
    "Danh mục" sheet, with the dropdowns pointed at their new place).
    """
    import io
    import re as _re
    from copy import copy

    from django.utils.translation import gettext as _gettext
    from openpyxl import Workbook, load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ntm_site.spreadsheets.workbooks import put_value, template_workbook

    target = Workbook()
    target.remove(target.active)
    lists_title = _gettext("Danh mục")[:31]
    lists = None
    reference = _re.compile(r"^='(?P<sheet>[^']+)'!\$(?P<col>[A-Z]+)\$(?P<first>\d+):\$[A-Z]+\$(?P<last>\d+)$")
    for resource_class in MINUTES_SHEETS:
        source_book = load_workbook(io.BytesIO(template_workbook(resource_class)))
        source = source_book.worksheets[0]
        sheet = target.create_sheet(str(resource_class.option("sheet_title"))[:31])
        for row in source.iter_rows():
            for cell in row:
                new = put_value(sheet, cell.row, cell.column, cell.value)
                if cell.has_style:
                    new.font, new.fill, new.border = copy(cell.font), copy(cell.fill), copy(cell.border)
                    new.alignment, new.number_format = copy(cell.alignment), cell.number_format
        for key, dimension in source.column_dimensions.items():
            sheet.column_dimensions[key].width = dimension.width
        for key, dimension in source.row_dimensions.items():
            sheet.row_dimensions[key].height = dimension.height
        for merged in source.merged_cells.ranges:
            sheet.merge_cells(str(merged))
        sheet.freeze_panes = source.freeze_panes
        source_lists = next((ws for ws in source_book.worksheets[1:]), None)
        for validation in source.data_validations.dataValidation:
            formula = validation.formula1
            match = reference.match(formula or "")
            if match and source_lists is not None:
                if lists is None:
                    lists = target.create_sheet(lists_title)
                    lists.sheet_state = "hidden"
                column = (lists.max_column + 1) if lists["A1"].value is not None else 1
                first, last = int(match["first"]), int(match["last"])
                for offset, r in enumerate(range(first, last + 1)):
                    put_value(lists, 1 + offset, column, source_lists[f"{match['col']}{r}"].value)
                letter = get_column_letter(column)
                formula = f"='{lists_title}'!${letter}$1:${letter}${last - first + 1}"
            copied = DataValidation(
                type=validation.type,
                formula1=formula,
                allow_blank=validation.allow_blank,
                showErrorMessage=validation.showErrorMessage,
            )
            copied.error, copied.errorTitle = validation.error, validation.errorTitle
            sheet.add_data_validation(copied)
            copied.add(str(validation.sqref))
    if lists is not None:
        target.move_sheet(lists, offset=len(target.sheetnames))
    buffer = io.BytesIO()
    target.save(buffer)
    return buffer.getvalue()
