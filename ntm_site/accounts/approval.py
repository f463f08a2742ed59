"""Approval of a commune's yearly scoring: draft → submitted → verified → approved.

    draft ──submit (commune)──> submitted ──verify (district)──> verified ──approve (province)──> approved
      ^                            │                                │                              │
      └──── send back (a reason, shown to the clerk) ───────────────┘                              │
      └──── reopen (province, a reason; kept in history) ──────────────────────────────────────────┘

The state lives on criteria.CommuneYear (approval_status and friends); its results (Assessment)
and evidence (Evidence) follow it. Who may change rows of a commune-year, by its state:

    draft       anyone who may write the commune (scope + model permission)
    submitted   those who verify (district clerks, the province): the commune waits for an answer
    verified    those who approve (the province)
    approved    nobody, superusers included, until the province reopens it

Every transition is a service below (`commune_year_<action>`), used by the buttons on the
commune-year page and by the changelist actions; each writes one history row of the
commune-year with who, when and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm_site.accounts import roles, scope

APPROVAL_FIELDS = ("approval_status", "approval_changed_at", "approval_changed_by", "returned_reason")
# Models whose rows follow a commune-year's state: label -> path to the commune-year ("" = itself).
FOLLOWS = {"criteria.communeyear": "", "criteria.assessment": "commune_year", "criteria.evidence": "commune_year"}


def _status():
    from criteria.choices import ApprovalStatus

    return ApprovalStatus


def _commune_year_model():
    try:
        model = apps.get_model("criteria", "CommuneYear")
    except LookupError:
        return None
    return model if any(f.name == "approval_status" for f in model._meta.fields) else None


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    permission: str
    needs_reason: bool = False
    done: str = ""


def transitions():
    S = _status()
    return {
        "submit": Transition(
            "submit", _("Gửi huyện xác nhận"), (S.DRAFT,), S.SUBMITTED, roles.SUBMIT, done=_("Đã gửi lên huyện.")
        ),
        "verify": Transition(
            "verify",
            _("Xác nhận"),
            (S.SUBMITTED,),
            S.VERIFIED,
            roles.VERIFY,
            done=_("Đã xác nhận, chờ tỉnh phê duyệt."),
        ),
        "approve": Transition(
            "approve",
            _("Phê duyệt"),
            (S.VERIFIED,),
            S.APPROVED,
            roles.APPROVE,
            done=_("Đã phê duyệt; số liệu chỉ còn đọc."),
        ),
        "send_back": Transition(
            "send_back",
            _("Trả lại để sửa"),
            (S.SUBMITTED, S.VERIFIED),
            S.DRAFT,
            "",  # VERIFY for a submitted sheet, APPROVE for a verified one (see _may)
            needs_reason=True,
            done=_("Đã trả lại cho xã kèm lý do."),
        ),
        "reopen": Transition(
            "reopen",
            _("Mở lại để sửa"),
            (S.APPROVED,),
            S.DRAFT,
            roles.REOPEN,
            needs_reason=True,
            done=_("Đã mở lại; việc mở lại được ghi vào lịch sử."),
        ),
    }


def _may(user, transition, commune_year) -> bool:
    S = _status()
    if transition.name == "send_back":
        permission = roles.VERIFY if commune_year.approval_status == S.SUBMITTED else roles.APPROVE
    else:
        permission = transition.permission
    return user.has_perm(permission) and scope.allows(user, commune_year, scope.WRITE)


def available(user, commune_year) -> list[Transition]:
    """The transitions `user` may make from the commune-year's present state."""
    if commune_year is None:
        return []
    return [
        t for t in transitions().values() if commune_year.approval_status in t.sources and _may(user, t, commune_year)
    ]


def _missing_criteria(commune_year) -> list[int]:
    Criterion = apps.get_model("criteria", "Criterion")
    numbers = set(
        Criterion.objects.filter(criteria_set_id=commune_year.criteria_set_id).values_list("number", flat=True)
    )
    done = set(commune_year.assessments.values_list("criterion__number", flat=True))
    return sorted(numbers - done)


