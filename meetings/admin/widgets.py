"""Autocomplete widgets that label their selected values without one query per row.

Django's autocomplete widgets look up the labels of their selected values with one
query per widget: an inline of twenty participants would run forty of them. These
subclasses take the labels from a dict that the formset fills once (from the rows it
already fetched with select_related / prefetch_related), and fall back to Django's own
lookup for anything not in it.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.db import models


class _LabelCacheMixin:
    label_cache: dict | None = None  # str(pk) -> label, shared by the forms of one formset

    def optgroups(self, name, value, attr=None):
        cache = self.label_cache
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if cache is None or any(v not in cache for v in selected):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in dict.fromkeys(selected):
            options.append(self.create_option(name, pk, cache[pk], True, len(options)))
        return [(None, options, 0)]


class CachedAutocompleteSelect(_LabelCacheMixin, AutocompleteSelect):
    pass


class CachedAutocompleteSelectMultiple(_LabelCacheMixin, AutocompleteSelectMultiple):
    pass


def _inner(widget):
    return getattr(widget, "widget", widget)


def prime_autocomplete_labels(forms) -> None:
    """Fill the label caches of every cached autocomplete widget of `forms`.

    Labels come from related objects the forms' instances hold already (select_related
    for foreign keys, prefetch_related for many-to-many); whatever is missing is fetched
    with one query per field.
    """
    forms = [f for f in forms if f is not None]
    if not forms:
        return
    names = [name for name, field in forms[0].fields.items() if isinstance(_inner(field.widget), _LabelCacheMixin)]
    for name in names:
        cache: dict = {}
        wanted: set = set()
        for form in forms:
            if name not in form.fields:
                continue
            field = form.fields[name]
            value = form[name].value()
            values = value if isinstance(value, list | tuple) else [value]
            wanted.update(str(v) for v in values if v not in field.empty_values)
            _labels_from_instance(form, name, field, cache)
        missing = wanted - cache.keys()
        if missing:
            field = forms[0].fields[name]
            queryset = field.queryset
            if any(f.name == "parent" for f in queryset.model._meta.concrete_fields):
                queryset = queryset.select_related("parent")  # administrative units print their parent
            for obj in queryset.filter(pk__in=missing):
                cache[str(obj.pk)] = field.label_from_instance(obj)
        for form in forms:
            if name in form.fields:
                _inner(form.fields[name].widget).label_cache = cache


def _labels_from_instance(form, name, field, cache):
    instance = getattr(form, "instance", None)
    if instance is None or instance.pk is None:
        return
    try:
        model_field = instance._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a form field that is not a model field
        return
    if isinstance(model_field, models.ForeignKey):
        if model_field.is_cached(instance):
            related = getattr(instance, name)
            if related is not None:
                cache[str(related.pk)] = field.label_from_instance(related)
    elif isinstance(model_field, models.ManyToManyField):
        prefetched = getattr(instance, "_prefetched_objects_cache", {})
        if model_field.name in prefetched:
            for related in prefetched[model_field.name]:
                cache[str(related.pk)] = field.label_from_instance(related)


class CachedAutocompleteMixin:
    """For a ModelAdmin or an inline: its autocomplete fields use the cached widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CachedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CachedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
