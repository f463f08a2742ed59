"""The minutes (biên bản) and the conclusion notice (thông báo kết luận) of a meeting.

Both read a Meeting as the meetings app records it: chairs and other participants with the
position and organisation they held that day, speeches in order, the numbered conclusions, and
the follow-up tasks with their owner and deadline. The organiser decides the header style.
Anything the records hold (names, positions, dates, tasks) is filled in; what they do not
(the document number, the signing day, the time the meeting ended) is left for the clerk.
"""

import datetime

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm_site.text import fold
from reports.documents.builder import Column, DocumentFile, HeaderStyle, Issuer, OfficialDocument, Signature
from reports.documents.formats import join_vi, lower_first, vn_date, vn_int
from reports.documents.issuers import issuer_for_organisation

CHAIR, CO_CHAIR, ATTENDEE, REPORTER, SECRETARY = "chu_tri", "dong_chu_tri", "du", "bao_cao", "thu_ky"
OPENING_REPORT, PAPER, REMARKS, CONCLUDING = "bao_cao_de_dan", "tham_luan", "phat_bieu", "ket_luan"
PLACEHOLDER = "…………"

_SPEECH_VERBS = {
    OPENING_REPORT: gettext_lazy("trình bày báo cáo đề dẫn"),
    PAPER: gettext_lazy("trình bày tham luận"),
    REMARKS: gettext_lazy("phát biểu"),
    CONCLUDING: gettext_lazy("phát biểu kết luận hội nghị"),
}


def _all(related) -> list:
    """A related manager's rows (prefetched when the caller asked), or a plain list as given."""
    return list(related.all()) if hasattr(related, "all") else list(related or ())


def _meeting_date(meeting) -> datetime.date:
    local_date = getattr(meeting, "local_date", None)
    if local_date:
        return local_date
    start = meeting.start
    if isinstance(start, datetime.datetime):
        return timezone.localtime(start).date() if timezone.is_aware(start) else start.date()
    return start


def _meeting_time(meeting) -> str:
    start = meeting.start
    if not isinstance(start, datetime.datetime):
        return ""
    local = timezone.localtime(start) if timezone.is_aware(start) else start
    if local.hour == 0 and local.minute == 0:
        return ""
    return _("{hour} giờ {minute:02d}").format(hour=local.hour, minute=local.minute)


def person_words(participation) -> str:
    """ "đồng chí Trần Thế Dũng, TUV, Bí thư Đảng ủy Khối"; a delegation named by its post alone stays as written."""
    person = getattr(participation, "person", None)
    position = (getattr(participation, "position", "") or "").strip()
    what = position_with_organisation(position, _organisation_label(participation))
    if person is None:
        return lower_first(what)
    return _("đồng chí {name}").format(name=person.name) + (f", {what}" if what else "")


def position_with_organisation(position: str, organisation: str) -> str:
    """The post as the minutes should print it, naming the organisation once.

    "Phó Giám đốc Sở" + "Sở Giao thông vận tải" -> "Phó Giám đốc Sở Giao thông vận tải" (the post ends
    where the organisation's name begins); "Phó GĐ Sở GTVT" + "Sở Giao thông vận tải" -> the post alone
    (it already names it); "Chuyên viên" + "Sở Nội vụ" -> "Chuyên viên, Sở Nội vụ"."""
    if not organisation or not position:
        return position or organisation
    post_words, org_words = fold(position).replace(",", " ").split(), fold(organisation).split()
    for size in range(min(len(post_words), len(org_words)), 0, -1):
        if post_words[-size:] == org_words[:size]:
            kept = position.split()[:-size]
            return " ".join([*kept, organisation])
    if org_words[0] in post_words:
        return position
    return f"{position}, {organisation}"


def _organisation_label(participation) -> str:
    label = getattr(participation, "organisation_label", None)
    if label is not None:
        return label
    organisation = getattr(participation, "organisation", None)
    return organisation.name if organisation is not None else ""


def _name(participation) -> str:
    person = getattr(participation, "person", None)
    return person.name if person is not None else (getattr(participation, "position", "") or "")


def _chairs(participations) -> list:
    chairs = [p for p in participations if p.role == CHAIR]
    return chairs + [p for p in participations if p.role == CO_CHAIR]


def _issuer(meeting, style) -> Issuer:
    return issuer_for_organisation(meeting.organiser, style=style)


