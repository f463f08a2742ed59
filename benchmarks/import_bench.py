"""Import benchmark: the criteria workbook through the floor, our engine and stock django-import-export.

    make bench                      # SQLite, and PostgreSQL too when DATABASE_URL is set
    python benchmarks/import_bench.py --communes 5000 --backends sqlite

Workload: a wide criteria workbook of N communes x 19 criteria (title block, numbering row,
"Tổng cộng" row, statuses typed "Đạt"/"x"/"Chưa đạt"/"-"...), the same data in long layout,
and a version of the wide file where every status changed (the update run).

Stages, each in a fresh process (so its peak memory is its own), on a database prepared
once per backend (migrated, the whole country of units, one national criteria set):

  floor        calamine read + dict key resolution + Assessment.objects.bulk_create, one transaction
  ours-fresh   workbook_import(AssessmentWideResource) into an empty table
  ours-update  the changed wide file over those rows (every assessment updated)
  ours-long    workbook_import(AssessmentResource) of the long file into an empty table
  stock        a plain django-import-export ModelResource (ForeignKeyWidget, import_id_fields)
               on a slice of the long file (N*19/10 rows), time scaled to the full size

and the 2026 indicator sheet (issue 16; `--stages indicators` alone), on the same database with the 2025
map, the demo's illustrative QĐ 51 indicators and a group for every rural commune added:

  ind-floor    calamine read + dict keys + bulk_create of commune-years and IndicatorResult rows
  ind-fresh    workbook_import(IndicatorResultWideResource): every rural commune × 47 indicators
  ind-update   the same sheet with every value changed

Not a unit test: it prints rows/s, ratios and peak memory, and exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2019
TARGET_FLOOR_RATIO = 2.0
TARGET_STOCK_SPEEDUP = 30.0
TARGET_PEAK_MIB = 400


def setup_django(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_site.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- preparing a database --------------------------------------------------------------


FIRST_YEAR, LAST_YEAR = 2011, 2025  # the three legacy national sets (QĐ 491, 1980, 318), 19 criteria each


def biggest_province():
    """The legacy province with the most rural communes (Thanh Hóa: 453): the coordinator's province."""
    from django.db.models import Count

    from divisions.models import AdministrativeUnit

    row = (
        AdministrativeUnit.objects.filter(level=3, kind="xa", edition="legacy")
        .values("province_id")
        .annotate(n=Count("id"))
        .order_by("-n", "province_id")
        .first()
    )
    return AdministrativeUnit.objects.get(pk=row["province_id"])


def bench_user(province):
    """The importing clerk: the coordinator of one province (Văn phòng điều phối tỉnh), as in real life."""
    from django.contrib.auth import get_user_model

    from ntm_site.accounts.choices import Role
    from ntm_site.accounts.services import user_scope_set

    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_staff": True})
    user_scope_set(user=user, role=Role.PROVINCE_COORDINATOR, unit=province)
    return user


def prepare_database(database_url: str, sheets: int, workdir: Path) -> dict:
    """Migrate, load the units, give the clerk a scope, write the workbooks. Returns file paths.

    The wide file holds `sheets` commune-years of the coordinator's province: its communes by
    code, year after year from 2011 (5,000 = the province's 453 communes over 11 years), each
    judged against the national set of its year.
    """
    setup_django(database_url)
    from django.core.management import call_command

    from divisions.models import AdministrativeUnit

    call_command("migrate", verbosity=0)
    if not AdministrativeUnit.objects.exists():
        call_command("load_divisions", edition="legacy", verbosity=0)
        call_command("load_reference_data", verbosity=0)
    province = biggest_province()
    bench_user(province)
    communes = list(
        AdministrativeUnit.objects.filter(level=3, kind="xa", edition="legacy", province=province)
        .order_by("code")
        .values_list("code", "name")
    )
    rows = [(code, name, year) for year in range(FIRST_YEAR, LAST_YEAR + 1) for code, name in communes][:sheets]
    if len(rows) < sheets:
        raise SystemExit(f"only {len(rows)} commune-years available in {province.name}")
    files = write_workbooks(rows, workdir)
    files["province"] = province.name
    return files


