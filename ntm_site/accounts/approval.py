"""Approval of a commune's yearly scoring: draft → submitted → verified → approved (stub until criteria lands)."""


def refusal(user, obj):
    """Why `user` may not change `obj` because of approval, or None."""
    return None


def change_page_context(model_admin, request, object_id) -> dict:
    return {}


def admin_urls(model_admin) -> list:
    return []


def import_refusals(user, model, objs) -> dict:
    """{id(obj): message} for imported rows that fall in an approved (or otherwise closed) commune-year."""
    return {}
