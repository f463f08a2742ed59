"""The per-sheet summary (criteria.CommuneYearSummary), kept by the database itself.

A report over the country counts the results of ≈ 13,000 sheets (250,000 assessment rows) for one
year, and "reached standard" looks for each commune's latest approved sheet and counts its results
again. The summary holds, one row per commune-year:

- the counts of its results: recorded, met (đạt or không áp dụng, choices.COUNTS_AS_MET), not met,
  not applicable;
- what route (2) of criteria.selectors reads: `approved_year`, the latest year up to this sheet's year
  in which the commune has an approved sheet of a basic commune set (level "xa", with criteria), and
  `approved_met`, whether a sheet of that year meets every criterion of its set. Every sheet of a
  commune in one year has the same two values, so a commune's latest sheet up to a year answers for
  that year.

Triggers keep it: on results (assessment), sheets (commune-year: created, deleted, approval, year, set
or commune changed), criteria (a set's size) and sets (a set's level). They are installed by migration
0011 and checked after every `migrate`, and every way of writing goes through them, whatever wrote it:
admin forms and the sheet page, imports (the engine's own INSERT/UPDATE statements), indicator scoring,
approval, restoring a deletion, a cascade, `QuerySet.update()`, `COPY`, raw SQL. On PostgreSQL they run
once per statement (transition tables: an import of 95,000 results updates 5,000 rows once); on SQLite
once per row. `approved_*` is worked out again for the communes a write touches, and only when it can
change: results of a draft sheet (all an import writes) leave it alone.

`rebuild()` (`manage.py rebuild_criteria_summary`) computes everything again; `stale()` lists the sheets
whose row differs from a fresh computation (none, unless the triggers were bypassed, e.g. by a restore
with triggers disabled).
"""

from __future__ import annotations

import contextlib

from django.db import connections, transaction

from criteria.choices import COUNTS_AS_MET, ApprovalStatus, AssessmentStatus, SetLevel
from criteria.querysets import MAX_BIT  # a criterion number that fits a bit of a BIGINT (bit 0 unused)

SUMMARY = "criteria_communeyearsummary"
ASSESSMENT = "criteria_assessment"
COMMUNE_YEAR = "criteria_communeyear"
CRITERION = "criteria_criterion"
CRITERIA_SET = "criteria_criteriaset"
# Every trigger and function of the summary starts with this; the version changes when their SQL does.
PREFIX = "criteria_summary_"
VERSION = "v4"

APPROVED = f"'{ApprovalStatus.APPROVED}'"
BASIC = f"'{SetLevel.COMMUNE}'"


def _in(statuses) -> str:
    return ", ".join(f"'{s}'" for s in statuses)


# What each column adds up per result: a count of results with one of the statuses (None: every result), a bit
# (1 << criterion number) for results with one of the statuses, or a count of results outside the sheet's set.
COUNTED = {
    "assessed": ("count", None),
    "met": ("count", COUNTS_AS_MET),
    "not_met": ("count", (AssessmentStatus.NOT_MET,)),
    "not_applicable": ("count", (AssessmentStatus.NOT_APPLICABLE,)),
    "assessed_bits": ("bit", None),
    "met_bits": ("bit", COUNTS_AS_MET),
    "not_applicable_bits": ("bit", (AssessmentStatus.NOT_APPLICABLE,)),
    "outside_set": ("outside", None),
}
COUNTS = tuple(COUNTED)
STANDING = ("approved_year", "approved_met")
COLUMNS = COUNTS + STANDING


def _name(what: str) -> str:
    return f"{PREFIX}{VERSION}_{what}"


def _in_set_number(criterion: str, sheet_set: str) -> str:
    """SQL giving the criterion's number when it is a criterion of the sheet's set with a number of at most
    MAX_BIT, else NULL (`criterion`: alias of the criterion row; `sheet_set`: SQL of the sheet's set id)."""
    return (
        f"CASE WHEN {criterion}.criteria_set_id = {sheet_set} AND {criterion}.number BETWEEN 1 AND {MAX_BIT} "
        f"THEN {criterion}.number END"
    )


