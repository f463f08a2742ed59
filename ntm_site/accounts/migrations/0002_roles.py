"""The five role groups with their permissions (ntm_site.accounts.roles holds the table)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAMES = [
    "Văn phòng điều phối tỉnh",
    "Cán bộ cấp huyện",
    "Cán bộ cấp xã",
    "Đầu mối cơ quan đỡ đầu",
    "Người xem báo cáo",
]


def create_groups(apps, schema_editor):
    from ntm_site.accounts.roles import sync_role_groups

    db = schema_editor.connection.alias
    # Model permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=db)
        app_config.models_module = None
    sync_role_groups(apps, db)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=GROUP_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
