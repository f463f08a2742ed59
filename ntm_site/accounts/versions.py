"""Optimistic concurrency for every form of the admin that writes rows.

A row's version is the id of its newest history row. Every form that writes existing rows carries
the version of each row as it was when the page was opened, and the save is refused when any row
has moved since, naming the row, who saved it and when:

- the change form of a model (a hidden field `ntm_version`, GuardedAdminMixin.get_form);
- every row of every inline formset and of an editable changelist: the version travels beside the
  row's id (the widget of the id field renders both), so a new inline, whatever its template, is
  covered without a line of its own (`versioned_formset`, applied by ScopedInlineMixin.get_formset
  and GuardedAdminMixin.get_changelist_formset).

A form posted without the version of a row it writes is refused too: only a page opened on the
rows may change them.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ntm_site.accounts import scope
from ntm_site.admin_widgets import DirectHiddenInput

VERSION_FIELD = "ntm_version"


def history_tokens(model, pks) -> dict:
    """{pk: version} of the rows `pks` of `model`, in one query ("0" for a row without history)."""
    hmodel = scope.history_model_of(model)
    pks = [pk for pk in pks if pk is not None]
    if hmodel is None or not pks:
        return {}
    pk_name = model._meta.pk.attname
    latest = (
        hmodel.objects.filter(**{f"{pk_name}__in": pks})
        .values(pk_name)
        .annotate(latest=Max("history_id"))
        .values_list(pk_name, "latest")
    )
    found = {str(pk): str(version) for pk, version in latest}
    return {pk: found.get(str(pk), "0") for pk in pks}


def version_subquery(model):
    """The version of each row as a subquery, to annotate a queryset with (None for a row without history)."""
    hmodel = scope.history_model_of(model)
    pk_name = model._meta.pk.attname
    return Subquery(hmodel.objects.filter(**{pk_name: OuterRef("pk")}).order_by("-history_id").values("history_id")[:1])


def history_token(model, pk) -> str:
    """The version of one record ("0" when it has none, "" when the model keeps no history)."""
    if scope.history_model_of(model) is None or pk is None:
        return ""
    return history_tokens(model, [pk]).get(pk, "0")


def local_time(moment) -> str:
    """dd/mm/yyyy HH:MM in the site's time zone."""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _label(obj) -> str:
    try:
        return str(obj)
    except Exception:  # a row pointing at something deleted since
        return f"#{obj.pk}"


def moved_message(model, pk, obj=None) -> str:
    """Why a save of the row `pk` is refused: who saved it after the page was opened, and when."""
    hmodel = scope.history_model_of(model)
    row = (
        hmodel.objects.filter(**{model._meta.pk.attname: pk})
        .select_related("history_user")
        .order_by("-history_id")
        .first()
    )
    if row is None or row.history_user_id is None:
        who = _("người khác")
    elif row.history_user is None:
        who = _("(người dùng đã xóa)")
    else:
        who = row.history_user.get_full_name() or row.history_user.get_username()
    what = _("đã xóa") if row is not None and row.history_type == "-" else _("đã lưu")
    return str(
        _(
            "{model} “{row}” {what} bởi {who} lúc {when}, sau khi bạn mở trang. Để không ghi đè thay đổi đó, "
            "hệ thống chưa lưu gì. Hãy mở lại trang để xem số liệu mới nhất rồi sửa lại."
        ).format(
            model=str(model._meta.verbose_name).capitalize(),
            row=_label(obj) if obj is not None else f"#{pk}",
            what=what,
            who=who,
            when=local_time(row.history_date) if row is not None else "",
        )
    )


def missing_message(model, obj=None) -> str:
    return str(
        _(
            "Trang gửi lên không kèm phiên bản của {model} “{row}”, nên không biết nó có bị sửa sau khi "
            "mở trang hay không. Hệ thống chưa lưu gì: hãy mở lại trang rồi sửa lại."
        ).format(model=model._meta.verbose_name, row=_label(obj) if obj is not None else "")
    )


def check_version(model, obj, sent: str | None, current: str) -> None:
    """Raise the refusal when the version `sent` by the page is missing or not `current`."""
    sent = (sent or "").strip()
    if not sent:
        raise ValidationError(missing_message(model, obj), code="no_version")
    if sent != current:
        raise ValidationError(moved_message(model, obj.pk, obj), code="stale")


def versioned_form(form_class, model, obj):
    """`form_class` with a hidden field holding the row's version when the page was opened."""
    current = history_token(model, obj.pk)

    def clean(self):
        cleaned = super(versioned, self).clean()
        check_version(model, obj, self.data.get(self.add_prefix(VERSION_FIELD)), current)
        return cleaned

    attrs = {
        VERSION_FIELD: forms.CharField(label=_("phiên bản"), widget=forms.HiddenInput, required=False, initial=current),
        "clean": clean,
        "__module__": form_class.__module__,
    }
    versioned = type(form_class.__name__, (form_class,), attrs)
    return versioned


class IdWithVersionInput(DirectHiddenInput):
    """The hidden id of a formset's row, followed by the row's version in a hidden input of its own."""

    def __init__(self, version_name: str, version: str, attrs=None):
        super().__init__(attrs)
        self.version_name = version_name
        self.version = version

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '{}<input type="hidden" name="{}" value="{}">',
            super().render(name, value, attrs, renderer),
            self.version_name,
            self.version,
        )


class VersionedFormSetMixin:
    """Every existing row of the formset carries its version; a stale or missing one refuses the whole save."""

    _VERSION_ATTR = "ntm_version_token"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rows' versions come with the rows (one subquery column), not in a query of their own per formset.
        if isinstance(self.queryset, QuerySet) and not self.queryset.query.is_sliced:
            self.queryset = self.queryset.annotate(**{self._VERSION_ATTR: version_subquery(self.model)})

    def _versions(self) -> dict:
        if not hasattr(self, "_ntm_versions"):
            rows = list(self.get_queryset())
            if all(hasattr(obj, self._VERSION_ATTR) for obj in rows):
                self._ntm_versions = {
                    obj.pk: str(v) if (v := getattr(obj, self._VERSION_ATTR)) is not None else "0" for obj in rows
                }
            else:  # a list or a sliced page (an editable changelist): one query for the page
                self._ntm_versions = history_tokens(self.model, [obj.pk for obj in rows])
        return self._ntm_versions

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        if form.instance.pk is None or pk_name not in form.fields:
            return
        field = form.fields[pk_name]
        field.widget = IdWithVersionInput(
            form.add_prefix(VERSION_FIELD), self._versions().get(form.instance.pk, "0"), field.widget.attrs
        )

    def clean(self):
        super().clean()
        if not self.is_bound:
            return
        refusals = []
        versions = self._versions()
        for form in self.forms:
            obj = form.instance
            if obj.pk is None or obj.pk not in versions:
                continue  # a new row (or one another check already refuses)
            try:
                check_version(self.model, obj, self.data.get(form.add_prefix(VERSION_FIELD)), versions[obj.pk])
            except ValidationError as e:
                refusals.extend(e.messages)
        if refusals:
            raise ValidationError(refusals, code="stale")


def versioned_formset(formset_class):
    """`formset_class` with VersionedFormSetMixin in front (formset factories make a new class per page)."""
    if issubclass(formset_class, VersionedFormSetMixin):
        return formset_class
    return type(
        formset_class.__name__, (VersionedFormSetMixin, formset_class), {"__module__": formset_class.__module__}
    )
