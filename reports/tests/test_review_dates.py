"""Which day a decision review is taken on when none is given, and that the page and the .docx say so."""

import datetime

import pytest
from django.utils import timezone

from reports import registry
from reports.documents import report_document
from reports.documents.testing import ReadDocument
from reports.filters import decision_review_day
from sponsorship.models import Decision

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_review_of_a_decision_whose_term_has_ended_is_taken_at_the_end_of_the_term(world):
    result = registry.get("decision-review").run({"decision": "140-QĐ/TU"})
    assert result.params["as_of"] == "2020-12-31"
    assert result.totals["communes"] > 0  # not the zeros of a day after the term
    assert result.totals["as_of_basis"] == "term_end"
    assert "Số liệu tính đến ngày 31/12/2020, ngày kết thúc thời gian thực hiện của văn bản (2016–2020)." in [
        str(n) for n in result.notes
    ]
    read = ReadDocument.from_bytes(report_document(result).content)
    assert "Số liệu tính đến ngày 31/12/2020, ngày kết thúc thời gian thực hiện của văn bản (2016–2020)." in (
        read.paragraphs
    )
    assert "(Số liệu năm 2020, tính đến ngày 31/12/2020)" in read.paragraphs


def test_a_review_of_a_decision_still_in_force_is_taken_today(world):
    Decision.objects.filter(symbol="140-QĐ/TU").update(term_to_year=2030)
    result = registry.get("decision-review").run({"decision": "140-QĐ/TU"})
    today = timezone.localdate()
    assert result.params["as_of"] == today.isoformat()
    assert f"Số liệu tính đến hôm nay, ngày {today:%d/%m/%Y}." in [str(n) for n in result.notes]


def test_a_day_the_reader_chooses_is_kept_and_named(world):
    result = registry.get("decision-review").run({"decision": "140-QĐ/TU", "as_of": "2019-05-22"})
    assert result.params["as_of"] == "2019-05-22"
    assert "Số liệu tính đến ngày 22/05/2019 đã chọn." in [str(n) for n in result.notes]


def test_the_review_day_rule(world):
    decision = Decision.objects.get(symbol="140-QĐ/TU")
    assert decision_review_day(decision, D(2026, 12, 4)) == D(2020, 12, 31)
    assert decision_review_day(decision, D(2020, 6, 1)) == D(2020, 6, 1)
    assert decision_review_day(decision, D(2020, 12, 31)) == D(2020, 12, 31)
    decision.term_to_year = None
    assert decision_review_day(decision, D(2026, 12, 4)) == D(2026, 12, 4)
    assert decision_review_day(None, D(2026, 12, 4)) == D(2026, 12, 4)
