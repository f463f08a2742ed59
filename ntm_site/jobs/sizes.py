"""When a download is large enough to be built by a worker (settings.NTM_BACKGROUND_ROWS)."""

from __future__ import annotations

from django.conf import settings


def threshold() -> int:
    return max(0, int(settings.NTM_BACKGROUND_ROWS))


def over_threshold(rows: int) -> bool:
    return rows > threshold()


def background_rows(queryset) -> bool:
    """Whether the queryset holds more than NTM_BACKGROUND_ROWS rows (counted no further than that)."""
    limit = threshold()
    return queryset.order_by()[: limit + 1].count() > limit
