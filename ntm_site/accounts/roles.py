"""The five roles as groups: which model permissions each one holds.

The table below is the one place that says what a role may do with each kind of record;
which *rows* it may do it to is the scope (ntm_site.accounts.scope). Import and export are
permissions of their own (`import_<model>`, `export_<model>`, see settings
IMPORT_EXPORT_IMPORT_PERMISSION_CODE / IMPORT_EXPORT_EXPORT_PERMISSION_CODE): a viewer exports,
never imports.

The groups are created by the data migration 0002_roles; after every `migrate` the permissions
of models that arrived since (a newly merged app, a new model) are added to the groups
(`sync_after_migrate`). Syncing only adds: a permission a superuser took away from a group by
hand stays away until it is listed here again and the groups are reset (`sync_role_groups(reset=True)`).
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router

from ntm_site.accounts.choices import GROUP_NAMES, Role

# Apps whose models are records or reference data of the programme.
PROJECT_APPS = ("divisions", "criteria", "sponsorship", "meetings", "reports", "ntm_site", "accounts")
# Machinery no role works on: stored uploads, the record of deletions that "Khôi phục" reads, and background
# jobs (each is its owner's, ntm_site.jobs).
INTERNAL_MODELS = {"ntm_site.importfile", "ntm_site.deletionrecord", "ntm_site.deletionitem", "ntm_site.job"}

VIEW = ("view",)
READ = ("view", "export")
EDIT = ("view", "add", "change", "import", "export")
EDIT_DELETE = (*EDIT, "delete")
# Saved report filters are each reader's own (scope: only the owner changes or deletes one).
MINE = ("view", "add", "change", "delete")
OWN_FILTERS = (("reports.savedfilter",), MINE)

REFERENCE = (
    "divisions.*",
    "criteria.criteriaset",
    "criteria.criterion",
    "criteria.indicator",
    "criteria.indicatortarget",
    "sponsorship.supportcategory",
)
RECORDS = ("criteria.*", "sponsorship.*", "meetings.*", "reports.*")
COMMUNE_YEAR_RECORDS = ("criteria.communeyear", "criteria.assessment", "criteria.evidence", "criteria.indicatorresult")
SPONSOR_RECORDS = (
    "sponsorship.supportrecord",
    "sponsorship.initiative",
    "sponsorship.activity",
    "sponsorship.proposal",
)

# Approval of a commune-year and the other powers that are not "add/change/delete" of one model.
SUBMIT = "criteria.submit_communeyear"
VERIFY = "criteria.verify_communeyear"
APPROVE = "criteria.approve_communeyear"
REOPEN = "criteria.reopen_communeyear"
UNLOCK = "criteria.unlock_periodlock"
RESTORE = "accounts.restore_deleted"

# role -> [(model patterns, actions)] and extra permissions ("app_label.codename").
# A pattern "!app.model" leaves that model out of the entry it is in.
ROLE_PERMISSIONS: dict[str, dict] = {
    Role.PROVINCE_COORDINATOR: {
        "models": [
            ((*REFERENCE, "ntm_site.importbatch", "accounts.userscope"), READ),
            ((*RECORDS, "!sponsorship.supportcategory"), EDIT_DELETE),
        ],
        "extra": [SUBMIT, VERIFY, APPROVE, REOPEN, UNLOCK, RESTORE],
    },
    Role.DISTRICT_CLERK: {
        "models": [
            ((*REFERENCE, *RECORDS, "ntm_site.importbatch"), READ),
            ((*COMMUNE_YEAR_RECORDS, "criteria.target", "sponsorship.supportrecord"), EDIT_DELETE),
            OWN_FILTERS,
        ],
        "extra": [VERIFY],
    },
    Role.COMMUNE_CLERK: {
        "models": [
            ((*REFERENCE, "criteria.*", "sponsorship.*", "reports.*", "ntm_site.importbatch"), READ),
            (COMMUNE_YEAR_RECORDS, EDIT_DELETE),
            OWN_FILTERS,
        ],
        "extra": [SUBMIT],
    },
    Role.SPONSOR_CLERK: {
        "models": [
            (
                (
                    *REFERENCE,
                    "criteria.communeyear",
                    "criteria.assessment",
                    "criteria.target",
                    "criteria.recognition",
                    "sponsorship.organisation",
                    "sponsorship.decision",
                    "sponsorship.assignment",
                    "reports.*",
                    "ntm_site.importbatch",
                ),
                READ,
            ),
            (SPONSOR_RECORDS, EDIT_DELETE),
            OWN_FILTERS,
        ],
        "extra": [],
    },
    Role.VIEWER: {
        "models": [((*REFERENCE, *RECORDS), READ), OWN_FILTERS],
        "extra": [],
    },
}


def project_models(apps=global_apps):
    """(app_label, model_name, model) of every model a role can be given: history tables and models without
    permissions (`default_permissions = ()`) left out."""
    for app_label in PROJECT_APPS:
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            continue
        for model in config.get_models():
            name = model._meta.model_name
            if name.startswith("historical") or f"{app_label}.{name}" in INTERNAL_MODELS:
                continue
            if not model._meta.default_permissions:
                continue  # derived data nobody is given rights on (e.g. a summary kept by the database)
            yield app_label, name, model


def _matches(pattern: str, label: str) -> bool:
    """ "app.*" matches every model of the app, "app.model" one model."""
    if pattern.endswith(".*"):
        return label.split(".", 1)[0] == pattern[:-2]
    return label == pattern


def role_permissions(role, apps=global_apps) -> set[tuple[str, str]]:
    """(app_label, codename) of every permission the role's group should hold."""
    spec = ROLE_PERMISSIONS[role]
    wanted = set()
    for app_label, name, _model in project_models(apps):
        label = f"{app_label}.{name}"
        for patterns, actions in spec["models"]:
            included = any(_matches(p, label) for p in patterns if not p.startswith("!"))
            if included and not any(_matches(p[1:], label) for p in patterns if p.startswith("!")):
                wanted.update((app_label, f"{action}_{name}") for action in actions)
    wanted.update(tuple(p.split(".", 1)) for p in spec["extra"])
    return wanted


def ensure_import_export_permissions(apps=global_apps, using=DEFAULT_DB_ALIAS) -> None:
    """`import_<model>` and `export_<model>` for every project model (django-import-export checks them)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for app_label, name, model in project_models(apps):
        ct, _ = ContentType.objects.db_manager(using).get_or_create(app_label=app_label, model=name)
        verbose = str(model._meta.verbose_name_plural)
        for action, text in (("import", "Có thể nhập từ Excel: {}"), ("export", "Có thể xuất ra Excel: {}")):
            Permission.objects.db_manager(using).get_or_create(
                content_type=ct, codename=f"{action}_{name}", defaults={"name": text.format(verbose)[:255]}
            )


def sync_role_groups(apps=global_apps, using=DEFAULT_DB_ALIAS, *, reset: bool = False) -> None:
    """Create the five groups if needed and give each the permissions of its role (see the module docstring)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_import_export_permissions(apps, using)
    by_key = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=GROUP_NAMES[role])
        ids = [by_key[key] for key in role_permissions(role, apps) if key in by_key]
        if reset:
            group.permissions.set(ids)
        else:
            group.permissions.add(*ids)


def sync_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate of this app: every app's permissions exist first, then the groups get theirs."""
    from django.contrib.auth.management import create_permissions

    if not router.allow_migrate(using, "auth"):
        return
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using, apps=apps)
    sync_role_groups(apps, using)


def role_group_names() -> set[str]:
    return set(GROUP_NAMES.values())
