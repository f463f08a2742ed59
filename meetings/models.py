"""Meeting minutes: who met, who spoke and said what, what was concluded, and what was asked of whom."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from criteria.models import Criterion
from divisions.models import AdministrativeUnit
from meetings.choices import MeetingKind, ParticipationRole, SpeechKind, TaskStatus
from meetings.querysets import FollowUpTaskQuerySet, MeetingQuerySet, PersonQuerySet
from ntm_site.models import TrackedModel
from ntm_site.text import nfc, search_key
from sponsorship.models import Decision, Organisation


class MeetingManager(models.Manager.from_queryset(MeetingQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Meeting(TrackedModel):
    """One conference or working meeting held on a day, e.g. the 15/08/2016 giao ban of the Đảng ủy Khối.

    Its code (written by the clerk or made up from the date) links the sheets of the
    meetings workbook; the minutes hang off it: participations, speeches, conclusions,
    follow-up tasks and attached files.
    """

    code = models.CharField(
        _("mã hội nghị"),
        max_length=40,
        unique=True,
        blank=True,
        help_text=_("Dùng để nối các trang của sổ Excel. Để trống: tự đặt theo ngày họp, ví dụ HN-20160815-1."),
    )
    title = models.CharField(_("tên hội nghị"), max_length=500)
    kind = models.CharField(_("loại hội nghị"), max_length=20, choices=MeetingKind.choices)
    start = models.DateTimeField(_("thời gian bắt đầu"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan tổ chức"),
        on_delete=models.PROTECT,
        related_name="organised_meetings",
    )
    organiser_name = models.CharField(
        _("cơ quan tổ chức (như ghi trên biên bản)"),
        max_length=255,
        blank=True,
        help_text=_("Để trống nếu trùng tên trong danh mục; ghi khi cơ quan đã đổi tên, ví dụ tên năm 2016."),
    )
    is_online = models.BooleanField(_("họp trực tuyến"), default=False)
    bridge_point_count = models.PositiveSmallIntegerField(
        _("số điểm cầu"), null=True, blank=True, help_text=_("Chỉ với hội nghị trực tuyến.")
    )
    bridge_units = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("đơn vị có điểm cầu"),
        blank=True,
        related_name="bridge_meetings",
        help_text=_("Nếu biết: các huyện, thành phố có điểm cầu."),
    )
    decisions = models.ManyToManyField(
        Decision,
        verbose_name=_("văn bản được sơ kết, rà soát"),
        blank=True,
        related_name="meetings",
    )
    period_from = models.DateField(_("kỳ đánh giá từ ngày"), null=True, blank=True)
    period_to = models.DateField(_("kỳ đánh giá đến ngày"), null=True, blank=True)
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)
    search_key = models.CharField(_("khóa tìm kiếm"), max_length=800, editable=False, db_index=True, default="")

    objects = MeetingManager()

    class Meta:
        verbose_name = _("hội nghị, cuộc họp")
        verbose_name_plural = _("hội nghị, cuộc họp")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from__isnull=True) | Q(period_to__isnull=True) | Q(period_to__gte=F("period_from")),
                name="meeting_period_ordered",
                violation_error_message=_("Ngày kết thúc kỳ đánh giá không được trước ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(is_online=True) | Q(bridge_point_count__isnull=True),
                name="meeting_bridge_points_only_online",
                violation_error_message=_("Chỉ hội nghị trực tuyến mới có điểm cầu."),
            ),
        ]
        indexes = [models.Index(fields=["organiser", "start"], name="meeting_organiser_start_idx")]

    def __str__(self):
        return _("{date} – {title}").format(date=self.local_date.strftime("%d/%m/%Y"), title=self.title)

    def natural_key(self):
        return (self.code,)

    @property
    def local_date(self) -> datetime.date:
        """The meeting's day in the project's time zone (what the minutes print)."""
        if timezone.is_aware(self.start):
            return timezone.localdate(self.start)
        return self.start.date()

    @property
    def organiser_label(self) -> str:
        """The organiser as the minutes name it."""
        return self.organiser_name or self.organiser.name

    @property
    def has_time(self) -> bool:
        """Whether an hour was recorded (imports without one store midnight)."""
        local = timezone.localtime(self.start) if timezone.is_aware(self.start) else self.start
        return (local.hour, local.minute) != (0, 0)

    def _next_code(self) -> str:
        base = f"HN-{self.local_date:%Y%m%d}"
        taken = set(Meeting.objects.filter(code__startswith=base).values_list("code", flat=True))
        number = 1
        while f"{base}-{number}" in taken:
            number += 1
        return f"{base}-{number}"

    def clean(self):
        super().clean()
        if self.bridge_point_count is not None and not self.is_online:
            raise ValidationError({"bridge_point_count": _("Chỉ hội nghị trực tuyến mới có điểm cầu.")})

    def validate_constraints(self, exclude=None):
        # clean() has said it on the field already; the database still enforces it.
        super().validate_constraints(exclude={*(exclude or ()), "bridge_point_count"})

    def normalise(self):
        """Fill what is derived from the typed fields (also called by imports, which skip save())."""
        self.title = nfc(self.title)
        self.place = nfc(self.place)
        self.organiser_name = nfc(self.organiser_name)
        self.code = nfc(self.code)
        self.search_key = search_key(self.code, self.title, self.place)

    def save(self, *args, sync_tasks: bool = True, **kwargs):
        if not nfc(self.code) and self.start:
            self.code = self._next_code()
        self.normalise()
        super().save(*args, **kwargs)
        if sync_tasks:
            self.sync_task_dates()

    def sync_task_dates(self):
        """Copy the meeting's day onto its tasks (the due-date rule is checked against it in the database)."""
        self.tasks.exclude(meeting_date=self.local_date).update(meeting_date=self.local_date)

    @property
    def chairs(self):
        return [p for p in self.participations.all() if p.role in (ParticipationRole.CHAIR, ParticipationRole.CO_CHAIR)]


