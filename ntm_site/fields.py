"""Model fields shared by the apps."""

from django.db import models

_YEAR_LABELS = [(year, str(year)) for year in range(1900, 2201)]


class YearField(models.PositiveSmallIntegerField):
    """A calendar year, shown as 2017 and never as the grouped number 2.017.

    The admin formats integers with the thousands separator (on for VND amounts), but it
    prints a field's `flatchoices` labels when the field has them; a year offers its own
    digits as labels without limiting the values a form accepts (`choices` stays empty).
    It deconstructs as a plain PositiveSmallIntegerField: the column is the same.
    """

    @property
    def flatchoices(self):
        return _YEAR_LABELS

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.PositiveSmallIntegerField", args, kwargs
