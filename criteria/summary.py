"""The per-sheet counts of results (criteria.CommuneYearSummary), kept by the database itself.

A report over a country counts the results of ≈ 13,000 sheets (250,000 assessment rows) for one
year, and "reached standard" counts each commune's latest approved sheet again. The summary holds
those counts, one row per commune-year: results recorded, met (đạt or không áp dụng, the rule of
choices.COUNTS_AS_MET), not met, not applicable.

Triggers on the assessment and commune-year tables keep it (installed by migration 0011 and checked
after every `migrate`): every way a result is written goes through them, whatever wrote it: the admin
forms and the sheet page, imports (the engine's own INSERT/UPDATE statements), indicator scoring,
restoring a deletion, a cascade, `QuerySet.update()`, `COPY`, raw SQL. On PostgreSQL they run once per
statement and add up its rows per sheet (transition tables: an import of 95,000 results writes 5,000
summary rows, once); on SQLite they add and subtract per row. A commune-year's row is created with the sheet (counting any results
already there, in case they were written first under deferred constraints) and goes with it.

`rebuild()` (`manage.py rebuild_criteria_summary`) recounts everything from the assessments; `stale()`
lists the sheets whose row disagrees with a recount (none, unless the triggers were bypassed, e.g. by
a restore with triggers disabled).
"""

from __future__ import annotations

from django.db import connections

from criteria.choices import COUNTS_AS_MET, AssessmentStatus

SUMMARY = "criteria_communeyearsummary"
ASSESSMENT = "criteria_assessment"
COMMUNE_YEAR = "criteria_communeyear"
# Every trigger and function of the summary starts with this; the version changes when their SQL does.
PREFIX = "criteria_summary_"
VERSION = "v1"
def _in(statuses) -> str:
    return ", ".join(f"'{s}'" for s in statuses)


# What each column counts: the statuses of the results it counts (None: every result).
COUNTED = {
    "assessed": None,
    "met": COUNTS_AS_MET,
    "not_met": (AssessmentStatus.NOT_MET,),
    "not_applicable": (AssessmentStatus.NOT_APPLICABLE,),
}
COLUMNS = tuple(COUNTED)


def _name(what: str) -> str:
    return f"{PREFIX}{VERSION}_{what}"


def _row_counts(row: str, sign: str = "") -> dict[str, str]:
    """{column: SQL giving 1 or 0 (-1 or 0 with sign "-")} for one result row named `row` (NEW, OLD, r)."""
    return {
        column: f"{sign}1" if statuses is None else f"{sign}(CASE WHEN {row}.status IN ({_in(statuses)}) THEN 1 ELSE 0 END)"
        for column, statuses in COUNTED.items()
    }


def _recount_select(where: str = "") -> str:
    """SELECT commune_year_id and the four counts recounted from the assessments, one row per commune-year."""
    counts = ", ".join(
        f"COUNT(a.id) AS {column}"
        if statuses is None
        else f"COUNT(CASE WHEN a.status IN ({_in(statuses)}) THEN 1 END) AS {column}"
        for column, statuses in COUNTED.items()
    )
    return (
        f"SELECT cy.id AS commune_year_id, {counts} FROM {COMMUNE_YEAR} cy "
        f"LEFT JOIN {ASSESSMENT} a ON a.commune_year_id = cy.id {where} GROUP BY cy.id"
    )


# --- PostgreSQL: statement-level triggers over transition tables ---------------------------------


def _pg_recount_one(commune_year_id: str) -> str:
    """The four counts of one sheet, read off the assessments' commune-year index."""
    counts = ", ".join(
        f"COUNT(*) AS {column}"
        if statuses is None
        else f"COUNT(*) FILTER (WHERE a.status IN ({_in(statuses)})) AS {column}"
        for column, statuses in COUNTED.items()
    )
    return f"SELECT {counts} FROM {ASSESSMENT} a WHERE a.commune_year_id = {commune_year_id}"


def _pg_apply(rows: str) -> str:
    """UPDATE the summary by `rows` (a SELECT of commune_year_id and the four signed counts, one row per result
    added or removed), summed per sheet; a sheet whose counts do not change is not written."""
    sums = ", ".join(f"SUM({c}) AS {c}" for c in COLUMNS)
    changed = " OR ".join(f"SUM({c}) <> 0" for c in COLUMNS)
    sets = ", ".join(f"{c} = s.{c} + d.{c}" for c in COLUMNS)
    return (
        f"UPDATE {SUMMARY} s SET {sets} FROM (SELECT commune_year_id, {sums} FROM ({rows}) x "
        f"GROUP BY commune_year_id HAVING {changed}) d WHERE s.commune_year_id = d.commune_year_id;"
    )


