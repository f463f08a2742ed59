"""The national data set of the scale benchmark, written with COPY (PostgreSQL only).

    generate(stdout)       # once; `data_ready()` says whether it is there

Units and reference data come from the project's own commands (`load_divisions`,
`load_reference_data`); everything else is made up, deterministically (random seed 2025),
and written without history rows:

- commune-years: every legacy commune for 2011–2025 and every 2025 commune for 2025,
  each with its 19 assessments (≈ 2.9 million rows);
- 3,000 organisations, 4 decisions per province, 20,000 assignments, 100,000 support
  records, 10,000 initiatives, 20,000 activities, 5,000 proposals;
- 20,000 people, 5,000 meetings with 20 participants, 6 speeches, 4 conclusions and 4
  follow-up tasks each (tasks name one or two communes and a criterion);
- 2026 on the 2025 map (issue 16, `add_year_2026`): the QĐ 51/2025 set's 47 indicators from the
  demo's ILLUSTRATIVE workbook (seeds/data/31_criteria-sets.xlsx, through the criteria-sets import),
  a commune group for every rural commune of the 2025 map, its 2026 sheet (draft), its 47
  indicator results judged against its group's targets and its 10 criteria derived from them.
  A data set built before it gets it added on the next run (its own marker row).
"""

from __future__ import annotations

import datetime
import json
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

MARKER = "scale-bench-v1"  # ImportBatch.template of the row that says the data set is complete
MARKER_2026 = "scale-bench-2026-v1"  # … and the one that says its year 2026 is there (added later to older sets)
YEAR_2026 = 2026
INDICATOR_SET = "qd-51-2025-xa"
# The 47 indicators and their targets per commune group: the demo's workbook, ILLUSTRATIVE (seeds/README.md).
INDICATOR_WORKBOOK = Path(__file__).resolve().parent.parent / "seeds" / "data" / "31_criteria-sets.xlsx"
FIRST_YEAR, LAST_YEAR = 2011, 2025
ORGANISATIONS = 3_000
DECISIONS_PER_PROVINCE = 4
ASSIGNMENTS = 20_000
SUPPORT_PER_ASSIGNMENT = 5
INITIATIVES = 10_000
ACTIVITIES = 20_000
PROPOSALS = 5_000
PEOPLE = 20_000
MEETINGS = 5_000
PARTICIPANTS, SPEECHES, CONCLUSIONS, TASKS = 20, 6, 4, 4


@dataclass(frozen=True)
class Size:
    """How much of the country: `fraction` of the communes (evenly spread) and of the other records.

    1.0 is the national data set. Smaller sizes (the smoke run of CI, the cost-growth table)
    always keep the communes of `KEEP_DISTRICT` (the benchmark clerk's district), so every
    page the benchmark opens has rows.
    """

    fraction: float = 1.0

    def n(self, full: int, least: int = 1) -> int:
        return max(least, round(full * self.fraction))

    def keep(self, i: int) -> bool:
        """Whether the i-th commune (0-based) is in: exactly round(n × fraction) of n, evenly spread."""
        return self.fraction >= 1 or int((i + 1) * self.fraction) > int(i * self.fraction)


FULL = Size()
KEEP_DISTRICT = ("Huyện Kỳ Anh", "Tỉnh Hà Tĩnh")


def data_ready() -> bool:
    from ntm_site.models import ImportBatch

    return ImportBatch.objects.filter(template=MARKER).exists()


def year_2026_ready() -> bool:
    from ntm_site.models import ImportBatch

    return ImportBatch.objects.filter(template=MARKER_2026).exists()


def _copy(table: str, columns: list[str], rows) -> int:
    """COPY `rows` (tuples in `columns` order) into `table`; returns the row count."""
    from django.db import connection

    n = 0
    cols = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def _ids(model, **filters) -> list[int]:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _reset_sequences(*models):
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _table(model) -> str:
    return model._meta.db_table


