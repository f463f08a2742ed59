"""Approval of a commune's yearly scoring, by the map the commune is on.

Legacy map (a district above the commune), three steps:

    draft ──submit (commune)──> submitted ──verify (district)──> verified ──approve (province)──> approved

2025 map (no district: the commune sits under its province), two steps:

    draft ──submit (commune)──> submitted ──approve (province)──> approved

On both, sending back (from submitted or verified) and reopening (from approved) return the sheet
to draft with a reason the clerk sees, kept in history. The state lives on CommuneYear
(approval_status and friends); its results (Assessment) and evidence (Evidence) follow it. Who
may change rows of a commune-year, by its state:

    draft       anyone who may write the commune (scope + model permission)
    submitted   those who answer it: the district (legacy) or the province (2025 map)
    verified    those who approve (the province)
    approved    nobody, superusers included, until the province reopens it

Every transition is `commune_year_transition` (and its named wrappers below), used by the buttons
on the commune-year page, the changelist actions and `manage.py approve_commune_years`; each writes
one history row of the commune-year with who, when and why. The platform reaches this module only
through the hooks of ntm_site.accounts.approval (registered in CriteriaConfig.ready()).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from criteria.choices import ApprovalStatus as S
from divisions.choices import UnitLevel
from ntm_site.accounts import approval as hooks
from ntm_site.accounts import roles, scope

APPROVAL_FIELDS = ("approval_status", "approval_changed_at", "approval_changed_by", "returned_reason")
# Models whose rows follow a commune-year's state: label -> path to the commune-year ("" = itself).
FOLLOWS = {
    "criteria.communeyear": "",
    "criteria.assessment": "commune_year",
    "criteria.evidence": "commune_year",
    "criteria.indicatorresult": "commune_year",
}

LEGACY = "legacy"  # commune → district → province
TWO_LEVEL = "two_level"  # commune → province (the 2025 map)


def path_of_parent_level(parent_level) -> str:
    """The path of a commune whose parent is at `parent_level` (None: no parent at all)."""
    return LEGACY if parent_level == UnitLevel.DISTRICT else TWO_LEVEL


def path_of(commune_year) -> str:
    """Which approval path a commune-year takes: by what sits above its commune (one query, kept on the row)."""
    level = getattr(commune_year, "_ntm_parent_level", _UNKNOWN)
    if level is _UNKNOWN:
        from divisions.models import AdministrativeUnit

        commune = commune_year._state.fields_cache.get("commune")
        if commune is not None and ("parent" in commune._state.fields_cache or commune.parent_id is None):
            level = commune.parent.level if commune.parent_id else None
        else:
            level = (
                AdministrativeUnit.objects.filter(pk=commune_year.commune_id).values_list("parent__level", flat=True)
            ).first()
        commune_year._ntm_parent_level = level
    return path_of_parent_level(level)


_UNKNOWN = object()


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    permission: str
    needs_reason: bool = False
    done: str = ""


def _send_back(sources):
    return Transition(
        "send_back",
        _("Trả lại để sửa"),
        sources,
        S.DRAFT,
        "",  # VERIFY for a submitted legacy sheet, APPROVE otherwise (see _permission)
        needs_reason=True,
        done=_("Đã trả lại cho xã kèm lý do."),
    )


def _reopen():
    return Transition(
        "reopen",
        _("Mở lại để sửa"),
        (S.APPROVED,),
        S.DRAFT,
        roles.REOPEN,
        needs_reason=True,
        done=_("Đã mở lại; việc mở lại được ghi vào lịch sử."),
    )


def _approve(sources, done):
    return Transition("approve", _("Phê duyệt"), sources, S.APPROVED, roles.APPROVE, done=done)


def transitions(path_name: str = LEGACY) -> dict[str, Transition]:
    """The steps of one path, by name."""
    if path_name == TWO_LEVEL:
        steps = [
            Transition(
                "submit",
                _("Gửi tỉnh phê duyệt"),
                (S.DRAFT,),
                S.SUBMITTED,
                roles.SUBMIT,
                done=_("Đã gửi lên tỉnh, chờ tỉnh phê duyệt."),
            ),
            _approve((S.SUBMITTED,), _("Tỉnh đã phê duyệt; số liệu chỉ còn đọc.")),
            _send_back((S.SUBMITTED,)),
            _reopen(),
        ]
    else:
        steps = [
            Transition(
                "submit", _("Gửi huyện xác nhận"), (S.DRAFT,), S.SUBMITTED, roles.SUBMIT, done=_("Đã gửi lên huyện.")
            ),
            Transition(
                "verify",
                _("Xác nhận"),
                (S.SUBMITTED,),
                S.VERIFIED,
                roles.VERIFY,
                done=_("Đã xác nhận, chờ tỉnh phê duyệt."),
            ),
            _approve((S.VERIFIED,), _("Đã phê duyệt; số liệu chỉ còn đọc.")),
            _send_back((S.SUBMITTED, S.VERIFIED)),
            _reopen(),
        ]
    return {t.name: t for t in steps}


ACTIONS = ("submit", "verify", "approve", "send_back", "reopen")


def status_label(status: str, path_name: str) -> str:
    """The state as the commune-year's page and history say it, naming the level that answers."""
    if status == S.SUBMITTED:
        return _("Xã đã gửi, chờ tỉnh phê duyệt") if path_name == TWO_LEVEL else _("Xã đã gửi, chờ huyện xác nhận")
    return S(status).label


