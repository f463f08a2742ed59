"""Official documents as Word files: draft reports, meeting minutes and conclusion notices.

The builder (`OfficialDocument`) lays out an A4 document in either header style: the state
style of Nghị định 30/2020/NĐ-CP or the Party style of Hướng dẫn 36-HD/VPTW, chosen from the
issuing organisation (`issuer_for_organisation`) unless the caller overrides it. The
generators fill it from the records:

- `report_document(result)`: a report result of `decision-review`, `sponsor-scorecard`,
  `criteria-summary` or `indicator-summary` (the dict `export_report --format json` prints) -> `DocumentFile`;
- `meeting_document(meeting, "minutes" | "conclusions")` -> `DocumentFile`.
"""

from reports.documents.builder import (
    DOCX_CONTENT_TYPE,
    Column,
    DocumentFile,
    HeaderStyle,
    Issuer,
    OfficialDocument,
    Signature,
)
from reports.documents.issuers import issuer_for_organisation, issuer_from_text
from reports.documents.meetings import conclusion_notice_document, meeting_document, minutes_document
from reports.documents.reports import (
    REPORT_DOCUMENTS,
    criteria_summary_document,
    decision_review_document,
    indicator_summary_document,
    report_document,
    sponsor_scorecard_document,
)

__all__ = [
    "DOCX_CONTENT_TYPE",
    "REPORT_DOCUMENTS",
    "Column",
    "DocumentFile",
    "HeaderStyle",
    "Issuer",
    "OfficialDocument",
    "Signature",
    "conclusion_notice_document",
    "criteria_summary_document",
    "decision_review_document",
    "indicator_summary_document",
    "issuer_for_organisation",
    "issuer_from_text",
    "meeting_document",
    "minutes_document",
    "report_document",
    "sponsor_scorecard_document",
]
