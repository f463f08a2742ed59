"""Restoring a deletion as a whole: the record, what its cascade took, its links, its references.

`restore_deleted(record=…, user=…)` takes the last history row ("-") of a deleted record. When the
record was deleted through `TrackedModel.delete()` its DeletionRecord lists everything that went
with it, and all of it comes back in one transaction, parents before children, with the same ids;
otherwise (a deletion older than the records) the row alone comes back.

The restore is refused, and nothing is written, when any row exists again, when a row it points at
is gone (a parent deleted since), when it clashes with a row created since (a unique key), when a
row falls outside the user's write scope or in a commune-year the user may not change.
"""

from __future__ import annotations

from django.apps import apps
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ntm_site.accounts import approval, scope
from ntm_site.accounts.scope import WRITE
from ntm_site.accounts.versions import local_time
from ntm_site.models import DeletionItem, DeletionRecord


def deletion_of(record):
    """The DeletionRecord whose chosen record left the history row `record`, or None."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(record.instance_type)
    return DeletionRecord.objects.filter(
        content_type=content_type, history_id=record.history_id, restored_at__isnull=True
    ).first()


def deleted_with_another(model):
    """History ids of `model`'s rows that were deleted as part of another record's deletion."""
    from django.contrib.contenttypes.models import ContentType

    return DeletionItem.objects.filter(
        content_type=ContentType.objects.get_for_model(model), is_root=False, deletion__restored_at__isnull=True
    ).values("history_id")


def deletion_sizes(model, history_ids) -> dict:
    """{history id: how many rows went with it} for deleted records of `model` listed on a page."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    found = (
        DeletionRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(model), history_id__in=history_ids, restored_at__isnull=True
        )
        .annotate(size=Count("items"))
        .values_list("history_id", "size")
    )
    return {history_id: size - 1 for history_id, size in found}


def _name(model, obj) -> str:
    try:
        text = str(obj)
    except Exception:  # it points at something still missing
        text = f"#{obj.pk}"
    return _("{model} “{obj}”").format(model=capfirst(model._meta.verbose_name), obj=text)


def _refuse(model, obj, reason):
    raise ValidationError(_("Không khôi phục được {what}: {reason}").format(what=_name(model, obj), reason=reason))