def _contributions(row: str, number: str, sign: str = "", present: str | None = None) -> dict[str, str]:
    """{column: SQL of what one result row `row` adds to it} (negated with sign "-"). `number`: SQL of its
    criterion's number within the sheet's set, NULL outside it (_in_set_number). `present`: a condition that
    the row exists (the rows of a LEFT JOIN), else it adds 0."""
    added = {}
    for column, (kind, statuses) in COUNTED.items():
        status = "TRUE" if statuses is None else f"{row}.status IN ({_in(statuses)})"
        if kind == "count":
            value = f"CASE WHEN {status} THEN 1 ELSE 0 END"
        elif kind == "bit":
            value = f"CASE WHEN {status} THEN COALESCE(CAST(1 AS BIGINT) << ({number}), 0) ELSE 0 END"
        else:
            value = f"CASE WHEN ({number}) IS NULL THEN 1 ELSE 0 END"
        if present:
            value = f"CASE WHEN {present} THEN {value} ELSE 0 END"
        added[column] = f"{sign}({value})"
    return added


def _recount(sheet_set: str, where: str) -> str:
    """SELECT of the sheet's columns recounted from its assessments (FROM assessment a LEFT JOIN criterion c,
    `where` choosing the rows): one row of sums; the bits of one sheet never overlap (one result per criterion)."""
    sums = ", ".join(
        f"COALESCE(SUM({expr}), 0) AS {column}"
        for column, expr in _contributions("a", _in_set_number("c", sheet_set)).items()
    )
    return f"SELECT {sums} FROM {ASSESSMENT} a LEFT JOIN {CRITERION} c ON c.id = a.criterion_id WHERE {where}"


def _counts_select(where: str = "", sheets: str = COMMUNE_YEAR) -> str:
    """SELECT commune_year_id and every count column recounted from the assessments, one row per commune-year
    (of `sheets`: the table, or a trigger's transition table of new sheets)."""
    number = _in_set_number("c", "cy.criteria_set_id")
    sums = ", ".join(
        f"COALESCE(SUM({expr}), 0) AS {column}"
        for column, expr in _contributions("a", number, present="a.id IS NOT NULL").items()
    )
    return (
        f"SELECT cy.id AS commune_year_id, {sums} FROM {sheets} cy "
        f"LEFT JOIN {ASSESSMENT} a ON a.commune_year_id = cy.id LEFT JOIN {CRITERION} c ON c.id = a.criterion_id "
        f"{where} GROUP BY cy.id"
    )


def _recount_update(sheets: str) -> str:
    """UPDATE the count columns of the sheets `sheets` (a SELECT of commune-year ids) to a recount: for the rare
    writes that change what every result of a sheet adds (its set, a criterion's number)."""
    columns = ", ".join(COUNTS)
    values = ", ".join(f"r.{c}" for c in COUNTS)
    return (
        f"UPDATE {SUMMARY} SET ({columns}) = ({values}) FROM ({_counts_select(f'WHERE cy.id IN ({sheets})')}) r "
        f"WHERE {SUMMARY}.commune_year_id = r.commune_year_id"
    )


def _standing_rows(communes: str | None = None) -> str:
    """A SELECT of commune_id, year, mark for every (commune, year) with a sheet (of the communes `communes`, a
    SELECT of commune ids; None: all). `mark` is year × 2, plus 1 if a sheet of that year met every criterion,
    for the latest year up to this one with an approved sheet of a basic set; NULL when there is none. A later
    year always marks higher, so the running maximum is the latest approved year. No WITH: SQLite refuses
    common table expressions inside triggers."""
    where = f"WHERE cy.commune_id IN ({communes})" if communes else ""
    sizes = (
        f"SELECT c.criteria_set_id AS set_id, COUNT(*) AS n FROM {CRITERION} c "
        f"JOIN {CRITERIA_SET} cs ON cs.id = c.criteria_set_id WHERE cs.level = {BASIC} GROUP BY c.criteria_set_id"
    )
    marks = (
        f"SELECT cy.commune_id, cy.year, MAX(CASE WHEN cy.approval_status = {APPROVED} AND sz.n IS NOT NULL "
        f"THEN cy.year * 2 + (CASE WHEN s.met >= sz.n THEN 1 ELSE 0 END) END) AS mark "
        f"FROM {COMMUNE_YEAR} cy JOIN {SUMMARY} s ON s.commune_year_id = cy.id "
        f"LEFT JOIN ({sizes}) sz ON sz.set_id = cy.criteria_set_id {where} GROUP BY cy.commune_id, cy.year"
    )
    return (
        f"SELECT m.commune_id, m.year, MAX(m.mark) OVER (PARTITION BY m.commune_id ORDER BY m.year "
        f"ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS mark FROM ({marks}) m"
    )


