"""Permission names in Vietnamese.

Django stores the names of its default permissions in the database in English
("Can add đơn vị hành chính"), and the user and group pages list them as stored.
After every migrate we rename the four default permissions of each model.
"""

from django.apps import apps as global_apps

ACTIONS = {"add": "Có thể thêm", "change": "Có thể sửa", "delete": "Có thể xóa", "view": "Có thể xem"}


def name_permissions_in_vietnamese(sender=None, using="default", apps=global_apps, **kwargs):
    try:
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    perms = Permission.objects.using(using).select_related("content_type")
    if sender is not None:
        # Called once per app after its migrations, right after auth created its permissions.
        perms = perms.filter(content_type__app_label=sender.label)
    changed = []
    for perm in perms:
        action, _, model_name = perm.codename.partition("_")
        if action not in ACTIONS or model_name != perm.content_type.model:
            continue
        try:
            model = global_apps.get_model(perm.content_type.app_label, perm.content_type.model)
        except LookupError:
            continue
        name = f"{ACTIONS[action]} {model._meta.verbose_name}"[:255]
        if perm.name != name:
            perm.name = name
            changed.append(perm)
    Permission.objects.using(using).bulk_update(changed, ["name"])
