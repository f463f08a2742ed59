"""What every admin of the project does about scope, approval, concurrency, deletes and restores.

ntm_site.admin.TrackedAdmin (the base of every ModelAdmin) inherits `GuardedAdminMixin`, so
each admin gets, without a line of its own:

- scope: lists, change pages (also reached by typing an id in the URL), history, exports and
  actions show and touch only rows in the user's scope; foreign-key choices and autocompletes
  offer only what keeps a row in the user's write scope; a save that would leave it is refused;
- approval: rows of an approved commune-year are read-only (ntm_site.accounts.approval);
- optimistic concurrency: a change form carries the history id of the row it was opened on; the
  save is refused with a message if someone saved the row in between;
- protected deletes: refused with a message naming what depends on the row;
- deleted rows: a coordinator lists them from history and restores one.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ntm_site.accounts import approval, scope
from ntm_site.accounts.restore import deleted_with_another, deletion_sizes, restore_deleted
from ntm_site.accounts.scope import NOTHING, READ, WRITE
from ntm_site.accounts.versions import VERSION_FIELD, history_token, versioned_form, versioned_formset
from ntm_site.admin_widgets import direct_formset, known_labels_widget

__all__ = ["VERSION_FIELD", "history_token", "restore_deleted"]
RESTORE_PERMISSION = "accounts.restore_deleted"
# Actions that only read the chosen rows: they work on everything the user can see.
READ_ONLY_ACTIONS = {"export_admin_action"}


# --- optimistic concurrency: ntm_site.accounts.versions -------------------------------------


# --- inlines --------------------------------------------------------------------------------


class ScopedInlineMixin:
    """An inline's rows are read in scope; they change only when the parent row may change."""

    def _parent_writable(self, request, obj):
        return obj is None or (scope.allows(request.user, obj, WRITE) and approval.refusal(request.user, obj) is None)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if scope.rule_for(self.model) is not None:
            qs = scope.restrict(qs, request.user, READ)
        return qs

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._parent_writable(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        # Every row the inline writes carries its version (ntm_site.accounts.versions), whatever the inline.
        formset = super().get_formset(request, obj, **kwargs)
        formset = direct_formset(formset)  # many rows: the plain fields rendered without a template each
        if obj is not None and obj.pk is not None and scope.history_model_of(self.model) is not None:
            formset = versioned_formset(formset)
        return formset

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_writable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_writable(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _limit_formfield(formfield, request, self.model, db_field)


_scoped_inlines: dict[type, type] = {}


def scoped_inline(inline_class):
    """`inline_class` with ScopedInlineMixin in front (made once per class)."""
    if issubclass(inline_class, ScopedInlineMixin):
        return inline_class
    if inline_class not in _scoped_inlines:
        _scoped_inlines[inline_class] = type(
            inline_class.__name__, (ScopedInlineMixin, inline_class), {"__module__": inline_class.__module__}
        )
    return _scoped_inlines[inline_class]


def _limit_formfield(formfield, request, model, db_field):
    if formfield is None or not hasattr(formfield, "queryset"):
        return formfield
    target = db_field.related_model
    queryset = formfield.queryset
    if scope.rule_for(target) is not None:
        queryset = scope.restrict(queryset, request.user, READ)
    q = scope.choices_q(request.user, model, db_field.name, WRITE)
    if q == NOTHING:
        queryset = queryset.none()
    elif q is not None:
        queryset = queryset.filter(q)
    formfield.queryset = queryset
    return formfield


def _autocomplete_source(request, target_model):
    """(source model, field name) when this request is the admin autocomplete for a field pointing at `target_model`."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete":
        return None
    from django.apps import apps

    try:
        model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        field = model._meta.get_field(request.GET["field_name"])
    except (KeyError, LookupError, FieldDoesNotExist):
        return None
    if getattr(field, "related_model", None) is not target_model:
        return None
    return model, field.name


def may_fill(user, model) -> bool:
    """Whether `user` may add or change some row of `model`: only then is a form of it theirs to fill."""
    opts = model._meta
    perms = (f"{opts.app_label}.add_{opts.model_name}", f"{opts.app_label}.change_{opts.model_name}")
    return any(user.has_perm(p) for p in perms) and scope.get_scope(user).can_write_any(model)


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    """The admin autocomplete, answered only to users who may write the model whose form asks.

    Django checks only that the user may view the target; a viewer or a clerk who cannot write
    the form's model gets 403 rather than a list. What is offered is narrowed by
    GuardedAdminMixin.get_queryset (targets that keep the row in the user's write scope).
    """

    def has_perm(self, request, obj=None):
        return super().has_perm(request, obj) and may_fill(request.user, self.source_field.model)

    def serialize_result(self, obj, to_field_name):
        # The target's admin may word its options (units add their edition: "… (từ 01/07/2025)").
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = str(label(obj))
        group = getattr(self.model_admin, "autocomplete_group", None)
        if group is not None:
            self.__dict__.setdefault("_headings", []).append(str(group(obj)))
        return result

    def get(self, request, *args, **kwargs):
        # The target's admin may list its options under headings (units under their edition, as criteria are
        # listed under their set): consecutive results of one heading become one group of Select2's "children".
        response = super().get(request, *args, **kwargs)
        headings = self.__dict__.get("_headings")
        if not headings:
            return response
        data = json.loads(response.content)
        groups = []
        for heading, result in zip(headings, data["results"], strict=True):
            if not groups or groups[-1]["text"] != heading:
                groups.append({"text": heading, "children": []})
            groups[-1]["children"].append(result)
        return JsonResponse({**data, "results": groups})


# --- the admin mixin ------------------------------------------------------------------------


class GuardedAdminMixin:
    """Scope, approval, concurrency, protected deletes and restores for a ModelAdmin (see the module docstring)."""

    deleted_list_template = "admin/accounts/deleted_list.html"

    # --- reading ---------------------------------------------------------------------

    def get_queryset(self, request):
        qs = scope.restrict(super().get_queryset(request), request.user, READ)
        source = _autocomplete_source(request, self.model)
        if source is not None:
            # An autocomplete offers only targets that keep the row being edited in the user's write scope.
            q = scope.choices_q(request.user, *source, WRITE)
            if q == NOTHING:
                qs = qs.none()
            elif q is not None:
                qs = qs.filter(q)
        return qs

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django says "… doesn't exist. Perhaps it was deleted?" also of a row that lies outside the user's scope
        # (a commune clerk opening another commune's sheet by its address). Say both, without telling which.
        user_scope = scope.get_scope(request.user)
        if user_scope.unrestricted or scope.rule_for(opts.model) is None:
            return super()._get_obj_does_not_exist_redirect(request, opts, object_id)
        message = _(
            "Không mở được {name} số “{key}”: bản ghi đã bị xóa hoặc nằm ngoài phạm vi được giao cho bạn ({scope})."
        ).format(name=opts.verbose_name, key=unquote(object_id), scope=user_scope.describe())
        self.message_user(request, message, messages.WARNING)
        if self.has_view_or_change_permission(request):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=self.admin_site.name)
        else:
            url = reverse("admin:index", current_app=self.admin_site.name)
        return HttpResponseRedirect(url)

    def get_object(self, request, object_id, from_field=None):
        # A change page asks for its row several times (locks, approval, the form): on a GET, read it once,
        # with the rows its autocompletes show (see render_change_form).
        if request.method not in ("GET", "HEAD"):
            return super().get_object(request, object_id, from_field)
        memo = request.__dict__.setdefault("_ntm_objects", {})
        key = (self.model, str(object_id), from_field)
        if key not in memo:
            memo[key] = self._get_object_with_labels(request, object_id, from_field)
        return memo[key]

    def _get_object_with_labels(self, request, object_id, from_field):
        # Read in scope, with whether the user may also write it: the permission checks then ask no query.
        queryset = scope.with_write_answer(self.get_queryset(request), request.user)
        model = queryset.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            object_id = field.to_python(object_id)
            obj = queryset.select_related(*self._autocomplete_relations(request)).get(**{field.name: object_id})
        except (model.DoesNotExist, ValidationError, ValueError):
            return None
        scope.remember_answers(request.user, obj)
        return obj

    def _autocomplete_relations(self, request) -> list[str]:
        """select_related paths of the foreign keys shown as autocompletes (and the parent a unit prints)."""
        paths = []
        for name in self.get_autocomplete_fields(request):
            field = self.model._meta.get_field(name)
            if not field.many_to_one:
                continue
            paths.append(name)
            if any(f.name == "parent" and f.many_to_one for f in field.related_model._meta.concrete_fields):
                paths.append(f"{name}__parent")
        return paths

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Autocompletes label their value from the row loaded above instead of one query each.
        adminform = context.get("adminform")
        if obj is not None and adminform is not None:
            for name, field in adminform.form.fields.items():
                inner = getattr(field.widget, "widget", field.widget)
                if type(inner) is AutocompleteSelect and name in obj._state.fields_cache:
                    widget = known_labels_widget(inner, obj, name, field)
                    if inner is field.widget:
                        field.widget = widget
                    else:
                        field.widget.widget = widget
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or scope.allows(request.user, obj, READ)

    # --- writing ---------------------------------------------------------------------

    def has_add_permission(self, request):
        return super().has_add_permission(request) and scope.get_scope(request.user).can_write_any(self.model)

    def _writable(self, request, obj):
        return scope.allows(request.user, obj, WRITE) and approval.refusal(request.user, obj) is None

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or self._writable(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self._writable(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _limit_formfield(formfield, request, self.model, db_field)

    def get_inline_instances(self, request, obj=None):
        # Django's own loop, with every inline made scoped (whatever get_inlines an admin overrides).
        instances = []
        for inline_class in self.get_inlines(request, obj):
            inline = scoped_inline(inline_class)(self.model, self.admin_site)
            if request:
                if not (
                    inline.has_view_or_change_permission(request, obj)
                    or inline.has_add_permission(request, obj)
                    or inline.has_delete_permission(request, obj)
                ):
                    continue
                if not inline.has_add_permission(request, obj):
                    inline.max_num = 0
            instances.append(inline)
        return instances

    def get_actions(self, request):
        actions = super().get_actions(request)
        if actions is not None:
            actions.update(approval.admin_actions(self, request))
        return actions

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        return shown + [f for f in approval.status_column(self) if f not in shown]

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return filters + [f for f in approval.status_column(self) if f not in filters]

    def get_exclude(self, request, obj=None):
        # The approval state changes only through its buttons (ntm_site.accounts.approval).
        protected = approval.protected_fields(self.model)
        excluded = super().get_exclude(request, obj)
        if not protected:
            return excluded
        return [*(excluded or ()), *protected]

    def _refuse_unless_writable(self, request, obj, *, when):
        if not scope.allows(request.user, obj, WRITE):
            raise PermissionDenied(
                _("{what} nằm ngoài phạm vi được giao cho bạn ({scope}).").format(
                    what=capfirst(self.model._meta.verbose_name), scope=scope.get_scope(request.user).describe()
                )
            )
        refusal = approval.refusal(request.user, obj)
        if refusal is not None:
            raise PermissionDenied(refusal)

    def save_model(self, request, obj, form, change):
        user = request.user
        model = type(obj)
        if obj.pk is not None and model._default_manager.filter(pk=obj.pk).exists():
            # The row as it is in the database (before this save) must be the user's to change.
            original = model._default_manager.get(pk=obj.pk)
            self._refuse_unless_writable(request, original, when="before")
        elif change:
            # Saving a row that no longer exists brings it back (simple-history's revert): a restore.
            if not user.has_perm(RESTORE_PERMISSION):
                raise PermissionDenied(_("Chỉ văn phòng điều phối tỉnh được khôi phục bản ghi đã xóa."))
        else:
            problems = scope.fk_problems(user, obj)
            if problems:
                raise PermissionDenied(" ".join(problems.values()))
        super().save_model(request, obj, form, change)
        scope.forget_object(user, obj)
        # ... and so must the row as saved (a forged form cannot move it out of scope).
        self._refuse_unless_writable(request, obj, when="after")

    def save_formset(self, request, form, formset, change):
        # Rows that say who attached them (evidence) get the user who saves the page.
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk is None and hasattr(instance, "attached_by_id") and instance.attached_by_id is None:
                instance.attached_by = request.user
        super().save_formset(request, form, formset, change)
        changed = [*getattr(formset, "new_objects", []), *(o for o, _f in getattr(formset, "changed_objects", []))]
        for obj in changed:
            if scope.rule_for(type(obj)) is not None:
                scope.forget_object(request.user, obj)
                if not scope.allows(request.user, obj, WRITE):
                    raise PermissionDenied

    def get_changelist_formset(self, request, **kwargs):
        # Rows edited on the list carry their versions too.
        formset = super().get_changelist_formset(request, **kwargs)
        return versioned_formset(formset) if scope.history_model_of(self.model) is not None else formset

    def _get_list_editable_queryset(self, request, prefix):
        return scope.restrict(super()._get_list_editable_queryset(request, prefix), request.user, WRITE)

    def response_action(self, request, queryset):
        if _posted_action(request) not in READ_ONLY_ACTIONS:
            # Actions change rows: they get only the chosen rows the user may write.
            queryset = scope.restrict(queryset, request.user, WRITE)
        return super().response_action(request, queryset)

    # --- deleting --------------------------------------------------------------------

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            self.message_user(request, protected_message(objs, protected_models(objs)), messages.ERROR)
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        self._refuse_unless_writable(request, obj, when="before")
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                super().delete_model(request, obj)
        except (ProtectedError, RestrictedError) as e:
            raise PermissionDenied(protected_message([obj], _count_protected(e))) from e

    def delete_queryset(self, request, queryset):
        writable = scope.restrict(queryset, request.user, WRITE)
        if writable.count() != queryset.count():
            raise PermissionDenied(_("Có bản ghi được chọn nằm ngoài phạm vi được giao cho bạn."))
        for obj in queryset:
            refusal = approval.refusal(request.user, obj)
            if refusal is not None:
                raise PermissionDenied(refusal)
        # One deletion per chosen row (TrackedModel.delete records each), so each can be restored whole.
        with transaction.atomic(using=router.db_for_write(self.model)):
            for obj in queryset:
                obj.delete()

    # --- changing: concurrency and read-only explanations ------------------------------

    def _versioned(self, request, obj):
        return (
            obj is not None
            and obj.pk is not None
            and scope.history_model_of(self.model) is not None
            and self.has_change_permission(request, obj)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._versioned(request, obj):
            readonly = self.get_readonly_fields(request, obj)
            base = type(
                self.form.__name__, (self.form,), dict.fromkeys(f for f in readonly if f in self.form.declared_fields)
            )
            kwargs["form"] = versioned_form(base, self.model, obj)
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != VERSION_FIELD]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if fieldsets and self._versioned(request, obj) and VERSION_FIELD not in flatten_fieldsets(fieldsets):
            name, options = fieldsets[-1]
            fieldsets[-1] = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
        return fieldsets

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                refusal = approval.refusal(request.user, obj)
                if refusal is not None:
                    self.message_user(request, refusal, messages.WARNING)
        extra_context = {**(extra_context or {}), **approval.change_page_context(self, request, object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    # --- deleted rows and their restore ----------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        info = opts.app_label, opts.model_name
        wrap = self.admin_site.admin_view
        extra = [
            path("deleted/", wrap(self.deleted_view), name="{}_{}_deleted".format(*info)),
            path(
                "deleted/<int:history_id>/restore/",
                wrap(require_POST(self.restore_view)),
                name="{}_{}_restore".format(*info),
            ),
            path(
                "deleted/<str:part>/<int:history_id>/restore/",
                wrap(require_POST(self.restore_part_view)),
                name="{}_{}_restore_part".format(*info),
            ),
        ]
        extra += approval.admin_urls(self)
        return extra + super().get_urls()

    def has_restore_permission(self, request):
        return (
            scope.history_model_of(self.model) is not None
            and request.user.has_perm(RESTORE_PERMISSION)
            and self.has_add_permission(request)
        )

    def deleted_queryset(self, request, model=None):
        """Last history rows ("-") of records (of `model`: one of `part_models()`) that no longer exist, in the
        user's write scope."""
        model = model or self.model
        hmodel = scope.history_model_of(model)
        pk = model._meta.pk.attname
        rows = hmodel.objects.filter(history_type="-").exclude(**{f"{pk}__in": model._default_manager.values("pk")})
        # Rows deleted with another record come back with it: they are restored from that record's list.
        rows = rows.exclude(history_id__in=deleted_with_another(model))
        rows = scope.restrict_history(rows, request.user, model, WRITE)
        return rows.select_related("history_user").order_by("-history_date", "-history_id")

    def part_models(self) -> dict:
        """{model name: model} of the rows written only on this page (tracked inlines with no page of their own):
        one deleted there alone is listed, and restored, with this model's deleted records."""
        found = {}
        for inline in self.inlines:
            model = inline.model
            if model not in self.admin_site._registry and scope.history_model_of(model) is not None:
                found[model._meta.model_name] = model
        return found

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_restore_permission(request):
            opts = self.model._meta
            extra_context["ntm_deleted_url"] = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_deleted"
            )
        return super().changelist_view(request, extra_context)

    def deleted_view(self, request):
        if not self.has_restore_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        page = Paginator(self.deleted_queryset(request), 50).get_page(request.GET.get("p"))
        rows = []
        sizes = deletion_sizes(self.model, [record.history_id for record in page.object_list])
        for record in page.object_list:
            rows.append(
                {
                    "record": record,
                    "text": _safe_str(record),
                    "deleted_with": sizes.get(record.history_id, 0),
                    "restore_url": reverse(
                        f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_restore", args=[record.history_id]
                    ),
                }
            )
        if page.number == 1:
            rows += self._deleted_parts(request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("{what} đã xóa").format(what=capfirst(opts.verbose_name_plural)),
            "opts": opts,
            "page": page,
            "rows": rows,
            "changelist_url": reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.deleted_list_template, context)

    def restore_view(self, request, history_id):
        if not self.has_restore_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        record = self.deleted_queryset(request).filter(history_id=history_id).first()
        if record is None:
            raise Http404(_("Không có bản ghi đã xóa này, hoặc nó đã được khôi phục."))
        try:
            obj = restore_deleted(record=record, user=request.user)
        except ValidationError as e:
            self.message_user(request, " ".join(e.messages), messages.ERROR)
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_deleted"))
        self.log_addition(request, obj, [{"added": {}}])
        self.message_user(
            request,
            _("Đã khôi phục {what} “{obj}” từ lịch sử.").format(what=opts.verbose_name, obj=obj),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
        )

    def _deleted_parts(self, request) -> list[dict]:
        """The rows of this page's inlines deleted alone (at most 50 of each kind), named with their kind."""
        opts = self.model._meta
        rows = []
        for name, model in self.part_models().items():
            for record in self.deleted_queryset(request, model)[:50]:
                text = _("{model} “{obj}”").format(model=capfirst(model._meta.verbose_name), obj=_safe_str(record))
                url = f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_restore_part"
                rows.append(
                    {
                        "record": record,
                        "text": text,
                        "deleted_with": 0,
                        "restore_url": reverse(url, args=[name, record.history_id]),
                    }
                )
        return rows

    def restore_part_view(self, request, part, history_id):
        """ "Khôi phục" of a row deleted alone on this page: it comes back, and the page of its record opens."""
        if not self.has_restore_permission(request):
            raise PermissionDenied
        model = self.part_models().get(part)
        record = self.deleted_queryset(request, model).filter(history_id=history_id).first() if model else None
        if record is None:
            raise Http404(_("Không có bản ghi đã xóa này, hoặc nó đã được khôi phục."))
        opts = self.model._meta
        try:
            obj = restore_deleted(record=record, user=request.user)
        except ValidationError as e:
            self.message_user(request, " ".join(e.messages), messages.ERROR)
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_deleted"))
        self.message_user(
            request,
            _("Đã khôi phục {what} “{obj}” từ lịch sử.").format(what=model._meta.verbose_name, obj=obj),
            messages.SUCCESS,
        )
        parent = next(f for f in model._meta.concrete_fields if f.is_relation and f.related_model is self.model)
        return HttpResponseRedirect(
            reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[quote(getattr(obj, parent.attname))],
            )
        )


def _posted_action(request) -> str:
    try:
        index = int(request.POST.get("index", 0))
    except ValueError:
        index = 0
    names = request.POST.getlist("action")
    return names[index] if 0 <= index < len(names) else ""


def _safe_str(record):
    try:
        return str(record.instance)
    except Exception:  # a row pointing at something deleted since: show what we can
        return f"#{getattr(record, 'id', record.pk)}"


# --- protected deletes --------------------------------------------------------------------


def protected_models(objs):
    """{verbose name plural: count} of the rows that protect `objs` from deletion."""
    from django.contrib.admin.utils import NestedObjects
    from django.db import router as db_router

    if not objs:
        return {}
    using = db_router.db_for_write(type(objs[0]) if isinstance(objs, list) else objs.model)
    collector = NestedObjects(using=using)
    collector.collect(objs)
    return _counts(collector.protected)


def _count_protected(error):
    return _counts(getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", None) or [])


def _counts(rows):
    counts = {}
    for row in rows:
        name = str(row._meta.verbose_name_plural)
        counts[name] = counts.get(name, 0) + 1
    return counts


def protected_message(objs, counts) -> str:
    objs = list(objs)
    what = str(objs[0]) if len(objs) == 1 else _("{n} bản ghi đã chọn").format(n=len(objs))
    parts = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
    return str(
        _(
            "Không thể xóa “{what}”: còn {parts} đang dựa vào. Hãy xóa hoặc chuyển những bản ghi đó sang "
            "bản ghi khác trước."
        ).format(what=what, parts=parts)
    )
