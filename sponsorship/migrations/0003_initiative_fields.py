"""Initiative.field becomes a catalogue (InitiativeField) instead of free text.

Existing free-text fields are kept: each distinct text becomes a catalogue row, under the
code fixtures/21_initiative_fields.json gives that name (so loading the fixture afterwards
finds it), or a code made from the text; the reverse migration writes the names back.
"""

import re
import unicodedata

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def _fold(value):
    value = unicodedata.normalize("NFC", " ".join(value.split())).translate(str.maketrans({"Đ": "D", "đ": "d"}))
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


# fixtures/21_initiative_fields.json as it stood when this migration was written.
CATALOGUE = {
    "Xây dựng Đảng, hệ thống chính trị cơ sở": "xay-dung-dang",
    "Nâng cao hiệu lực, hiệu quả quản lý của chính quyền": "chinh-quyen",
    "Mặt trận Tổ quốc và các đoàn thể chính trị – xã hội": "mat-tran-doan-the",
    "Phát triển kinh tế, chuyển dịch cơ cấu, mô hình sản xuất": "phat-trien-kinh-te",
    "Xây dựng nông thôn mới, kết cấu hạ tầng": "nong-thon-moi",
    "Văn hóa, giáo dục, y tế, an sinh xã hội": "van-hoa-xa-hoi",
    "Môi trường, cảnh quan nông thôn": "moi-truong",
    "Quốc phòng, an ninh, trật tự an toàn xã hội": "quoc-phong-an-ninh",
    "Khác": "khac",
}


def texts_to_catalogue(apps, schema_editor):
    InitiativeField = apps.get_model("sponsorship", "InitiativeField")
    known = {_fold(name): (code, name) for name, code in CATALOGUE.items()}
    by_key = {}
    for model_name in ("Initiative", "HistoricalInitiative"):
        model = apps.get_model("sponsorship", model_name)
        for row in model.objects.exclude(field_name=""):
            key = _fold(row.field_name)
            if key not in by_key:
                code, name = known.get(key, (re.sub(r"[^a-z0-9]+", "-", key).strip("-")[:40] or "khac", None))
                name = name or " ".join(row.field_name.split())
                by_key[key], _ = InitiativeField.objects.get_or_create(
                    code=code, defaults={"name": name, "search_key": " " + _fold(name)}
                )
            row.field_id = by_key[key].pk
            row.save(update_fields=["field"])
    Initiative = apps.get_model("sponsorship", "Initiative")
    if Initiative.objects.filter(field__isnull=True).exists():
        other, _ = InitiativeField.objects.get_or_create(code="khac", defaults={"name": "Khác", "search_key": " khac"})
        Initiative.objects.filter(field__isnull=True).update(field=other)


def catalogue_to_texts(apps, schema_editor):
    for model_name in ("Initiative", "HistoricalInitiative"):
        model = apps.get_model("sponsorship", model_name)
        for row in model.objects.filter(field__isnull=False).select_related("field"):
            row.field_name = row.field.name
            row.save(update_fields=["field_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("sponsorship", "0002_search_keys_terms_and_constraints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InitiativeField",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="mã")),
                ("name", models.CharField(max_length=160, unique=True, verbose_name="tên lĩnh vực")),
                ("ordering", models.PositiveSmallIntegerField(default=100, verbose_name="thứ tự")),
                (
                    "search_key",
                    models.CharField(
                        db_index=True, default="", editable=False, max_length=400, verbose_name="khóa tìm kiếm"
                    ),
                ),
            ],
            options={
                "verbose_name": "lĩnh vực đăng ký mô hình",
                "verbose_name_plural": "lĩnh vực đăng ký mô hình",
                "ordering": ["ordering", "name"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalInitiativeField",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("code", models.SlugField(max_length=40, verbose_name="mã")),
                ("name", models.CharField(db_index=True, max_length=160, verbose_name="tên lĩnh vực")),
                ("ordering", models.PositiveSmallIntegerField(default=100, verbose_name="thứ tự")),
                (
                    "search_key",
                    models.CharField(
                        db_index=True, default="", editable=False, max_length=400, verbose_name="khóa tìm kiếm"
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical lĩnh vực đăng ký mô hình",
                "verbose_name_plural": "historical lĩnh vực đăng ký mô hình",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        # Keep the old text beside the new foreign key until it has been converted.
        migrations.RenameField(model_name="initiative", old_name="field", new_name="field_name"),
        migrations.RenameField(model_name="historicalinitiative", old_name="field", new_name="field_name"),
        migrations.AlterField(
            model_name="initiative",
            name="field_name",
            field=models.CharField(blank=True, default="", max_length=120, verbose_name="lĩnh vực"),
        ),
        migrations.AlterField(
            model_name="historicalinitiative",
            name="field_name",
            field=models.CharField(blank=True, default="", max_length=120, verbose_name="lĩnh vực"),
        ),
        migrations.AddField(
            model_name="initiative",
            name="field",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="initiatives",
                to="sponsorship.initiativefield",
                verbose_name="lĩnh vực",
            ),
        ),
        migrations.AddField(
            model_name="historicalinitiative",
            name="field",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="sponsorship.initiativefield",
                verbose_name="lĩnh vực",
            ),
        ),
        migrations.RunPython(texts_to_catalogue, catalogue_to_texts),
        migrations.RemoveField(model_name="initiative", name="field_name"),
        migrations.RemoveField(model_name="historicalinitiative", name="field_name"),
        migrations.AlterField(
            model_name="initiative",
            name="field",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="initiatives",
                to="sponsorship.initiativefield",
                verbose_name="lĩnh vực",
            ),
        ),
        migrations.AlterModelOptions(
            name="initiative",
            options={
                "ordering": ["assignment", "field__ordering", "title"],
                "verbose_name": "mô hình, việc làm đăng ký",
                "verbose_name_plural": "mô hình, việc làm đăng ký",
            },
        ),
        migrations.AddConstraint(
            model_name="initiative",
            constraint=models.UniqueConstraint(
                fields=("assignment", "field", "title"),
                name="initiative_unique_title",
                violation_error_message="Phân công này đã đăng ký mô hình cùng tên trong lĩnh vực này.",
            ),
        ),
    ]