def generate(say=print, size: Size = FULL) -> dict:
    """Write the data set (the units and reference data first if missing). Returns row counts."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from criteria import summary
    from divisions.models import AdministrativeUnit

    counts = {}
    t0 = time.perf_counter()
    if not AdministrativeUnit.objects.exists():
        say("load_divisions, load_reference_data …")
        call_command("load_divisions", verbosity=0)
        call_command("load_reference_data", verbosity=0)
    rng = random.Random(2025)
    # The sheet summary's triggers (criteria.summary) are off while the COPYs write; it is computed once after.
    with transaction.atomic(), summary.suspended():
        counts.update(_criteria(rng, say, size))
        counts.update(_sponsorship(rng, say, size))
        counts.update(_meetings(rng, say, size))
        from ntm_site.models import ImportBatch

        name = "scale benchmark data set" + ("" if size == FULL else f" ({size.fraction:g} of the country)")
        ImportBatch.objects.create(template=MARKER, file_name=name, rows=sum(counts.values()))
        counts = _add_counts(counts, add_year_2026(say, size, analyze=False))
    # As after any bulk load: statistics for the planner, and the visibility map that lets index-only
    # scans skip the heap (a live database gets both from autovacuum; without it the scorecard is ~10 % slower).
    say("VACUUM ANALYZE …")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say(f"data set written in {time.perf_counter() - t0:.0f} s")
    return counts


# --- criteria -------------------------------------------------------------------------------


def _communes(size: Size, edition: str) -> list[int]:
    """The communes of the data set: `size`'s share of the edition, the clerk's district always in."""
    from divisions.models import AdministrativeUnit

    all_ = _ids(AdministrativeUnit, level=3, edition=edition)
    if size == FULL:
        return all_
    district, province = KEEP_DISTRICT
    kept = set(
        AdministrativeUnit.objects.filter(
            level=3, edition=edition, parent__name=district, parent__parent__name=province
        ).values_list("pk", flat=True)
    )
    return [pk for i, pk in enumerate(all_) if pk in kept or size.keep(i)]


def expected_counts(size: Size = FULL) -> dict:
    """The rows of the criteria tables that `generate(size=size)` writes, worked out from the units and sets."""
    from criteria.models import CriteriaSet, Criterion, Indicator

    legacy, new = _communes(size, "legacy"), _communes(size, "2025")
    per_year = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        cset = CriteriaSet.objects.default_for_year(year)
        per_year[year] = Criterion.objects.filter(criteria_set=cset).count()
    years = LAST_YEAR - FIRST_YEAR + 1
    # 2026: every rural commune of the 2025 map in the data set, one sheet of the QĐ 51 set (10 criteria, 47
    # indicators: the set's counts are read, the expected figures are those of issue 16).
    rural = len(_rural_2026(size))
    criteria_2026 = Criterion.objects.filter(criteria_set__code=INDICATOR_SET).count()
    indicators_2026 = Indicator.objects.filter(criterion__criteria_set__code=INDICATOR_SET).count()
    return {
        "commune-years": len(legacy) * years + len(new) + rural,
        "assessments": len(legacy) * sum(per_year.values()) + len(new) * per_year[LAST_YEAR] + rural * criteria_2026,
        "commune groups": rural,
        "indicator results": rural * indicators_2026,
        "criteria of 2026": 10,
        "indicators of 2026": 47,
    }


def table_counts() -> dict:
    """Rows now in each table `generate` writes, by the names of its counts (and the sheet summary it computes)."""
    from criteria.models import (
        Assessment,
        CommuneClassification,
        CommuneYear,
        CommuneYearSummary,
        Criterion,
        Indicator,
        IndicatorResult,
    )
    from meetings.models import Conclusion, FollowUpTask, Meeting, Participation, Person, Speech
    from sponsorship.models import (
        Activity,
        Assignment,
        Decision,
        Initiative,
        Organisation,
        Proposal,
        SupportRecord,
    )

    models = {
        "commune-years": CommuneYear,
        "assessments": Assessment,
        "commune groups": CommuneClassification,
        "indicator results": IndicatorResult,
        "sheet summaries": CommuneYearSummary,
        "organisations": Organisation,
        "decisions": Decision,
        "assignments": Assignment,
        "support records": SupportRecord,
        "initiatives": Initiative,
        "activities": Activity,
        "proposals": Proposal,
        "people": Person,
        "meetings": Meeting,
        "participations": Participation,
        "speeches": Speech,
        "conclusions": Conclusion,
        "tasks": FollowUpTask,
        "task communes": FollowUpTask.communes.through,
        "task criteria": FollowUpTask.criteria.through,
    }
    counts = {name: model.objects.count() for name, model in models.items()}
    counts["criteria of 2026"] = Criterion.objects.filter(criteria_set__code=INDICATOR_SET).count()
    counts["indicators of 2026"] = Indicator.objects.filter(criterion__criteria_set__code=INDICATOR_SET).count()
    return counts


def _criteria(rng, say, size: Size = FULL) -> dict:
    from criteria.models import Assessment, CommuneYear, CriteriaSet, Criterion

    sets = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        cset = CriteriaSet.objects.default_for_year(year)
        sets[year] = (cset.pk, list(Criterion.objects.filter(criteria_set=cset).values_list("pk", flat=True)))
    legacy = _communes(size, "legacy")
    new = _communes(size, "2025")
    years = LAST_YEAR - FIRST_YEAR + 1
    say(f"commune-years: {len(legacy)} legacy communes × {years} years + {len(new)} new communes …")
    # How far along each commune is: reaching standard spreads over the years.
    start = {c: rng.uniform(0.2, 0.7) for c in legacy + new}
    pace = {c: rng.uniform(0.01, 0.06) for c in legacy + new}
    sheets = [(c, y) for y in range(FIRST_YEAR, LAST_YEAR + 1) for c in legacy] + [(c, LAST_YEAR) for c in new]
    cy_id = _next_id(CommuneYear)
    approved = datetime.datetime(2026, 1, 15, 8, 0, tzinfo=datetime.UTC)

    def cy_rows():
        for i, (commune, year) in enumerate(sheets):
            done = year <= 2022
            yield (
                cy_id + i,
                commune,
                year,
                sets[year][0],
                "",
                "approved" if done else "draft",
                approved if done else None,
                "",
            )

    cols = ["id", "commune_id", "year", "criteria_set_id", "note", "approval_status", "approval_changed_at"]
    counts = {"commune-years": _copy(_table(CommuneYear), [*cols, "returned_reason"], cy_rows())}
    say(f"  {counts['commune-years']:,} commune-years; assessments …")

    def a_rows():
        for i, (commune, year) in enumerate(sheets):
            level = min(0.98, start[commune] + pace[commune] * (year - FIRST_YEAR))
            for criterion in sets[year][1]:
                status = "dat" if rng.random() < level else "chua_dat"
                yield (cy_id + i, commune, criterion, year, status, "{}", "")

    t = time.perf_counter()
    cols = ["commune_year_id", "commune_id", "criterion_id", "year", "status", "indicator_values", "note"]
    counts["assessments"] = _copy(_table(Assessment), cols, a_rows())
    say(f"  {counts['assessments']:,} assessments in {time.perf_counter() - t:.0f} s")
    _reset_sequences(CommuneYear)
    return counts


# --- 2026: the QĐ 51/2025 set on the 2025 map (issue 16) -----------------------------------------


def _rural_2026(size: Size) -> list[int]:
    """The 2025 map's rural communes (xã; not wards or special zones) of the data set: those with a 2026 sheet."""
    from divisions.models import AdministrativeUnit

    kept = _communes(size, "2025")
    rural = set(AdministrativeUnit.objects.filter(pk__in=kept, kind="xa").values_list("pk", flat=True))
    return [pk for pk in kept if pk in rural]


