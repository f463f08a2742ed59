"""Group the assessments recorded before commune-years existed into one commune-year per
(commune, year, criteria set). Reversible: going back only unlinks them (0003 then drops the table)."""

from django.db import migrations


def group_into_commune_years(apps, schema_editor):
    Assessment = apps.get_model("criteria", "Assessment")
    CommuneYear = apps.get_model("criteria", "CommuneYear")
    keys = (
        Assessment.objects.filter(commune_year__isnull=True)
        .values_list("commune_id", "year", "criterion__criteria_set_id")
        .distinct()
    )
    for commune_id, year, set_id in keys.iterator():
        commune_year, _ = CommuneYear.objects.get_or_create(commune_id=commune_id, year=year, criteria_set_id=set_id)
        Assessment.objects.filter(
            commune_id=commune_id, year=year, criterion__criteria_set_id=set_id, commune_year__isnull=True
        ).update(commune_year=commune_year)


def unlink(apps, schema_editor):
    apps.get_model("criteria", "Assessment").objects.update(commune_year=None)


class Migration(migrations.Migration):
    dependencies = [
        ("criteria", "0003_commune_year"),
    ]

    operations = [
        migrations.RunPython(group_into_commune_years, unlink),
    ]
