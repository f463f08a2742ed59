"""Base models every app builds on."""

from django.db import models
from simple_history.models import HistoricalRecords


class TrackedModel(models.Model):
    """A record whose every change is kept in history (who, when, what).

    Declaring a model on this base is all it takes: django-simple-history gives
    each concrete subclass its own historical table.
    """

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
