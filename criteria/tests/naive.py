"""The criteria figures recomputed the slow way, in Python from the raw rows: what the summary and the
queries that read it must agree with (criteria.summary, criteria.selectors).

Everything here reads whole tables into dicts and loops; nothing is shared with the code it checks but
the meaning written in criteria/selectors.py's docstring.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from criteria.choices import COUNTS_AS_MET, ApprovalStatus, AssessmentStatus, RecognitionAction, SetLevel
from criteria.models import Assessment, CommuneYear, CommuneYearSummary, CriteriaSet, Criterion, Recognition
from criteria.selectors import COMMUNE_SET_LEVELS
from divisions.models import UnitSuccession


class World:
    """Every sheet, result, criterion, set, recognition and succession, read once."""

    def __init__(self):
        self.sheets = {cy.pk: cy for cy in CommuneYear.objects.all()}
        self.criteria = {c.pk: c for c in Criterion.objects.all()}
        self.sets = {s.pk: s for s in CriteriaSet.objects.all()}
        self.results = defaultdict(list)
        for a in Assessment.objects.all():
            self.results[a.commune_year_id].append(a)
        self.recognitions = list(Recognition.objects.select_related("criteria_set"))
        self.successions = list(UnitSuccession.objects.filter(is_main=True))

    # --- counts --------------------------------------------------------------------------------

    def counts(self, sheet_id) -> dict:
        """What CommuneYearSummary holds for the sheet, counted result by result."""
        sheet = self.sheets[sheet_id]
        row = dict.fromkeys(
            ("assessed", "met", "not_met", "not_applicable", "assessed_bits", "met_bits", "not_applicable_bits"), 0
        )
        row["outside_set"] = 0
        for a in self.results[sheet_id]:
            row["assessed"] += 1
            row["met"] += a.status in COUNTS_AS_MET
            row["not_met"] += a.status == AssessmentStatus.NOT_MET
            row["not_applicable"] += a.status == AssessmentStatus.NOT_APPLICABLE
            criterion = self.criteria[a.criterion_id]
            if criterion.criteria_set_id != sheet.criteria_set_id or not 1 <= criterion.number <= 62:
                row["outside_set"] += 1
                continue
            bit = 1 << criterion.number
            row["assessed_bits"] |= bit
            if a.status in COUNTS_AS_MET:
                row["met_bits"] |= bit
            if a.status == AssessmentStatus.NOT_APPLICABLE:
                row["not_applicable_bits"] |= bit
        return row

    def size(self, set_id) -> int:
        return sum(1 for c in self.criteria.values() if c.criteria_set_id == set_id)

    def standing(self, commune_id, year) -> tuple[int | None, bool]:
        """(approved_year, approved_met): the latest year up to `year` with an approved sheet of a basic set with
        criteria, and whether a sheet of that year met every criterion of its set."""
        approved = [
            s
            for s in self.sheets.values()
            if s.commune_id == commune_id
            and s.year <= year
            and s.approval_status == ApprovalStatus.APPROVED
            and self.sets[s.criteria_set_id].level == SetLevel.COMMUNE
            and self.size(s.criteria_set_id) > 0
        ]
        if not approved:
            return None, False
        latest = max(s.year for s in approved)
        met = any(self.counts(s.pk)["met"] >= self.size(s.criteria_set_id) for s in approved if s.year == latest)
        return latest, met

    def summary_problems(self) -> list[str]:
        """How the stored summary differs from the counts above (empty when it is exact)."""
        stored = {row["commune_year_id"]: row for row in CommuneYearSummary.objects.values()}
        problems = [f"summary row of a sheet that is gone: {pk}" for pk in set(stored) - set(self.sheets)]
        for pk, sheet in self.sheets.items():
            row = stored.get(pk)
            if row is None:
                problems.append(f"no summary row for sheet {pk}")
                continue
            want = self.counts(pk)
            want["approved_year"], want["approved_met"] = self.standing(sheet.commune_id, sheet.year)
            have = {key: row[key] for key in want}
            if have != want:
                problems.append(f"sheet {pk} ({sheet.commune_id}, {sheet.year}): {have} != {want}")
        return problems

    # --- the standard (criteria.selectors' three routes) ------------------------------------------

    def recognised(self, commune_id, day) -> bool:
        for r in self.recognitions:
            if (
                r.commune_id == commune_id
                and r.action == RecognitionAction.RECOGNISE
                and r.criteria_set.level in COMMUNE_SET_LEVELS
                and r.decision_date <= day
            ):
                undone = any(
                    v.commune_id == commune_id
                    and v.action == RecognitionAction.REVOKE
                    and (v.criteria_set_id == r.criteria_set_id or v.criteria_set.level == SetLevel.COMMUNE)
                    and r.decision_date <= v.decision_date <= day
                    for v in self.recognitions
                )
                if not undone:
                    return True
        return False

    def by_sheets(self, commune_id, day) -> bool:
        latest, met = self.standing(commune_id, day.year)
        if not met:
            return False
        return not any(
            v.commune_id == commune_id
            and v.action == RecognitionAction.REVOKE
            and v.criteria_set.level in COMMUNE_SET_LEVELS
            and v.decision_date <= day
            and v.year >= latest
            for v in self.recognitions
        )

    def own(self, commune_id, day) -> bool:
        return self.recognised(commune_id, day) or self.by_sheets(commune_id, day)

    def reached(self, commune_id, day) -> bool:
        if self.own(commune_id, day):
            return True
        for effective in sorted({s.effective_date for s in self.successions if s.successor_id == commune_id}):
            if effective > day:
                continue
            eve = effective - datetime.timedelta(days=1)
            lines = [s for s in self.successions if s.successor_id == commune_id and s.effective_date == effective]
            revoked = any(
                v.commune_id == commune_id
                and v.action == RecognitionAction.REVOKE
                and effective <= v.decision_date <= day
                for v in self.recognitions
            )
            if lines and all(self.own(s.predecessor_id, eve) for s in lines) and not revoked:
                return True
        return False
