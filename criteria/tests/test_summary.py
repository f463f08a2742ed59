"""The sheet summary (criteria.summary) stays exact after every kind of write, and the figures that read it are
those of a recomputation from the raw rows (criteria.tests.naive).

Each test writes one way (admin sheet, single result, indicator sheet page, import, approval, recognition,
restore of a deletion, scope move, unit lineage, plain SQL), then compares the whole summary, the standard of
every commune concerned on several days, and the criteria reports' figures with the naive recomputation.
"""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from criteria import summary
from criteria.approval import commune_year_approve, commune_year_reopen, commune_year_submit, commune_year_verify
from criteria.choices import ApprovalStatus, AssessmentStatus, RecognitionAction
from criteria.models import Assessment, CommuneYear, CommuneYearSummary, CriteriaSet, Criterion, Recognition
from criteria.resources import AssessmentWideResource
from criteria.selectors import day_for_year, reached_standard_on
from criteria.tests.factories import KY_BAC, KY_PHU, KY_TIEN, KY_XUAN, criteria_set, sheet, unit
from criteria.tests.naive import World
from criteria.tests.test_admin import formset_data, sheet_url
from criteria.tests.test_imports import ALL_MET, wide
from divisions.models import AdministrativeUnit, UnitSuccession
from ntm_site.spreadsheets.services import workbook_import
from reports import registry
from reports.formatting import round_half_up

pytestmark = pytest.mark.django_db
D = datetime.date
ALL = "1" * 19
DAYS = [D(2016, 12, 31), D(2017, 12, 31), D(2019, 6, 30), D(2024, 12, 31), D(2025, 6, 30), D(2026, 12, 4)]


def _successor(code):
    return UnitSuccession.objects.get(predecessor=unit(code), is_main=True).successor


@pytest.fixture
def world(db):
    """Sheets of four Kỳ Anh communes over several years, some approved, and one of the 2025 commune they became."""
    sheets = {
        "tien_2016": sheet(KY_TIEN, 2016, "1" * 18 + "0", approved=True),
        "tien_2017": sheet(KY_TIEN, 2017, ALL, approved=True),
        "tien_2019": sheet(KY_TIEN, 2019, "1" * 17 + "00"),
        "xuan_2017": sheet(KY_XUAN, 2017, "111111-111111111111", approved=True),
        "phu_2017": sheet(KY_PHU, 2017, "1111000000........."),
        "bac_2024": sheet(KY_BAC, 2024, ALL, "qd-318-xa", approved=True),
        "bac_2025": sheet(KY_BAC, 2025, "1" * 18 + "0", "qd-318-xa"),
    }
    assert_exact()
    return sheets


def _communes():
    """The communes whose standard the checks compare: those with sheets or recognitions, and their successors."""
    ids = set(CommuneYear.objects.values_list("commune_id", flat=True))
    ids |= set(Recognition.objects.values_list("commune_id", flat=True))
    ids |= set(
        UnitSuccession.objects.filter(predecessor__in=list(ids), is_main=True).values_list("successor", flat=True)
    )
    return ids


def assert_exact(days=DAYS):
    """The summary is what the raw rows give, and so is every commune's standard on each of `days`, read the way
    the reports read it (by commune, and by sheet for its year)."""
    world = World()
    assert world.summary_problems() == []
    assert summary.stale() == []
    communes = _communes()
    for day in days:
        stored = set(
            AdministrativeUnit.objects.filter(pk__in=communes)
            .filter(reached_standard_on(day))
            .values_list("pk", flat=True)
        )
        assert stored == {c for c in communes if world.reached(c, day)}, day
    for year in sorted({s.year for s in world.sheets.values()}):
        on = day_for_year(year)
        rows = CommuneYear.objects.filter(year=year).with_figures(on).values_list("pk", "commune_id", "met", "reached")
        for pk, commune_id, met, reached in rows:
            assert met == world.counts(pk)["met"]
            assert reached == world.reached(commune_id, on), (pk, year)
    return world


