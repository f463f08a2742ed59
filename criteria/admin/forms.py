"""Forms of the criteria admins: the commune-year sheet, its 19 lines, single results."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from criteria import services
from criteria.models import Assessment, CommuneYear, CriteriaSet, Criterion
from ntm_site.admin_widgets import DirectCheckboxInput, DirectHiddenInput, DirectSelect, DirectTextInput


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


# --- the indicator lines of a sheet whose set has indicators (QĐ 51/2025) -----------------------


def target_label(indicator, target) -> str:
    """The target of one indicator as the sheet shows it beside the value: "≥ 80 %", "Đạt", a text rule."""
    from criteria.choices import Comparison, ValueType

    if indicator.comparison == Comparison.YES_NO:
        return str(_("Đạt"))
    if target is None:
        return "—"
    if target.value is None:
        return target.text or "—"
    sign = {Comparison.AT_LEAST: "≥", Comparison.AT_MOST: "≤", Comparison.EQUALS: "="}.get(indicator.comparison, "")
    number = f"{target.value.normalize():f}".replace(".", ",")
    unit = "%" if indicator.value_type == ValueType.PERCENT else indicator.unit
    return f"{sign} {number} {unit}".strip()


class IndicatorLabelWidget(DirectHiddenInput):
    """The indicator of a line ("2.3 …") with its id in a hidden input, and what the live check needs."""

    is_hidden = False

    def __init__(self, lines=None, attrs=None):
        super().__init__(attrs)
        self.lines = lines or {}

    def render(self, name, value, attrs=None, renderer=None):
        hidden = super().render(name, value, attrs, renderer)
        line = self.lines.get(int(value)) if str(value or "").isdigit() else None
        if line is None:
            return hidden
        return format_html("{}<strong>{}</strong> {}", hidden, line["code"], line["text"])


class IndicatorField(forms.ModelChoiceField):
    """An indicator of the sheet's set, from the indicators the formset loaded once."""

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators or {}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.indicators[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(_("Chỉ tiêu không thuộc bộ tiêu chí của bảng chấm."), code="invalid_choice") from None

    def has_changed(self, initial, data):
        return str(getattr(initial, "pk", initial) or "") != str(data or "")


class IndicatorResultLineForm(forms.ModelForm):
    """One indicator of the sheet: the value as typed (85%, 85,5, Đạt …), không áp dụng, a note.

    "Met" is shown as the clerk types (criteria/static/criteria/indicator-lines.js) and derived
    again on save (criteria.services.commune_year_score). A result set against the rule (or one
    judged by hand, for a text rule) takes its status from here, with a reason.
    """

    value = forms.CharField(label=_("giá trị"), required=False, widget=DirectTextInput(attrs={"size": 10}))

    class Meta:
        from criteria.models import IndicatorResult

        model = IndicatorResult
        fields = ["indicator", "value", "not_applicable", "status", "status_overridden", "override_reason", "note"]
        # Written in Python (ntm_site.admin_widgets): 47 lines of 7 fields through Django's widget templates
        # were most of the 2026 sheet's page time.
        widgets = {
            "note": DirectTextInput(attrs={"size": 20}),
            "override_reason": DirectTextInput(attrs={"size": 20}),
            "not_applicable": DirectCheckboxInput,
            "status_overridden": DirectCheckboxInput,
            "status": DirectSelect,
        }

    def __init__(self, *args, indicators=None, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        from criteria.choices import Comparison, ValueType
        from criteria.indicator_resources import result_display

        indicators = indicators or {}
        lines = lines or {}
        self.fields["indicator"] = IndicatorField(
            queryset=indicators and type(next(iter(indicators.values()))).objects.none(),
            indicators=indicators,
            widget=IndicatorLabelWidget(lines=lines),
            label=_("chỉ tiêu"),
            disabled=bool(self.instance.pk),
        )
        indicator = self.instance.indicator if self.instance.indicator_id else None
        if indicator is None:
            pk = self.initial.get("indicator")
            indicator = indicators.get(int(pk)) if str(pk or "").isdigit() else None
        self.indicator = indicator
        self.line = lines.get(getattr(indicator, "pk", None), {})
        self.fields["status"].required = False
        # "Kết quả ghi tay" reads "—" until a clerk picks one: not "Chưa đạt" beside a line the rule finds met.
        status = self.fields["status"]
        status.choices = [("", "—"), *[(v, label) for v, label in status.choices if v != ""]]
        if not self.instance.pk:
            self.initial["status"] = ""
        if self.instance.pk and indicator is not None:
            i = self.instance
            shown = result_display(indicator.value_type, i.value_number, i.value_bool, i.value_text, False)
            self.initial["value"] = shown
        if indicator is not None:
            line = lines.get(indicator.pk, {})
            attrs = self.fields["value"].widget.attrs
            attrs.update(
                {
                    "data-indicator": indicator.code,
                    "data-type": indicator.value_type,
                    "data-comparison": indicator.comparison,
                    "data-target": line.get("target_value", ""),
                    "aria-label": _("Giá trị chỉ tiêu {code}").format(code=indicator.code),
                }
            )
            if indicator.value_type == ValueType.BOOLEAN:
                # Without the text box's width: a <select size=10> is a list box ten lines high, cut off in its cell.
                self.fields["value"].widget = DirectSelect(
                    choices=[("", "—"), (str(_("Đạt")), _("Đạt")), (str(_("Chưa đạt")), _("Chưa đạt"))],
                    attrs={k: v for k, v in attrs.items() if k != "size"},
                )
            if indicator.comparison == Comparison.TEXT:
                self.fields["status"].help_text = _("Chỉ tiêu theo mô tả: chọn kết quả.")

    def clean(self):
        from criteria.choices import Comparison
        from criteria.scoring import indicator_value_read
        from ntm_site.spreadsheets.errors import CellError

        cleaned = super().clean()
        indicator = cleaned.get("indicator") or self.indicator
        if indicator is None:
            return cleaned
        try:
            values = indicator_value_read(indicator, cleaned.get("value") or "")
        except CellError as e:
            self.add_error("value", str(e.expected)[:1].upper() + str(e.expected)[1:])
            return cleaned
        if cleaned.get("not_applicable"):
            values["not_applicable"] = True
        for field, value in values.items():
            setattr(self.instance, field, value)
        by_hand = cleaned.get("status_overridden") or indicator.comparison == Comparison.TEXT
        if cleaned.get("status_overridden") and not (cleaned.get("override_reason") or "").strip():
            self.add_error(
                "override_reason", _("Ghi lý do khi ghi kết quả khác với quy tắc (ví dụ kết luận của hội đồng).")
            )
        if by_hand and not cleaned.get("status"):
            self.add_error("status", _("Chọn kết quả của chỉ tiêu."))
        if not by_hand:
            cleaned.pop("status", None)
        return cleaned

    def has_changed(self):
        # An empty line that was only shown (no value, nothing ticked) is not a result.
        if not self.instance.pk:
            data = {
                k: self.data.get(self.add_prefix(k)) for k in ("value", "not_applicable", "note", "status_overridden")
            }
            return any(v not in (None, "", "off") for v in data.values())
        return super().has_changed()


class IndicatorResultLineFormSet(BaseInlineFormSet):
    """Every indicator of the sheet's set, grouped under its criterion, the target of the commune's group beside it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from criteria.choices import TargetBasis
        from criteria.models import CommuneClassification, Indicator, IndicatorTarget

        sheet = self.instance
        self.indicators, self.lines, self.group, self.group_missing = {}, {}, "", False
        if not (sheet.pk and sheet.criteria_set_id):
            self.extra = 0
            return
        indicators = list(
            Indicator.objects.filter(criterion__criteria_set_id=sheet.criteria_set_id)
            .select_related("criterion")
            .order_by("criterion__number", "position", "code")
        )
        self.indicators = {i.pk: i for i in indicators}
        grouped = sheet.criteria_set.target_basis == TargetBasis.GROUP
        if grouped:
            self.group = (
                CommuneClassification.objects.in_force(sheet.year)
                .filter(commune_id=sheet.commune_id)
                .values_list("group", flat=True)
                .first()
            ) or ""
            self.group_missing = not self.group
        targets = {}
        if self.group:
            for t in IndicatorTarget.objects.filter(indicator__in=indicators, commune_group=self.group):
                targets[t.indicator_id] = t
        previous = None
        for indicator in indicators:
            target = targets.get(indicator.pk)
            self.lines[indicator.pk] = {
                "code": indicator.code,
                "text": indicator.text,
                "target": target_label(indicator, target),
                "target_value": f"{target.value:f}" if target is not None and target.value is not None else "",
                "criterion": indicator.criterion if indicator.criterion_id != previous else None,
            }
            previous = indicator.criterion_id
        from criteria.choices import CommuneGroup
        from criteria.models import Assessment

        self.group_label = dict(CommuneGroup.choices).get(self.group, "")
        statuses = dict(Assessment.objects.filter(commune_year=sheet).values_list("criterion_id", "status"))
        labels = dict(Assessment._meta.get_field("status").choices)
        for line, indicator in zip(self.lines.values(), indicators, strict=True):
            if line["criterion"] is not None and indicator.criterion_id in statuses:
                line["status_label"] = labels.get(statuses[indicator.criterion_id], "")
        if self.group_missing:
            from criteria import services

            self.group_missing_message = services.no_group_message(sheet.commune, sheet.year)
        recorded = {r.indicator_id for r in self.get_queryset()}
        missing = [i for i in indicators if i.pk not in recorded]
        self.initial_extra = [{"indicator": i.pk} for i in missing]
        self.extra = len(missing)

    def get_queryset(self):
        # Cached: the formset asks for its rows once per form.
        if not hasattr(self, "_ordered_rows"):
            rows = super().get_queryset().select_related("indicator__criterion")
            self._ordered_rows = rows.order_by("indicator__criterion__number", "indicator__position", "indicator__code")
        return self._ordered_rows

    @property
    def forms_in_order(self):
        """The lines in the set's order (recorded and empty ones mixed), with their criterion heading."""
        order = {pk: n for n, pk in enumerate(self.indicators)}
        return sorted(self.forms, key=lambda f: order.get(getattr(f.indicator, "pk", None), len(order)))

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["indicators"] = self.indicators
        kwargs["lines"] = self.lines
        return kwargs

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name in (self._pk_field.name, self.fk.name):  # the hidden id and sheet of each line
            if name in form.fields and type(form.fields[name].widget) is forms.HiddenInput:
                form.fields[name].widget = DirectHiddenInput(attrs=form.fields[name].widget.attrs)

    def clean(self):
        super().clean()
        from criteria import services

        if self.group_missing and any(f.has_changed() for f in self.forms):
            raise ValidationError(services.no_group_message(self.instance.commune, self.instance.year))

    def save(self, commit=True):
        # Rows the clerk did not touch stay unwritten; the scoring service derives every status after.
        return super().save(commit)

    @property
    def empty_form(self):
        form = super().empty_form
        form.fields["indicator"].widget = IndicatorLabelWidget()
        return form