def _pg_rows(table: str, sign: str = "") -> str:
    cols = ", ".join(f"{expr} AS {column}" for column, expr in _row_counts("r", sign).items())
    return f"SELECT r.commune_year_id, {cols} FROM {table} r"


def _pg_sql() -> list[str]:
    results, sheets, emptied = _name("results"), _name("sheets"), _name("emptied")
    columns = ", ".join(COLUMNS)
    return [
        # Adding up the statement's rows (transition tables) costs less than recounting the sheets they touched: an
        # updated sheet's rows are spread over new pages.
        f"""CREATE OR REPLACE FUNCTION {results}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_pg_apply(_pg_rows("new_rows"))}
  ELSIF TG_OP = 'DELETE' THEN
    {_pg_apply(_pg_rows("old_rows", "-"))}
  ELSE
    {_pg_apply(_pg_rows("new_rows") + " UNION ALL " + _pg_rows("old_rows", "-"))}
  END IF;
  RETURN NULL;
END $$""",
        f"""CREATE OR REPLACE FUNCTION {sheets}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Counted, not zero: under deferred constraints a sheet's results may have been written before it.
    INSERT INTO {SUMMARY} (commune_year_id, {columns})
      SELECT n.id, c.* FROM new_rows n CROSS JOIN LATERAL ({_pg_recount_one("n.id")}) c
      ON CONFLICT (commune_year_id) DO UPDATE SET ({columns}) = ({", ".join(f"EXCLUDED.{c}" for c in COLUMNS)});
  ELSE
    DELETE FROM {SUMMARY} WHERE commune_year_id IN (SELECT id FROM old_rows);
  END IF;
  RETURN NULL;
END $$""",
        f"""CREATE OR REPLACE FUNCTION {emptied}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE {SUMMARY} SET {", ".join(f"{c} = 0" for c in COLUMNS)};
  RETURN NULL;
END $$""",
        f"""CREATE TRIGGER {results}_insert AFTER INSERT ON {ASSESSMENT}
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {results}()""",
        f"""CREATE TRIGGER {results}_update AFTER UPDATE ON {ASSESSMENT}
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {results}()""",
        f"""CREATE TRIGGER {results}_delete AFTER DELETE ON {ASSESSMENT}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {results}()""",
        f"""CREATE TRIGGER {emptied}_truncate AFTER TRUNCATE ON {ASSESSMENT}
  FOR EACH STATEMENT EXECUTE FUNCTION {emptied}()""",
        f"""CREATE TRIGGER {sheets}_insert AFTER INSERT ON {COMMUNE_YEAR}
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {sheets}()""",
        f"""CREATE TRIGGER {sheets}_delete AFTER DELETE ON {COMMUNE_YEAR}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {sheets}()""",
    ]


PG_TRIGGERS = {
    (_name("results") + "_insert", ASSESSMENT),
    (_name("results") + "_update", ASSESSMENT),
    (_name("results") + "_delete", ASSESSMENT),
    (_name("emptied") + "_truncate", ASSESSMENT),
    (_name("sheets") + "_insert", COMMUNE_YEAR),
    (_name("sheets") + "_delete", COMMUNE_YEAR),
}


# --- SQLite: row-level triggers --------------------------------------------------------------


def _sqlite_apply(row: str, sign: str = "") -> str:
    sets = ", ".join(f"{column} = {column} + {delta}" for column, delta in _row_counts(row, sign).items())
    return f"UPDATE {SUMMARY} SET {sets} WHERE commune_year_id = {row}.commune_year_id;"