@transaction.atomic
def commune_year_transition(*, commune_year, action: str, user, reason: str = ""):
    """Move one commune-year along the approval; PermissionDenied or ValidationError say why not."""
    transition = transitions().get(action)
    if transition is None:
        raise ValidationError(_("Không có thao tác “{action}”.").format(action=action))
    model = type(commune_year)
    commune_year = model._default_manager.select_for_update().get(pk=commune_year.pk)
    if commune_year.approval_status not in transition.sources:
        raise ValidationError(
            _("“{what}” đang ở tình trạng “{status}”: không thể {action}.").format(
                what=commune_year,
                status=commune_year.get_approval_status_display(),
                action=str(transition.label).lower(),
            )
        )
    if not _may(user, transition, commune_year):
        raise PermissionDenied(
            _("Bạn không có quyền {action} “{what}”.").format(action=str(transition.label).lower(), what=commune_year)
        )
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise ValidationError(_("Cần ghi lý do để {action}.").format(action=str(transition.label).lower()))
    if action == "submit":
        missing = _missing_criteria(commune_year)
        if missing:
            raise ValidationError(
                _("Chưa thể gửi: còn thiếu kết quả tiêu chí {numbers}.").format(numbers=", ".join(map(str, missing)))
            )
    commune_year.approval_status = transition.target
    commune_year.approval_changed_at = timezone.now()
    commune_year.approval_changed_by = user
    if transition.needs_reason:
        commune_year.returned_reason = reason
    elif action == "submit":
        commune_year.returned_reason = ""
    commune_year._history_user = user
    commune_year._change_reason = f"{transition.label}: {reason}" if reason else str(transition.label)
    commune_year.save(update_fields=list(APPROVAL_FIELDS))
    scope.forget_object(user, commune_year)
    return commune_year


def commune_year_submit(*, commune_year, user):
    return commune_year_transition(commune_year=commune_year, action="submit", user=user)


def commune_year_verify(*, commune_year, user):
    return commune_year_transition(commune_year=commune_year, action="verify", user=user)


def commune_year_approve(*, commune_year, user):
    return commune_year_transition(commune_year=commune_year, action="approve", user=user)


def commune_year_send_back(*, commune_year, user, reason: str):
    return commune_year_transition(commune_year=commune_year, action="send_back", user=user, reason=reason)


def commune_year_reopen(*, commune_year, user, reason: str):
    return commune_year_transition(commune_year=commune_year, action="reopen", user=user, reason=reason)


# --- who may change rows of a commune-year in its present state ------------------------------


def _commune_year_of(obj):
    label = type(obj)._meta.concrete_model._meta.label_lower
    if label not in FOLLOWS or _commune_year_model() is None:
        return None
    link = FOLLOWS[label]
    if not link:
        return obj
    if getattr(obj, f"{link}_id", None) is None:
        return None
    return getattr(obj, link)


def refusal_for_status(user, status, commune_year=None):
    S = _status()
    what = str(commune_year) if commune_year is not None else _("kết quả của xã trong năm")
    if status == S.APPROVED:
        return _(
            "“{what}” đã được tỉnh phê duyệt nên chỉ còn đọc. Văn phòng điều phối tỉnh mở lại (có ghi lý do) "
            "thì mới sửa được."
        ).format(what=what)
    if status == S.SUBMITTED and not user.has_perm(roles.VERIFY):
        return _("“{what}” đã gửi lên huyện và đang chờ xác nhận; huyện trả lại thì xã mới sửa được.").format(what=what)
    if status == S.VERIFIED and not user.has_perm(roles.APPROVE):
        return _("“{what}” đã được huyện xác nhận và đang chờ tỉnh phê duyệt; không sửa được nữa.").format(what=what)
    return None


def refusal(user, obj):
    """Why `user` may not change `obj` because of its commune-year's approval state, or None."""
    if obj is None or user is None:
        return None
    commune_year = _commune_year_of(obj)
    if commune_year is None:
        return None
    if commune_year is not obj and commune_year.pk is not None:
        status = (
            type(commune_year)
            ._default_manager.filter(pk=commune_year.pk)
            .values_list("approval_status", flat=True)
            .first()
        )
    else:
        status = commune_year.approval_status
    return refusal_for_status(user, status, commune_year)


def import_refusals(user, model, objs) -> dict:
    """{id(obj): message} for imported rows that fall in a commune-year the user may not change now."""
    label = model._meta.label_lower
    link = FOLLOWS.get(label)
    CommuneYear = _commune_year_model()
    if not link or CommuneYear is None or not objs:
        return {}
    ids = {getattr(o, f"{link}_id", None) for o in objs} - {None}
    # The sheets with their communes: a refusal names the commune and the year ("Xã Kỳ Tiến – năm 2017").
    sheets = CommuneYear._default_manager.filter(pk__in=ids).select_related("commune").in_bulk()
    holder = user if user is not None else _Nobody()
    out = {}
    for obj in objs:
        sheet = sheets.get(getattr(obj, f"{link}_id", None))
        if sheet is not None:
            message = refusal_for_status(holder, sheet.approval_status, sheet)
            if message is not None:
                out[id(obj)] = str(message)
    return out


