import pytest

from ntm_site.tests.factories import national_commune_set


@pytest.fixture
def national_sets(db):
    """The three national commune criteria sets (19 criteria each), as fixtures/10_criteria_sets.json has them."""
    return {
        "qd-491-xa": national_commune_set("qd-491-xa", 2010, 2015),
        "qd-1980-xa": national_commune_set("qd-1980-xa", 2016, 2020),
        "qd-318-xa": national_commune_set("qd-318-xa", 2021, 2025),
    }