def _add_counts(a: dict, b: dict) -> dict:
    return {name: a.get(name, 0) + b.get(name, 0) for name in {**a, **b}}


def add_year_2026(say=print, size: Size = FULL, analyze: bool = True) -> dict:
    """Write 2026 into the data set (once: a second call finds its marker and writes nothing). Returns row counts.

    The indicators and their targets per commune group are the demo's ILLUSTRATIVE workbook (never official
    wording), loaded through the criteria-sets import; groups, values and sheets are made up (random seed
    2026, so the rest of the data set is the same with or without it).
    """
    from django.db import connection, transaction

    from criteria.models import (
        Assessment,
        CommuneClassification,
        CommuneYear,
        CriteriaSet,
        Criterion,
        Indicator,
        IndicatorResult,
        IndicatorTarget,
    )
    from criteria.scoring import criterion_status, indicator_result_judge
    from ntm_site.models import ImportBatch
    from ntm_site.spreadsheets.registry import get_resource
    from ntm_site.spreadsheets.services import workbook_import

    if year_2026_ready():
        return {}
    t0 = time.perf_counter()
    rng = random.Random(2026)
    with transaction.atomic():
        if not Indicator.objects.filter(criterion__criteria_set__code=INDICATOR_SET).exists():
            report = workbook_import(resource_class=get_resource("criteria-sets"), file=str(INDICATOR_WORKBOOK))
            if not report.ok:
                raise RuntimeError("\n".join(report.error_lines(10)))
        cset = CriteriaSet.objects.get(code=INDICATOR_SET)
        indicators = list(Indicator.objects.filter(criterion__criteria_set=cset).order_by("criterion__number", "code"))
        targets = {
            (t.indicator_id, t.commune_group): t for t in IndicatorTarget.objects.filter(indicator__in=indicators)
        }
        sizes = {}
        for indicator in indicators:
            sizes[indicator.criterion_id] = sizes.get(indicator.criterion_id, 0) + 1
        criteria = list(Criterion.objects.filter(criteria_set=cset).values_list("pk", flat=True))
        communes = _rural_2026(size)
        say(f"2026: {len(communes)} rural communes of the 2025 map × {len(indicators)} indicators …")
        groups = {}
        for commune in communes:
            draw = rng.random()
            groups[commune] = "nhom_1" if draw < 0.15 else ("nhom_3" if draw < 0.45 else "nhom_2")
        basis = "Phân nhóm minh họa (dữ liệu benchmark)"
        counts = {
            "commune groups": _copy(
                _table(CommuneClassification),
                ["commune_id", "group", "valid_from_year", "basis", "note"],
                ((c, groups[c], YEAR_2026, basis, "") for c in communes),
            )
        }
        cy0 = _next_id(CommuneYear)
        counts["commune-years"] = _copy(
            _table(CommuneYear),
            ["id", "commune_id", "year", "criteria_set_id", "note", "approval_status", "returned_reason"],
            ((cy0 + i, c, YEAR_2026, cset.pk, "", "draft", "") for i, c in enumerate(communes)),
        )
        _reset_sequences(CommuneYear)
        statuses = {}  # (sheet, criterion) -> [status]

        def result_rows():
            for i, commune in enumerate(communes):
                group, level = groups[commune], rng.uniform(0.55, 0.95)
                for indicator in indicators:
                    target = targets.get((indicator.pk, group))
                    number, flag = None, None
                    if indicator.value_type == "bool":
                        flag = rng.random() < level
                    elif indicator.value_type == "percent":
                        goal = float(target.value) if target and target.value is not None else 80.0
                        number = round(min(100.0, max(0.0, rng.uniform(goal - 15, goal + 10))), 1)
                    else:
                        goal = float(target.value) if target and target.value is not None else 3.0
                        number = max(0, round(goal + rng.uniform(-2.5, 2)))
                    value = None if number is None else Decimal(str(number))
                    status = indicator_result_judge(
                        indicator=indicator, target=target, value_number=value, value_bool=flag
                    )
                    statuses.setdefault((cy0 + i, indicator.criterion_id), []).append(status)
                    yield (cy0 + i, indicator.pk, number, flag, "", False, group, status, False, "", "")

        cols = ["commune_year_id", "indicator_id", "value_number", "value_bool", "value_text", "not_applicable"]
        cols += ["commune_group", "status", "status_overridden", "override_reason", "note"]
        counts["indicator results"] = _copy(_table(IndicatorResult), cols, result_rows())
        sheets = dict(enumerate(communes))

        def assessment_rows():
            for i, commune in sheets.items():
                for criterion in criteria:
                    status = criterion_status(statuses[(cy0 + i, criterion)], sizes[criterion])
                    yield (cy0 + i, commune, criterion, YEAR_2026, status, "{}", "")

        cols = ["commune_year_id", "commune_id", "criterion_id", "year", "status", "indicator_values", "note"]
        counts["assessments"] = _copy(_table(Assessment), cols, assessment_rows())
        ImportBatch.objects.create(template=MARKER_2026, file_name="scale benchmark: 2026", rows=sum(counts.values()))
    if analyze:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    say(f"  {counts} in {time.perf_counter() - t0:.0f} s")
    return counts