def _permission(transition, commune_year, path_name) -> str:
    if transition.name != "send_back":
        return transition.permission
    if path_name == LEGACY and commune_year.approval_status == S.SUBMITTED:
        return roles.VERIFY
    return roles.APPROVE


def _may(user, transition, commune_year, path_name) -> bool:
    return user.has_perm(_permission(transition, commune_year, path_name)) and scope.allows(
        user, commune_year, scope.WRITE
    )


def available(user, commune_year) -> list[Transition]:
    """The transitions `user` may make from the commune-year's present state."""
    if commune_year is None:
        return []
    path_name = path_of(commune_year)
    return [
        t
        for t in transitions(path_name).values()
        if commune_year.approval_status in t.sources and _may(user, t, commune_year, path_name)
    ]


def _missing_criteria(commune_year) -> list[int]:
    from criteria.models import Criterion

    numbers = set(
        Criterion.objects.filter(criteria_set_id=commune_year.criteria_set_id).values_list("number", flat=True)
    )
    done = set(commune_year.assessments.values_list("criterion__number", flat=True))
    return sorted(numbers - done)


def _out_of_order(commune_year, action: str, path_name: str):
    """The message for a step that is not the next one of this sheet's path (or no step at all)."""
    status = commune_year.approval_status
    here = status_label(status, path_name)
    if path_name == TWO_LEVEL and action == "verify":
        return _(
            "“{what}” là xã trên bản đồ từ 01/07/2025, không có cấp huyện: xã gửi thẳng lên tỉnh và tỉnh phê "
            "duyệt, không có bước huyện xác nhận."
        ).format(what=commune_year)
    if path_name == LEGACY and action == "approve" and status == S.SUBMITTED:
        return _("“{what}” chưa được huyện xác nhận: tỉnh phê duyệt sau khi huyện xác nhận.").format(what=commune_year)
    label = transitions(path_name)[action].label if action in transitions(path_name) else action
    return _("“{what}” đang ở tình trạng “{status}”: không thể {action}.").format(
        what=commune_year, status=here, action=str(label).lower()
    )


@transaction.atomic
def commune_year_transition(*, commune_year, action: str, user, reason: str = ""):
    """Move one commune-year along its approval path; PermissionDenied or ValidationError say why not."""
    if action not in ACTIONS:
        raise ValidationError(_("Không có thao tác “{action}”.").format(action=action))
    model = type(commune_year)
    # No join here: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join (commune's parent).
    commune_year = model._default_manager.select_for_update().get(pk=commune_year.pk)
    path_name = path_of(commune_year)
    transition = transitions(path_name).get(action)
    if transition is None or commune_year.approval_status not in transition.sources:
        raise ValidationError(_out_of_order(commune_year, action, path_name))
    if not _may(user, transition, commune_year, path_name):
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


