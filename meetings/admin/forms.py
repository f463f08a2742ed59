"""Forms and formsets of the minutes page."""

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from meetings.admin.widgets import prime_autocomplete_labels
from meetings.models import Conclusion, Meeting, Participation


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "kind",
            "code",
            "start",
            "place",
            "organiser",
            "organiser_name",
            "is_online",
            "bridge_point_count",
            "bridge_units",
            "decisions",
            "period_from",
            "period_to",
            "summary",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        prime_autocomplete_labels([self])


class MinutesFormSet(BaseInlineFormSet):
    """An inline of the minutes: rows numbered by `order`, autocompletes labelled in one go.

    A row left without a number gets the next free one, in the order the rows are shown,
    so a clerk can simply type the minutes from top to bottom.
    """

    duplicate_order_message = _("Số thứ tự bị trùng: mỗi dòng cần một số thứ tự riêng.")

    @cached_property
    def forms(self):
        forms = super().forms
        prime_autocomplete_labels(forms)
        return forms

    def get_queryset(self):
        queryset = super().get_queryset()
        # Published on the meeting for the choices of a later inline (a speech's speaker, a task's conclusion):
        # the same rows, read once (MeetingScopedFormSet.scoped_choices).
        if self.instance.pk is not None:
            self.instance.__dict__.setdefault("_minutes_rows", {})[self.model] = queryset
        return queryset

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "order" in form.fields:
            form.fields["order"].required = False
            form.fields["order"].help_text = _("Để trống: tự đánh số.")
            form.fields["order"].widget.attrs.setdefault("style", "width: 4em")

    def get_unique_error_message(self, unique_check):
        if "order" in unique_check:
            return self.duplicate_order_message
        return super().get_unique_error_message(unique_check)

    def clean(self):
        super().clean()
        if not self.forms or "order" not in self.forms[0].fields:
            return
        live = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and (form.has_changed() or form.instance.pk)
            and not (self.can_delete and self._should_delete_form(form))
        ]
        used = {form.cleaned_data.get("order") for form in live} - {None}
        next_order = max(used, default=0)
        for form in live:
            if form.cleaned_data.get("order") is None and form.has_changed():
                next_order += 1
                form.cleaned_data["order"] = next_order
                form.instance.order = next_order


class ParticipationFormSet(MinutesFormSet):
    duplicate_order_message = _("Số thứ tự bị trùng trong thành phần dự họp.")

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or (self.can_delete and self._should_delete_form(form)):
                continue
            person = data.get("person")
            if person is None:
                continue
            if person.pk in seen:
                form.add_error("person", _("Người này đã có ở dòng trên."))
            seen[person.pk] = form


class MeetingScopedFormSet(MinutesFormSet):
    """Foreign keys that must point inside this meeting (a speech's speaker, a task's conclusion).

    Their choices are this meeting's rows, fetched once for the whole formset rather
    than once per row.
    """

    scoped_fields: dict = {}  # field name -> (model, select_related fields)

    @cached_property
    def scoped_choices(self):
        result = {}
        for name, (model, related) in self.scoped_fields.items():
            shown = self.instance.__dict__.get("_minutes_rows", {}).get(model)
            if self.instance.pk is None:
                queryset = model.objects.none()
            elif shown is not None:
                # The rows the inline of that model shows (and has read, or will read, once).
                queryset = shown
            else:
                queryset = model.objects.filter(meeting=self.instance).select_related(*related)
            result[name] = (queryset, [("", "---------"), *((obj.pk, str(obj)) for obj in queryset)])
        return result

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        self._limit(form)
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        self._limit(form)
        return form

    def _limit(self, form):
        for name, (queryset, choices) in self.scoped_choices.items():
            field = form.fields.get(name)
            if field is not None:
                field.queryset = queryset
                field.choices = choices


class SpeechFormSet(MeetingScopedFormSet):
    duplicate_order_message = _("Số thứ tự phát biểu bị trùng: mỗi ý kiến trong một hội nghị cần một số riêng.")
    scoped_fields = {"speaker": (Participation, ("person", "organisation"))}


class ConclusionFormSet(MinutesFormSet):
    duplicate_order_message = _("Số thứ tự kết luận bị trùng.")


class TaskFormSet(MeetingScopedFormSet):
    duplicate_order_message = _("Số thứ tự nhiệm vụ bị trùng.")
    scoped_fields = {"conclusion": (Conclusion, ())}