def _standing_update(communes: str | None, vendor: str) -> str:
    """UPDATE approved_year and approved_met of the sheets of `communes` (None: every sheet); rows already
    right are not written."""
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    year, met = "r.mark / 2", "COALESCE(r.mark % 2 = 1, FALSE)"
    return (
        f"UPDATE {SUMMARY} SET approved_year = {year}, approved_met = {met} "
        f"FROM {COMMUNE_YEAR} cy, ({_standing_rows(communes)}) r WHERE {SUMMARY}.commune_year_id = cy.id "
        f"AND r.commune_id = cy.commune_id AND r.year = cy.year "
        f"AND ({SUMMARY}.approved_year {differs} {year} OR {SUMMARY}.approved_met {differs} {met})"
    )


def _approved_communes(sheets: str) -> str:
    """The communes of the approved sheets among `sheets` (a SELECT of commune-year ids): only an approved
    sheet's results decide approved_met."""
    return f"SELECT commune_id FROM {COMMUNE_YEAR} WHERE id IN ({sheets}) AND approval_status = {APPROVED}"


def _approved_communes_any() -> str:
    """The communes with an approved sheet, of any year."""
    return f"SELECT commune_id FROM {COMMUNE_YEAR} WHERE approval_status = {APPROVED}"


def _communes_of_sets(sets: str) -> str:
    return f"SELECT commune_id FROM {COMMUNE_YEAR} WHERE criteria_set_id IN ({sets})"


# --- PostgreSQL: statement-level triggers over transition tables ---------------------------------


def _pg_apply(rows: str) -> str:
    """UPDATE the count columns by `rows` (a SELECT of commune_year_id and the signed contributions, one row per
    result added or removed), summed per sheet; a sheet whose columns do not change is not written. Adding up
    the statement's rows costs less than recounting the sheets they touched (an updated sheet's rows move to new
    pages). A result whose sheet is not there yet adds nothing: its sheet counts it when it comes."""
    sums = ", ".join(f"SUM({c}) AS {c}" for c in COUNTS)
    changed = " OR ".join(f"SUM({c}) <> 0" for c in COUNTS)
    sets = ", ".join(f"{c} = s.{c} + d.{c}" for c in COUNTS)
    return (
        f"UPDATE {SUMMARY} s SET {sets} FROM (SELECT commune_year_id, {sums} FROM ({rows}) x "
        f"GROUP BY commune_year_id HAVING {changed}) d WHERE s.commune_year_id = d.commune_year_id;"
    )


def _pg_rows(table: str, sign: str = "") -> str:
    number = _in_set_number("c", "cy.criteria_set_id")
    cols = ", ".join(f"{expr} AS {column}" for column, expr in _contributions("r", number, sign).items())
    return (
        f"SELECT r.commune_year_id, {cols} FROM {table} r JOIN {COMMUNE_YEAR} cy ON cy.id = r.commune_year_id "
        f"LEFT JOIN {CRITERION} c ON c.id = r.criterion_id"
    )


def _pg_standing(communes: str) -> str:
    return _standing_update(communes, "postgresql") + ";"


