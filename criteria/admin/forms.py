"""Forms of the criteria admins: the commune-year sheet, its 19 lines, single results."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from criteria import services
from criteria.models import Assessment, CommuneYear, CriteriaSet, Criterion


class CommuneYearForm(forms.ModelForm):
    """Commune, year and set of a sheet; the set defaults to the national commune set of the year."""

    class Meta:
        model = CommuneYear
        fields = ["commune", "year", "criteria_set", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        # "Để trống: …" helps only where the set is chosen (a new sheet); on a sheet's page the set is
        # read-only and the read-only field takes its help from here: nothing.
        help_texts = {"criteria_set": ""}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "criteria_set" in self.fields:
            self.fields["criteria_set"].help_text = CommuneYear._meta.get_field("criteria_set").help_text

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Commune, year and set are fixed once the sheet exists (read-only on its page).
            commune, year, criteria_set = self.instance.commune, self.instance.year, self.instance.criteria_set
            problems = {}
        else:
            commune, year = cleaned.get("commune"), cleaned.get("year")
            if commune is None or year is None:
                return cleaned
            if not cleaned.get("criteria_set"):
                cleaned["criteria_set"] = CriteriaSet.objects.default_for_year(year)
            criteria_set = cleaned["criteria_set"]
            problems = services.commune_year_problems(commune=commune, year=year, criteria_set=criteria_set)
        # A locked year refuses any change of the sheet or of its lines.
        lock = services.lock_for(commune=commune, year=year)
        if lock is not None and self.instance.pk:
            raise ValidationError(lock.refusal())
        if lock is not None:
            problems["year"] = lock.refusal()
        if problems:
            raise ValidationError(problems)
        return cleaned


class CriterionLabelWidget(forms.HiddenInput):
    """The criterion of a line shown as text ("17. Môi trường …") with its id in a hidden input."""

    # Shown as a column of the tabular inline, not tucked away with the hidden fields.
    is_hidden = False

    def __init__(self, labels=None, attrs=None):
        super().__init__(attrs)
        self.labels = labels or {}

    def render(self, name, value, attrs=None, renderer=None):
        hidden = super().render(name, value, attrs, renderer)
        label = self.labels.get(int(value)) if str(value or "").isdigit() else ""
        return format_html("{}<strong>{}</strong>", hidden, label or "")


class CriterionField(forms.ModelChoiceField):
    """A criterion of the sheet's set, looked up in the criteria the formset loaded once (no query per line)."""

    def __init__(self, *args, criteria=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria or {}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.criteria[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(_("Tiêu chí không thuộc bộ tiêu chí của bảng chấm."), code="invalid_choice") from None

    def has_changed(self, initial, data):
        return str(getattr(initial, "pk", initial) or "") != str(data or "")


class AssessmentLineForm(forms.ModelForm):
    """One line of the commune-year sheet: a criterion and its result."""

    class Meta:
        model = Assessment
        fields = ["criterion", "status", "note"]
        widgets = {"note": forms.TextInput(attrs={"size": 40})}

    def __init__(self, *args, criteria=None, **kwargs):
        super().__init__(*args, **kwargs)
        criteria = criteria or {}
        self.fields["criterion"] = CriterionField(
            queryset=Criterion.objects.none(),
            criteria=criteria,
            widget=CriterionLabelWidget(labels={pk: str(c) for pk, c in criteria.items()}),
            label=_("tiêu chí"),
            disabled=bool(self.instance.pk),
        )


class AssessmentLineFormSet(BaseInlineFormSet):
    """The lines of a commune-year: its recorded results, then one empty line per criterion of its set
    not yet recorded, so the clerk sees all the set's criteria at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sheet = self.instance
        self.criteria = {}
        if sheet.pk and sheet.criteria_set_id:
            self.criteria = {c.pk: c for c in Criterion.objects.filter(criteria_set_id=sheet.criteria_set_id)}
            recorded = {a.criterion_id for a in self.get_queryset()}
            missing = [c for c in sorted(self.criteria.values(), key=lambda c: c.number) if c.pk not in recorded]
            self.initial_extra = [{"criterion": c.pk} for c in missing]
            self.extra = len(missing)
        else:
            self.extra = 0

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["criteria"] = self.criteria
        return kwargs

    @property
    def empty_form(self):
        # New lines come only from the set's criteria listed above (the sheet's template adds no rows);
        # the criterion keeps its label widget so that its column has a visible header like its cells.
        form = super().empty_form
        form.fields["criterion"].widget = CriterionLabelWidget()
        return form


class AssessmentForm(forms.ModelForm):
    """A single result entered on its own; it is filed under its commune-year on save."""

    class Meta:
        model = Assessment
        fields = ["commune", "year", "criterion", "status", "indicator_values", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "criterion" in self.fields:
            self.fields["criterion"].queryset = Criterion.objects.select_related("criteria_set")

    def clean(self):
        cleaned = super().clean()
        commune, year, criterion = cleaned.get("commune"), cleaned.get("year"), cleaned.get("criterion")
        if commune is None or year is None or criterion is None:
            return cleaned
        problems = services.commune_year_problems(commune=commune, year=year, criteria_set=criterion.criteria_set)
        problems = {("criterion" if k == "criteria_set" else k): v for k, v in problems.items()}
        locks = {services.lock_for(commune=commune, year=year)}
        if self.instance.pk:
            locks.add(services.lock_for(commune=self.instance.commune, year=self.instance.year))
        locks.discard(None)
        if locks:
            problems["year"] = next(iter(locks)).refusal()
        if problems:
            raise ValidationError(problems)
        return cleaned
