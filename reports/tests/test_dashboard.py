import datetime

import pytest

from reports.dashboard import headline_figures

pytestmark = pytest.mark.django_db


def test_headline_figures_compare_this_year_with_the_end_of_last_year(world):
    figures = headline_figures(datetime.date(2019, 6, 1))
    # End of 2018: A, and D (recognised 06/2018, revoked only on 01/03/2019). Now: A alone.
    assert (figures["reached_now"], figures["reached_last_year"]) == (1, 2)
    assert figures["support"] == {"value_this": 4_500_000, "records_this": 1, "value_last": 50_000_000}
    assert figures["overdue_tasks"] == 1


def test_headline_figures_on_an_empty_database(db):
    figures = headline_figures(datetime.date(2026, 1, 1))
    assert figures["reached_now"] == 0 and figures["support"]["value_this"] == 0
