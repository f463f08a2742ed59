"""Writes that span several rows or models of the minutes."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from meetings.choices import TaskStatus
from meetings.models import FollowUpTask, Meeting
from meetings.resources import MINUTES_SHEETS
from ntm_site.text import fold

# The name of the whole-workbook template (each sheet also has a template of its own).
MINUTES_SLUG = "meeting-minutes"


@transaction.atomic
def meeting_sync_task_dates(*, meeting: Meeting) -> int:
    """Copy the meeting's day onto its tasks (after the date changed); returns the number of tasks updated."""
    return meeting.tasks.exclude(meeting_date=meeting.local_date).update(meeting_date=meeting.local_date)


@transaction.atomic
def task_mark_done(
    *, task: FollowUpTask, done_on: datetime.date | None = None, result: str = "", user=None
) -> FollowUpTask:
    """Mark one task done on `done_on` (default today), appending `result` to what it records."""
    done_on = done_on or timezone.localdate()
    if done_on < task.meeting_date:
        raise ValidationError(
            _("Ngày hoàn thành không được trước ngày họp ({date}).").format(date=task.meeting_date.strftime("%d/%m/%Y"))
        )
    task.status = TaskStatus.DONE
    task.done_on = done_on
    if result:
        task.result = f"{task.result}\n{result}".strip()
    task.save()
    return task


# --- the minutes workbook -------------------------------------------------------------------


@dataclass
class SheetResult:
    """One sheet of the minutes workbook: which template read it and what came of it."""

    resource_class: type
    sheet: object = None  # the reader's Sheet, None when the workbook has no such sheet
    report: object = None  # the engine's ImportReport once the sheet was run
    checked: bool = False

    @property
    def title(self) -> str:
        return str(self.resource_class.option("sheet_title"))

    @property
    def status(self) -> str:
        if self.sheet is None:
            return str(_("không có trang này"))
        if not self.checked:
            return str(_("chưa kiểm tra (trang trước có lỗi)"))
        return str(_("có lỗi")) if not self.report.ok else str(_("đạt"))


@dataclass
class MinutesImportReport:
    """What a minutes workbook import did (or would do), sheet by sheet.

    It answers the same questions as the engine's ImportReport (counts, errors, preview),
    so the engine's admin pages can show it.
    """

    file_name: str = ""
    dry_run: bool = False
    file_format: str = ""
    fatal: str = ""
    sheets: list = field(default_factory=list)
    template: str = MINUTES_SLUG

    def _sum(self, name) -> int:
        return sum(getattr(s.report, name) for s in self.sheets if s.report is not None)

    rows = property(lambda self: self._sum("rows"))
    created = property(lambda self: self._sum("created"))
    updated = property(lambda self: self._sum("updated"))
    unchanged = property(lambda self: self._sum("unchanged"))
    skipped = property(lambda self: self._sum("skipped"))

    @property
    def failed_sheet(self):
        return next((s for s in self.sheets if s.report is not None and not s.report.ok), None)

    @property
    def errors(self) -> list:
        return [e for s in self.sheets if s.report is not None for e in s.report.errors]

    @property
    def error_rows(self) -> set:
        return {(s.title, n) for s in self.sheets if s.report is not None for n in s.report.error_rows}

    @property
    def sheet(self) -> str:
        failed = self.failed_sheet
        return failed.report.sheet if failed is not None else ""

    @property
    def header_row(self) -> int:
        failed = self.failed_sheet
        return failed.report.header_row if failed is not None else 0

    @property
    def ok(self) -> bool:
        return not self.fatal and self.failed_sheet is None

    @property
    def busy(self) -> bool:
        """Another import held a table too long: nothing written, the same file goes in later."""
        return any(s.report.busy for s in self.sheets if s.report is not None)

    @property
    def database_failure(self) -> str:
        """The database failed under the import (failures.py): nothing written, the same file goes in later."""
        return next((s.report.database_failure for s in self.sheets if s.report and s.report.database_failure), "")

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def counts(self) -> dict:
        fatal = sum(1 for s in self.sheets if s.report is not None and s.report.fatal) + (1 if self.fatal else 0)
        return {
            "new": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": len(self.errors) + fatal,
        }

    @property
    def preview(self):
        """The rows of the first sheet that has any (the page lists each sheet's counts above it)."""
        first = next((s for s in self.sheets if s.report is not None and s.report.preview), None)
        return first.report.preview if first else None

    @property
    def batch_id(self):
        ids = [s.report.batch_id for s in self.sheets if s.report is not None and s.report.batch_id]
        return ", ".join(str(i) for i in ids)

    def summary(self) -> str:
        if not any(s.report is not None for s in self.sheets):  # the workbook was refused before any sheet ran
            return str(
                _(
                    "{rows} dòng dữ liệu: {new} thêm mới, {updated} cập nhật, {unchanged} không đổi, {skipped} bỏ qua, "
                    "{errors} lỗi."
                )
            ).format(rows=self.rows, **self.counts)
        parts = []
        for s in self.sheets:
            if s.report is not None:
                parts.append(
                    str(_("{sheet}: {new} mới, {updated} cập nhật, {unchanged} không đổi")).format(
                        sheet=s.title, new=s.report.created, updated=s.report.updated, unchanged=s.report.unchanged
                    )
                )
        return "; ".join(parts) + "."

    def error_lines(self, limit: int | None = None) -> list[str]:
        lines = [self.fatal] if self.fatal else []
        for s in self.sheets:
            if s.report is not None:
                lines += s.report.error_lines()
        return lines if limit is None else lines[:limit]


