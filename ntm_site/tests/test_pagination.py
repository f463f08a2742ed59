"""The admin's paginator: exact counts for small lists, a capped count past the cap, deep pages by ids first."""

import pytest

from ntm_site import pagination
from ntm_site.models import ImportBatch
from ntm_site.pagination import EstimatedCountPaginator

pytestmark = pytest.mark.django_db


class SmallCap(EstimatedCountPaginator):
    cap = 5


@pytest.fixture
def batches():
    ImportBatch.objects.bulk_create(ImportBatch(template=f"t{i:02}", rows=i) for i in range(12))
    return ImportBatch.objects.order_by("template")


def test_a_list_under_the_cap_is_counted_exactly(batches):
    paginator = SmallCap(batches.filter(rows__lt=4), 2)
    assert paginator.count == 4
    assert not paginator.approximate
    assert paginator.num_pages == 2


def test_past_the_cap_the_count_stops_and_pages_past_it_are_served(batches):
    paginator = SmallCap(batches.filter(rows__gte=0), 2)
    assert paginator.count > 5  # cap + 1 on SQLite; on PostgreSQL the planner's estimate, at least that
    assert paginator.approximate
    assert [b.template for b in paginator.page(5).object_list] == ["t08", "t09"]
    assert list(paginator.page(40).object_list) == []


def test_a_deep_page_holds_the_same_rows_in_the_same_order(batches, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(pagination, "DEEP", 4)
    paginator = EstimatedCountPaginator(batches, 3)
    paginator.count  # noqa: B018 - counted before the page, as the admin does
    with django_assert_num_queries(2):  # the page's ids, then its rows
        deep = [b.template for b in paginator.page(3).object_list]
    assert deep == ["t06", "t07", "t08"]
    assert [b.template for b in paginator.page(1).object_list] == ["t00", "t01", "t02"]
