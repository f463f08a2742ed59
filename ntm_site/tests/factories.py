"""Small data builders for the engine's tests and the benchmark."""

from criteria.choices import SetLevel
from criteria.models import CriteriaSet, Criterion


def national_commune_set(code="qd-1980-xa", first=2016, last=2020, size=19):
    """The national commune criteria set in force in [first, last], with `size` numbered criteria."""
    criteria_set, _ = CriteriaSet.objects.get_or_create(
        code=code,
        defaults={
            "name": f"Bộ tiêu chí quốc gia về xã nông thôn mới {first}–{last}",
            "level": SetLevel.COMMUNE,
            "valid_from_year": first,
            "valid_to_year": last,
            "is_national": True,
        },
    )
    have = set(criteria_set.criteria.values_list("number", flat=True))
    Criterion.objects.bulk_create(
        [
            Criterion(criteria_set=criteria_set, number=n, name=f"Tiêu chí {n}")
            for n in range(1, size + 1)
            if n not in have
        ]
    )
    return criteria_set