def _meeting_sentence(meeting) -> str:
    day = _meeting_date(meeting)
    time = _meeting_time(meeting)
    when = (
        _("vào hồi {time} ngày {date}").format(time=time, date=vn_date(day))
        if time
        else _("ngày {date}").format(date=vn_date(day))
    )
    where = _(", tại {place}").format(place=meeting.place) if getattr(meeting, "place", "") else ""
    sentence = _("Hôm nay, {when}{where}, {organiser} tổ chức {title}.").format(
        when=when, where=where, organiser=meeting.organiser.name, title=_meeting_title(meeting)
    )
    return sentence + _online_sentence(meeting)


def _online_sentence(meeting) -> str:
    if not getattr(meeting, "is_online", False):
        return ""
    units = [unit.name for unit in _all(getattr(meeting, "bridge_units", ()))]
    count = getattr(meeting, "bridge_point_count", None)
    if count:
        text = _(" Hội nghị được tổ chức trực tuyến với {count} điểm cầu").format(count=vn_int(count))
    else:
        text = _(" Hội nghị được tổ chức trực tuyến")
    if units:
        text += _(" ({units})").format(units=join_vi(units))
    return text + "."


def _meeting_title(meeting) -> str:
    """ "hội nghị giao ban …": the title as it reads inside a sentence."""
    title = lower_first(meeting.title.strip().rstrip("."))
    if not fold(title).startswith(("hoi nghi", "cuoc hop", "buoi lam viec", "phien hop")):
        title = _("hội nghị {title}").format(title=title)
    return title


def _period_sentence(meeting) -> str:
    """ "Hội nghị đánh giá kết quả từ ngày … đến ngày … và việc thực hiện Quyết định số …"."""
    start, end = getattr(meeting, "period_from", None), getattr(meeting, "period_to", None)
    decisions = _all(getattr(meeting, "decisions", ()))
    parts = []
    if start and end:
        parts.append(_("kết quả từ ngày {start} đến ngày {end}").format(start=vn_date(start), end=vn_date(end)))
    if decisions:
        parts.append(
            _("việc thực hiện {decisions}").format(
                decisions=join_vi(
                    _("{type} số {symbol} ngày {date}").format(
                        type=d.get_document_type_display(), symbol=d.symbol, date=vn_date(d.issued_on)
                    )
                    for d in decisions
                )
            )
        )
    if not parts:
        return ""
    return _("Hội nghị đánh giá {what}.").format(what=join_vi(parts))


def _tasks_table(doc: OfficialDocument, tasks: list):
    rows = []
    for index, task in enumerate(tasks, start=1):
        related = [unit.name for unit in _all(getattr(task, "communes", ()))]
        related += [_("tiêu chí {number}").format(number=c.number) for c in _all(getattr(task, "criteria", ()))]
        rows.append(
            [
                vn_int(index),
                task.text,
                task.owner.name if getattr(task, "owner", None) is not None else "",
                vn_date(task.due_date) if task.due_date else _("Thường xuyên"),
                ", ".join(related),
            ]
        )
    doc.table(
        [
            Column(_("STT"), 0.9, centered=True),
            Column(_("Nội dung nhiệm vụ"), 4.6),
            Column(_("Đơn vị thực hiện"), 2.6),
            Column(_("Thời hạn"), 2, centered=True),
            Column(_("Xã, tiêu chí liên quan"), 2),
        ],
        rows,
        size=12,
    )


def _speech_paragraphs(doc: OfficialDocument, speeches: list):
    for index, speech in enumerate(speeches, start=1):
        speaker = getattr(speech, "speaker", None)
        who = person_words(speaker) if speaker is not None else _("đại biểu")
        verb = str(_SPEECH_VERBS.get(speech.kind, _SPEECH_VERBS[REMARKS]))
        topic = (getattr(speech, "topic", "") or "").strip()
        if topic and fold(topic).startswith(("bao cao", "tham luan", "de dan")):
            # "trình bày báo cáo sơ kết quý I", not "trình bày báo cáo đề dẫn về báo cáo sơ kết quý I".
            verb, topic = _("trình bày {topic}").format(topic=lower_first(topic)), ""
        elif topic:
            topic = _(" về {topic}").format(topic=lower_first(topic))
        criteria = [c.number for c in _all(getattr(speech, "criteria", ()))]
        if criteria and "tieu chi" not in fold(topic):
            topic += _(" (tiêu chí {numbers})").format(numbers=join_vi(str(n) for n in criteria))
        lead = f"{index}. {who[0].upper()}{who[1:]} {verb}{topic}:"
        doc.paragraph((lead, {"bold": False, "italic": True}), (" " + speech.summary.strip(), {}))


