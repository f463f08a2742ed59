"""WorkbookImportExportMixin: import, export and the template download for any model admin.

    @admin.register(Thing)
    class ThingAdmin(WorkbookImportExportMixin, TrackedAdmin):
        resource_classes = [ThingResource]

The changelist gets three buttons: "Nhập từ Excel" (upload -> preview with counts and the
rows by kind, ntm_site.spreadsheets.preview -> confirm), "Xuất Excel/CSV" (the list as
currently filtered) and "Tải biểu mẫu" (the empty template). A failed preview offers the
clerk's file back with its errors marked.
Uploaded files wait between preview and confirm in the database (DatabaseStorage), so any
worker process can serve the confirmation.
"""

from __future__ import annotations

import datetime
import threading
import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import SelectableFieldsExportForm

from ntm_site import jobs
from ntm_site.jobs.sizes import background_rows

from .batches import settle_abandoned
from .engine import PREVIEW_ROWS
from .formats import EXPORT_FORMATS
from .jobs import confirm_key, queue_import
from .reader import max_upload_bytes, size_in_mb
from .registry import template_label
from .services import workbook_import
from .storage import DatabaseStorage
from .workbooks import XLSX_CONTENT_TYPE, error_workbook, template_workbook

ERRORS_ON_PAGE = 200
ERROR_PREFIX = "err-"