def write_workbooks(sheets, workdir: Path) -> dict:
    """The four files from (code, name, year) commune-years."""
    from openpyxl import Workbook

    rng = random.Random(2019)
    met, not_met = ["Đạt", "Đạt", "x", "1", "Đạt"], ["Chưa đạt", "-", "0"]
    statuses = {}
    for code, _name, year in sheets:
        statuses[code, year] = [rng.random() < 0.6 for _ in range(19)]

    def cell(ok):
        return rng.choice(met) if ok else rng.choice(not_met)

    def wide(path, flip):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Tổng hợp")
        ws.append(["ỦY BAN NHÂN DÂN TỈNH"])
        ws.append(["BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ QUỐC GIA VỀ XÃ NÔNG THÔN MỚI"])
        ws.append([])
        ws.append(["STT", "Mã xã", "Tên xã", "Năm", *[f"TC{n}" for n in range(1, 20)], "Ghi chú"])
        ws.append([f"({n})" for n in range(1, 25)])
        for i, (code, name, year) in enumerate(sheets, start=1):
            flags = statuses[code, year]
            ws.append([i, code, name, year, *[cell(f != flip) for f in flags], ""])
        ws.append(["Tổng cộng", None, None, None, *[None] * 19])
        wb.save(path)

    def long(path, limit=None, stock=False):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Danh sách")
        if stock:
            ws.append(["commune", "criterion", "year", "status"])
        else:
            ws.append(["DANH SÁCH KẾT QUẢ ĐÁNH GIÁ TIÊU CHÍ"])
            ws.append([])
            ws.append(["Mã xã", "Tên xã", "Năm", "Tiêu chí", "Kết quả"])
        n = 0
        for code, name, year in sheets:
            for number, ok in enumerate(statuses[code, year], start=1):
                if limit is not None and n >= limit:
                    break
                n += 1
                if stock:
                    ws.append([code, number, year, "dat" if ok else "chua_dat"])
                else:
                    ws.append([code, name, year, number, "Đạt" if ok else "Chưa đạt"])
        wb.save(path)

    files = {
        "wide": str(workdir / "tieu_chi_rong.xlsx"),
        "wide_update": str(workdir / "tieu_chi_rong_cap_nhat.xlsx"),
        "long": str(workdir / "tieu_chi_dai.xlsx"),
        "stock": str(workdir / "tieu_chi_stock_slice.xlsx"),
    }
    wide(files["wide"], flip=False)
    wide(files["wide_update"], flip=True)
    long(files["long"])
    long(files["stock"], limit=len(sheets) * 19 // 10, stock=True)
    return files


# --- stages (each runs in its own process) -----------------------------------------------


def _empty(models_):
    """Delete every row of these tables (TRUNCATE … CASCADE on PostgreSQL), in this order."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models_:
            if connection.vendor == "postgresql":
                cursor.execute(f'TRUNCATE TABLE "{model._meta.db_table}" CASCADE')
            else:
                cursor.execute(f'DELETE FROM "{model._meta.db_table}"')


def _reset_assessments():
    from django.db import connection

    from criteria.models import Assessment
    from ntm_site.models import ImportBatch

    models_ = [Assessment.history.model, Assessment]
    try:
        from criteria.models import CommuneYear

        models_ += [CommuneYear.history.model, CommuneYear]
    except ImportError:
        pass
    _empty(models_)
    ImportBatch.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def set_codes_by_year() -> dict[int, str]:
    """The national commune set of each year of the workload (QĐ 491, 1980, 318)."""
    from criteria.models import CriteriaSet

    return {y: CriteriaSet.objects.default_for_year(y).code for y in range(FIRST_YEAR, LAST_YEAR + 1)}


def stage_floor(path):
    from django.db import transaction
    from python_calamine import CalamineWorkbook

    from criteria.models import Assessment, Criterion
    from divisions.models import AdministrativeUnit

    has_commune_year = any(f.name == "commune_year" for f in Assessment._meta.fields)
    started = time.perf_counter()
    rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    header = next(i for i, r in enumerate(rows[:30]) if "Mã xã" in r)
    communes = dict(AdministrativeUnit.objects.filter(level=3, edition="legacy").values_list("code", "id"))
    set_of_year = {}
    criteria = {}  # (year, number) -> criterion id
    for year, code in set_codes_by_year().items():
        for set_id, number, pk in Criterion.objects.filter(criteria_set__code=code).values_list(
            "criteria_set_id", "number", "id"
        ):
            set_of_year[year] = set_id
            criteria[year, number] = pk
    status = {"Đạt": "dat", "x": "dat", "1": "dat", "Chưa đạt": "chua_dat", "-": "chua_dat", "0": "chua_dat"}
    objs, pairs = [], []
    for r in rows[header + 2 :]:
        code = r[1]
        if not code or r[0] == "Tổng cộng":
            continue
        commune_id = communes[str(code)]
        year = int(r[3])
        pairs.append((commune_id, year))
        for n in range(1, 20):
            value = r[3 + n]
            value = str(int(value)) if isinstance(value, float) else value
            objs.append(
                Assessment(commune_id=commune_id, criterion_id=criteria[year, n], year=year, status=status[value])
            )
    with transaction.atomic():
        if has_commune_year:
            from criteria.models import CommuneYear

            years = CommuneYear.objects.bulk_create(
                [CommuneYear(commune_id=c, year=y, criteria_set_id=set_of_year[y]) for c, y in pairs]
            )
            by_pair = {(cy.commune_id, cy.year): cy.pk for cy in years}
            for obj in objs:
                obj.commune_year_id = by_pair[(obj.commune_id, obj.year)]
        Assessment.objects.bulk_create(objs)
    return len(objs), time.perf_counter() - started


def wide_slug():
    """The criteria app's wide resource ("assessments-wide"; "assessments" in the engine's first cut)."""
    from ntm_site.spreadsheets.registry import all_resources

    return "assessments-wide" if "assessments-wide" in all_resources() else "assessments"


def stage_ours(path, slug, username="bench"):
    from django.contrib.auth import get_user_model

    from ntm_site.spreadsheets.registry import get_resource
    from ntm_site.spreadsheets.services import workbook_import

    user = get_user_model().objects.get(username=username)
    started = time.perf_counter()
    report = workbook_import(resource_class=get_resource(slug), file=path, user=user)
    seconds = time.perf_counter() - started
    if not report.ok:
        raise SystemExit("import failed: " + "\n".join(report.error_lines(10)))
    return report.created + report.updated, seconds, report.counts


def stage_stock(path):
    import tablib
    from import_export import fields, resources, widgets

    from criteria.models import Assessment, Criterion
    from divisions.models import AdministrativeUnit

    has_commune_year = any(f.name == "commune_year" for f in Assessment._meta.fields)

    class LegacyUnitWidget(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return AdministrativeUnit.objects.filter(edition="legacy", level=3)

    codes = set_codes_by_year()

    class CriterionWidget(widgets.ForeignKeyWidget):
        # The criterion numbered so in the national set of the row's year.
        def get_queryset(self, value, row, *args, **kwargs):
            return Criterion.objects.filter(criteria_set__code=codes[int(row["year"])])

    class StockAssessmentResource(resources.ModelResource):
        commune = fields.Field(
            attribute="commune", column_name="commune", widget=LegacyUnitWidget(AdministrativeUnit, "code")
        )
        criterion = fields.Field(
            attribute="criterion", column_name="criterion", widget=CriterionWidget(Criterion, "number")
        )

        class Meta:
            model = Assessment
            fields = ("commune", "criterion", "year", "status")
            import_id_fields = ("commune", "criterion", "year")

        def before_save_instance(self, instance, row, **kwargs):
            if has_commune_year:
                from criteria.models import CommuneYear

                instance.commune_year, _ = CommuneYear.objects.get_or_create(
                    commune=instance.commune,
                    year=instance.year,
                    defaults={"criteria_set": instance.criterion.criteria_set},
                )

    started = time.perf_counter()
    with open(path, "rb") as fh:
        dataset = tablib.Dataset().load(fh.read(), format="xlsx")
    result = StockAssessmentResource().import_data(dataset, use_transactions=True)
    seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("stock import failed")
    return len(dataset), seconds


def run_stage(args):
    setup_django(args.database_url)
    if args.stage in ("floor", "ours-fresh", "ours-long", "stock"):
        _reset_assessments()
    if args.stage in ("ind-floor", "ind-fresh"):
        _reset_indicator_results()
    extra = {}
    cpu = time.process_time()
    if args.stage == "ind-floor":
        rows, seconds = stage_indicator_floor(args.file)
    elif args.stage in ("ind-fresh", "ind-update"):
        rows, seconds, extra = stage_ours(args.file, "indicator-results-wide", NATIONAL_USER)
    elif args.stage == "floor":
        rows, seconds = stage_floor(args.file)
    elif args.stage in ("ours-fresh", "ours-update"):
        rows, seconds, extra = stage_ours(args.file, wide_slug())
    elif args.stage == "ours-long":
        rows, seconds, extra = stage_ours(args.file, "assessments-long")
    else:
        rows, seconds = stage_stock(args.file)
    cpu = time.process_time() - cpu
    out = {"rows": rows, "seconds": seconds, "cpu": cpu, "peak_mib": peak_mib(), "counts": extra}
    tables = table_counts() | (indicator_table_counts() if args.stage.startswith("ind-") else {})
    print(json.dumps({**out, "tables": tables}))


def table_counts() -> dict:
    """Rows in the tables an import writes (after the stage, outside its timing)."""
    from criteria.models import Assessment, CommuneYear

    return {
        "assessments": Assessment.objects.count(),
        "assessment history": Assessment.history.count(),
        "commune-years": CommuneYear.objects.count(),
        "commune-year history": CommuneYear.history.count(),
    }


def expected_tables(stage: str, sheets: int, stock_rows: int) -> dict:
    """What each stage must leave behind: a benchmark whose import wrote the wrong rows fails."""
    results = sheets * 19
    if stage == "floor":  # no history
        return {"assessments": results, "assessment history": 0, "commune-years": sheets, "commune-year history": 0}
    if stage == "stock":  # simple-history's signals: one "+" row per row saved
        cys = -(-stock_rows // 19)
        return {"assessments": stock_rows, "assessment history": stock_rows, "commune-years": cys}
    history = 2 * results if stage == "ours-update" else results
    return {
        "assessments": results,
        "assessment history": history,
        "commune-years": sheets,
        "commune-year history": sheets,
    }


def check_rows(stage: str, result: dict, sheets: int, stock_rows: int) -> list[str]:
    """Differences between the rows a stage wrote and those it had to write."""
    problems = []
    written = {"floor": sheets * 19, "stock": stock_rows}.get(stage, sheets * 19)
    if result["rows"] != written:
        problems.append(f"{stage}: {result['rows']} rows imported, {written} expected")
    counts = result.get("counts") or {}
    if stage in ("ours-fresh", "ours-long") and counts.get("new") != sheets * 19:
        problems.append(f"{stage}: {counts.get('new')} new results reported, {sheets * 19} expected")
    if stage == "ours-update" and counts.get("updated") != sheets * 19:
        problems.append(f"{stage}: {counts.get('updated')} updated results reported, {sheets * 19} expected")
    for table, want in expected_tables(stage, sheets, stock_rows).items():
        if result["tables"][table] != want:
            problems.append(f"{stage}: {result['tables'][table]} rows in {table}, {want} expected")
    return problems


# --- the 2026 indicator sheet (issue 16: QĐ 51/2025, 47 indicators, targets per commune group) ----------

INDICATOR_YEAR = 2026
INDICATOR_SET = "qd-51-2025-xa"
# The indicators and their targets per commune group: the demo's workbook, ILLUSTRATIVE (seeds/README.md),
# loaded through the criteria-sets template as a province would load the official Annex I.
INDICATOR_WORKBOOK = ROOT / "seeds" / "data" / "31_criteria-sets.xlsx"
INDICATOR_SMOKE_COMMUNES = 100
NATIONAL_USER = "bench-national"
GROUP_SHARES = (("nhom_1", 0.15), ("nhom_3", 0.30), ("nhom_2", 1.0))  # the rest: nhóm 2


def national_user():
    """The importing clerk of the 2026 sheet: the national office (a superuser; the whole country's communes)."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username=NATIONAL_USER, defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def prepare_indicators(database_url: str, communes: int, workdir: Path) -> dict:
    """The 2025 map's units, the illustrative QĐ 51 indicators, a group for every rural commune, two workbooks.

    `communes` rural communes of the 2025 map (0: all of them, by code), each one row of the 2026 sheet.
    """
    setup_django(database_url)
    from django.core.management import call_command

    from criteria.models import CommuneClassification, CriteriaSet, Indicator
    from divisions.models import AdministrativeUnit
    from ntm_site.spreadsheets.registry import get_resource
    from ntm_site.spreadsheets.services import workbook_import

    call_command("migrate", verbosity=0)
    if not AdministrativeUnit.objects.filter(edition="2025").exists():
        call_command("load_divisions", verbosity=0)  # both editions (the legacy one unchanged if there) and lineage
    if not CriteriaSet.objects.filter(code=INDICATOR_SET).exists():
        call_command("load_reference_data", verbosity=0)
    user = national_user()
    if not Indicator.objects.filter(criterion__criteria_set__code=INDICATOR_SET).exists():
        report = workbook_import(resource_class=get_resource("criteria-sets"), file=str(INDICATOR_WORKBOOK), user=user)
        if not report.ok:
            raise SystemExit("criteria-sets workbook refused: " + "\n".join(report.error_lines(10)))
    rural = list(
        AdministrativeUnit.objects.filter(level=3, edition="2025", kind="xa")
        .order_by("code")
        .values_list("pk", "code", "name")
    )
    rng = random.Random(2026)
    grouped = set(CommuneClassification.objects.in_force(INDICATOR_YEAR).values_list("commune_id", flat=True))
    missing = []
    for pk, _code, _name in rural:
        if pk in grouped:
            continue
        draw = rng.random()
        group = next(g for g, share in GROUP_SHARES if draw < share)
        missing.append(
            CommuneClassification(
                commune_id=pk, group=group, valid_from_year=INDICATOR_YEAR, basis="Phân nhóm minh họa (benchmark)"
            )
        )
    CommuneClassification.objects.bulk_create(missing)
    sheets = rural[:communes] if communes else rural
    files = write_indicator_workbooks(sheets, workdir)
    files["rural communes"] = len(rural)
    return files


def _indicator_plan():
    """(id, code, criterion number, value type, comparison) of the set's indicators in order, and their targets."""
    from criteria.models import Indicator, IndicatorTarget

    indicators = list(
        Indicator.objects.filter(criterion__criteria_set__code=INDICATOR_SET)
        .order_by("criterion__number", "position", "code")
        .values_list("pk", "code", "criterion__number", "value_type", "comparison")
    )
    targets = {
        (i, g): v
        for i, g, v in IndicatorTarget.objects.filter(indicator_id__in=[i[0] for i in indicators]).values_list(
            "indicator_id", "commune_group", "value"
        )
    }
    return indicators, targets


def _meets(kind, comparison, value, target) -> bool:
    """The bench's own reading of the rule (≥, ≤, =, yes/no), to know the statuses the import must derive."""
    from decimal import Decimal

    if kind == "bool":
        return bool(value)
    if target is None:
        return False
    value, target = Decimal(str(value)), Decimal(target)
    return {"gte": value >= target, "lte": value <= target, "eq": value == target}[comparison]


def write_indicator_workbooks(sheets, workdir: Path) -> dict:
    """The 2026 sheet of `sheets` (pk, code, name), as clerks keep it, and the same with every value changed.

    Values as typed: "Đạt", "x", "1", "Chưa đạt", "-" for yes/no; "85%", "85,5", 85 for percents; "3", 3
    for numbers. Returns the paths and what the imports must leave behind (criteria whose status changes).
    """
    from openpyxl import Workbook

    from criteria.models import CommuneClassification

    indicators, targets = _indicator_plan()
    if len(indicators) != 47:
        raise SystemExit(f"{INDICATOR_SET}: {len(indicators)} indicators, 47 expected")
    groups = CommuneClassification.objects.groups_in_year(INDICATOR_YEAR)
    rng = random.Random(51)
    yes, no = ["Đạt", "Đạt", "x", "1", "Đạt"], ["Chưa đạt", "-", "0"]

    def typed(kind, value):
        if kind == "bool":
            return rng.choice(yes if value else no)
        if kind == "percent":
            shown = f"{value:g}".replace(".", ",")
            return rng.choice([f"{shown}%", shown, value if value >= 1 else shown, f"{shown} %"])
        return rng.choice([str(int(value)), int(value)])

    fresh, update = {}, {}  # (pk, indicator index) -> value
    for pk, _code, _name in sheets:
        for n, (_id, _c, _number, kind, _cmp) in enumerate(indicators):
            target = targets.get((_id, groups[pk]))
            if kind == "bool":
                a = rng.random() < 0.8
                b = not a
            elif kind == "percent":
                goal = float(target or 80)
                a = round(min(100.0, max(1.0, rng.uniform(goal - 8, goal + 12))), 1)
                step = round(rng.uniform(0.5, 6), 1)
                b = round(a - step if a + step > 100 else a + step * rng.choice([1, -1]), 1)
                b = b if 1 <= b <= 100 and b != a else round(a - 0.5 if a > 1.5 else a + 0.5, 1)
            else:
                goal = int(target or 3)
                a = max(0, goal + rng.randint(-2, 3))
                b = a + 1 if a == 0 or rng.random() < 0.5 else a - 1
            fresh[pk, n], update[pk, n] = a, b

    def criteria_statuses(values):
        out = {}
        for pk, _code, _name in sheets:
            for n, (_id, _c, number, kind, cmp) in enumerate(indicators):
                ok = _meets(kind, cmp, values[pk, n], targets.get((_id, groups[pk])))
                out[pk, number] = out.get((pk, number), True) and ok
        return out

    before, after = criteria_statuses(fresh), criteria_statuses(update)

    def wide(path, values):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Tổng hợp")
        ws.append(["ỦY BAN NHÂN DÂN TỈNH"])
        ws.append([f"BẢNG TỔNG HỢP KẾT QUẢ CÁC CHỈ TIÊU NÔNG THÔN MỚI NĂM {INDICATOR_YEAR} (SỐ LIỆU MINH HỌA)"])
        ws.append([])
        ws.append(["STT", "Mã xã", "Tên xã", "Năm", *[i[1] for i in indicators], "Ghi chú"])
        ws.append([f"({n})" for n in range(1, len(indicators) + 6)])
        for row, (pk, code, name) in enumerate(sheets, start=1):
            cells = [typed(kind, values[pk, n]) for n, (_i, _c, _num, kind, _cmp) in enumerate(indicators)]
            ws.append([row, code, name, INDICATOR_YEAR, *cells, ""])
        ws.append(["Tổng cộng", None, None, None, *[None] * len(indicators)])
        wb.save(path)

    files = {
        "ind_wide": str(workdir / "chi_tieu_2026.xlsx"),
        "ind_wide_update": str(workdir / "chi_tieu_2026_cap_nhat.xlsx"),
    }
    wide(files["ind_wide"], fresh)
    wide(files["ind_wide_update"], update)
    files["sheets"] = len(sheets)
    files["indicators"] = len(indicators)
    files["criteria"] = len({i[2] for i in indicators})
    files["criteria changed"] = sum(1 for key in before if before[key] != after[key])
    return files


def _reset_indicator_results():
    """Empty the 2026 tables (results and their history) and the criteria tables the stages write."""
    from criteria.models import IndicatorResult

    _empty([IndicatorResult.history.model, IndicatorResult])
    _reset_assessments()


def stage_indicator_floor(path):
    """calamine read, keys from in-memory dicts, bulk_create of the commune-years and results; no history, no checks."""
    from decimal import Decimal

    from django.db import transaction
    from python_calamine import CalamineWorkbook

    from criteria.models import CommuneClassification, CommuneYear, CriteriaSet, IndicatorResult
    from divisions.models import AdministrativeUnit

    started = time.perf_counter()
    rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    header = next(i for i, r in enumerate(rows[:30]) if "Mã xã" in r)
    head = rows[header]
    set_id = CriteriaSet.objects.get(code=INDICATOR_SET).pk
    communes = dict(AdministrativeUnit.objects.filter(level=3, edition="2025").values_list("code", "id"))
    groups = CommuneClassification.objects.groups_in_year(INDICATOR_YEAR)
    indicators, targets = _indicator_plan()
    by_code = {code: (pk, kind, cmp) for pk, code, _number, kind, cmp in indicators}
    columns = [(pos, *by_code[str(name)]) for pos, name in enumerate(head) if str(name) in by_code]
    words = {"Đạt": True, "x": True, "1": True, "Chưa đạt": False, "-": False, "0": False}
    cent = Decimal("0.01")
    sheets, objs = [], []
    for r in rows[header + 2 :]:
        code = r[1]
        if not code or r[0] == "Tổng cộng":
            continue
        commune_id = communes[str(code)]
        group = groups[commune_id]
        sheets.append(CommuneYear(commune_id=commune_id, year=int(r[3]), criteria_set_id=set_id))
        for pos, pk, kind, cmp in columns:
            value = r[pos]
            number, flag = None, None
            if kind == "bool":
                flag = words[str(int(value)) if isinstance(value, float) else value]
                met = flag
            else:
                text = value if isinstance(value, str) else repr(value)
                number = Decimal(text.rstrip("% ").replace(",", ".")).quantize(cent)
                met = _meets(kind, cmp, number, targets.get((pk, group)))
            objs.append(
                IndicatorResult(
                    commune_year_id=len(sheets) - 1,
                    indicator_id=pk,
                    value_number=number,
                    value_bool=flag,
                    commune_group=group,
                    status="dat" if met else "chua_dat",
                )
            )
    with transaction.atomic():
        created = CommuneYear.objects.bulk_create(sheets)
        for obj in objs:
            obj.commune_year_id = created[obj.commune_year_id].pk
        IndicatorResult.objects.bulk_create(objs)
    return len(objs), time.perf_counter() - started


def indicator_table_counts() -> dict:
    """Rows in the tables the 2026 import writes (after the stage, outside its timing)."""
    from criteria.models import IndicatorResult

    return {"indicator results": IndicatorResult.objects.count(), "result history": IndicatorResult.history.count()}


def expected_indicator_tables(stage: str, plan: dict) -> dict:
    """What each 2026 stage must leave: ours one "+" per result, commune-year and criterion, one "~" per change."""
    sheets, results, criteria = plan["sheets"], plan["sheets"] * plan["indicators"], plan["sheets"] * plan["criteria"]
    if stage == "ind-floor":  # no history, no criteria derived
        return {
            "indicator results": results,
            "result history": 0,
            "commune-years": sheets,
            "commune-year history": 0,
            "assessments": 0,
            "assessment history": 0,
        }
    update = stage == "ind-update"
    return {
        "indicator results": results,
        "result history": 2 * results if update else results,
        "commune-years": sheets,
        "commune-year history": sheets,
        "assessments": criteria,
        "assessment history": criteria + (plan["criteria changed"] if update else 0),
    }


def check_indicator_rows(stage: str, result: dict, plan: dict) -> list[str]:
    problems = []
    results = plan["sheets"] * plan["indicators"]
    if result["rows"] != results:
        problems.append(f"{stage}: {result['rows']} results imported, {results} expected")
    counts = result.get("counts") or {}
    want = {"ind-fresh": ("new", results), "ind-update": ("updated", results)}.get(stage)
    if want and counts.get(want[0]) != want[1]:
        problems.append(f"{stage}: {counts.get(want[0])} {want[0]} results reported, {want[1]} expected")
    for table, n in expected_indicator_tables(stage, plan).items():
        if result["tables"][table] != n:
            problems.append(f"{stage}: {result['tables'][table]} rows in {table}, {n} expected")
    return problems


def bench_indicators(label, database_url, communes, workdir, repeat=1, smoke=False):
    """The 2026 wide indicator import of the 2025 map's rural communes: floor, ours fresh, ours update."""
    print(f"\n== {label}, 2026 indicator sheet: preparing (2025 map, QĐ 51 indicators, commune groups)…", flush=True)
    plan = prepared("--prepare-indicators", database_url, "--indicator-communes", communes, workdir)
    results_n = plan["sheets"] * plan["indicators"]
    print(
        f"   {plan['sheets']} of the {plan['rural communes']} rural communes of the 2025 map × {plan['indicators']}"
        f" indicators = {results_n} results ({INDICATOR_YEAR}), imported by the national office",
        flush=True,
    )
    stages = [("ind-floor", "ind_wide"), ("ind-fresh", "ind_wide"), ("ind-update", "ind_wide_update")]
    problems, best = [], {}
    for _round in range(repeat):
        for stage, file in stages:
            r = child(stage, database_url, plan[file])
            problems += check_indicator_rows(stage, r, plan)
            if stage not in best or r["seconds"] < best[stage]["seconds"]:
                best[stage] = r
            print_stage(stage, r)
    floor = best["ind-floor"]
    summary = {
        "2026 fresh/floor": best["ind-fresh"]["seconds"] / floor["seconds"],
        "2026 update/floor": best["ind-update"]["seconds"] / floor["seconds"],
        "2026 fresh/floor (cpu)": best["ind-fresh"]["cpu"] / floor["cpu"],
        "2026 update/floor (cpu)": best["ind-update"]["cpu"] / floor["cpu"],
        "2026 peak MiB (ours)": max(best[s]["peak_mib"] for s in ("ind-fresh", "ind-update")),
    }
    for key, value in summary.items():
        print(f"   {key:<26} {value:8.2f}")
    for problem in problems:
        print("   WRONG ROWS:", problem, flush=True)
    if smoke:
        print("   smoke run: row counts", "right" if not problems else "WRONG", "(timings not judged)", flush=True)
        return not problems
    ok = (
        summary["2026 fresh/floor"] <= TARGET_FLOOR_RATIO
        and summary["2026 update/floor"] <= TARGET_FLOOR_RATIO
        and summary["2026 peak MiB (ours)"] < TARGET_PEAK_MIB
    )
    print("   targets (≤ 2.0× floor, < 400 MiB):", "met" if ok else "MISSED", flush=True)
    return ok and not problems


# --- the driver ------------------------------------------------------------------------


def prepared(flag, database_url, size_flag, size, workdir) -> dict:
    """Run a preparing step (`--prepare`, `--prepare-indicators`) in its own process; what it printed last."""
    prep = subprocess.run(
        [sys.executable, __file__, flag, "--database-url", database_url]
        + [size_flag, str(size), "--workdir", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(prep.stdout.strip().splitlines()[-1])


def print_stage(stage, r):
    print(
        f"   {stage:<12} {r['rows']:>7} rows {r['seconds']:>8.2f} s (cpu {r['cpu']:>6.2f} s)"
        f" {r['rows'] / r['seconds']:>8.0f} rows/s  peak {r['peak_mib']:>4.0f} MiB",
        flush=True,
    )


def child(stage, database_url, file):
    out = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--database-url", database_url, "--file", file],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def pg_bench_url(url: str, suffix: str = "_bench") -> str:
    """The PostgreSQL URL with its database renamed *_bench (created if missing); the suite's DB is untouched."""
    from urllib.parse import urlparse, urlunparse

    import psycopg

    parsed = urlparse(url)
    name = (parsed.path.lstrip("/") or "ntm") + suffix
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path="/" + name))


def bench_backend(label, database_url, communes, workdir, repeat=1, smoke=False):
    print(f"\n== {label}: preparing (units, criteria set, workbooks)…", flush=True)
    files = prepared("--prepare", database_url, "--communes", communes, workdir)
    print(f"   {communes} commune-years of {files.pop('province')}, imported by its coordinator", flush=True)
    stock_rows = communes * 19 // 10
    problems = []
    plan = [("floor", "wide"), ("ours-fresh", "wide"), ("ours-update", "wide_update"), ("ours-long", "long")]
    results = {}
    for round_ in range(repeat):
        for stage, file in plan + ([("stock", "stock")] if round_ == 0 else []):
            r = child(stage, database_url, files[file])
            problems += check_rows(stage, r, communes, stock_rows)
            best = results.get(stage)
            if best is None or r["seconds"] < best["seconds"]:
                results[stage] = r
            print_stage(stage, r)
    full_rows = results["floor"]["rows"]
    stock_rate = results["stock"]["rows"] / results["stock"]["seconds"]
    stock_scaled = full_rows / stock_rate
    floor_s = results["floor"]["seconds"]
    summary = {
        "fresh/floor": results["ours-fresh"]["seconds"] / floor_s,
        "update/floor": results["ours-update"]["seconds"] / floor_s,
        "long/floor": results["ours-long"]["seconds"] / floor_s,
        "fresh/floor (cpu)": results["ours-fresh"]["cpu"] / results["floor"]["cpu"],
        "update/floor (cpu)": results["ours-update"]["cpu"] / results["floor"]["cpu"],
        "speedup vs stock (fresh)": stock_scaled / results["ours-fresh"]["seconds"],
        "speedup vs stock (update)": stock_scaled / results["ours-update"]["seconds"],
        "peak MiB (ours)": max(results[s]["peak_mib"] for s in ("ours-fresh", "ours-update", "ours-long")),
    }
    print(f"   best of {repeat}; stock scaled to {full_rows} rows: {stock_scaled:.1f} s ({stock_rate:.0f} rows/s)")
    for key, value in summary.items():
        print(f"   {key:<26} {value:8.2f}")
    ok = (
        summary["fresh/floor"] <= TARGET_FLOOR_RATIO
        and summary["update/floor"] <= TARGET_FLOOR_RATIO
        and summary["speedup vs stock (fresh)"] >= TARGET_STOCK_SPEEDUP
        and summary["speedup vs stock (update)"] >= TARGET_STOCK_SPEEDUP
        and summary["peak MiB (ours)"] < TARGET_PEAK_MIB
    )
    for problem in problems:
        print("   WRONG ROWS:", problem, flush=True)
    if smoke:
        print("   smoke run: row counts", "right" if not problems else "WRONG", "(timings not judged)", flush=True)
        return not problems
    print("   targets (≤ 2.0× floor, ≥ 30× stock, < 400 MiB):", "met" if ok else "MISSED", flush=True)
    return ok and not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communes", type=int, default=5000, help="commune-years (rows) of the wide file")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI: 300 commune-years, one run, checks the rows written, not the timings",
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each stage (the best is kept; stock runs once)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (workbooks, SQLite file)")
    parser.add_argument(
        "--stages",
        default="criteria,indicators",
        help="criteria (the 19-criteria workbook: floor, ours, long, stock) and/or indicators (the 2026 sheet)",
    )
    parser.add_argument(
        "--indicator-communes",
        type=int,
        default=0,
        help="rows of the 2026 sheet: the first N rural communes of the 2025 map by code (0: every one)",
    )
    parser.add_argument("--stage")
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--prepare-indicators", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--file")
    parser.add_argument("--workdir")
    args = parser.parse_args()
    if args.stage:
        return run_stage(args)
    if args.prepare:
        files = prepare_database(args.database_url, args.communes, Path(args.workdir))
        print(json.dumps(files))
        return None
    if args.prepare_indicators:
        files = prepare_indicators(args.database_url, args.indicator_communes, Path(args.workdir))
        print(json.dumps(files))
        return None

    if args.smoke:
        args.communes, args.repeat = 300, 1
        args.indicator_communes = args.indicator_communes or INDICATOR_SMOKE_COMMUNES
    stages = {s.strip() for s in args.stages.split(",")}
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load {load}")
    workdir = Path(tempfile.mkdtemp(prefix="ntm_bench_"))
    ok = True
    try:
        backends = [b.strip() for b in args.backends.split(",")]
        if "sqlite" in backends:
            sqlite_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            if "criteria" in stages:
                ok &= bench_backend("SQLite", sqlite_url, args.communes, workdir, args.repeat, args.smoke)
            if "indicators" in stages:
                ok &= bench_indicators("SQLite", sqlite_url, args.indicator_communes, workdir, args.repeat, args.smoke)
        if "postgresql" in backends:
            url = os.environ.get("DATABASE_URL", "")
            if url.startswith("postgres"):
                suffix = "_smoke_bench" if args.smoke else "_bench"
                pg_url = pg_bench_url(url, suffix)
                if "criteria" in stages:
                    ok &= bench_backend("PostgreSQL", pg_url, args.communes, workdir, args.repeat, args.smoke)
                if "indicators" in stages:
                    ok &= bench_indicators(
                        "PostgreSQL", pg_url, args.indicator_communes, workdir, args.repeat, args.smoke
                    )
            else:
                print("\n(PostgreSQL skipped: set DATABASE_URL=postgres://… to include it)")
    finally:
        if args.keep:
            print(f"\nKept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main() or 0)
