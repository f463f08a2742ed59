"""Full records of the sponsorship models with dependants, for ntm_site/accounts/tests/test_every_dependant.py."""

from sponsorship.models import Proposal
from sponsorship.tests.factories import ActivityFactory


def activity(user):
    """A working visit to the commune and what the commune asked for there."""
    found = ActivityFactory()
    Proposal.objects.create(activity=found, text="Hỗ trợ xi măng làm đường thôn", raised_by=user)
    return found


CASES = {"sponsorship.activity": activity}
