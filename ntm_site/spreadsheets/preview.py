"""What an import will do, row by row of the clerk's sheet, in the clerk's terms (the preview page).

A sheet row is what the clerk filled in: on a wide sheet one commune and its nineteen criteria, on a long
list one result. The preview counts the rows by what will happen to them (new, changed, unchanged, refused,
skipped), keeps the first rows of each kind to show, and explains how rows become records:

    "3 dòng = 3 xã × 19 tiêu chí = 57 kết quả"      (a wide sheet: terms row="xã", item="tiêu chí")
    "57 dòng = 57 kết quả"                          (a long list: one record a row)

The engine fills it as chunks are written (ImportEngine._preview_chunk); a resource whose records are
decided after the last row (the indicator sheets) states its rows again with `clear_accepted()` and `add()`.
Only counters, the distinct communes and the shown rows are kept, so it stays small however long the sheet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

NEW, UPDATED, UNCHANGED, REFUSED, SKIPPED = "new", "updated", "unchanged", "refused", "skipped"
ACCEPTED = (NEW, UPDATED, UNCHANGED)
KIND_LABELS = {
    NEW: _("Thêm mới"),
    UPDATED: _("Cập nhật"),
    UNCHANGED: _("Không đổi"),
    REFUSED: _("Có lỗi, bị từ chối"),
    SKIPPED: _("Bỏ qua"),
}


@dataclass(frozen=True)
class PreviewTerms:
    """How a resource's rows and records are called: a wide row is a `row` ("xã") of `item`s ("tiêu chí");
    what is written is a `record` ("kết quả"). `row` is empty when each row of the sheet is one record."""

    record: str
    row: str = ""
    item: str = ""


@dataclass
class PreviewRow:
    """One row of the clerk's sheet and what the import does with it."""

    number: int  # the Excel row number
    label: str  # what the row is: "Xã Kỳ Tiến (18769), năm 2017"
    values: dict = field(default_factory=dict)  # header -> text, for a row holding one record (long lists)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    reason: str = ""  # why the row is refused or skipped

    @property
    def kind(self) -> str:
        return kind_of(self.new, self.updated, self.unchanged)

    @property
    def records(self) -> int:
        return self.new + self.updated + self.unchanged


def grouped(n: int) -> str:
    """5.000 in Vietnamese (5,000 in English), as the counts above the preview print."""
    return number_format(n, force_grouping=True)


def kind_of(new: int, updated: int, unchanged: int) -> str:
    """A row whose records are all new is new, all unchanged is unchanged; any other mix changes something."""
    if new and not updated and not unchanged:
        return NEW
    if unchanged and not new and not updated:
        return UNCHANGED
    return UPDATED


class ImportPreview:
    """Rows by kind, the first `limit` of each, and the sums that explain the counts (see the module)."""

    def __init__(self, terms: PreviewTerms, limit: int = 10):
        self.terms = terms
        self.limit = limit
        self.clear()

    def clear(self):
        self.shown = {kind: [] for kind in KIND_LABELS}
        self.rows = Counter()
        self.clear_accepted()

    def clear_accepted(self):
        """Forget the accepted rows (a resource that decides its records after the last row states them again)."""
        for kind in ACCEPTED:
            self.shown[kind] = []
            self.rows[kind] = 0
        self.groups = set()
        self.records = 0
        self.per_row = Counter()  # records in a row -> rows
        self.headers = []

    def __bool__(self) -> bool:
        return any(self.rows.values())

    def wants(self, kind: str) -> bool:
        """Whether a row of this kind would be shown (build its label only then)."""
        return len(self.shown[kind]) < self.limit

    def count(self, kind: str, *, records: int = 0, group=None, row: PreviewRow | None = None):
        """Count one row of `kind` (`row` is shown if there is room); `group` is the commune it is of."""
        self.rows[kind] += 1
        if kind in ACCEPTED:
            self.records += records
            self.per_row[records] += 1
            if group is not None:
                self.groups.add(group)
        if row is not None and self.wants(kind):
            self.shown[kind].append(row)
            if row.values and not self.headers:
                self.headers = list(row.values)

    def add(self, row: PreviewRow, *, group=None):
        """An accepted row, counted by its records (what a resource restating its rows calls)."""
        self.count(row.kind, records=row.records, group=group, row=row)

    # --- what the page prints --------------------------------------------------------------------

    @property
    def accepted_rows(self) -> int:
        return sum(self.rows[kind] for kind in ACCEPTED)

    @property
    def wide(self) -> bool:
        return bool(self.terms.row)

    def explanation(self) -> str:
        """How the rows become the records counted above: "3 dòng = 3 xã × 19 tiêu chí = 57 kết quả"."""
        terms, accepted = self.terms, self.accepted_rows
        if not accepted:
            return ""
        rows, records = grouped(accepted), grouped(self.records)
        if not self.wide:
            return str(_("{rows} dòng = {records} {record}").format(rows=rows, records=records, record=terms.record))
        communes = len(self.groups) or accepted
        # "3 xã", or "4 dòng của 3 xã" when a commune has a row for each of several years
        who = (
            _("{n} {row}").format(n=grouped(communes), row=terms.row)
            if communes == accepted
            else _("{rows} dòng của {n} {row}").format(rows=rows, n=grouped(communes), row=terms.row)
        )
        sizes = sorted(self.per_row)
        if len(sizes) == 1:
            return str(
                _("{rows} dòng = {who} × {size} {item} = {records} {record}").format(
                    rows=rows, who=who, size=sizes[0], item=terms.item, records=records, record=terms.record
                )
            )
        return str(
            _("{rows} dòng = {who}, mỗi dòng {low}–{high} {item} (ô để trống giữ nguyên) = {records} {record}").format(
                rows=rows,
                who=who,
                low=sizes[0],
                high=sizes[-1],
                item=terms.item,
                records=records,
                record=terms.record,
            )
        )

    def others(self) -> str:
        """The rows left out of the sum: "2 dòng có lỗi, 1 dòng bỏ qua"."""
        parts = []
        if self.rows[REFUSED]:
            parts.append(str(_("{n} dòng có lỗi").format(n=grouped(self.rows[REFUSED]))))
        if self.rows[SKIPPED]:
            parts.append(str(_("{n} dòng bỏ qua").format(n=grouped(self.rows[SKIPPED]))))
        return ", ".join(parts)

    def kinds(self) -> list[dict]:
        """For the page: each kind with rows, its label, how many rows and the rows shown."""
        return [
            {
                "kind": kind,
                "label": label,
                "rows": self.rows[kind],
                "shown": sorted(self.shown[kind], key=lambda row: row.number),
                "more": self.rows[kind] - len(self.shown[kind]),
            }
            for kind, label in KIND_LABELS.items()
            if self.rows[kind]
        ]
