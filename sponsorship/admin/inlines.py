"""Inlines of the sponsorship admin pages."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from ntm_site.admin_widgets import known_labels_widget
from sponsorship.models import Activity, Assignment, Initiative, Proposal, SupportRecord


class EfficientInlineFormSet(BaseInlineFormSet):
    """Rows render without a query each: select choices are read once per formset, and the
    autocompletes show the related objects their row already holds."""

    shared_choice_fields = ()

    def __init__(self, *args, **kwargs):
        self._shared_choices = {}
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Each row holds the page's record as its parent: a row printing it (its title, a label) asks no query.
        if self.instance.pk is not None and form.instance.pk is not None:
            self.fk.set_cached_value(form.instance, self.instance)
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            inner = getattr(field.widget, "widget", field.widget)
            if isinstance(inner, AutocompleteSelect):
                widget = known_labels_widget(inner, form.instance, name, field)
                if inner is field.widget:
                    field.widget = widget
                else:
                    field.widget.widget = widget
            elif name in self.shared_choice_fields:
                if name not in self._shared_choices:
                    # iter(): list() of the iterator itself would ask its len(), a COUNT query.
                    self._shared_choices[name] = list(iter(field.choices))
                field.choices = self._shared_choices[name]
                inner.choices = self._shared_choices[name]


class PaginatedInlineFormSet(EfficientInlineFormSet):
    """Shows one page of the related rows (a decision can hold hundreds of assignments).

    The page comes from the query string (`page_param`); the change form posts back to the
    same address, so the page that was shown is the page that gets saved.
    """

    per_page = 50
    page_param = "p"
    page = 1

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            qs = super().get_queryset()
            start = (self.page - 1) * self.per_page
            self._queryset = qs[start : start + self.per_page]
        return self._queryset


class PaginatedInline(admin.TabularInline):
    formset = PaginatedInlineFormSet
    per_page = 50
    page_param = "p"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        value = request.GET.get(self.page_param, "1")
        page = int(value) if value.isdigit() and int(value) > 0 else 1
        return type(formset.__name__, (formset,), {"page": page, "per_page": self.per_page})


class DecisionAssignmentInline(PaginatedInline):
    """The decision's assignments, a page at a time; collapsed when there are more than one page.

    Edits stay in place for the page shown; support, initiatives and activities are on each
    assignment's own page (the change link of the row).
    """

    model = Assignment
    fk_name = "decision"
    per_page = 25
    page_param = "trang_phan_cong"
    fields = ["organisation", "commune", "role", "start_date", "end_date", "contact_officer"]
    autocomplete_fields = ["organisation", "commune"]
    extra = 0
    show_change_link = True
    verbose_name_plural = _("phân công theo văn bản (25 dòng mỗi trang)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "commune__parent", "decision")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        many = obj is not None and obj.assignments.count() > self.per_page
        self.classes = ["collapse"] if many else []
        return formset


class OrganisationAssignmentInline(admin.TabularInline):
    """The communes an organisation has been assigned to, read-only (edit them on the assignment page)."""

    model = Assignment
    formset = EfficientInlineFormSet
    fk_name = "organisation"
    fields = ["commune", "decision", "role", "start_date", "end_date"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("xã được phân công")
    verbose_name_plural = _("các xã được phân công")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("commune__parent", "decision")

    def has_add_permission(self, request, obj=None):
        return False


class SupportFormSet(EfficientInlineFormSet):
    shared_choice_fields = ("category", "criterion")


class SupportRecordInline(admin.TabularInline):
    model = SupportRecord
    formset = SupportFormSet
    fields = ["date", "category", "quantity", "unit", "value_vnd", "criterion", "description", "outside_term_reason"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category", "criterion__criteria_set", "assignment")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "description" and field is not None:
            field.widget.attrs.update(rows=2, cols=30)
        return field


class InitiativeFormSet(EfficientInlineFormSet):
    shared_choice_fields = ("field",)


class InitiativeInline(admin.TabularInline):
    model = Initiative
    formset = InitiativeFormSet
    fields = ["field", "title", "registered_on", "status", "result"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("field")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "result" and field is not None:
            field.widget.attrs.update(rows=2, cols=30)
        return field


class ActivityInline(admin.TabularInline):
    """Visits and reports; their proposals are on the activity's own page (the link on each row)."""

    model = Activity
    formset = EfficientInlineFormSet
    fields = ["date", "kind", "participants", "summary"]
    extra = 0
    show_change_link = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "summary" and field is not None:
            field.widget.attrs.update(rows=2, cols=40)
        return field


class ProposalInline(admin.StackedInline):
    model = Proposal
    formset = EfficientInlineFormSet
    fields = [("text", "addressee"), ("resolved", "resolved_on"), "answer"]
    autocomplete_fields = ["addressee"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("addressee")