class WorkbookUploadForm(forms.Form):
    import_file = forms.FileField(
        label=_("Tệp cần nhập"),
        help_text=_("Tệp .xlsx, .xls, .ods hoặc .csv, theo biểu mẫu tải về từ trang này."),
    )
    resource = forms.ChoiceField(label=_("Biểu mẫu"), required=False)

    def __init__(self, *args, resources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.resources = list(resources)
        if len(self.resources) > 1:
            self.fields["resource"].choices = [(i, r.get_display_name()) for i, r in enumerate(self.resources)]
        else:
            self.fields["resource"].widget = forms.HiddenInput()

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        cap = max_upload_bytes()
        if upload.size > cap:
            raise forms.ValidationError(
                _(
                    "Tệp nặng {size} MB, vượt giới hạn {limit} MB cho mỗi lần nhập. Hãy chia tệp thành nhiều phần."
                ).format(size=size_in_mb(upload.size), limit=size_in_mb(cap))
            )
        return upload

    def clean_resource(self):
        value = self.cleaned_data.get("resource") or "0"
        return int(value) if str(value).isdigit() and int(value) < max(1, len(self.resources)) else 0


class WorkbookConfirmForm(forms.Form):
    import_file_name = forms.CharField(widget=forms.HiddenInput())
    original_file_name = forms.CharField(widget=forms.HiddenInput(), required=False)
    resource = forms.IntegerField(widget=forms.HiddenInput(), required=False)


class WorkbookExportForm(SelectableFieldsExportForm):
    """The export form with the columns named as in the workbook (Vietnamese headers)."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return str(field.column_name) if field is not None and field.column_name else field_name


class WorkbookImportExportMixin(ImportExportMixin):
    """Upload -> preview (counts, rows by kind) -> confirm, export of the filtered list, templates."""

    import_export_change_list_template = "admin/ntm_site/spreadsheets/change_list.html"
    import_template_name = "admin/ntm_site/spreadsheets/import.html"
    tmp_storage_class = DatabaseStorage
    export_form_class = WorkbookExportForm
    skip_admin_log = True  # the ImportBatch and the history rows record imports

    # --- permissions: importing adds and changes rows; exporting shows them ----------------

    def has_import_permission(self, request):
        # The import permission of its own (IMPORT_EXPORT_IMPORT_PERMISSION_CODE), and rows to add and change.
        return (
            super().has_import_permission(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def has_export_permission(self, request):
        # The export permission of its own: a viewer has it, a clerk who may only read a list may not.
        return super().has_export_permission(request) and self.has_view_permission(request)

    # --- urls ------------------------------------------------------------------------

    def get_urls(self):
        info = self.get_model_info()
        extra = [
            path(
                "template/",
                self.admin_site.admin_view(self.template_view),
                name="{}_{}_import_template".format(*info),
            ),
            path(
                "import/errors/<str:name>/",
                self.admin_site.admin_view(self.error_workbook_view),
                name="{}_{}_import_errors".format(*info),
            ),
        ]
        return extra + super().get_urls()

    # --- formats ---------------------------------------------------------------------

    def get_export_formats(self):
        return EXPORT_FORMATS

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        # Native values (dates, whole numbers) for every format: ours do their own formatting.
        data = self.get_data_for_export(request, queryset, force_native_type=True, **kwargs)
        return file_format.export_data(data)

    # --- exports too large for a web request: a background job (ntm_site.jobs) -------------

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        if getattr(request, "ntm_in_worker", False) or not background_rows(queryset):
            return super()._do_file_export(file_format, request, queryset, export_form=export_form)
        from ntm_site.jobs.admin_export import queue_export

        job = queue_export(
            self,
            request,
            label=_("Xuất {what} ra tệp .{ext}").format(
                what=self.model._meta.verbose_name_plural, ext=file_format.get_extension()
            ),
        )
        messages.info(request, _("Danh sách dài: tệp đang được tạo chạy nền; tải về ở trang này khi xong."))
        return HttpResponseRedirect(jobs.page_url(job))

    def background_export(self, request, run) -> jobs.Outcome:
        """The export of the replayed request (ntm_site.jobs.admin_export), in the worker."""
        request.ntm_in_worker = True
        if not self.has_export_permission(request):
            return jobs.Outcome(ok=False, message=_("Bạn không còn quyền xuất danh sách này."))
        formats = self.get_export_formats()
        queryset = self.get_export_queryset(request)
        form = self.get_export_form_class()(formats, self.get_export_resource_classes(request), data=request.POST)
        if not form.is_valid():
            return jobs.Outcome(ok=False, message=_("Yêu cầu xuất không hợp lệ: {errors}").format(errors=form.errors))
        if "export_items" in request.POST:  # the export action of selected rows
            queryset = queryset.filter(pk__in=request.POST.getlist("export_items"))
        file_format = formats[int(form.cleaned_data["format"])]()
        total = queryset.count()
        run.progress(total=total)
        content = self.get_export_data(file_format, request, queryset, encoding=self.to_encoding, export_form=form)
        if isinstance(content, str):
            content = content.encode(self.to_encoding or "utf-8")
        return jobs.Outcome(
            message=_("Đã xuất {n} dòng.").format(n=total),
            content=content,
            filename=self.get_export_filename(request, queryset, file_format),
            content_type=file_format.get_content_type(),
            total=total,
            read=total,
            written=total,
        )

    def get_export_filename(self, request, queryset, file_format):
        resource = self.get_export_resource_classes(request)[0]
        stamp = datetime.date.today().strftime("%Y%m%d")
        return f"{resource.get_file_stem()}_{stamp}.{file_format.get_extension()}"

    # --- the views -------------------------------------------------------------------

    def template_view(self, request):
        if not (self.has_import_permission(request) or self.has_view_permission(request)):
            raise PermissionDenied
        resource_classes = self.get_import_resource_classes(request)
        index = request.GET.get("resource", "0")
        resource_class = resource_classes[int(index) if index.isdigit() and int(index) < len(resource_classes) else 0]
        response = HttpResponse(template_workbook(resource_class), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="bieu_mau_{resource_class.get_file_stem()}.xlsx"'
        return response

    def _context(self, request, **extra):
        context = self.get_import_context_data()
        context.update(self.admin_site.each_context(request))
        context.update(
            {
                "title": _("Nhập {what} từ Excel").format(what=self.model._meta.verbose_name_plural),
                "opts": self.model._meta,
                "max_upload_mb": size_in_mb(max_upload_bytes()),
                "preview_rows": PREVIEW_ROWS,
                "errors_on_page": ERRORS_ON_PAGE,
                "template_url": reverse("admin:{}_{}_import_template".format(*self.get_model_info())),
            }
        )
        context.update(extra)
        request.current_app = self.admin_site.name
        return context

    def _resource_columns(self, resource_classes):
        return [(r.get_display_name(), [c.name for c in r().get_import_columns()]) for r in resource_classes]

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource_classes = self.get_import_resource_classes(request)
        form = WorkbookUploadForm(request.POST or None, request.FILES or None, resources=resource_classes)
        context = self._context(request, form=form, fields_list=self._resource_columns(resource_classes))
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            index = form.cleaned_data["resource"]
            data = b"".join(upload.chunks())
            storage = DatabaseStorage(read_mode="rb")
            storage.save(data)
            report = workbook_import(
                resource_class=resource_classes[index],
                file=data,
                user=request.user,
                dry_run=True,
                file_name=upload.name,
                **self.get_import_resource_kwargs(request, form=form),
            )
            context["report"] = report
            context["errors"] = report.errors[:ERRORS_ON_PAGE]
            if report.ok:
                context["confirm_form"] = WorkbookConfirmForm(
                    initial={"import_file_name": storage.name, "original_file_name": upload.name, "resource": index}
                )
            else:
                storage.remove()
                if report.errors:
                    context["error_file_url"] = self._store_error_workbook(data, report)
        return TemplateResponse(request, [self.import_template_name], context)

    def _store_error_workbook(self, data, report):
        try:
            content = error_workbook(data, report.file_format, report)
        except Exception:  # the report on the page is still there; the download is a convenience
            return None
        name = ERROR_PREFIX + uuid.uuid4().hex
        DatabaseStorage(name=name).save(content)
        return reverse("admin:{}_{}_import_errors".format(*self.get_model_info()), args=[name])

    def error_workbook_view(self, request, name):
        if not self.has_import_permission(request) or not name.startswith(ERROR_PREFIX):
            raise PermissionDenied
        content = DatabaseStorage(name=name, read_mode="rb").read()
        if content is None:
            raise Http404(_("Tệp báo lỗi đã hết hạn; hãy tải tệp lên lại để kiểm tra."))
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="tep_bao_loi.xlsx"'
        return response

    @staticmethod
    def _confirm_form(request):
        return WorkbookConfirmForm(request.POST)

    def process_import(self, request, **kwargs):
        return require_POST(self._process_import)(request, **kwargs)

    def _process_import(self, request, **kwargs):
        """The confirm: the previewed upload becomes a background job (ntm_site.jobs), imported once."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = WorkbookConfirmForm(request.POST)
        resource_classes = self.get_import_resource_classes(request)
        import_url = reverse("admin:{}_{}_import".format(*self.get_model_info()))
        if not form.is_valid():
            return HttpResponseRedirect(import_url)
        name = form.cleaned_data["import_file_name"]
        index = form.cleaned_data.get("resource") or 0
        # The upload is taken and the job recorded in one transaction: a second confirm of the same preview (a
        # double click, the back button, another app process) waits for this one, then finds the job.
        with transaction.atomic(using=router.db_for_write(self.model)):
            data = DatabaseStorage(name=name, read_mode="rb").take()
            if data is not None:
                job, _batch = queue_import(
                    resource_class=resource_classes[index if index < len(resource_classes) else 0],
                    data=data,
                    upload_name=name,
                    file_name=form.cleaned_data.get("original_file_name") or "",
                    user=request.user,
                    model=self.model,
                    back_url=reverse("admin:{}_{}_changelist".format(*self.get_model_info())),
                )
        if data is None:
            return self._already_confirmed(request, name, import_url)
        job.refresh_from_db()
        if job.state == job.State.DONE:  # run at once (NTM_TASKS_BACKEND=immediate): straight back to the list
            messages.success(request, job.message)
            return HttpResponseRedirect(job.back_url)
        return HttpResponseRedirect(jobs.page_url(job))

    def _already_confirmed(self, request, name, import_url):
        from ntm_site.models import Job

        job = Job.objects.filter(key=confirm_key(name)).first()
        if job is None:
            messages.error(request, _("Tệp tải lên đã hết hạn hoặc đã được nhập. Hãy tải tệp lên lại."))
            return HttpResponseRedirect(import_url)
        messages.warning(
            request,
            _("Tệp “{file}” đã được xác nhận nhập rồi ({state}); không nhập lần nữa.").format(
                file=job.params.get("file_name") or name, state=job.get_state_display()
            ),
        )
        return HttpResponseRedirect(jobs.page_url(job))

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["import_template_url"] = reverse("admin:{}_{}_import_template".format(*self.get_model_info()))
        return super().changelist_view(request, extra_context)


class TemplateFilter(admin.SimpleListFilter):
    """Batches by template, each named as clerks know it (not by its code)."""

    title = _("biểu mẫu")
    parameter_name = "template"

    def lookups(self, request, model_admin):
        slugs = model_admin.get_queryset(request).order_by().values_list("template", flat=True).distinct()
        return sorted(((slug, template_label(slug)) for slug in slugs), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(template=self.value()) if self.value() else queryset


class ImportBatchAdmin(admin.ModelAdmin):
    """Every import, for the record: read-only."""

    list_display = [
        "started_at",
        "template_name",
        "file_name",
        "user",
        "state",
        "rows",
        "created",
        "updated",
        "errors",
    ]
    list_filter = ["status", TemplateFilter]
    list_select_related = ["user", "job"]
    _current = threading.local()  # the request being listed, for the state column (one admin serves every thread)

    class Media:
        js = ["ntm_site/job-progress.js"]  # the progress of background imports moves while the list is open

    search_fields = ["file_name", "template", "user__username"]
    date_hierarchy = None
    fields = [
        "template_name",
        "content_type",
        "file_name",
        "user",
        "started_at",
        "finished_at",
        "status",
        ("rows", "created", "updated", "unchanged", "skipped", "errors"),
        "error_summary",
        "rows_written",
    ]
    readonly_fields = fields[:7] + ["rows", "created", "updated", "unchanged", "skipped", "errors"] + fields[8:]
    show_full_result_count = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        settle_abandoned()
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("biểu mẫu"), ordering="template")
    def template_name(self, obj):
        return template_label(obj.template)

    @admin.display(description=_("trạng thái"), ordering="status")
    def state(self, obj):
        """The batch's state; for one run in the background, its progress and the way to its page and files."""
        job, request = obj.job, getattr(self._current, "request", None)
        if job is None or request is None or not (request.user.is_superuser or job.user_id == request.user.pk):
            return obj.get_status_display()  # a job's page and files are its owner's
        status = jobs.status(job)
        return render_to_string("admin/ntm_site/jobs/_batch_state.html", {"job": job, "status": status}, request)

    def changelist_view(self, request, extra_context=None):
        from ntm_site.models import Job

        self._current.request = request
        # A background import whose worker died shows as failed here too (ntm_site.jobs.reap).
        jobs.reap(Job.objects.filter(kind=Job.Kind.IMPORT, state=Job.State.RUNNING))
        # A batch left "running" by a process that is gone (killed halfway) says failed, and why, from now on.
        settle_abandoned()
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("các dòng đã ghi (20 dòng đầu)"))
    def rows_written(self, obj):
        history = obj.history_rows()
        if history is None or obj.status != obj.Status.DONE:
            return "—"
        items = format_html_join(
            "",
            "<li>{} {}</li>",
            (("+" if h.history_type == "+" else "~", h.instance) for h in history.order_by("history_id")[:20]),
        )
        return format_html("<ul>{}</ul>", items) if items else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
