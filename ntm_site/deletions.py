"""Deleting a record keeps what its cascade removed, as one deletion (ntm_site.models.DeletionRecord).

`TrackedModel.delete()` runs Django's own collector, so it deletes exactly what Django would
(CASCADE, SET_NULL, many-to-many links), and before the delete writes down:

- every row with history the cascade removes (its last history row, the "-" one, holds it);
- the rows without history it removes, as they were (the links of many-to-many fields);
- the rows outside the deletion whose reference was set empty (SET_NULL / SET_DEFAULT).

Nothing is known about the models: the collector walks their `_meta`. Files stay in storage
(Django never removes them on delete), so a restored row finds its file again.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import router, transaction
from django.db.models import Max, QuerySet
from django.db.models.deletion import Collector


def history_model_of(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def _user_of(obj):
    user = getattr(obj, "_history_user", None)
    if user is not None:
        return user
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _label(obj) -> str:
    try:
        return str(obj)[:255]
    except Exception:  # a row pointing at something already gone
        return f"#{obj.pk}"


def delete_recorded(obj, *, using=None, keep_parents=False):
    """Delete `obj` as `Model.delete()` does, and record the whole deletion. Returns Django's counts."""
    from ntm_site.models import DeletionItem, DeletionRecord

    if obj.pk is None:
        raise ValueError(f"{obj._meta.object_name} object can't be deleted because its pk attribute is set to None.")
    using = using or router.db_for_write(type(obj), instance=obj)
    collector = Collector(using=using, origin=obj)
    collector.collect([obj], keep_parents=keep_parents)
    collector.sort()
    tracked, untracked = [], []
    deleted = {}
    for model, instances in collector.data.items():
        pks = sorted(instance.pk for instance in instances)
        deleted[model] = set(pks)
        if history_model_of(model) is not None:
            tracked.append((model, pks))
        elif pks:
            untracked.append(serializers.serialize("json", sorted(instances, key=lambda i: i.pk)))
    for qs in collector.fast_deletes:
        rows = list(qs.model._base_manager.using(using).filter(pk__in=qs.values("pk")))
        if rows:
            untracked.append(serializers.serialize("json", rows))
    cleared = []
    for (field, value), batches in collector.field_updates.items():
        for batch in batches:
            if isinstance(batch, QuerySet):
                model, pairs = batch.model, list(batch.values_list("pk", field.attname))
            else:
                batch = list(batch)
                if not batch:
                    continue
                model, pairs = type(batch[0]), [(o.pk, getattr(o, field.attname)) for o in batch]
            pairs = [[pk, old] for pk, old in pairs if pk not in deleted.get(model, ()) and old != value]
            if pairs and history_model_of(model) is not None:
                cleared.append({"model": model._meta.label_lower, "field": field.attname, "rows": pairs})
    root_model, root_pk, user, label = type(obj), obj.pk, _user_of(obj), _label(obj)
    with transaction.atomic(using=using, savepoint=False):
        result = collector.delete()
        record = DeletionRecord.objects.using(using).create(
            content_type=ContentType.objects.db_manager(using).get_for_model(root_model),
            object_id=str(root_pk),
            label=label,
            user=user,
            links=untracked,
            cleared=cleared,
        )
        items = []
        for model, pks in tracked:
            hmodel = history_model_of(model)
            pk_name = model._meta.pk.attname
            last = dict(
                hmodel.objects.using(using)
                .filter(**{f"{pk_name}__in": pks}, history_type="-")
                .values(pk_name)
                .annotate(last=Max("history_id"))
                .values_list(pk_name, "last")
            )
            content_type = ContentType.objects.db_manager(using).get_for_model(model)
            for pk in pks:
                if pk in last:
                    is_root = model is root_model and pk == root_pk
                    items.append(
                        DeletionItem(
                            deletion=record,
                            content_type=content_type,
                            object_id=str(pk),
                            history_id=last[pk],
                            position=len(items),
                            is_root=is_root,
                        )
                    )
                    if is_root:
                        record.history_id = last[pk]
        DeletionItem.objects.using(using).bulk_create(items)
        if record.history_id is not None:
            record.save(update_fields=["history_id"])
    return result