def _bring_back(model, instance, *, user, reason):
    if model._default_manager.filter(pk=instance.pk).exists():
        _refuse(model, instance, _("bản ghi này đang tồn tại."))
    refusal = approval.refusal(user, instance)
    if refusal is not None:
        _refuse(model, instance, refusal)
    try:
        # Checks what it points at still exists and that no row created since holds its unique values.
        instance.full_clean(exclude=[f.name for f in model._meta.fields if not f.editable])
    except ValidationError as e:
        _refuse(model, instance, " ".join(e.messages))
    instance._history_user = user
    instance._change_reason = reason
    # Dates a save sets by itself (auto_now_add) keep what they were: the row comes back as it was.
    stamps = {
        f.attname: getattr(instance, f.attname)
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    instance.save(force_insert=True)
    if stamps:
        model._base_manager.filter(pk=instance.pk).update(**stamps)
        hmodel = scope.history_model_of(model)
        latest = hmodel.objects.filter(**{model._meta.pk.attname: instance.pk}).order_by("-history_id")[:1]
        hmodel.objects.filter(history_id__in=latest.values("history_id")).update(**stamps)
        for name, value in stamps.items():
            setattr(instance, name, value)


def _check_scope(user, instances):
    for instance in instances:
        if scope.rule_for(type(instance)) is None:
            continue
        scope.forget_object(user, instance)
        if not scope.allows(user, instance, WRITE):
            raise PermissionDenied(
                _("{what} nằm ngoài phạm vi được giao cho bạn.").format(what=_name(type(instance), instance))
            )


def _restore_links(links, using):
    for data in links:
        for row in serializers.deserialize("json", data, using=using):
            obj = row.object
            for field in obj._meta.concrete_fields:
                if field.is_relation and getattr(obj, field.attname) is not None:
                    target = field.related_model
                    if not target._base_manager.using(using).filter(pk=getattr(obj, field.attname)).exists():
                        raise ValidationError(
                            _("Không khôi phục được: {what} #{pk} mà bản ghi liên kết tới đã bị xóa.").format(
                                what=target._meta.verbose_name, pk=getattr(obj, field.attname)
                            )
                        )
            if type(obj)._base_manager.using(using).filter(pk=obj.pk).exists():
                continue
            row.save(using=using)


def _restore_cleared(cleared, *, user, reason, using):
    """Rows that lost their reference to a deleted row point at it again, where nobody has set another since."""
    for entry in cleared:
        model = apps.get_model(entry["model"])
        field = entry["field"]
        for pk, old in entry["rows"]:
            obj = model._default_manager.using(using).filter(pk=pk, **{f"{field}__isnull": True}).first()
            if obj is None:
                continue
            setattr(obj, field, old)
            obj._history_user = user
            obj._change_reason = reason
            obj.save(update_fields=[_field_name(model, field)])


def _field_name(model, attname):
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return f.name
    return attname


def _parents_first(rows):
    """`rows` ordered so that each comes after the rows of the group it points at (any foreign key)."""
    models_in = []
    for row_model, _row in rows:
        if row_model not in models_in:
            models_in.append(row_model)
    points_at = {
        m: {f.related_model for f in m._meta.concrete_fields if f.many_to_one and f.related_model in models_in} - {m}
        for m in models_in
    }
    ordered = []
    while len(ordered) < len(models_in):
        ready = [m for m in models_in if m not in ordered and points_at[m] <= set(ordered)]
        ordered.append(ready[0] if ready else next(m for m in models_in if m not in ordered))
    rank = {m: i for i, m in enumerate(ordered)}
    return sorted(rows, key=lambda pair: rank[pair[0]])


def restore_deleted(*, record, user):
    """Bring back the deleted record of history row `record` and everything deleted with it; returns the record."""
    model = record.instance_type
    using = router.db_for_write(model)
    deletion = deletion_of(record)
    reason = str(_("Khôi phục bản ghi đã xóa lúc {when}").format(when=local_time(record.history_date)))
    if deletion is None:
        rows = [(model, record)]
    else:
        rows = []
        items = list(deletion.items.select_related("content_type").order_by("-position"))
        for item in items:
            item_model = item.content_type.model_class()
            hmodel = scope.history_model_of(item_model)
            row = hmodel.objects.filter(history_id=item.history_id).first() if hmodel is not None else None
            if row is None:
                raise ValidationError(_("Không khôi phục được: lịch sử của một bản ghi bị xóa kèm không còn."))
            rows.append((item_model, row))
    rows = _parents_first(rows)
    restored = []
    root = None
    try:
        with transaction.atomic(using=using):
            for row_model, row in rows:
                instance = row.instance
                _bring_back(row_model, instance, user=user, reason=reason)
                restored.append(instance)
                if row_model is model and row.history_id == record.history_id:
                    root = instance
            if deletion is not None:
                _restore_links(deletion.links, using)
                _restore_cleared(deletion.cleared, user=user, reason=reason, using=using)
                deletion.restored_at = timezone.now()
                deletion.restored_by = user
                deletion.save(update_fields=["restored_at", "restored_by"])
            # Deferred constraints (PostgreSQL) are checked now, inside the transaction, not at its end.
            tables = {type(obj)._meta.db_table for obj in restored}
            if deletion is not None:
                tables |= {apps.get_model(e["model"])._meta.db_table for e in deletion.cleared}
                tables |= {
                    row.object._meta.db_table for d in deletion.links for row in serializers.deserialize("json", d)
                }
            connections[using].check_constraints(table_names=sorted(tables))
            _check_scope(user, restored)
    except IntegrityError as e:
        raise ValidationError(
            _("Không khôi phục được: bản ghi liên quan đã bị xóa hoặc đã có bản ghi trùng ({error}).").format(
                error=str(e).splitlines()[0][:200]
            )
        ) from e
    return root if root is not None else restored[-1]