def assert_reports_exact(year, user=None, communes=None):
    """The criteria summary and matrix of `year` (as `user` reads them) are the naive figures over the national
    sheets of that year with results (of `communes` when the user sees only those)."""
    world = World()
    on = day_for_year(year)
    sheets = [
        s
        for s in world.sheets.values()
        if s.year == year
        and world.sets[s.criteria_set_id].is_national
        and world.sets[s.criteria_set_id].level == "xa"
        and world.counts(s.pk)["assessed"]
        and (communes is None or s.commune_id in communes)
    ]
    result = registry.get("criteria-summary").run({"year": str(year)}, user=user)
    totals = result.totals
    assert totals["communes"] == len(sheets)
    met = [world.counts(s.pk)["met"] for s in sheets]
    assert totals["average_met"] == (float(round_half_up(sum(met) / len(met))) if met else None)
    assert totals["reached"] == sum(world.reached(s.commune_id, on) for s in sheets)
    assert totals["all_met"] == sum(m >= world.size(s.criteria_set_id) for m, s in zip(met, sheets, strict=True))
    rates = {}
    for s in sheets:
        for a in world.results[s.pk]:
            key = world.criteria[a.criterion_id].number
            assessed, got = rates.get(key, (0, 0))
            rates[key] = (assessed + 1, got + (a.status in ("dat", "khong_ap_dung")))
    assert {r["number"]: (r["assessed"], r["met"]) for r in result.rows} == rates
    shown = [r["rate"] for r in result.rows]
    assert shown == sorted(shown)
    matrix = registry.get("criteria-matrix").run({"year": str(year)}, user=user)
    by_code = {r["code"]: r for r in matrix.rows}
    for s in sheets:
        row = by_code[AdministrativeUnit.objects.get(pk=s.commune_id).code]
        statuses = {world.criteria[a.criterion_id].number: a.status for a in world.results[s.pk]}
        assert {n: row.get(f"tc{n}") for n in statuses} == statuses
        assert row["met"] == world.counts(s.pk)["met"]
        assert row["reached"] == world.reached(s.commune_id, on)


# --- every kind of write ------------------------------------------------------------------------


def test_saving_the_sheet_page_keeps_it_exact(admin_client, world):
    page = admin_client.get(sheet_url(world["tien_2019"]))
    data = formset_data(page)
    lines = page.context["inline_admin_formsets"][0].formset.forms
    for line in lines:
        if line.instance.criterion.number in (18, 19):
            data[f"{line.prefix}-status"] = AssessmentStatus.MET
    assert admin_client.post(sheet_url(world["tien_2019"]), data).status_code == 302
    assert CommuneYearSummary.objects.get(pk=world["tien_2019"].pk).met == 19
    # A blank line filled in: a result added.
    page = admin_client.get(sheet_url(world["phu_2017"]))
    data = formset_data(page)
    blank = next(f for f in page.context["inline_admin_formsets"][0].formset.forms if f.instance.pk is None)
    data[f"{blank.prefix}-status"] = AssessmentStatus.NOT_APPLICABLE
    assert admin_client.post(sheet_url(world["phu_2017"]), data).status_code == 302
    assert CommuneYearSummary.objects.get(pk=world["phu_2017"].pk).assessed == 11
    assert_exact()
    assert_reports_exact(2017)
    assert_reports_exact(2019)


