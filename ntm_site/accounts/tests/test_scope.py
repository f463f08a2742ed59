"""The scope module on its own: which rows each role reads and writes, without HTTP."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError

from criteria.models import Assessment
from divisions.models import AdministrativeUnit
from ntm_site.accounts import scope
from ntm_site.accounts.roles import project_models
from sponsorship.models import Assignment, Decision, Organisation, SupportRecord

pytestmark = pytest.mark.django_db


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_coordinator_reads_and_writes_the_whole_province_only(people, records):
    user = people.coordinator
    assert ids(scope.restrict(Assessment.objects.all(), user)) == {records.as_lien.pk, records.as_phu.pk}
    assert ids(scope.restrict(Assessment.objects.all(), user, scope.WRITE)) == {records.as_lien.pk, records.as_phu.pk}
    assert ids(scope.restrict(SupportRecord.objects.all(), user)) == {records.s_lien.pk, records.s_phu.pk}


def test_district_clerk_reads_the_province_and_writes_the_district(people, records):
    user = people.huong_khe_clerk
    assert ids(scope.restrict(Assessment.objects.all(), user)) == {records.as_lien.pk, records.as_phu.pk}
    assert ids(scope.restrict(Assessment.objects.all(), user, scope.WRITE)) == {records.as_lien.pk}
    assert scope.allows(user, records.as_lien, scope.WRITE)
    assert not scope.allows(user, records.as_phu, scope.WRITE)
    assert scope.allows(user, records.as_phu, scope.READ)
    assert not scope.allows(user, records.as_nam, scope.READ)


def test_commune_clerk_sees_only_their_commune(people, records):
    user = people.commune_clerk
    assert ids(scope.restrict(Assessment.objects.all(), user)) == {records.as_lien.pk}
    assert ids(scope.restrict(SupportRecord.objects.all(), user)) == {records.s_lien.pk}


def test_sponsor_clerk_writes_their_organisation_and_reads_the_communes_they_sponsor(people, records):
    user = people.sponsor_clerk
    assert ids(scope.restrict(SupportRecord.objects.all(), user)) == {records.s_lien.pk}
    assert ids(scope.restrict(SupportRecord.objects.all(), user, scope.WRITE)) == {records.s_lien.pk}
    assert ids(scope.restrict(Assessment.objects.all(), user)) == {records.as_lien.pk}
    assert ids(scope.restrict(Assessment.objects.all(), user, scope.WRITE)) == set()
    assert ids(scope.restrict(Assignment.objects.all(), user)) == {records.a_lien.pk}
    assert ids(scope.restrict(Assignment.objects.all(), user, scope.WRITE)) == set()
    # The decision that assigned them, listed once although reached through an assignment.
    assert list(scope.restrict(Decision.objects.all(), user).values_list("pk", flat=True)) == [records.decision.pk]


def test_viewer_reads_the_province_and_writes_nothing(people, records):
    user = people.viewer
    assert ids(scope.restrict(Assessment.objects.all(), user)) == {records.as_lien.pk, records.as_phu.pk}
    for model in (Assessment, SupportRecord, Assignment, Organisation, Decision):
        assert not scope.restrict(model.objects.all(), user, scope.WRITE).exists()
        assert not scope.get_scope(user).can_write_any(model)


def test_a_user_without_scope_sees_nothing_and_superuser_everything(people, records, superuser):
    assert not scope.restrict(Assessment.objects.all(), people.stranger).exists()
    assert not scope.restrict(AdministrativeUnit.objects.all(), people.stranger).exists()
    assert scope.restrict(Assessment.objects.all(), superuser).count() == 3


def test_reference_data_is_read_by_every_scoped_user(people, records):
    assert scope.restrict(AdministrativeUnit.objects.filter(code="17932"), people.commune_clerk).exists()
    assert (
        not scope.restrict(AdministrativeUnit.objects.all(), people.coordinator, scope.WRITE)
        .filter(pk=records.as_nam.commune_id)
        .exists()
    )


def test_the_coordinator_of_the_legacy_province_also_covers_the_2025_province(people, place):
    new_commune = AdministrativeUnit.objects.filter(province=place.ha_tinh_2025, level=3).first()
    writable = scope.restrict(AdministrativeUnit.objects.all(), people.coordinator, scope.WRITE)
    assert writable.filter(pk=new_commune.pk).exists()
    assert writable.filter(pk=place.huong_lien.pk).exists()
    assert not writable.filter(province=place.nghe_an).exists()


def test_organisations_are_read_where_they_work_and_written_where_they_belong(people, records, place):
    readable = ids(scope.restrict(Organisation.objects.all(), people.coordinator))
    assert readable == {records.agri.pk, records.bank.pk}
    records.vinh.home_unit = None
    records.vinh.save()
    # An organisation of no particular place is shared; only a province's own are written by it.
    assert records.vinh.pk in ids(scope.restrict(Organisation.objects.all(), people.coordinator))
    assert records.vinh.pk not in ids(scope.restrict(Organisation.objects.all(), people.coordinator, scope.WRITE))
    # The sponsor clerk sees their own organisation.
    assert records.agri.pk in ids(scope.restrict(Organisation.objects.all(), people.sponsor_clerk))
    assert records.bank.pk not in ids(scope.restrict(Organisation.objects.all(), people.sponsor_clerk))


def test_foreign_key_choices_keep_a_new_row_in_write_scope(people, records, place):
    user = people.huong_khe_clerk
    communes = scope.limit_choices(AdministrativeUnit.objects.filter(level=3), user, Assessment, "commune")
    assert communes.filter(pk=place.huong_lien.pk).exists()
    assert not communes.filter(pk=place.ky_phu.pk).exists()
    assignments = scope.limit_choices(Assignment.objects.all(), user, SupportRecord, "assignment")
    assert ids(assignments) == {records.a_lien.pk}
    sponsor_assignments = scope.limit_choices(
        Assignment.objects.all(), people.sponsor_clerk, SupportRecord, "assignment"
    )
    assert ids(sponsor_assignments) == {records.a_lien.pk}
    # A field the scope does not go through is not narrowed beyond what the user reads.
    categories = scope.limit_choices(records.cement.__class__.objects.all(), user, SupportRecord, "category")
    assert categories.filter(pk=records.cement.pk).exists()


def test_an_unsaved_row_is_judged_by_its_foreign_keys(people, records, place):
    row = Assessment(commune=place.ky_phu, criterion=records.c2, year=2019, status="dat")
    assert "commune" in scope.fk_problems(people.huong_khe_clerk, row)
    assert scope.fk_problems(people.ky_anh_clerk, row) == {}


def test_import_guard_names_the_field_out_of_scope(people, records, place):
    guard = scope.ImportGuard(people.huong_khe_clerk, SupportRecord)
    row = SupportRecord(assignment=records.a_phu, date=records.s_phu.date, category=records.cement)
    with pytest.raises(ValidationError) as error:
        guard.check(row)
    assert "assignment" in error.value.message_dict
    assert "Huyện Hương Khê" in error.value.message_dict["assignment"][0]
    guard.check(SupportRecord(assignment=records.a_lien, date=records.s_lien.date, category=records.cement))
    assert guard.check_existing([records.s_phu, records.s_lien]) == {records.s_phu.pk}


def test_import_guard_lets_the_command_line_through(records):
    guard = scope.ImportGuard(None, SupportRecord)
    guard.check(SupportRecord(assignment=records.a_nam, date=records.s_nam.date, category=records.cement))


def test_deleted_rows_are_judged_by_their_last_history_row(people, records):
    pk = records.s_phu.pk
    records.s_phu.delete()
    gone = SupportRecord(pk=pk, assignment=records.a_phu)
    assert scope.allows(people.coordinator, gone, scope.WRITE)
    assert not scope.allows(people.huong_khe_clerk, gone, scope.WRITE)
    assert not scope.allows(people.nghe_an_coordinator, gone, scope.READ)


def test_every_model_of_the_project_has_a_scope_rule():
    """A model without a rule is closed to everyone but superusers: an app that forgot its rule would look empty."""
    registered = {m._meta.label_lower for m in admin.site._registry}
    project = {f"{app}.{name}" for app, name, _m in project_models()}
    # Superusers only, by design: groups, and django-axes' records of login attempts.
    closed = {"auth.group", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
    missing = sorted(label for label in project | registered if label not in scope.RULES and label not in closed)
    assert missing == []
