"""docs/reliability.md holds the bad-input suite's table as the suite gives it today.

Its input, stopped-by, message and rows-written columns are rendered from what test_bad_input.py
test_import_failures.py and test_killed_jobs.py recorded in this run (a case they did not run, as when this test runs
alone, is run here); time and peak memory are measurements, refreshed with
`python -m ntm_site.tests.reliability_table`, and not compared.
"""

from pathlib import Path

import pytest

from .bad_inputs import DATABASE_CASES, FILE_CASES, JOB_CASES, RESULTS, all_cases, fixed_columns, record, table_in

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"


@pytest.mark.django_db
def test_the_reliability_table_is_what_the_suite_gives(request):
    from .import_scenarios import scenario
    from .test_bad_input import run_case

    for case in FILE_CASES:
        if case.key not in RESULTS:
            run_case(case)
    for case in DATABASE_CASES:
        if case.key not in RESULTS:
            result = scenario(request.getfixturevalue("scenario_databases"), case.backend, case.scenario)
            if case.scenario == "sigkill":
                record(case.key, message=result["after"][-1]["error_summary"], rows_written=result["written_before"])
            else:
                record(case.key, message=result["fatal"], rows_written=result["written"])
    for backend in dict.fromkeys(case.backend for case in JOB_CASES if case.key not in RESULTS):
        from .test_killed_jobs import killed_download

        killed_download(request.getfixturevalue("tmp_path_factory").mktemp(f"killed-{backend}"), backend)
    expected = [fixed_columns(case, RESULTS[case.key]) for case in all_cases()]
    assert table_in(DOC.read_text(encoding="utf-8")) == expected, (
        "docs/reliability.md differs from what the suite gives: run `python -m ntm_site.tests.reliability_table`"
    )
