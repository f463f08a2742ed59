import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from divisions.choices import EDITION_HEADINGS, UnitKind, UnitLevel
from ntm_site.text import search_words


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Units that existed on `day` (an empty valid_from means 'since before records')."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def valid_in_year(self, year: int):
        """Units that existed at some point of `year`."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__year__lte=year)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__year__gte=year)
        )

    def in_force_first(self, day: datetime.date | None = None, *then: str):
        """Every unit, those in force on `day` (today by default) first, then by `then` (or the usual order).

        What pickers, filters and autocompletes offer: "Xã Kỳ Xuân" of the 2025 map above the legacy one.
        """
        day = day or timezone.localdate()
        in_force = (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )
        order = then or tuple(self.query.order_by) or tuple(self.model._meta.ordering)
        return self.alias(
            in_force_rank=models.Case(models.When(in_force, then=0), default=1, output_field=models.IntegerField())
        ).order_by("in_force_rank", *order)

    def by_edition(self, day: datetime.date | None = None, *then: str):
        """Units in force on `day` (today by default) first, each part edition by edition, then by `then`.

        The order pickers and filters group units in, under `AdministrativeUnit.edition_heading`: today's map,
        then the legacy map, then units added by hand (those that have ended last, marked so).
        """
        day = day or timezone.localdate()
        ranks = [models.When(edition=edition, then=rank) for rank, (edition, _label) in enumerate(EDITION_HEADINGS)]
        order = then or tuple(self.query.order_by) or tuple(self.model._meta.ordering)
        ranked = self.alias(edition_rank=models.Case(*ranks, default=len(ranks), output_field=models.IntegerField()))
        return ranked.in_force_first(day, "edition_rank", *order)

    def edition_choices(self, *then: str, label=None, day: datetime.date | None = None) -> list[tuple[str, list]]:
        """[(heading, [(pk, label), …]), …]: the units under their edition, for a grouped filter or select."""
        label = label or (lambda unit: unit.validity_label())
        groups: list[tuple[str, list]] = []
        for unit in self.by_edition(day, *then):
            heading = unit.edition_heading(day)
            if not groups or groups[-1][0] != heading:
                groups.append((heading, []))
            groups[-1][1].append((unit.pk, label(unit)))
        return groups

    def current(self):
        return self.filter(valid_to__isnull=True)

    def provinces(self):
        return self.filter(level=UnitLevel.PROVINCE)

    def districts(self):
        return self.filter(level=UnitLevel.DISTRICT)

    def communes(self):
        return self.filter(level=UnitLevel.COMMUNE)

    def rural_communes(self):
        """Communes assessed against the NTM criteria by default (kind xã)."""
        return self.filter(kind=UnitKind.COMMUNE)

    def within(self, unit):
        """`unit` itself and every unit below it."""
        if unit.level == UnitLevel.PROVINCE:
            return self.filter(Q(pk=unit.pk) | Q(province=unit))
        if unit.level == UnitLevel.DISTRICT:
            return self.filter(Q(pk=unit.pk) | Q(parent=unit))
        return self.filter(pk=unit.pk)

    def search(self, text: str):
        """Units whose names hold every word of `text` (diacritics-free), best first."""
        from ntm_site.admin import folded_search

        qs = folded_search(self, text)
        return qs.order_by("-search_rank", "level", "code") if search_words(text) else qs