class _Nobody:
    """The command line: it may change drafts, never an approved year (it holds no approval permission)."""

    def has_perm(self, perm):
        return perm in (roles.VERIFY, roles.APPROVE)


# --- reports ---------------------------------------------------------------------------------


def approved_only(queryset):
    """Rows of approved commune-years only (reports' "approved data only" filter)."""
    S = _status()
    label = queryset.model._meta.label_lower
    link = FOLLOWS.get(label)
    if link is None:
        return queryset
    return queryset.filter(**{f"{link}__approval_status" if link else "approval_status": S.APPROVED})


def approved_only_by_default(user) -> bool:
    """Viewers see approved data only unless they ask otherwise; clerks see their work in progress."""
    from ntm_site.accounts.choices import Role

    return scope.get_scope(user).role == Role.VIEWER


# --- the admin: buttons on the commune-year page, actions on its list -------------------------


def _is_workflow_admin(model_admin) -> bool:
    model = _commune_year_model()
    return model is not None and model_admin.model is model


def protected_fields(model) -> tuple:
    model_ = _commune_year_model()
    return APPROVAL_FIELDS if model_ is not None and model is model_ else ()


def change_page_context(model_admin, request, object_id) -> dict:
    if not _is_workflow_admin(model_admin) or object_id is None:
        return {}
    obj = model_admin.get_object(request, object_id)
    if obj is None:
        return {}
    opts = model_admin.model._meta
    actions = [
        {
            "name": t.name,
            "label": t.label,
            "needs_reason": t.needs_reason,
            "url": reverse(
                f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_approval", args=[obj.pk, t.name]
            ),
        }
        for t in available(request.user, obj)
    ]
    changed_by = obj.approval_changed_by
    return {
        "ntm_approval": {
            "status": obj.get_approval_status_display(),
            "code": obj.approval_status,
            "changed_at": obj.approval_changed_at,
            "changed_by": (changed_by.get_full_name() or changed_by.get_username()) if changed_by else "",
            "reason": obj.returned_reason,
            "actions": actions,
        }
    }


def admin_urls(model_admin) -> list:
    if not _is_workflow_admin(model_admin):
        return []
    opts = model_admin.model._meta

    def view(request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = model_admin.get_object(request, object_id)
        change_url = reverse(
            f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[object_id]
        )
        if obj is None:
            raise PermissionDenied
        try:
            commune_year_transition(
                commune_year=obj, action=action, user=request.user, reason=request.POST.get("reason", "")
            )
        except ValidationError as e:
            model_admin.message_user(request, " ".join(e.messages), messages.ERROR)
        else:
            model_admin.message_user(request, transitions()[action].done, messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    return [
        path(
            "<path:object_id>/approval/<slug:action>/",
            model_admin.admin_site.admin_view(view),
            name=f"{opts.app_label}_{opts.model_name}_approval",
        )
    ]


def _bulk_action(name):
    def action(model_admin, request, queryset):
        done = refused = 0
        for obj in queryset:
            try:
                commune_year_transition(commune_year=obj, action=name, user=request.user)
            except (ValidationError, PermissionDenied) as e:
                refused += 1
                model_admin.message_user(
                    request, f"{obj}: {' '.join(getattr(e, 'messages', [str(e)]))}", messages.WARNING
                )
            else:
                done += 1
        if done:
            model_admin.message_user(
                request, _("{label}: {n} bảng chấm.").format(label=transitions()[name].label, n=done), messages.SUCCESS
            )

    action.__name__ = f"approval_{name}"
    return action


def admin_actions(model_admin, request) -> dict:
    """Changelist actions for the steps that need no reason: submit, verify, approve (each on many sheets)."""
    if not _is_workflow_admin(model_admin):
        return {}
    perms = {"submit": roles.SUBMIT, "verify": roles.VERIFY, "approve": roles.APPROVE}
    out = {}
    for name, permission in perms.items():
        if request.user.has_perm(permission):
            label = transitions()[name].label
            out[f"approval_{name}"] = (
                _bulk_action(name),
                f"approval_{name}",
                _("{label} các bảng chấm đã chọn").format(label=label),
            )
    return out


def status_column(model_admin) -> list:
    return ["approval_status"] if _is_workflow_admin(model_admin) else []