def minutes_document(meeting, *, style: str | None = None) -> OfficialDocument:
    """The minutes (biên bản) of a meeting: who took part, what each said in order, the conclusions and tasks."""
    with translation.override("vi"):
        return _minutes(meeting, style=style)


def _minutes(meeting, *, style):
    issuer = _issuer(meeting, style)
    day = _meeting_date(meeting)
    participations = _all(meeting.participations)
    speeches = sorted(_all(meeting.speeches), key=lambda s: s.order)
    conclusions = sorted(_all(meeting.conclusions), key=lambda c: c.order)
    tasks = sorted(_all(meeting.tasks), key=lambda t: getattr(t, "order", None) or 0)
    title = meeting.title.strip().rstrip(".")
    if not fold(title).startswith(("hoi nghi", "cuoc hop", "buoi lam viec", "phien hop")):
        title = _("Hội nghị {title}").format(title=lower_first(title))
    doc = OfficialDocument(
        issuer=issuer, type_code="BB", type_name=_("Biên bản"), title=title, date=day, year=day.year, style=style
    )
    doc.paragraph(_meeting_sentence(meeting))
    period = _period_sentence(meeting)
    if period:
        doc.paragraph(period)

    doc.heading(_("I. THÀNH PHẦN"))
    chairs = _chairs(participations)
    secretaries = [p for p in participations if p.role == SECRETARY]
    others = [p for p in participations if p not in chairs and p not in secretaries]
    for heading, group in (
        (_("1. Chủ trì hội nghị"), chairs),
        (_("2. Thành phần dự"), others),
        (_("3. Thư ký hội nghị"), secretaries),
    ):
        doc.heading(heading, level=2)
        if group:
            doc.dash_list(_capital(person_words(p)) for p in group)
        else:
            doc.paragraph(PLACEHOLDER)

    doc.heading(_("II. NỘI DUNG HỘI NGHỊ"))
    if getattr(meeting, "summary", ""):
        doc.paragraph(meeting.summary.strip())
    _speech_paragraphs(doc, speeches)

    doc.heading(_("III. KẾT LUẬN CỦA CHỦ TRÌ HỘI NGHỊ"))
    concluder = _concluder(speeches, chairs)
    if concluder is not None:
        doc.paragraph(_("{who} kết luận:").format(who=_capital(person_words(concluder))))
    for conclusion in conclusions:
        doc.paragraph(f"{conclusion.order}. {conclusion.text.strip()}")
    if not conclusions:
        doc.paragraph(PLACEHOLDER)

    if tasks:
        doc.heading(_("IV. NHIỆM VỤ GIAO CÁC CƠ QUAN, ĐƠN VỊ"))
        _tasks_table(doc, tasks)
    doc.paragraph(
        _("Hội nghị kết thúc vào hồi {time} cùng ngày. Biên bản đã được thông qua tại hội nghị.").format(
            time=PLACEHOLDER
        )
    )
    secretary = _name(secretaries[0]) if secretaries else ""
    chair = _name(chairs[0]) if chairs else ""
    doc.signatures(
        [Signature(lines=(_("Thư ký"),), name=secretary), Signature(lines=(_("Chủ trì hội nghị"),), name=chair)]
    )
    return doc


def _concluder(speeches, chairs):
    for speech in reversed(speeches):
        if speech.kind == CONCLUDING and getattr(speech, "speaker", None) is not None:
            return speech.speaker
    return chairs[0] if chairs else None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _notice_signature(issuer: Issuer) -> Signature:
    """Notices of conclusions are signed on behalf of the leadership by the head of its office."""
    if issuer.style == HeaderStyle.PARTY:
        if issuer.signature and issuer.signature.lines and fold(issuer.signature.lines[0]).startswith("t/m chi bo"):
            return issuer.signature
        return Signature(lines=(_("T/L Ban Thường vụ"), _("Chánh Văn phòng")))
    lines = issuer.signature.lines if issuer.signature else ()
    head = lines[-1] if lines else _("Thủ trưởng cơ quan")
    return Signature(lines=(_("TL. {head}").format(head=head), _("Chánh Văn phòng")))


def conclusion_notice_document(meeting, *, style: str | None = None) -> OfficialDocument:
    """The notice of the chair's conclusions (thông báo kết luận), with the tasks it set."""
    with translation.override("vi"):
        return _conclusion_notice(meeting, style=style)