def _assign_sheets(sheets) -> list[SheetResult]:
    """Which sheet of the workbook each template reads: by the sheet's name, else by its header row."""
    from ntm_site.spreadsheets.errors import WorkbookError
    from ntm_site.spreadsheets.reader import find_header

    results = [SheetResult(resource_class=r) for r in MINUTES_SHEETS]
    free = list(sheets)
    for result in results:
        names = {fold(result.title), fold(str(result.resource_class.get_template_title()))}
        for sheet in free:
            if fold(sheet.name) in names:
                result.sheet = sheet
                free.remove(sheet)
                break
    for result in results:
        if result.sheet is not None:
            continue
        resource = result.resource_class()
        columns = resource.get_import_columns()
        required = [c.key for c in columns if c.required]
        for sheet in free:
            try:
                find_header([sheet], columns, required)
            except WorkbookError:
                continue
            result.sheet = sheet
            free.remove(sheet)
            break
    return results


def minutes_workbook_import(*, file, user=None, dry_run=False, file_name=None, progress=None, batch=None):
    """Import a minutes workbook (meetings, participants, speeches, conclusions, tasks) in one transaction.

    The sheets run in that order through the spreadsheet engine, each seeing what the
    earlier ones wrote (a speech names a participant of the sheet before). All or nothing:
    at the first sheet with an error the rest are left unchecked and everything is
    rolled back; a dry run (the admin's preview) is rolled back too.

    `batch`: the ImportBatch a queued confirm recorded (meetings.jobs): every sheet writes under it, and it
    ends done with the workbook's counts, or failed with its errors. Without one, each sheet has its own.
    `progress(read, total, written)`: the rows of the whole workbook, as the engine reports them per sheet.
    """
    from ntm_site.spreadsheets.engine import ImportEngine
    from ntm_site.spreadsheets.errors import WorkbookError
    from ntm_site.spreadsheets.failures import DatabaseFailure
    from ntm_site.spreadsheets.reader import read_sheets
    from ntm_site.spreadsheets.services import read_upload

    report = MinutesImportReport(file_name=file_name or "", dry_run=dry_run)
    try:
        data, name = read_upload(file)
        report.file_name = file_name or name
        report.file_format, sheets = read_sheets(data, report.file_name)
    except WorkbookError as e:
        report.fatal = str(e)
        _fail_batch(batch, report, user)
        return report
    report.sheets = _assign_sheets(sheets)
    language = translation.get_language()
    if all(s.sheet is None for s in report.sheets) and language and language != settings.LANGUAGE_CODE:
        # The admin in English, the clerks' workbook in Vietnamese (each sheet's engine reads it so, too).
        with translation.override(settings.LANGUAGE_CODE):
            in_vietnamese = _assign_sheets(sheets)
        if any(s.sheet is not None for s in in_vietnamese):
            report.sheets = in_vietnamese
    if all(s.sheet is None for s in report.sheets):
        report.fatal = str(
            _("Không thấy trang nào của biểu mẫu biên bản ({names}): hãy dùng biểu mẫu tải về từ trang Hội nghị.")
        ).format(names=", ".join(f"“{s.title}”" for s in report.sheets))
        _fail_batch(batch, report, user)
        return report
    failed = None
    counted = _WorkbookProgress(progress, report.sheets) if progress else None
    with transaction.atomic():
        for result in report.sheets:
            if result.sheet is None or failed is not None:
                continue
            # Written for real inside this transaction, so that later sheets find these rows;
            # the whole transaction is rolled back below for a dry run or an error.
            engine = ImportEngine(
                result.resource_class(),
                dry_run=False,
                user=user,
                file_name=report.file_name,
                progress=counted.sheet(result) if counted else None,
                batch=None if dry_run else batch,
            )
            engine.report.file_format = report.file_format
            try:
                engine.run_sheets([result.sheet])
            except WorkbookError as e:
                engine.report.fatal = str(e)
                engine.report.sheet = result.sheet.name
                if isinstance(e, DatabaseFailure):
                    engine.report.database_failure = e.kind
            engine.report.batch_id = None if dry_run else engine.report.batch_id
            result.report, result.checked = engine.report, True
            if not engine.report.ok:
                failed = engine
        if failed is not None or dry_run:
            transaction.set_rollback(True)
        elif batch is not None:  # each sheet marked it done with its own counts: the workbook's, with the rows
            from ntm_site.spreadsheets import batches

            batches.finish_batch(batch, report)
    if failed is not None:
        for result in report.sheets:
            if result.report is not None:
                result.report.batch_id = None  # rolled back with everything else
        if not dry_run and batch is not None:
            _fail_batch(batch, report, user)
        elif not dry_run:
            failed.batch = None  # its "running" batch went with the rollback: a failed one is written instead
            failed._log_failure()
    return report


class _WorkbookProgress:
    """The engine's per-sheet progress as the whole workbook's: the rows of the sheets already run added on."""

    def __init__(self, callback, sheets):
        self.callback = callback
        self.sheets = sheets
        self.estimate = sum(len(s.sheet.rows) for s in sheets if s.sheet is not None)

    def sheet(self, result):
        done = [s.report for s in self.sheets if s.checked and s is not result]
        read_before = sum(r.rows for r in done)
        written_before = sum(r.rows - r.skipped for r in done)

        def report(read, total, written=None):
            total = max(self.estimate, read_before + total)
            self.callback(read_before + read, total, written_before + (written or 0))

        return report


def _fail_batch(batch, report, user) -> None:
    """The queued confirm's batch says failed, with the workbook's first errors (nothing was written)."""
    if batch is None:
        return
    from ntm_site.spreadsheets import batches

    batches.fail_batch(
        batch,
        template=MINUTES_SLUG,
        model=Meeting,
        file_name=report.file_name,
        user=user,
        rows=report.rows,
        errors=report.counts["errors"],
        summary="\n".join(report.error_lines(50)),
    )