def done_message(commune_year, action: str) -> str:
    return transitions(path_of(commune_year))[action].done


# --- who may change rows of a commune-year in its present state ------------------------------


REFUSABLE = (S.APPROVED, S.SUBMITTED, S.VERIFIED)  # the statuses refusal_for_status may refuse


def refusal_for_status(user, status, path_name, commune_year=None):
    if status not in REFUSABLE:
        return None  # a draft (the usual case): nothing refused, no name to build
    what = str(commune_year) if commune_year is not None else _("kết quả của xã trong năm")
    if status == S.APPROVED:
        return _(
            "“{what}” đã được tỉnh phê duyệt nên chỉ còn đọc. Văn phòng điều phối tỉnh mở lại (có ghi lý do) "
            "thì mới sửa được."
        ).format(what=what)
    if status == S.SUBMITTED and path_name == TWO_LEVEL and not user.has_perm(roles.APPROVE):
        return _("“{what}” đã gửi lên tỉnh và đang chờ phê duyệt; tỉnh trả lại thì xã mới sửa được.").format(what=what)
    if status == S.SUBMITTED and path_name == LEGACY and not user.has_perm(roles.VERIFY):
        return _("“{what}” đã gửi lên huyện và đang chờ xác nhận; huyện trả lại thì xã mới sửa được.").format(what=what)
    if status == S.VERIFIED and not user.has_perm(roles.APPROVE):
        return _("“{what}” đã được huyện xác nhận và đang chờ tỉnh phê duyệt; không sửa được nữa.").format(what=what)
    return None


class _Nobody:
    """The command line: it may change drafts, never an approved year (it holds no approval permission)."""

    def has_perm(self, perm):
        return perm in (roles.VERIFY, roles.APPROVE)


