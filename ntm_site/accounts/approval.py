"""Record workflows: the platform's hooks for rows whose state decides who may change them.

The platform knows no domain model. A domain app that has an approval workflow (criteria: the
commune-year, draft → submitted → … → approved; criteria.approval) registers it here from its
AppConfig.ready(), for the model that carries the state and for the models whose rows follow it.
Every admin (ntm_site.accounts.admin_mixins), every import (ntm_site.accounts.scope) and the
reports' "approved data only" filter then ask this module, which asks the workflow of the row's
model; a model with no workflow answers "nothing to refuse".
"""

from __future__ import annotations


class Workflow:
    """What a domain workflow answers; the defaults are those of a model without one."""

    def refusal(self, user, obj):
        """Why `user` may not change `obj` in its present state, or None."""
        return None

    def import_refusals(self, user, model, objs) -> dict:
        """{id(obj): message} for imported rows of `model` that may not be written now."""
        return {}

    def admin_actions(self, model_admin, request) -> dict:
        return {}

    def status_column(self, model_admin) -> list:
        return []

    def protected_fields(self, model) -> tuple:
        return ()

    def change_page_context(self, model_admin, request, object_id) -> dict:
        return {}

    def admin_urls(self, model_admin) -> list:
        return []

    def approved_only(self, queryset):
        return queryset


_NONE = Workflow()
_registry: dict[str, Workflow] = {}


def register(workflow: Workflow, *labels: str) -> None:
    """Put `workflow` in charge of the models named by `labels` ("app_label.modelname")."""
    for label in labels:
        _registry[label.lower()] = workflow


def workflow_for(model) -> Workflow:
    return _registry.get(model._meta.concrete_model._meta.label_lower, _NONE)


def refusal(user, obj):
    if obj is None or user is None:
        return None
    return workflow_for(type(obj)).refusal(user, obj)


def import_refusals(user, model, objs) -> dict:
    return workflow_for(model).import_refusals(user, model, objs) if objs else {}


def admin_actions(model_admin, request) -> dict:
    return workflow_for(model_admin.model).admin_actions(model_admin, request)


def status_column(model_admin) -> list:
    return workflow_for(model_admin.model).status_column(model_admin)


def protected_fields(model) -> tuple:
    return workflow_for(model).protected_fields(model)


def change_page_context(model_admin, request, object_id) -> dict:
    if object_id is None:
        return {}
    return workflow_for(model_admin.model).change_page_context(model_admin, request, object_id)


def admin_urls(model_admin) -> list:
    return workflow_for(model_admin.model).admin_urls(model_admin)


def approved_only(queryset):
    """Rows whose workflow has reached its end (reports' "approved data only" filter)."""
    return workflow_for(queryset.model).approved_only(queryset)


def approved_only_by_default(user) -> bool:
    """Viewers see approved data only unless they ask otherwise; clerks see their work in progress."""
    from ntm_site.accounts import scope
    from ntm_site.accounts.choices import Role

    return scope.get_scope(user).role == Role.VIEWER