class MeetingAttachment(TrackedModel):
    """A file kept with the minutes: the signed minutes, the opening report, a photo."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="meetings/%Y/")

    class Meta:
        verbose_name = _("tài liệu kèm theo")
        verbose_name_plural = _("tài liệu kèm theo")
        ordering = ["meeting", "title"]

    def __str__(self):
        return self.title


class PersonManager(models.Manager.from_queryset(PersonQuerySet)):
    def get_by_natural_key(self, name, note=""):
        return self.get(name=name, note=note)


class Person(TrackedModel):
    """A named person who takes part in meetings over the years, whatever post they hold at each one.

    Two people with the same name are told apart by the note (e.g. their agency).
    """

    name = models.CharField(_("họ và tên"), max_length=120)
    note = models.CharField(
        _("ghi chú phân biệt"),
        max_length=255,
        blank=True,
        help_text=_("Chỉ cần khi có hai người trùng họ tên, ví dụ “Sở Nội vụ Hà Tĩnh”."),
    )
    search_key = models.CharField(_("khóa tìm kiếm"), max_length=400, editable=False, db_index=True, default="")

    objects = PersonManager()

    class Meta:
        verbose_name = _("người dự họp")
        verbose_name_plural = _("người dự họp")
        ordering = ["name", "note"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "note"],
                name="person_name_note_unique",
                violation_error_message=_(
                    "Đã có người mang họ tên này với cùng ghi chú; nếu là người khác, hãy ghi chú để phân biệt."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.note})" if self.note else self.name

    def natural_key(self):
        return (self.name, self.note)

    def normalise(self):
        self.name = nfc(self.name)
        self.note = nfc(self.note)
        self.search_key = search_key(self.name, self.note)

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)


class Participation(TrackedModel):
    """One person (or one delegation named only by its post) at one meeting, with the post held then.

    Position and organisation are copied as the minutes state them on that day, so a
    later promotion or a renamed agency does not rewrite old minutes.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="participations"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    person = models.ForeignKey(
        Person,
        verbose_name=_("họ và tên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    position = models.CharField(
        _("chức vụ khi dự họp"),
        max_length=255,
        blank=True,
        help_text=_("Như ghi trong biên bản, ví dụ “TUV, Bí thư Đảng ủy Khối”."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_participations",
    )
    organisation_name = models.CharField(
        _("cơ quan, đơn vị (như ghi trong biên bản)"),
        max_length=255,
        blank=True,
        help_text=_("Để trống nếu trùng tên cơ quan đã chọn."),
    )
    role = models.CharField(
        _("vai trò"), max_length=16, choices=ParticipationRole.choices, default=ParticipationRole.ATTENDEE
    )

    class Meta:
        verbose_name = _("thành phần dự họp")
        verbose_name_plural = _("thành phần dự họp")
        ordering = ["meeting", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(position=""),
                name="participation_person_or_position",
                violation_error_message=_("Thành phần dự họp cần có họ tên hoặc chức vụ."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="participation_order_unique_in_meeting",
                violation_error_message=_("Số thứ tự này đã có trong thành phần hội nghị."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="participation_person_once_per_meeting",
                violation_error_message=_("Người này đã có trong thành phần của hội nghị."),
            ),
        ]
        indexes = [models.Index(fields=["person", "meeting"], name="participation_person_idx")]

    def __str__(self):
        who = self.person.name if self.person_id else ""
        what = ", ".join(part for part in (self.position, self.organisation_label) if part)
        if who and what:
            return f"{who} – {what}"
        return who or what

    @property
    def organisation_label(self) -> str:
        """The organisation as the minutes name it."""
        if self.organisation_name:
            return self.organisation_name
        return self.organisation.name if self.organisation_id else ""

    def normalise(self):
        self.position = nfc(self.position)
        self.organisation_name = nfc(self.organisation_name)

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)


class Speech(TrackedModel):
    """One item of the meeting in the order it was heard: the opening report, a paper, remarks, the conclusion."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="speeches")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    speaker = models.ForeignKey(
        Participation,
        verbose_name=_("người trình bày"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speeches",
        help_text=_("Chọn trong thành phần dự họp (lưu thành phần trước rồi chọn)."),
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=SpeechKind.choices, default=SpeechKind.REMARKS)
    topic = models.CharField(_("chủ đề"), max_length=255, blank=True)
    summary = models.TextField(_("tóm tắt nội dung"))
    criteria = models.ManyToManyField(
        Criterion, verbose_name=_("tiêu chí được nêu"), blank=True, related_name="speeches"
    )

    class Meta:
        verbose_name = _("ý kiến phát biểu")
        verbose_name_plural = _("diễn biến: báo cáo, tham luận, phát biểu")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="speech_order_unique_in_meeting",
                violation_error_message=_("Số thứ tự phát biểu này đã có trong hội nghị."),
            ),
        ]

    def __str__(self):
        return _("{order}. {kind}").format(order=self.order, kind=self.get_kind_display())

    def clean(self):
        super().clean()
        if self.speaker_id and self.meeting_id and self.speaker.meeting_id != self.meeting_id:
            raise ValidationError({"speaker": _("Người trình bày phải có trong thành phần của chính hội nghị này.")})

    def normalise(self):
        self.topic = nfc(self.topic)

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)


class Conclusion(TrackedModel):
    """One numbered point of the chair's conclusion, as the minutes record it."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="conclusions"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung kết luận"))

    class Meta:
        verbose_name = _("kết luận")
        verbose_name_plural = _("kết luận")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="conclusion_order_unique_in_meeting",
                violation_error_message=_("Số thứ tự kết luận này đã có trong hội nghị."),
            ),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"{self.order}. {text}"


class FollowUpTask(TrackedModel):
    """A task a meeting set for one owner organisation, with a deadline, and what became of it.

    meeting_date is the meeting's day, copied so the database itself can refuse a due
    date (or a done date) before the meeting. Whether a task is overdue depends on the
    day you ask, so it is never stored (see FollowUpTaskQuerySet.with_overdue).
    """

    meeting = models.ForeignKey(Meeting, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="tasks")
    conclusion = models.ForeignKey(
        Conclusion,
        verbose_name=_("theo kết luận số"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung nhiệm vụ"))
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị thực hiện"),
        on_delete=models.PROTECT,
        related_name="followup_tasks",
    )
    communes = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("xã liên quan"),
        blank=True,
        related_name="followup_tasks",
        limit_choices_to={"level": 3},
    )
    criteria = models.ManyToManyField(
        Criterion, verbose_name=_("tiêu chí liên quan"), blank=True, related_name="followup_tasks"
    )
    meeting_date = models.DateField(_("ngày giao"), editable=False)
    due_date = models.DateField(
        _("hạn hoàn thành"), null=True, blank=True, help_text=_("Để trống nếu là nhiệm vụ thường xuyên.")
    )
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)

    objects = FollowUpTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ sau hội nghị")
        verbose_name_plural = _("nhiệm vụ sau hội nghị")
        ordering = ["meeting_date", "meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="task_order_unique_in_meeting",
                violation_error_message=_("Số thứ tự nhiệm vụ này đã có trong hội nghị."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__gte=F("meeting_date")),
                name="task_due_not_before_meeting",
                violation_error_message=_("Hạn hoàn thành không được trước ngày họp."),
            ),
            models.CheckConstraint(
                condition=Q(status=TaskStatus.DONE) | Q(done_on__isnull=True),
                name="task_done_date_only_when_done",
                violation_error_message=_("Chỉ nhiệm vụ đã hoàn thành mới có ngày hoàn thành."),
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_on__gte=F("meeting_date")),
                name="task_done_not_before_meeting",
                violation_error_message=_("Ngày hoàn thành không được trước ngày họp."),
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "due_date"], name="task_owner_status_due_idx"),
            models.Index(fields=["status", "due_date"], name="task_status_due_idx"),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def clean(self):
        # The model form leaves meeting_date out (not editable), so Django would skip the
        # constraints that use it: say the same thing here, on the field the clerk typed.
        super().clean()
        errors = {}
        meeting = self._meeting_or_none()
        if meeting is not None and meeting.start:
            self.meeting_date = meeting.local_date
        if self.meeting_date:
            if self.due_date and self.due_date < self.meeting_date:
                errors["due_date"] = _("Hạn hoàn thành không được trước ngày họp ({date}).").format(
                    date=self.meeting_date.strftime("%d/%m/%Y")
                )
            if self.done_on and self.done_on < self.meeting_date:
                errors["done_on"] = _("Ngày hoàn thành không được trước ngày họp ({date}).").format(
                    date=self.meeting_date.strftime("%d/%m/%Y")
                )
        if self.done_on and self.status != TaskStatus.DONE:
            errors["done_on"] = _("Chỉ nhiệm vụ đã hoàn thành mới có ngày hoàn thành.")
        if self.conclusion_id and self.meeting_id and self.conclusion.meeting_id != self.meeting_id:
            errors["conclusion"] = _("Kết luận phải thuộc chính hội nghị này.")
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # clean() reports the date rules on the fields the clerk typed (the constraints would
        # say the same at the top of the form); the database still enforces them.
        super().validate_constraints(exclude={*(exclude or ()), "due_date", "done_on"})

    def _meeting_or_none(self):
        # An inline form sets the (possibly unsaved, just edited) meeting on the task.
        if self._meta.get_field("meeting").is_cached(self) or self.meeting_id:
            return self.meeting
        return None

    def normalise(self):
        self.meeting_date = self.meeting.local_date

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)