class CommuneYearWorkflow(hooks.Workflow):
    """The hooks the platform calls for CommuneYear, Assessment and Evidence rows."""

    def _model(self):
        from criteria.models import CommuneYear

        return CommuneYear

    def _commune_year_of(self, obj):
        link = FOLLOWS.get(type(obj)._meta.concrete_model._meta.label_lower)
        if link is None:
            return None
        if not link:
            return obj
        if getattr(obj, f"{link}_id", None) is None:
            return None
        return getattr(obj, link)

    def refusal(self, user, obj):
        commune_year = self._commune_year_of(obj)
        if commune_year is None:
            return None
        if commune_year is obj or commune_year.pk is None:
            if not commune_year.commune_id:
                return refusal_for_status(user, commune_year.approval_status, LEGACY, commune_year)
            return refusal_for_status(user, commune_year.approval_status, path_of(commune_year), commune_year)
        status, parent_level = (
            self._model()
            ._default_manager.filter(pk=commune_year.pk)
            .values_list("approval_status", "commune__parent__level")
            .first()
        ) or (commune_year.approval_status, None)
        return refusal_for_status(user, status, path_of_parent_level(parent_level), commune_year)

    def import_refusals(self, user, model, objs) -> dict:
        link = FOLLOWS.get(model._meta.label_lower)
        if not link:
            return {}
        ids = {getattr(o, f"{link}_id", None) for o in objs} - {None}
        manager = self._model()._default_manager
        # Plain rows first (an import asks about 260 sheets per chunk, nearly all drafts); only the sheets that
        # may be refused are loaded with their communes: a refusal names the commune and the year ("Xã Kỳ Tiến –
        # năm 2017").
        states = manager.filter(pk__in=ids).values_list("pk", "approval_status", "commune__parent__level")
        judged = [(pk, status, level) for pk, status, level in states if status in REFUSABLE]
        sheets = manager.filter(pk__in=[pk for pk, _s, _l in judged]).select_related("commune__parent").in_bulk()
        holder = user if user is not None else _Nobody()
        messages = {}  # sheet id -> its refusal (or None), judged once however many results it holds
        for pk, status, level in judged:
            message = refusal_for_status(holder, status, path_of_parent_level(level), sheets[pk])
            messages[pk] = str(message) if message is not None else None
        out = {}
        for obj in objs:
            message = messages.get(getattr(obj, f"{link}_id", None))
            if message is not None:
                out[id(obj)] = message
        return out

    def approved_only(self, queryset):
        link = FOLLOWS.get(queryset.model._meta.label_lower)
        if link is None:
            return queryset
        return queryset.filter(**{f"{link}__approval_status" if link else "approval_status": S.APPROVED})

    # --- the admin: buttons on the commune-year page, actions on its list ---------------------

    def _is_sheet_admin(self, model_admin) -> bool:
        return model_admin.model is self._model()

    def protected_fields(self, model) -> tuple:
        return APPROVAL_FIELDS if model is self._model() else ()

    def status_column(self, model_admin) -> list:
        return ["approval_status"] if self._is_sheet_admin(model_admin) else []

    def change_page_context(self, model_admin, request, object_id) -> dict:
        if not self._is_sheet_admin(model_admin):
            return {}
        obj = model_admin.get_object(request, object_id)
        if obj is None:
            return {}
        opts = model_admin.model._meta
        path_name = path_of(obj)
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
                "status": status_label(obj.approval_status, path_name),
                "code": obj.approval_status,
                "path": (
                    _("Xã gửi, tỉnh phê duyệt (bản đồ từ 01/07/2025, không có cấp huyện).")
                    if path_name == TWO_LEVEL
                    else _("Xã gửi, huyện xác nhận, tỉnh phê duyệt.")
                ),
                "changed_at": obj.approval_changed_at,
                "changed_by": (changed_by.get_full_name() or changed_by.get_username()) if changed_by else "",
                "reason": obj.returned_reason,
                "actions": actions,
            }
        }

    def admin_urls(self, model_admin) -> list:
        if not self._is_sheet_admin(model_admin):
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
                model_admin.message_user(request, done_message(obj, action), messages.SUCCESS)
            return HttpResponseRedirect(change_url)

        return [
            path(
                "<path:object_id>/approval/<slug:action>/",
                model_admin.admin_site.admin_view(view),
                name=f"{opts.app_label}_{opts.model_name}_approval",
            )
        ]

    def admin_actions(self, model_admin, request) -> dict:
        """Changelist actions for the steps that need no reason: submit, verify, approve (each on many sheets)."""
        if not self._is_sheet_admin(model_admin):
            return {}
        labels = {
            "submit": (roles.SUBMIT, _("Gửi lên (huyện hoặc tỉnh, theo bản đồ của xã) các bảng chấm đã chọn")),
            "verify": (roles.VERIFY, _("Xác nhận các bảng chấm đã chọn (xã còn cấp huyện)")),
            "approve": (roles.APPROVE, _("Phê duyệt các bảng chấm đã chọn")),
        }
        return {
            f"approval_{name}": (_bulk_action(name), f"approval_{name}", label)
            for name, (permission, label) in labels.items()
            if request.user.has_perm(permission)
        }


def _bulk_action(name):
    def action(model_admin, request, queryset):
        done = 0
        for obj in queryset.select_related("commune__parent"):
            try:
                commune_year_transition(commune_year=obj, action=name, user=request.user)
            except (ValidationError, PermissionDenied) as e:
                model_admin.message_user(
                    request, f"{obj}: {' '.join(getattr(e, 'messages', [str(e)]))}", messages.WARNING
                )
            else:
                done += 1
        if done:
            model_admin.message_user(
                request,
                _("{label}: {n} bảng chấm.").format(label=transitions(LEGACY)[name].label, n=done)
                if name != "submit"
                else _("Đã gửi lên: {n} bảng chấm.").format(n=done),
                messages.SUCCESS,
            )

    action.__name__ = f"approval_{name}"
    return action


WORKFLOW = CommuneYearWorkflow()


def register() -> None:
    hooks.register(WORKFLOW, *FOLLOWS)
