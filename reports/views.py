"""Report pages inside the admin: same login, same look; downloads and print layout of the same result."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ntm_site import jobs
from reports import exports, registry
from reports.jobs import queue_download, sized_result
from reports.models import SavedFilter

# Query-string keys that are not report parameters.
NON_PARAMS = {"print", "saved"}
PAGE_ROWS = 1000


def _report_or_404(request, slug: str) -> registry.Report:
    try:
        report = registry.get(slug)
    except KeyError:
        raise Http404(slug) from None
    if not report.has_permission(request.user):
        raise PermissionDenied
    return report


def _params(request):
    data = request.GET.copy()
    for key in NON_PARAMS:
        data.pop(key, None)
    return data


def refusal_message(lead: str, form) -> str:
    """`lead` and why the parameters were refused, field by field ("Xã: “Xã Kỳ Tiến” nằm ngoài phạm vi …")."""
    reasons = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            reasons.append(_("{field}: {error}").format(field=label, error=error) if label else str(error))
    return " ".join([lead, *reasons]) if reasons else lead


def _context(request, **extra):
    return {**admin.site.each_context(request), **extra}


def _bind(report, request):
    """The bound filterset and its result, or (unbound filterset, None) when required parameters are missing."""
    data = _params(request)
    filterset = report.bind(data, request=request)
    if filterset.is_valid():
        # The page shows the first PAGE_ROWS rows of each table (the print layout and the downloads all of them).
        row_limit = None if request.GET.get("print") else PAGE_ROWS
        return filterset, report.result(filterset, row_limit=row_limit), None
    if not data:
        # First visit of a report that needs parameters: show the form, not a page of errors.
        return report.bind(None, request=request), None, None
    return filterset, None, filterset.form.errors


class SaveFilterForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên bộ lọc"), max_length=120)
    shared_with = forms.MultipleChoiceField(
        label=gettext_lazy("Chia sẻ với nhóm"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(g.pk): g for g in user.groups.all()}
        self.fields["shared_with"].choices = [(pk, g.name) for pk, g in self.groups.items()]


def index(request):
    reports = [r for r in registry.all_reports() if r.has_permission(request.user)]
    saved = SavedFilter.objects.visible_to(request.user).select_related("owner")
    titles = {r.slug: r.title for r in reports}
    saved = [s for s in saved if s.report in titles]
    for s in saved:
        s.report_title = titles[s.report]
    return TemplateResponse(
        request, "reports/index.html", _context(request, title=_("Báo cáo"), reports=reports, saved_filters=saved)
    )


def report_page(request, slug: str):
    report = _report_or_404(request, slug)
    if request.GET.get("saved"):
        saved = get_object_or_404(SavedFilter.objects.visible_to(request.user), pk=request.GET["saved"], report=slug)
        return HttpResponseRedirect(saved.get_absolute_url())
    filterset, result, errors = _bind(report, request)
    chart = report.chart(result) if result is not None else None
    query = _params(request).urlencode()
    template = "reports/print.html" if request.GET.get("print") else "reports/report.html"
    context = _context(
        request,
        title=report.title,
        report=report,
        form=filterset.form,
        result=result,
        errors=errors,
        chart=chart,
        query=query,
        export_links=[
            (fmt, label, f"{reverse('reports:export', args=[slug, fmt])}?{query}")
            for fmt, label in (("xlsx", _("Tải Excel (.xlsx)")), ("csv", _("Tải CSV")), ("json", _("JSON")))
        ],
        print_url=f"{request.path}?{query + '&' if query else ''}print=1",
        param_items=[(key, value) for key, values in _params(request).lists() for value in values],
        saved_filters=SavedFilter.objects.visible_to(request.user).for_report(slug).select_related("owner"),
        save_form=SaveFilterForm(user=request.user),
        criteria_sets_url=_criteria_sets_url(request, result),
    )
    return TemplateResponse(request, template, context)


def _criteria_sets_url(request, result) -> str | None:
    """Where an empty criteria report sends its reader to load a criteria set (when they may open that page)."""
    if result is None or not result.empty or not request.user.has_perm("criteria.view_criteriaset"):
        return None
    return reverse("admin:criteria_criteriaset_changelist")


def export(request, slug: str, fmt: str):
    report = _report_or_404(request, slug)
    if fmt not in exports.FORMATS:
        raise Http404(fmt)
    filterset = report.bind(_params(request), request=request)
    if not filterset.is_valid():
        messages.error(request, refusal_message(_("Chưa tải được: tham số báo cáo chưa hợp lệ."), filterset.form))
        return HttpResponseRedirect(f"{reverse('reports:report', args=[slug])}?{_params(request).urlencode()}")
    if fmt == "xlsx":
        result = sized_result(report, filterset)
        if result is None:  # too many rows for a web request: a worker builds the workbook (reports.jobs)
            job = queue_download(request, report, kind="xlsx", query=_params(request))
            messages.info(request, _("Báo cáo dài: tệp Excel đang được tạo chạy nền; tải về ở trang này khi xong."))
            return HttpResponseRedirect(jobs.page_url(job))
    else:
        result = report.result(filterset)
    content_type, render = exports.FORMATS[fmt]
    response = HttpResponse(render(result), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(result, fmt)}"'
    return response


@require_POST
def save_filter(request, slug: str):
    report = _report_or_404(request, slug)
    if not request.user.has_perm("reports.add_savedfilter"):
        raise PermissionDenied
    form = SaveFilterForm(request.POST, user=request.user)
    params = _params_from_post(request)
    back = f"{reverse('reports:report', args=[slug])}?{params.urlencode()}"
    filterset = report.bind(params, request=request)
    if not form.is_valid() or not filterset.is_valid():
        messages.error(request, _("Chưa lưu được bộ lọc: cần đặt tên và các tham số phải hợp lệ."))
        return HttpResponseRedirect(back)
    stored = {key: values if len(values) > 1 else values[0] for key, values in params.lists() if any(values)}
    try:
        with transaction.atomic():
            saved = SavedFilter.objects.create(
                name=form.cleaned_data["name"], report=slug, params=stored, owner=request.user
            )
            saved.shared_with.set([form.groups[pk] for pk in form.cleaned_data["shared_with"]])
    except IntegrityError:
        messages.error(request, _("Bạn đã có một bộ lọc tên “{name}” cho báo cáo này.").format(**form.cleaned_data))
        return HttpResponseRedirect(back)
    messages.success(request, _("Đã lưu bộ lọc “{name}”.").format(name=saved.name))
    return HttpResponseRedirect(saved.get_absolute_url())


def _params_from_post(request):
    """The report parameters travel in the save form as hidden `p-<name>` fields."""
    params = QueryDict(mutable=True)
    for key, values in request.POST.lists():
        if key.startswith("p-"):
            for value in values:
                params.appendlist(key[2:], value)
    return params


def admin_views():
    """The views wrapped by the admin site: login required, staff only, never cached."""
    return {
        "index": admin.site.admin_view(index),
        "report": admin.site.admin_view(report_page),
        "export": admin.site.admin_view(export),
        "save": admin.site.admin_view(save_filter),
    }