def _sqlite_sql() -> list[str]:
    results, sheets = _name("results"), _name("sheets")
    return [
        f"CREATE TRIGGER {results}_insert AFTER INSERT ON {ASSESSMENT} BEGIN {_sqlite_apply('NEW')} END",
        f"CREATE TRIGGER {results}_delete AFTER DELETE ON {ASSESSMENT} BEGIN {_sqlite_apply('OLD', '-')} END",
        f"CREATE TRIGGER {results}_update AFTER UPDATE OF status, commune_year_id ON {ASSESSMENT} "
        f"BEGIN {_sqlite_apply('OLD', '-')} {_sqlite_apply('NEW')} END",
        f"CREATE TRIGGER {sheets}_insert AFTER INSERT ON {COMMUNE_YEAR} BEGIN "
        f"INSERT OR REPLACE INTO {SUMMARY} (commune_year_id, {', '.join(COLUMNS)}) "
        f"{_recount_select('WHERE cy.id = NEW.id')}; END",
        f"CREATE TRIGGER {sheets}_delete AFTER DELETE ON {COMMUNE_YEAR} BEGIN "
        f"DELETE FROM {SUMMARY} WHERE commune_year_id = OLD.id; END",
    ]


SQLITE_TRIGGERS = {
    (_name("results") + "_insert", ASSESSMENT),
    (_name("results") + "_delete", ASSESSMENT),
    (_name("results") + "_update", ASSESSMENT),
    (_name("sheets") + "_insert", COMMUNE_YEAR),
    (_name("sheets") + "_delete", COMMUNE_YEAR),
}


# --- installing, checking, rebuilding ------------------------------------------------------------


def _expected(connection) -> set[tuple[str, str]]:
    return PG_TRIGGERS if connection.vendor == "postgresql" else SQLITE_TRIGGERS


def installed_triggers(connection) -> set[tuple[str, str]]:
    """(trigger, table) of the summary's triggers in the database, of any version."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
                [PREFIX + "%"],
            )
        else:
            cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [PREFIX + "%"])
        return set(cursor.fetchall())


def is_installed(connection) -> bool:
    """Whether exactly this version's triggers are there (a SQLite table rebuilt by a migration loses its own)."""
    return installed_triggers(connection) == _expected(connection)


def install(connection) -> None:
    """(Re)create this version's triggers, dropping any others of the summary (older versions)."""
    with connection.cursor() as cursor:
        for name, table in installed_triggers(connection):
            if connection.vendor == "postgresql":
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            else:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema() AND p.proname LIKE %s",
                [PREFIX + "%"],
            )
            for (name,) in cursor.fetchall():
                if not name.startswith(PREFIX + VERSION + "_"):
                    cursor.execute(f'DROP FUNCTION IF EXISTS "{name}"()')
        for statement in _pg_sql() if connection.vendor == "postgresql" else _sqlite_sql():
            cursor.execute(statement)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for name, table in installed_triggers(connection):
            if connection.vendor == "postgresql":
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            else:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        if connection.vendor == "postgresql":
            for what in ("results", "sheets", "emptied"):
                cursor.execute(f'DROP FUNCTION IF EXISTS "{_name(what)}"()')


def rebuild(using: str = "default") -> int:
    """Recount every sheet's row from its assessments (in one transaction); returns the number of rows."""
    from django.db import transaction

    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SUMMARY}")
        cursor.execute(f"INSERT INTO {SUMMARY} (commune_year_id, {', '.join(COLUMNS)}) {_recount_select()}")
        return cursor.rowcount


def stale(using: str = "default", limit: int = 1000) -> list[int]:
    """Ids of commune-years (at most `limit`) whose summary row is missing or differs from a recount of its results."""
    differs = " OR ".join(f"s.{column} <> r.{column}" for column in COLUMNS)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT r.commune_year_id FROM ({_recount_select()}) r "
            f"LEFT JOIN {SUMMARY} s ON s.commune_year_id = r.commune_year_id "
            f"WHERE s.commune_year_id IS NULL OR {differs} "
            # Rows left behind by a sheet that is gone.
            f"UNION SELECT s.commune_year_id FROM {SUMMARY} s LEFT JOIN {COMMUNE_YEAR} cy ON cy.id = s.commune_year_id "
            f"WHERE cy.id IS NULL ORDER BY 1 LIMIT %s",
            [limit],
        )
        return [row[0] for row in cursor.fetchall()]


def ensure_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: the triggers are this version's, else they are installed and the summary is recounted
    (a migration that rebuilt a SQLite table dropped its triggers; writes since then were not counted)."""
    connection = connections[using]
    if SUMMARY not in connection.introspection.table_names():
        return
    if not is_installed(connection):
        install(connection)
        rebuild(using)
