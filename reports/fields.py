"""Form fields of report parameters: what a clerk types on the page or passes to export_report."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from divisions.choices import UnitLevel
from divisions.models import AdministrativeUnit
from ntm_site.accounts import scope
from ntm_site.admin import folded_search
from ntm_site.text import fold, nfc
from reports.areas import AreaLookupError, find_units
from sponsorship.models import Decision, Organisation

MAX_LISTED = 8


@dataclass
class UnitCandidates:
    """What an area field found; the form picks among editions once it knows the report's date."""

    text: str
    units: list[AdministrativeUnit]


# What each area field is given as an example: a unit of its own level ("Huyện Kỳ Anh" in a commune field
# would send the clerk looking for the wrong thing).
PLACEHOLDERS = {
    (UnitLevel.PROVINCE,): _("mã hoặc tên, ví dụ Tỉnh Hà Tĩnh"),
    (UnitLevel.DISTRICT,): _("mã hoặc tên, ví dụ Huyện Kỳ Anh"),
    (UnitLevel.COMMUNE,): _("mã hoặc tên, ví dụ Xã Kỳ Bắc, Kỳ Anh"),
}
ANY_LEVEL_PLACEHOLDER = _("mã hoặc tên tỉnh, huyện hoặc xã")


class UnitField(forms.CharField):
    """A province, district, commune or any unit, by GSO code or name (see reports.areas)."""

    def __init__(self, *args, levels: tuple[int, ...] = (), **kwargs):
        self.levels = levels
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("placeholder", PLACEHOLDERS.get(tuple(levels), ANY_LEVEL_PLACEHOLDER))

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        units = find_units(text, self.levels)
        if not units:
            raise ValidationError(_("Không tìm thấy đơn vị hành chính “{text}”.").format(text=text), code="unknown")
        return UnitCandidates(text=text, units=units)


class ScopedLookup:
    """A field that finds records by what was typed, among those its reader may read (ReportForm sets `user`)."""

    user = None

    @property
    def restricted(self) -> bool:
        return self.user is not None and not scope.get_scope(self.user).unrestricted

    def readable(self, queryset):
        return scope.restrict(queryset, self.user, scope.READ) if self.restricted else queryset


class DecisionField(ScopedLookup, forms.CharField):
    """A decision by its symbol as written ("140-QĐ/TU"); case and diacritics do not matter."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("placeholder", _("ví dụ 140-QĐ/TU"))

    def readable_decisions(self):
        """Decisions the reader may read, those that assigned someone inside the reader's scope, and the
        decisions these amend (a commune assigned by an amendment reviews the decision it amends)."""
        if not self.restricted:
            return Decision.objects.all()
        from sponsorship.models import Assignment

        ids = set(self.readable(Assignment.objects.all()).values_list("decision", flat=True))
        frontier = ids
        while frontier:  # one query per step up the chain of amendments
            frontier = set(Decision.objects.filter(pk__in=frontier).values_list("amends", flat=True)) - ids - {None}
            ids |= frontier
        readable = self.readable(Decision.objects.all()).values("pk")
        return Decision.objects.filter(pk__in=readable) | Decision.objects.filter(pk__in=ids)

    def clean(self, value):
        text = nfc(super().clean(value) or "")
        if not text:
            return None
        decisions = self.readable_decisions()
        found = list(decisions.filter(symbol__iexact=text)[:2])
        if not found:
            # "140-QD/TU" typed without the Đ: compare folded symbols among those with the same number.
            number = text.split("-")[0].split("/")[0]
            found = [d for d in decisions.filter(symbol__istartswith=number) if fold(d.symbol) == fold(text)]
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(_("Không có văn bản số “{text}”.").format(text=text), code="unknown")
        raise ValidationError(
            _("“{text}” khớp với nhiều văn bản: {listed}.").format(
                text=text, listed="; ".join(d.symbol for d in found[:MAX_LISTED])
            ),
            code="ambiguous",
        )


class OrganisationField(ScopedLookup, forms.CharField):
    """An organisation by its full or short name (case- and diacritics-insensitive)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("placeholder", _("tên hoặc tên viết tắt"))

    def clean(self, value):
        text = nfc(super().clean(value) or "")
        if not text:
            return None
        candidates = list(folded_search(self.readable(Organisation.objects.all()), text).order_by("name")[:200])
        key = fold(text)
        exact = [o for o in candidates if key in (fold(o.name), fold(o.short_name))]
        found = exact or candidates
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(_("Không tìm thấy cơ quan, đơn vị “{text}”.").format(text=text), code="unknown")
        listed = "; ".join(o.name for o in found[:MAX_LISTED])
        raise ValidationError(
            _("“{text}” khớp với nhiều cơ quan, đơn vị: {listed}. Hãy gõ tên đầy đủ.").format(text=text, listed=listed),
            code="ambiguous",
        )


class ListField(forms.MultipleChoiceField):
    """Several values, given as repeated parameters or comma-separated ("category,year")."""

    def to_python(self, value):
        values = super().to_python(value)
        return [part.strip() for item in values for part in str(item).split(",") if part.strip()]


__all__ = [
    "AreaLookupError",
    "DecisionField",
    "ListField",
    "OrganisationField",
    "UnitCandidates",
    "UnitField",
]