def _pg_function(name: str, body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{body}
  RETURN NULL;
END $$"""


def _pg_replanned(sql: str) -> str:
    """`sql` run by EXECUTE: planned with the tables as they are at each call (PL/pgSQL keeps the plan of a plain
    statement for the session, made with the sizes of its first call)."""
    return f"EXECUTE $sql${sql}$sql$;"


def _changed(column: str) -> str:
    """The ids of rows of an UPDATE whose `column` changed (new and old values), from its transition tables."""
    joined = f"FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.{column} IS DISTINCT FROM o.{column}"
    return f"SELECT n.{column} {joined} UNION SELECT o.{column} {joined}"


def _pg_sql() -> list[str]:
    counts = ", ".join(COUNTS)
    excluded = ", ".join(f"EXCLUDED.{c}" for c in COUNTS)
    sheet_keys = ("approval_status", "year", "criteria_set_id", "commune_id")
    moved = " OR ".join(f"n.{k} IS DISTINCT FROM o.{k}" for k in sheet_keys)
    joined = f"FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {moved}"
    both = "SELECT commune_year_id FROM new_rows UNION SELECT commune_year_id FROM old_rows"
    pairs = "FROM new_rows n JOIN old_rows o ON o.id = n.id"
    set_changed = f"SELECT n.id {pairs} WHERE n.criteria_set_id IS DISTINCT FROM o.criteria_set_id"
    results = f"""  IF TG_OP = 'INSERT' THEN
    {_pg_apply(_pg_rows("new_rows"))}
    {_pg_standing(_approved_communes("SELECT commune_year_id FROM new_rows"))}
  ELSIF TG_OP = 'DELETE' THEN
    {_pg_apply(_pg_rows("old_rows", "-"))}
    {_pg_standing(_approved_communes("SELECT commune_year_id FROM old_rows"))}
  ELSE
    {_pg_apply(_pg_rows("new_rows") + " UNION ALL " + _pg_rows("old_rows", "-"))}
    {_pg_standing(_approved_communes(both))}
  END IF;"""
    count_new_sheets = _pg_replanned(
        f"INSERT INTO {SUMMARY} (commune_year_id, {counts}) {_counts_select(sheets='new_rows')} "
        f"ON CONFLICT (commune_year_id) DO UPDATE SET ({counts}) = ({excluded})"
    )
    sheets = f"""  IF TG_OP = 'INSERT' THEN
    -- Counted, not zero: under deferred constraints a sheet's results may have been written before it. One
    -- join of all the new sheets, not one lookup per sheet: an import into a fresh table runs before ANALYZE
    -- has seen its rows, and the planner then scanned the whole results table once per new sheet (5,000
    -- sheets: 20 s of a 27 s import). Planned at every call (EXECUTE), not once per session: an import's
    -- first chunk found the results table empty, and the plan kept from it read and hashed the whole table at
    -- every later chunk (the benchmark's 19 chunks of 263 sheets: 0.45 s in this trigger, 0.06 s replanned).
    {count_new_sheets}
    -- A new row starts as a commune without an approved sheet has it (no year, not met): only the communes
    -- with one are worked out (an import of 5,000 draft sheets into a fresh province: none).
    {_pg_standing(f"SELECT commune_id FROM new_rows WHERE commune_id IN ({_approved_communes_any()})")}
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM {SUMMARY} WHERE commune_year_id IN (SELECT id FROM old_rows);
    {_pg_standing(f"SELECT commune_id FROM old_rows WHERE approval_status = {APPROVED}")}
  ELSE
    -- Another set: what each result adds changes (its criteria may be outside the new set).
    {_recount_update(set_changed)};
    {_pg_standing(f"SELECT n.commune_id {joined} UNION SELECT o.commune_id {joined}")}
  END IF;"""
    renumbered = (
        "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "WHERE n.number IS DISTINCT FROM o.number OR n.criteria_set_id IS DISTINCT FROM o.criteria_set_id"
    )
    # A criterion added to or taken from a set changes the number a sheet of that set must meet.
    criteria = f"""  IF TG_OP = 'INSERT' THEN
    {_pg_standing(_communes_of_sets("SELECT criteria_set_id FROM new_rows"))}
  ELSIF TG_OP = 'DELETE' THEN
    {_pg_standing(_communes_of_sets("SELECT criteria_set_id FROM old_rows"))}
  ELSE
    -- A renumbered criterion, or one moved to another set: the sheets with its results are recounted.
    {_recount_update(f"SELECT commune_year_id FROM {ASSESSMENT} WHERE criterion_id IN ({renumbered})")};
    {_pg_standing(_communes_of_sets(_changed("criteria_set_id")))}
  END IF;"""
    # A set that becomes (or stops being) a basic commune set.
    level_changed = "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.level IS DISTINCT FROM o.level"
    sets = f"  {_pg_standing(_communes_of_sets(level_changed))}"
    emptied = f"  UPDATE {SUMMARY} SET {', '.join(f'{c} = 0' for c in COUNTS)};\n  {_pg_standing(None)}"
    bodies = {"results": results, "sheets": sheets, "criteria": criteria, "sets": sets, "emptied": emptied}
    return [_pg_function(_name(what), body) for what, body in bodies.items()] + _pg_triggers()


def _pg_triggers() -> list[str]:
    statements = []
    for name, table, event, function in PG_TRIGGERS:
        refs = {
            "INSERT": "REFERENCING NEW TABLE AS new_rows",
            "UPDATE": "REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows",
            "DELETE": "REFERENCING OLD TABLE AS old_rows",
            "TRUNCATE": "",
        }[event]
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} {refs} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    return statements


def _pg_trigger(what: str, table: str, event: str) -> tuple[str, str, str, str]:
    return (f"{_name(what)}_{event.lower()}", table, event, _name(what))


PG_TRIGGERS = [
    _pg_trigger("results", ASSESSMENT, "INSERT"),
    _pg_trigger("results", ASSESSMENT, "UPDATE"),
    _pg_trigger("results", ASSESSMENT, "DELETE"),
    _pg_trigger("emptied", ASSESSMENT, "TRUNCATE"),
    _pg_trigger("sheets", COMMUNE_YEAR, "INSERT"),
    _pg_trigger("sheets", COMMUNE_YEAR, "UPDATE"),
    _pg_trigger("sheets", COMMUNE_YEAR, "DELETE"),
    _pg_trigger("criteria", CRITERION, "INSERT"),
    _pg_trigger("criteria", CRITERION, "UPDATE"),
    _pg_trigger("criteria", CRITERION, "DELETE"),
    _pg_trigger("sets", CRITERIA_SET, "UPDATE"),
]


# --- SQLite: row-level triggers --------------------------------------------------------------


def _sqlite_number(row: str) -> str:
    """The number of `row`'s criterion within its sheet's set (NULL outside it): two primary-key lookups."""
    return (
        f"(SELECT c.number FROM {CRITERION} c, {COMMUNE_YEAR} cy WHERE c.id = {row}.criterion_id "
        f"AND cy.id = {row}.commune_year_id AND c.criteria_set_id = cy.criteria_set_id "
        f"AND c.number BETWEEN 1 AND {MAX_BIT})"
    )


def _sqlite_counts(row: str, sign: str = "") -> str:
    added = _contributions(row, _sqlite_number(row), sign)
    sets = ", ".join(f"{column} = {column} + {delta}" for column, delta in added.items())
    return f"UPDATE {SUMMARY} SET {sets} WHERE commune_year_id = {row}.commune_year_id;"


def _sqlite_standing(communes: str) -> str:
    return _standing_update(communes, "sqlite") + ";"


def _sqlite_sql() -> list[str]:
    counts = ", ".join(COUNTS)
    triggers = {
        ("results_insert", f"AFTER INSERT ON {ASSESSMENT}"): _sqlite_counts("NEW")
        + _sqlite_standing(_approved_communes("SELECT NEW.commune_year_id")),
        ("results_delete", f"AFTER DELETE ON {ASSESSMENT}"): _sqlite_counts("OLD", "-")
        + _sqlite_standing(_approved_communes("SELECT OLD.commune_year_id")),
        # The old row's part is taken off while its sheet and criterion still read as they did.
        ("results_update", f"AFTER UPDATE OF status, commune_year_id, criterion_id ON {ASSESSMENT}"): _sqlite_counts(
            "OLD", "-"
        )
        + _sqlite_counts("NEW")
        + _sqlite_standing(_approved_communes("SELECT OLD.commune_year_id UNION SELECT NEW.commune_year_id")),
        ("sheets_insert", f"AFTER INSERT ON {COMMUNE_YEAR}"): (
            f"INSERT OR REPLACE INTO {SUMMARY} (commune_year_id, {counts}) "
            f"SELECT NEW.id, r.* FROM ({_recount('NEW.criteria_set_id', 'a.commune_year_id = NEW.id')}) r;"
            + _sqlite_standing("SELECT NEW.commune_id")
        ),
        ("sheets_delete", f"AFTER DELETE ON {COMMUNE_YEAR}"): (
            f"DELETE FROM {SUMMARY} WHERE commune_year_id = OLD.id;"
            + _sqlite_standing(f"SELECT OLD.commune_id WHERE OLD.approval_status = {APPROVED}")
        ),
        ("sheets_set", f"AFTER UPDATE OF criteria_set_id ON {COMMUNE_YEAR}"): _recount_update("SELECT NEW.id") + ";",
        (
            "sheets_update",
            f"AFTER UPDATE OF approval_status, year, criteria_set_id, commune_id ON {COMMUNE_YEAR}",
        ): _sqlite_standing("SELECT OLD.commune_id UNION SELECT NEW.commune_id"),
        ("criteria_insert", f"AFTER INSERT ON {CRITERION}"): _sqlite_standing(
            _communes_of_sets("SELECT NEW.criteria_set_id")
        ),
        ("criteria_delete", f"AFTER DELETE ON {CRITERION}"): _sqlite_standing(
            _communes_of_sets("SELECT OLD.criteria_set_id")
        ),
        ("criteria_update", f"AFTER UPDATE OF number, criteria_set_id ON {CRITERION}"): _recount_update(
            f"SELECT commune_year_id FROM {ASSESSMENT} WHERE criterion_id = NEW.id"
        )
        + ";"
        + _sqlite_standing(_communes_of_sets("SELECT OLD.criteria_set_id UNION SELECT NEW.criteria_set_id")),
        ("sets_update", f"AFTER UPDATE OF level ON {CRITERIA_SET}"): _sqlite_standing(
            _communes_of_sets("SELECT NEW.id")
        ),
    }
    return [f"CREATE TRIGGER {_name(name)} {when} BEGIN {body} END" for (name, when), body in triggers.items()]


def _sqlite_names() -> set[tuple[str, str]]:
    names = set()
    for statement in _sqlite_sql():
        words = statement.split()
        names.add((words[2], words[words.index("ON") + 1]))
    return names


# --- installing, checking, rebuilding ------------------------------------------------------------


def _expected(connection) -> set[tuple[str, str]]:
    if connection.vendor == "postgresql":
        return {(name, table) for name, table, _event, _function in PG_TRIGGERS}
    return _sqlite_names()


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
            cursor.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [PREFIX + "%"]
            )
        return set(cursor.fetchall())


def is_installed(connection) -> bool:
    """Whether exactly this version's triggers are there (a SQLite table rebuilt by a migration loses its own)."""
    return installed_triggers(connection) == _expected(connection)


def uninstall(connection) -> None:
    """Drop every trigger (and PostgreSQL function) of the summary, of any version."""
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
                cursor.execute(f'DROP FUNCTION IF EXISTS "{name}"()')


def install(connection) -> None:
    """(Re)create this version's triggers, dropping any others of the summary (older versions)."""
    uninstall(connection)
    with connection.cursor() as cursor:
        for statement in _pg_sql() if connection.vendor == "postgresql" else _sqlite_sql():
            cursor.execute(statement)


def rebuild(using: str = "default") -> int:
    """Compute every sheet's row again from the assessments (one transaction); returns the number of rows."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SUMMARY}")
        cursor.execute(f"INSERT INTO {SUMMARY} (commune_year_id, {', '.join(COUNTS)}) {_counts_select()}")
        rows = cursor.rowcount
        cursor.execute(_standing_update(None, connection.vendor))
        return rows


def stale(using: str = "default", limit: int = 1000) -> list[int]:
    """Ids of commune-years (at most `limit`) whose summary row is missing, left behind by a deleted sheet, or
    differs from a fresh computation of its counts and standing."""
    connection = connections[using]
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    counts_differ = " OR ".join(f"s.{c} <> r.{c}" for c in COUNTS)
    mark = (
        "CASE WHEN s.approved_year IS NULL THEN NULL "
        "ELSE s.approved_year * 2 + (CASE WHEN s.approved_met THEN 1 ELSE 0 END) END"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.commune_year_id FROM ({_counts_select()}) r "
            f"JOIN {COMMUNE_YEAR} cy ON cy.id = r.commune_year_id "
            f"LEFT JOIN {SUMMARY} s ON s.commune_year_id = r.commune_year_id "
            f"LEFT JOIN ({_standing_rows()}) g ON g.commune_id = cy.commune_id AND g.year = cy.year "
            f"WHERE s.commune_year_id IS NULL OR {counts_differ} OR ({mark}) {differs} g.mark "
            f"OR (s.approved_year IS NULL AND s.approved_met) "
            f"UNION SELECT s.commune_year_id FROM {SUMMARY} s LEFT JOIN {COMMUNE_YEAR} cy ON cy.id = s.commune_year_id "
            f"WHERE cy.id IS NULL ORDER BY 1 LIMIT %s",
            [limit],
        )
        return [row[0] for row in cursor.fetchall()]


@contextlib.contextmanager
def suspended(using: str = "default"):
    """For a bulk load: the triggers are off while the block writes, then back on, and the summary is computed
    once (a COPY of 3 million results through the statement triggers would keep them all in a transition table;
    one recount after is several times faster)."""
    connection = connections[using]
    uninstall(connection)
    try:
        yield
    finally:
        install(connection)
        rebuild(using)


def ensure_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: the triggers are this version's, else they are installed and the summary computed again
    (a migration that rebuilt a SQLite table dropped its triggers; writes since then were not counted)."""
    connection = connections[using]
    if SUMMARY not in connection.introspection.table_names():
        return
    if not is_installed(connection):
        install(connection)
        rebuild(using)
