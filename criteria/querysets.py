"""Reads and aggregations over assessments; the criteria issue fills in the report questions."""

from django.db import models


class AssessmentQuerySet(models.QuerySet):
    def in_year(self, year: int):
        return self.filter(year=year)