def _conclusion_notice(meeting, *, style):
    issuer = _issuer(meeting, style)
    day = _meeting_date(meeting)
    participations = _all(meeting.participations)
    speeches = sorted(_all(meeting.speeches), key=lambda s: s.order)
    conclusions = sorted(_all(meeting.conclusions), key=lambda c: c.order)
    tasks = sorted(_all(meeting.tasks), key=lambda t: getattr(t, "order", None) or 0)
    chairs = _chairs(participations)
    concluder = _concluder(speeches, chairs)
    if concluder is not None:
        who = person_words(concluder)
        title = _("Kết luận của {who}\ntại {meeting}").format(who=who, meeting=_meeting_title(meeting))
    else:
        title = _("Kết luận {meeting}").format(meeting=_meeting_title(meeting))
    doc = OfficialDocument(
        issuer=issuer, type_code="TB", type_name=_("Thông báo"), title=title, date=None, year=day.year, style=style
    )
    opening = _("Ngày {date}, {organiser} tổ chức {title}.").format(
        date=vn_date(day), organiser=meeting.organiser.name, title=_meeting_title(meeting)
    )
    opening += _online_sentence(meeting)
    if chairs:
        chair_words = _capital(join_vi(person_words(p) for p in chairs))
        opening += " " + _("{chairs} chủ trì hội nghị.").format(chairs=chair_words)
    doc.paragraph(opening)
    others = [p for p in participations if p not in chairs and p.role != SECRETARY]
    if others:
        doc.paragraph(_("Dự hội nghị có {list}.").format(list="; ".join(person_words(p) for p in others)))
    period = _period_sentence(meeting)
    if period:
        doc.paragraph(period)

    heard = []
    reports = [s for s in speeches if s.kind == OPENING_REPORT and getattr(s, "speaker", None) is not None]
    if reports:
        reporters = join_vi(person_words(s.speaker) for s in reports)
        heard.append(_("báo cáo đề dẫn do {who} trình bày").format(who=reporters))
    speakers = [s for s in speeches if s.kind in (PAPER, REMARKS) and getattr(s, "speaker", None) is not None]
    if speakers:
        names = []
        for speech in speakers:
            name = _name(speech.speaker)
            if name not in names:
                names.append(name)
        heard.append(_("ý kiến phát biểu của các đồng chí {names}").format(names=join_vi(names)))
    if concluder is not None:
        doc.paragraph(
            _("Sau khi nghe {heard}, {who} kết luận như sau:").format(
                heard=join_vi(heard) or _("ý kiến của các đại biểu"), who=person_words(concluder)
            )
        )
    for index, conclusion in enumerate(conclusions, start=1):
        doc.paragraph(f"{index}. {conclusion.text.strip()}")
    if not conclusions:
        closing_speech = [s for s in speeches if s.kind == CONCLUDING]
        doc.paragraph(closing_speech[-1].summary.strip() if closing_speech else PLACEHOLDER)
    if tasks:
        doc.paragraph((_("Giao nhiệm vụ cụ thể như sau:"), {"bold": True}))
        _tasks_table(doc, tasks)
    doc.paragraph(
        _("{office} thông báo để các cơ quan, đơn vị biết, thực hiện./.").format(
            office=_("Văn phòng {organiser}").format(organiser=meeting.organiser.name)
        )
    )
    owners = []
    for task in tasks:
        owner = getattr(task, "owner", None)
        if owner is not None and owner.name not in owners:
            owners.append(owner.name)
    recipients = [_("{name};").format(name=name) for name in owners]
    recipients.append(_("Các đồng chí dự hội nghị;"))
    doc.closing(recipients=recipients, signature=_notice_signature(issuer))
    return doc


def meeting_document(meeting, which: str, *, style: str | None = None) -> DocumentFile:
    """ "minutes" or "conclusions" of `meeting` as a .docx file."""
    generator = {"minutes": minutes_document, "conclusions": conclusion_notice_document}[which]
    doc = generator(meeting, style=style)
    prefix = {"minutes": "bien-ban", "conclusions": "thong-bao-ket-luan"}[which]
    day = _meeting_date(meeting)
    name = f"{prefix}-{day:%Y-%m-%d}-{slugify(fold(meeting.title))[:60]}.docx"
    return DocumentFile(content=doc.to_bytes(), filename=name)