def test_a_single_result_saved_on_its_own_page_keeps_it_exact(admin_client, world):
    criterion = criteria_set().criteria.get(number=12)
    response = admin_client.post(
        reverse("admin:criteria_assessment_add"),
        {"commune": unit(KY_PHU).pk, "criterion": criterion.pk, "year": 2017, "status": AssessmentStatus.MET},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CommuneYearSummary.objects.get(pk=world["phu_2017"].pk).met == 5
    assert_exact()


def test_the_indicator_sheet_page_keeps_it_exact(admin_client, world):
    from criteria.tests.indicator_helpers import classify, commune_2025, load_demo_set
    from criteria.tests.test_indicator_sheet_page import _post_data

    load_demo_set()
    commune = commune_2025()
    classify(commune, "nhom_2")
    cy = CommuneYear.objects.create(commune=commune, year=2026)
    url = reverse("admin:criteria_communeyear_change", args=[cy.pk])
    data = _post_data(admin_client.get(url).content.decode())
    for key in [k for k in data if k.endswith("-value")][:12]:
        data[key] = "100%"
    assert admin_client.post(url, {**data, "_continue": "1"}).status_code == 302
    assert Assessment.objects.filter(commune_year=cy).exists()
    assert_exact()


def test_an_import_creating_then_changing_results_keeps_it_exact(superuser, world):
    first = workbook_import(
        resource_class=AssessmentWideResource,
        file=wide(["18769", "Kỳ Tiến", 2018, *ALL_MET], ["18763", "Kỳ Phú", 2017, *["Đạt"] * 12, *[""] * 7]),
        user=superuser,
    )
    assert first.ok, first.error_lines()
    assert CommuneYearSummary.objects.get(pk=world["phu_2017"].pk).met == 12
    changed = workbook_import(
        resource_class=AssessmentWideResource,
        file=wide(["18769", "Kỳ Tiến", 2018, *["Chưa đạt"] * 5, *ALL_MET[5:]]),
        user=superuser,
    )
    assert changed.ok and changed.updated == 5, changed.error_lines()
    assert_exact()
    assert_reports_exact(2017)
    assert_reports_exact(2018)


def test_approving_and_reopening_a_sheet_keeps_it_exact(superuser, world):
    tien = world["tien_2019"]
    Assessment.objects.filter(commune_year=tien).update(status=AssessmentStatus.MET)
    for step in (commune_year_submit, commune_year_verify, commune_year_approve):
        step(commune_year=tien, user=superuser)
    assert CommuneYearSummary.objects.get(pk=tien.pk).approved_year == 2019
    world_after = assert_exact()
    assert world_after.reached(unit(KY_TIEN).pk, D(2019, 12, 31))
    commune_year_reopen(commune_year=tien, user=superuser, reason="Rà soát lại tiêu chí 17")
    assert CommuneYearSummary.objects.get(pk=tien.pk).approved_year == 2017
    assert_exact()
    assert_reports_exact(2019)


def test_recognitions_and_revocations_keep_the_figures_exact(world):
    def decide(code, day, action, set_code="qd-1980-xa"):
        Recognition.objects.create(
            commune=unit(code),
            criteria_set=criteria_set(set_code),
            action=action,
            decision_number=f"{day:%Y%m%d}-{action}",
            decision_date=day,
            year=day.year,
        )

    decide(KY_XUAN, D(2018, 3, 1), RecognitionAction.RECOGNISE)
    decide(KY_TIEN, D(2019, 5, 1), RecognitionAction.REVOKE)
    decide(KY_PHU, D(2017, 8, 1), RecognitionAction.RECOGNISE)
    decide(KY_PHU, D(2019, 1, 10), RecognitionAction.REVOKE)
    assert_exact()
    assert_reports_exact(2017)
    assert_reports_exact(2019)


def test_restoring_a_deleted_sheet_keeps_it_exact(superuser, world):
    from ntm_site.accounts.restore import restore_deleted

    gone = world["tien_2019"]  # a draft: an approved sheet is read-only until reopened
    pk = gone.pk
    gone.delete()
    assert not CommuneYearSummary.objects.filter(pk=pk).exists()
    assert_exact()
    record = CommuneYear.history.filter(id=pk, history_type="-").latest("history_id")
    restore_deleted(record=record, user=superuser)
    assert CommuneYearSummary.objects.get(pk=pk).met == 17
    assert_exact()
    assert_reports_exact(2019)
    # An approved sheet deleted (by the database's own cascade of its results) moves the commune's standing back.
    world["tien_2017"].delete()
    assert CommuneYearSummary.objects.get(pk=pk).approved_year == 2016
    assert_exact()


def test_a_scope_moved_to_the_new_map_reads_exact_figures(client, django_user_model, world):
    from divisions.moves import user_scope_moves, user_scopes_move
    from ntm_site.accounts.choices import Role
    from ntm_site.accounts.services import user_scope_set

    clerk = django_user_model.objects.create_user("xa-ky-bac", password="mat-khau-dai-123", is_staff=True)
    user_scope_set(user=clerk, role=Role.COMMUNE_CLERK, unit=unit(KY_BAC))
    successor = _successor(KY_BAC)
    sheet(successor, 2026, "1" * 10, "qd-51-2025-xa")
    done, refused = user_scopes_move(moves=user_scope_moves(scopes=[clerk.ntm_scope]))
    assert done and not refused
    clerk.refresh_from_db()
    assert clerk.ntm_scope.unit == successor
    assert_exact()
    assert_reports_exact(2026, user=clerk, communes={successor.pk})


def test_a_unit_lineage_added_by_hand_keeps_the_figures_exact(world):
    # An older commune (2016–2019) merged into Xã Kỳ Tiến on 01/01/2020, recognised before.
    older = AdministrativeUnit.objects.create(
        code="99901",
        name="Xã Kỳ Cũ",
        kind="xa",
        level=3,
        parent=unit(KY_TIEN).parent,
        province=unit(KY_TIEN).province,
        edition="legacy",
        valid_from=D(2010, 1, 1),
        valid_to=D(2019, 12, 31),
    )
    Recognition.objects.create(
        commune=older,
        criteria_set=criteria_set(),
        action=RecognitionAction.RECOGNISE,
        decision_number="12/QĐ-UBND",
        decision_date=D(2018, 6, 1),
        year=2018,
    )
    UnitSuccession.objects.create(
        predecessor=older, successor=unit(KY_TIEN), effective_date=D(2020, 1, 1), is_main=True
    )
    assert_exact(DAYS + [D(2020, 6, 30)])
    assert_reports_exact(2019)


def test_writes_in_plain_sql_and_bulk_keep_it_exact(world):
    tien = world["tien_2016"]
    # QuerySet.update (no signals), bulk_create, a cascade, raw SQL.
    Assessment.objects.filter(commune_year=tien, criterion__number=19).update(status=AssessmentStatus.MET)
    assert CommuneYearSummary.objects.get(pk=tien.pk).met == 19
    criteria = {c.number: c for c in criteria_set().criteria.all()}
    empty = CommuneYear.objects.create(commune=unit(KY_PHU), year=2016, criteria_set=criteria_set())
    Assessment.objects.bulk_create(
        Assessment(commune_year=empty, commune=empty.commune, year=2016, criterion=criteria[n], status="dat")
        for n in range(1, 8)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE criteria_assessment SET status = %s WHERE commune_year_id = %s AND year = 2016",
            [AssessmentStatus.NOT_APPLICABLE, empty.pk],
        )
    assert CommuneYearSummary.objects.get(pk=empty.pk).not_applicable == 7
    world["phu_2017"].delete()
    CommuneYear.objects.filter(pk=world["xuan_2017"].pk).update(approval_status=ApprovalStatus.DRAFT)
    assert_exact()


def test_a_changed_set_or_criterion_keeps_it_exact(world):
    # A sheet moved to another set: its results fall outside it.
    other = CriteriaSet.objects.create(code="tinh-thu", name="Bộ thử", valid_from_year=2016, is_national=False)
    CommuneYear.objects.filter(pk=world["phu_2017"].pk).update(criteria_set=other)
    assert CommuneYearSummary.objects.get(pk=world["phu_2017"].pk).outside_set == 10
    assert_exact()
    # A criterion added to the 2016–2020 set: a sheet that met 19 of 19 no longer meets all.
    Criterion.objects.create(criteria_set=criteria_set(), number=20, name="Tiêu chí thêm")
    assert_exact()
    assert not World().reached(unit(KY_TIEN).pk, D(2017, 12, 31))
    # A criterion renumbered, and a set that stops being a basic commune set.
    Criterion.objects.filter(criteria_set=criteria_set(), number=20).update(number=21)
    CriteriaSet.objects.filter(code="qd-318-xa").update(level="xa_nang_cao")
    assert_exact()


# --- rebuilding -------------------------------------------------------------------------------


def _rows():
    return list(CommuneYearSummary.objects.order_by("pk").values())


def test_the_rebuild_command_reproduces_the_summary(world, capsys):
    kept = _rows()
    CommuneYearSummary.objects.filter(pk=world["tien_2017"].pk).update(met=0, approved_met=False)
    CommuneYearSummary.objects.filter(pk=world["xuan_2017"].pk).delete()
    with pytest.raises(CommandError):
        call_command("rebuild_criteria_summary", "--check")
    call_command("rebuild_criteria_summary")
    assert _rows() == kept
    call_command("rebuild_criteria_summary", "--check")
    assert "khớp" in capsys.readouterr().out


def test_missing_triggers_are_put_back_after_migrate_and_the_summary_recounted(world):
    summary.uninstall(connection)
    assert not summary.is_installed(connection)
    Assessment.objects.filter(commune_year=world["tien_2019"]).update(status=AssessmentStatus.MET)
    assert summary.stale() == [world["tien_2019"].pk]
    summary.ensure_after_migrate(sender=None, using=connection.alias)
    assert summary.is_installed(connection)
    assert_exact()


def test_new_sheets_of_communes_with_and_without_an_approved_sheet_keep_it_exact(world):
    """A new sheet of a commune approved before carries that standing; one of a commune never approved starts
    empty (the sheets trigger works the standing out only for communes with an approved sheet)."""
    tien = world["tien_2017"].criteria_set
    CommuneYear.objects.bulk_create(
        [
            CommuneYear(commune=unit(KY_TIEN), year=2020, criteria_set=tien),
            CommuneYear(commune=unit(KY_PHU), year=2020, criteria_set=tien),
        ]
    )
    assert_exact()
    rows = dict(
        CommuneYearSummary.objects.filter(commune_year__year=2020).values_list(
            "commune_year__commune__code", "approved_year"
        )
    )
    assert rows == {KY_TIEN: 2017, KY_PHU: None}
