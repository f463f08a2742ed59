"""Admin widgets shared by every app."""

from django.contrib.admin.widgets import AutocompleteSelect


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
