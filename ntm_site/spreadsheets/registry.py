"""Resources by template slug, for `import_workbook`, template downloads and seeds."""

from __future__ import annotations

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

_registry: dict[str, type] = {}
_discovered = False


def register(resource_class):
    """Class decorator: make a resource importable by its Meta.template_slug."""
    slug = resource_class.get_template_slug()
    existing = _registry.get(slug)
    if existing is not None and existing.__qualname__ != resource_class.__qualname__:
        raise ValueError(f"Template slug {slug!r} is used by {existing.__qualname__} already.")
    _registry[slug] = resource_class
    return resource_class


def _discover():
    global _discovered
    if not _discovered and apps.ready:
        autodiscover_modules("resources")
        _discovered = True


def get_resource(slug: str):
    """The resource class registered under `slug`; KeyError lists the known ones."""
    _discover()
    try:
        return _registry[slug]
    except KeyError:
        raise KeyError(f"{slug!r}: known templates are {', '.join(sorted(_registry)) or '(none)'}") from None


def all_resources() -> dict[str, type]:
    _discover()
    return dict(sorted(_registry.items()))


def template_label(slug: str) -> str:
    """What a clerk calls a template ("Kết quả chấm tiêu chí, mỗi xã một dòng"), never its code."""
    try:
        return get_resource(slug).get_display_name()
    except KeyError:
        return slug