# --- sponsorship ------------------------------------------------------------------------------


def _sponsorship(rng, say, size: Size = FULL) -> dict:
    from divisions.models import AdministrativeUnit
    from ntm_site.text import search_key
    from sponsorship.models import (
        Activity,
        Assignment,
        Decision,
        Initiative,
        InitiativeField,
        Organisation,
        Proposal,
        SupportCategory,
        SupportRecord,
    )

    say("sponsorship …")
    provinces = list(AdministrativeUnit.objects.filter(level=1, edition="legacy").values_list("pk", "name", "code"))
    communes_by_province = {}
    commune_key = {}
    kept = set(_communes(size, "legacy"))
    for pk, province_id, key in AdministrativeUnit.objects.filter(pk__in=kept).values_list(
        "pk", "province_id", "search_key"
    ):
        communes_by_province.setdefault(province_id, []).append(pk)
        commune_key[pk] = key
    kinds = ["so_nganh", "co_quan_dang", "mttq_doan_the", "doanh_nghiep", "su_nghiep", "luc_luong_vu_trang"]
    org0 = _next_id(Organisation)
    orgs = []  # (id, name, short, province_id)
    for i in range(size.n(ORGANISATIONS, len(provinces))):
        pid, pname, _code = provinces[i % len(provinces)]
        kind = kinds[i % len(kinds)]
        name = f"{['Sở', 'Ban', 'Hội', 'Công ty', 'Trung tâm', 'Bộ Chỉ huy'][i % 6]} số {i + 1} {pname}"
        orgs.append((org0 + i, name, f"ĐV{i + 1}", kind, pid))
    counts = {
        "organisations": _copy(
            _table(Organisation),
            ["id", "name", "short_name", "kind", "home_unit_id", "search_key"],
            ((o, n, s, k, p, search_key(n, s)) for o, n, s, k, p in orgs),
        )
    }
    orgs_by_province = {}
    for o in orgs:
        orgs_by_province.setdefault(o[4], []).append(o)

    dec0 = _next_id(Decision)
    decisions = []  # (id, symbol, province_id)
    rows = []
    for pid, pname, code in provinces:
        for k in range(DECISIONS_PER_PROVINCE):
            did = dec0 + len(decisions)
            symbol = f"{100 + k}-QĐ/TU-{code}"
            title = f"Phân công cơ quan, đơn vị giúp đỡ xã xây dựng nông thôn mới giai đoạn {2011 + 5 * (k % 3)}"
            issuer = f"Ban Thường vụ {pname.replace('Tỉnh', 'Tỉnh ủy').replace('Thành phố', 'Thành ủy')}"
            y0 = 2011 + 5 * (k % 3)
            rows.append((did, symbol, "quyet_dinh", issuer, datetime.date(y0, 3, 1), y0, y0 + 4, title, pid, ""))
            rows[-1] = (*rows[-1], search_key(symbol, title, issuer))
            decisions.append((did, symbol, pid, y0))
    cols = ["id", "symbol", "document_type", "issuer", "issued_on", "term_from_year", "term_to_year", "title"]
    counts["decisions"] = _copy(_table(Decision), [*cols, "province_id", "file", "search_key"], rows)

    asg0 = _next_id(Assignment)
    seen = set()
    assignments = []  # (id, decision, org, commune, role, year0)
    roles = ["phu_trach", "do_dau", "ket_nghia", "giup_do"]
    while len(assignments) < size.n(ASSIGNMENTS):
        did, symbol, pid, y0 = rng.choice(decisions)
        if not communes_by_province.get(pid) or not orgs_by_province.get(pid):
            continue
        org = rng.choice(orgs_by_province[pid])
        commune = rng.choice(communes_by_province[pid])
        role = rng.choice(roles)
        if (did, org[0], commune, role) in seen:
            continue
        seen.add((did, org[0], commune, role))
        key = search_key(org[1], org[2], symbol) + commune_key[commune]
        assignments.append((asg0 + len(assignments), did, org[0], commune, role, "", key, y0))
    counts["assignments"] = _copy(
        _table(Assignment),
        ["id", "decision_id", "organisation_id", "commune_id", "role", "contact_officer", "search_key"],
        (a[:7] for a in assignments),
    )

    categories = list(SupportCategory.objects.values_list("pk", "default_unit"))

    def support_rows():
        for a in assignments:
            days = rng.sample(range(5 * 365), SUPPORT_PER_ASSIGNMENT)
            for d in days:
                cat, unit = rng.choice(categories)
                day = datetime.date(a[7], 1, 1) + datetime.timedelta(days=d)
                yield (a[0], day, cat, rng.randint(1, 50), unit, rng.randint(1, 500) * 1_000_000, "", "")

    cols = ["assignment_id", "date", "category_id", "quantity", "unit", "value_vnd", "description"]
    counts["support records"] = _copy(_table(SupportRecord), [*cols, "outside_term_reason"], support_rows())

    fields = list(InitiativeField.objects.values_list("pk", flat=True))
    statuses = ["dang_ky", "dang_thuc_hien", "hoan_thanh", "dung"]
    counts["initiatives"] = _copy(
        _table(Initiative),
        ["assignment_id", "field_id", "title", "registered_on", "status", "result"],
        (
            (a[0], fields[i % len(fields)], f"Mô hình số {i + 1}", datetime.date(a[7], 6, 1), statuses[i % 4], "")
            for i, a in enumerate(assignments[: size.n(INITIATIVES)])
        ),
    )
    act0 = _next_id(Activity)
    akinds = ["tham", "lam_viec", "bao_cao_thang", "bao_cao_quy", "khac"]

    activities = size.n(ACTIVITIES, 4 * size.n(PROPOSALS))

    def activity_rows():
        for i in range(activities):
            a = assignments[i % len(assignments)]
            day = datetime.date(a[7], 1, 1) + datetime.timedelta(days=30 * (i // len(assignments)) + i % 300)
            yield (act0 + i, a[0], akinds[i % 5], day, "Đoàn công tác", "Làm việc với xã")

    cols = ["id", "assignment_id", "kind", "date", "participants", "summary"]
    counts["activities"] = _copy(_table(Activity), cols, activity_rows())
    counts["proposals"] = _copy(
        _table(Proposal),
        ["activity_id", "text", "addressee_id", "resolved", "answer"],
        (
            (act0 + i * 4, f"Đề nghị hỗ trợ kinh phí số {i + 1}", orgs[i % len(orgs)][0], i % 3 == 0, "")
            for i in range(size.n(PROPOSALS))
        ),
    )
    _reset_sequences(Organisation, Decision, Assignment, Activity)
    say(f"  {counts}")
    return counts


# --- meetings ---------------------------------------------------------------------------------


def _meetings(rng, say, size: Size = FULL) -> dict:
    from criteria.models import Criterion
    from divisions.models import AdministrativeUnit
    from meetings.models import Conclusion, FollowUpTask, Meeting, Participation, Person, Speech
    from ntm_site.text import search_key
    from sponsorship.models import Organisation

    say("meetings …")
    orgs = list(Organisation.objects.values_list("pk", "home_unit_id"))
    communes_by_province = {}
    for pk, province_id in AdministrativeUnit.objects.filter(pk__in=_communes(size, "legacy")).values_list(
        "pk", "province_id"
    ):
        communes_by_province.setdefault(province_id, []).append(pk)
    criteria = list(Criterion.objects.filter(criteria_set__code="qd-1980-xa").values_list("pk", flat=True))
    p0 = _next_id(Person)
    given = ["Văn An", "Thị Bình", "Đức Cường", "Thị Dung", "Minh Hải", "Quốc Khánh", "Thị Lan", "Văn Nam"]
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ"]
    people = []
    n_people = size.n(PEOPLE, PARTICIPANTS)
    for i in range(n_people):
        name = f"{family[i % 10]} {given[(i // 10) % 8]}"
        note = f"Cán bộ số {i + 1}"
        people.append((p0 + i, name, note, search_key(name, note)))
    counts = {"people": _copy(_table(Person), ["id", "name", "note", "search_key"], people)}

    m0 = _next_id(Meeting)
    kinds = ["giao_ban", "so_ket_quy", "so_ket_6_thang", "tong_ket", "lam_viec_voi_xa", "kiem_tra_giam_sat"]
    meetings = []
    n_meetings = size.n(MEETINGS)
    for i in range(n_meetings):
        org, home = orgs[i % len(orgs)]
        day = datetime.date(2011, 1, 3) + datetime.timedelta(days=i * 5479 // n_meetings)
        start = datetime.datetime(day.year, day.month, day.day, 1, 0, tzinfo=datetime.UTC)
        code = f"HN-{day:%Y%m%d}-{i + 1}"
        title = f"Hội nghị {['giao ban', 'sơ kết quý', 'sơ kết 6 tháng', 'tổng kết', 'làm việc', 'kiểm tra'][i % 6]}"
        title += f" số {i + 1}"
        place = "Hội trường Ủy ban nhân dân"
        key = search_key(code, title, place)
        meetings.append((m0 + i, code, title, kinds[i % 6], start, place, org, "", False, "", key))
    cols = ["id", "code", "title", "kind", "start", "place", "organiser_id", "organiser_name", "is_online", "summary"]
    counts["meetings"] = _copy(_table(Meeting), [*cols, "search_key"], meetings)

    part0 = _next_id(Participation)
    roles = ["chu_tri", "dong_chu_tri", "du", "du", "du", "bao_cao", "thu_ky"]

    def participation_rows():
        for m in meetings:
            chosen = rng.sample(range(n_people), PARTICIPANTS)
            for order, person in enumerate(chosen, start=1):
                pid = part0 + (m[0] - m0) * PARTICIPANTS + order - 1
                yield (pid, m[0], order, p0 + person, "Cán bộ", orgs[person % len(orgs)][0], "", roles[order % 7])

    cols = ["id", "meeting_id", "order", "person_id", "position", "organisation_id", "organisation_name", "role"]
    counts["participations"] = _copy(_table(Participation), cols, participation_rows())
    counts["speeches"] = _copy(
        _table(Speech),
        ["meeting_id", "order", "speaker_id", "kind", "topic", "summary"],
        (
            (m[0], k, part0 + (m[0] - m0) * PARTICIPANTS + k, "phat_bieu", "", f"Ý kiến số {k}")
            for m in meetings
            for k in range(1, SPEECHES + 1)
        ),
    )
    c0 = _next_id(Conclusion)
    counts["conclusions"] = _copy(
        _table(Conclusion),
        ["id", "meeting_id", "order", "text"],
        (
            (c0 + (m[0] - m0) * CONCLUSIONS + k - 1, m[0], k, f"Kết luận số {k}")
            for m in meetings
            for k in range(1, CONCLUSIONS + 1)
        ),
    )
    t0 = _next_id(FollowUpTask)
    statuses = ["chua_thuc_hien", "dang_thuc_hien", "hoan_thanh", "khong_thuc_hien"]
    tasks = []
    for m in meetings:
        day = m[4].date()
        for k in range(1, TASKS + 1):
            tid = t0 + (m[0] - m0) * TASKS + k - 1
            owner, home = orgs[rng.randrange(len(orgs))]
            tasks.append(
                (
                    tid,
                    m[0],
                    c0 + (m[0] - m0) * CONCLUSIONS + k - 1,
                    k,
                    f"Nhiệm vụ số {k}",
                    owner,
                    day,
                    day + datetime.timedelta(days=30 * k),
                    statuses[(tid + k) % 4],
                    "",
                    home,
                )
            )
    cols = ["id", "meeting_id", "conclusion_id", "order", "text", "owner_id", "meeting_date", "due_date", "status"]
    counts["tasks"] = _copy(_table(FollowUpTask), [*cols, "result"], (t[:10] for t in tasks))
    through = FollowUpTask.communes.through
    any_communes = next(iter(communes_by_province.values()))
    ccol = FollowUpTask.communes.field.m2m_reverse_name()
    fcol = FollowUpTask.communes.field.m2m_column_name()
    counts["task communes"] = _copy(
        through._meta.db_table,
        [fcol, ccol],
        ((t[0], c) for t in tasks for c in _two(rng, communes_by_province.get(t[10]) or any_communes)),
    )
    through = FollowUpTask.criteria.through
    counts["task criteria"] = _copy(
        through._meta.db_table,
        [FollowUpTask.criteria.field.m2m_column_name(), FollowUpTask.criteria.field.m2m_reverse_name()],
        ((t[0], criteria[t[0] % len(criteria)]) for t in tasks),
    )
    _reset_sequences(Person, Meeting, Participation, Conclusion, FollowUpTask)
    say(f"  {counts}")
    return counts


def _two(rng, pool):
    """Two communes of the pool (one when a small data set kept only one of the province)."""
    return rng.sample(pool, min(2, len(pool)))


def as_json(counts: dict) -> str:
    return json.dumps(counts, ensure_ascii=False)
