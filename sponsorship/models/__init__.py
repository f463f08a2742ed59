"""Who is assigned to help which commune, under which decision, and what they gave."""

from .activities import Activity, Proposal
from .assignments import Assignment
from .decisions import Decision
from .initiatives import Initiative, InitiativeField
from .organisations import Organisation
from .support import SupportCategory, SupportRecord

__all__ = [
    "Activity",
    "Assignment",
    "Decision",
    "Initiative",
    "InitiativeField",
    "Organisation",
    "Proposal",
    "SupportCategory",
    "SupportRecord",
]
