import pytest

from ntm_site.tests.factories import national_commune_set


@pytest.fixture
def criteria_set(db):
    return national_commune_set()
