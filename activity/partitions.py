"""Monthly range partitions of the raw activity events, on PostgreSQL.

Page views (by `occurred_at`) and client sessions (by `started_at`) are declaratively
partitioned by month (migration 0002). Each table has a DEFAULT partition, so that a row
outside every month partition is still stored rather than refused; the scheduled
retention job creates the partitions of the coming months ahead (moving any row the
default partition holds for that month), and drops a whole month once all of it is
past retention (activity.retention). On SQLite the tables are plain and these are no-ops.

Written here rather than with django-postgres-extra: its partitioning needs the project
to run on its own database backend (ENGINE psqlextra.backend) and its models and
migrations are PostgreSQL-only, while the embedded default and the test suite run on
SQLite; and dropping a month here must respect legal holds and rolled-up days, which
its partition manager (delete by age) knows nothing of.

A partitioned table's primary key must hold the partition key: it is (id, time). Django
still sees `id` as the key; ids stay unique, drawn from one sequence (or uuid4).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection, transaction

# table -> the column it is partitioned by
MONTHLY = {"activity_pageview": "occurred_at", "activity_clientsession": "started_at"}
MONTHS_AHEAD = 3


@dataclass(frozen=True)
class Partition:
    name: str
    start: datetime
    end: datetime


def supported(conn=None) -> bool:
    return (conn or connection).vendor == "postgresql"


def month_start(day: date) -> datetime:
    return datetime(day.year, day.month, 1, tzinfo=UTC)


def next_month(start: datetime) -> datetime:
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def partition_name(table: str, start: datetime) -> str:
    return f"{table}_y{start.year}m{start.month:02d}"


def default_name(table: str) -> str:
    return f"{table}_default"


def is_partitioned(table: str, conn=None) -> bool:
    conn = conn or connection
    if not supported(conn):
        return False
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
            "WHERE c.relname = %s AND pg_table_is_visible(c.oid)",
            [table],
        )
        return cursor.fetchone() is not None


def month_partitions(table: str, conn=None) -> list[Partition]:
    """The month partitions of `table`, oldest first (the default one is not listed)."""
    conn = conn or connection
    if not is_partitioned(table, conn):
        return []
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent "
            "WHERE p.relname = %s AND pg_table_is_visible(p.oid) ORDER BY c.relname",
            [table],
        )
        names = [name for (name,) in cursor.fetchall()]
    found = []
    prefix = f"{table}_y"
    for name in names:
        if not name.startswith(prefix):
            continue
        year, month = name.removeprefix(prefix).split("m")
        start = datetime(int(year), int(month), 1, tzinfo=UTC)
        found.append(Partition(name, start, next_month(start)))
    return sorted(found, key=lambda p: p.start)


def partition_create(table: str, start: datetime, conn=None) -> bool:
    """The month partition of `table` starting at `start`, if missing; rows the default
    partition holds for that month move into it. Returns whether it was created."""
    conn = conn or connection
    name, end, key = partition_name(table, start), next_month(start), MONTHLY[table]
    if any(p.name == name for p in month_partitions(table, conn)):
        return False
    q = conn.ops.quote_name
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {q(name)} (LIKE {q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        cursor.execute(
            f"WITH moved AS (DELETE FROM {q(default_name(table))} "  # noqa: S608 (MONTHLY's)
            f"WHERE {q(key)} >= %s AND {q(key)} < %s RETURNING *) "
            f"INSERT INTO {q(name)} SELECT * FROM moved",
            [start, end],
        )
        cursor.execute(
            f"ALTER TABLE {q(table)} ATTACH PARTITION {q(name)} FOR VALUES FROM (%s) TO (%s)",
            [start, end],
        )
    return True


def partitions_create_ahead(*, now: datetime, months: int = MONTHS_AHEAD, conn=None) -> int:
    """This month's partition and the next `months`' of every partitioned table."""
    conn = conn or connection
    created = 0
    for table in MONTHLY:
        if not is_partitioned(table, conn):
            continue
        start = month_start(now.astimezone(UTC).date())
        for _ in range(months + 1):
            created += partition_create(table, start, conn)
            start = next_month(start)
    return created


def partition_drop(name: str, conn=None) -> None:
    conn = conn or connection
    with conn.cursor() as cursor:
        cursor.execute(f"DROP TABLE {conn.ops.quote_name(name)}")


# --- The migration: a plain table made partitioned, its rows kept ----------------------------


def _partition_table(cursor, table: str, key: str) -> None:
    old = f"{table}_unpartitioned"
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = %s::regclass AND NOT indisprimary",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND is_identity = 'YES'",
        [table],
    )
    identity = [name for (name,) in cursor.fetchall()]
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{old}"')
    cursor.execute(f'ALTER TABLE "{old}" RENAME CONSTRAINT "{table}_pkey" TO "{old}_pkey"')
    cursor.execute(
        f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS) '
        f'PARTITION BY RANGE ("{key}")'
    )
    cursor.execute(f'ALTER TABLE "{table}" ADD PRIMARY KEY ("id", "{key}")')
    for column in identity:  # one sequence for every partition, going on from the old one
        sequence = f"{table}_{column}_seq"
        cursor.execute(f'ALTER TABLE "{old}" ALTER "{column}" DROP IDENTITY')  # and its name
        cursor.execute(f'CREATE SEQUENCE "{sequence}" OWNED BY "{table}"."{column}"')
        cursor.execute(
            f'SELECT setval(\'"{sequence}"\', COALESCE(MAX("{column}"), 0) + 1, false) FROM "{old}"'  # noqa: S608 (names: MONTHLY's)
        )
        cursor.execute(
            f'ALTER TABLE "{table}" ALTER "{column}" SET DEFAULT nextval(\'"{sequence}"\')'
        )
    cursor.execute(f'CREATE TABLE "{default_name(table)}" PARTITION OF "{table}" DEFAULT')
    cursor.execute(f'SELECT MIN("{key}") FROM "{old}"')  # noqa: S608 (names: MONTHLY's)
    (oldest,) = cursor.fetchone()
    now = datetime.now(UTC)
    start = month_start((oldest or now).astimezone(UTC).date())
    last = month_start(now.date())
    for _ in range(MONTHS_AHEAD):
        last = next_month(last)
    while start <= last:
        end = next_month(start)
        cursor.execute(
            f'CREATE TABLE "{partition_name(table, start)}" PARTITION OF "{table}" '
            "FOR VALUES FROM (%s) TO (%s)",
            [start, end],
        )
        start = end
    cursor.execute(f'INSERT INTO "{table}" SELECT * FROM "{old}"')  # noqa: S608 (MONTHLY's)
    cursor.execute(f'DROP TABLE "{old}"')
    for name, constraint in foreign_keys:
        cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {constraint}')
    for _, definition in indexes:  # on the parent: every partition gets its own
        cursor.execute(definition)


def partition_tables(apps, schema_editor) -> None:
    """Migration step: every table of MONTHLY partitioned by month (PostgreSQL only)."""
    conn = schema_editor.connection
    if not supported(conn):
        return
    with conn.cursor() as cursor:
        for table, key in MONTHLY.items():
            if not is_partitioned(table, conn):
                _partition_table(cursor, table, key)
