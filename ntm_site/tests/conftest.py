import pytest

from ntm_site.tests.factories import national_commune_set


@pytest.fixture
def criteria_set(db):
    return national_commune_set()


@pytest.fixture(scope="session")
def scenario_databases(tmp_path_factory):
    """A PostgreSQL database and an SQLite file of their own for the imports the database fails under
    (import_scenarios.py): created and migrated once, copied per scenario, dropped at the end. Always both,
    whichever database the suite runs on."""
    from ntm_site.tests.import_scenarios import Databases

    databases = Databases(tmp_path_factory.mktemp("scenarios"))
    try:
        databases.prepare()
        yield databases
    finally:
        databases.drop()


@pytest.fixture(scope="session", autouse=True)
def _reliability_results():
    """`python -m ntm_site.tests.reliability_table` runs the bad-input suite with NTM_RELIABILITY_JSON set: what
    every case gave (bad_inputs.RESULTS, times and memory included) is written there at the end."""
    yield
    import json
    import os

    path = os.environ.get("NTM_RELIABILITY_JSON")
    if path:
        from ntm_site.tests.bad_inputs import RESULTS

        with open(path, "w", encoding="utf-8") as fh:
            json.dump(RESULTS, fh, ensure_ascii=False, indent=1)
