"""Admin widgets shared by every app."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


class KnownLabelsAutocomplete(AutocompleteSelect):
    """An autocomplete that renders its selected option from a label the form already has.

    Django's widget looks the selected row up again for every form: fifty inline rows
    with two autocompletes each cost a hundred queries. The formset below hands each
    widget the related object its row loaded with select_related.
    """

    known: dict = {}

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if not selected or any(v not in self.known for v in selected):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for v in selected:
            options.append(self.create_option(name, v, self.known[v], True, len(options)))
        return [(None, options, 0)]


def known_labels_widget(widget, obj, name, field):
    """`widget` (an AutocompleteSelect) as a KnownLabelsAutocomplete labelling the row `obj` already holds at `name`."""
    related = obj._state.fields_cache.get(name) if obj is not None and obj.pk is not None else None
    known = KnownLabelsAutocomplete.__new__(KnownLabelsAutocomplete)
    known.__dict__.update(widget.__dict__)
    known.known = {str(related.pk): field.label_from_instance(related)} if related is not None else {}
    return known


# --- widgets written in Python ---------------------------------------------------------------
# Django renders every widget through a template (input.html including attrs.html …): on a sheet of
# 47 lines × 7 fields that is most of the page's time. These write the same markup, byte for byte,
# for the plain widgets (text, hidden, checkbox, select without extras).


def _attrs(attrs) -> str:
    """attrs.html: ` name="value"` per attribute, ` name` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{conditional_escape(value)}"')
    return "".join(out)


class DirectRenderMixin:
    """Renders the widget's markup in Python, as Django's templates would (same context, same HTML)."""

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(self.html(self.get_context(name, value, attrs)["widget"]))

    def html(self, widget) -> str:
        value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
        return f'<input type="{widget["type"]}" name="{widget["name"]}"{value}{_attrs(widget["attrs"])}>'


class DirectTextInput(DirectRenderMixin, forms.TextInput):
    pass


class DirectHiddenInput(DirectRenderMixin, forms.HiddenInput):
    pass


class DirectCheckboxInput(DirectRenderMixin, forms.CheckboxInput):
    pass


class DirectSelect(DirectRenderMixin, forms.Select):
    def html(self, widget) -> str:
        parts = [f'<select name="{widget["name"]}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                value = conditional_escape(option["value"])
                label = conditional_escape(option["label"])
                parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n')
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)


# Django's plain widgets (and the admin's plain inputs) that the Direct classes render byte for byte: an inline's
# rows get these instead (direct_widgets), so a page of many inline rows (a meeting's minutes) is not rendered
# through a template per field. Anything else (autocompletes, date pickers, widgets with their own render or
# template) is left as it is.
_DIRECT_OF = {
    forms.TextInput: DirectTextInput,
    forms.HiddenInput: DirectHiddenInput,
    forms.CheckboxInput: DirectCheckboxInput,
    forms.Select: DirectSelect,
}


def _direct_class(cls):
    """The Direct class standing in for widget class `cls`, or None when `cls` is not a plain one."""
    from django.contrib.admin import widgets as admin_widgets

    if cls not in _DIRECT_OF:
        if cls in (forms.SelectMultiple,):
            _DIRECT_OF[cls] = type(f"Direct{cls.__name__}", (DirectSelect, cls), {})
        elif cls in (
            forms.NumberInput,
            forms.EmailInput,
            admin_widgets.AdminTextInputWidget,
            admin_widgets.AdminIntegerFieldWidget,
            admin_widgets.AdminBigIntegerFieldWidget,
            admin_widgets.AdminEmailInputWidget,
        ):
            _DIRECT_OF[cls] = type(f"Direct{cls.__name__}", (DirectRenderMixin, cls), {})
        else:
            return None
    return _DIRECT_OF[cls]


def direct_widgets(fields) -> None:
    """Give the plain widgets of `fields` (a form's fields; also inside the admin's related-field wrappers) their
    Direct class, in place: same attributes, same choices, the same markup without the templates."""
    for field in fields.values():
        holder = field.widget
        inner = getattr(holder, "widget", None) if hasattr(holder, "rel") else None
        for widget in (inner, holder):
            if widget is None:
                continue
            direct = _direct_class(type(widget))
            if direct is not None:
                widget.__class__ = direct


def direct_formset(formset_class):
    """`formset_class` whose forms, with the fields the formset adds (the parent key, DELETE), use direct_widgets."""

    def add_fields(self, form, index):
        super(formset, self).add_fields(form, index)
        direct_widgets(form.fields)

    formset = type(
        formset_class.__name__, (formset_class,), {"add_fields": add_fields, "__module__": formset_class.__module__}
    )
    return formset
