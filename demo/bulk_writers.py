"""Writing fake members in bulk. On PostgreSQL a batch is COPied into a temporary table and
moved into the real tables by one statement that skips whatever collides; elsewhere
(SQLite) it goes through bulk_create. Batches are made ahead in a thread."""

import io
import queue
import threading
from contextlib import contextmanager
from datetime import UTC, datetime

import psycopg2
from django.db import connection, transaction
from django.db.models.functions import Lower
from psycopg2 import sql
from psycopg2.extensions import TRANSACTION_STATUS_INERROR

from accounts.models import PublicProfile, User
from demo.fake_members import PROFILE_COLUMNS, USER_COLUMNS

# From this many members on, and when they add at least a quarter to the profiles there,
# PostgreSQL rebuilds the plain indexes after the load instead of updating them row by
# row (about 20 µs a row to rebuild against 150 µs or more a row to update at a million).
BULK_LOAD_FROM = 50_000
STAGING_TABLE = "seed_demo_rows"
STAGING_TYPES = {
    "newsletter_opt_in": "boolean",
    "listed_in_directory": "boolean",
    "birth_date": "date",
    "joined": "double precision",  # seconds since the epoch
}
STAGING_COLUMNS = (*USER_COLUMNS, "joined", *PROFILE_COLUMNS)


def prefetched(batches, depth: int = 2):
    """The batches, made ahead in a thread: while PostgreSQL works on one batch (the
    driver lets go of the GIL), Python makes the next."""
    ahead: queue.Queue = queue.Queue(maxsize=depth)
    done, stop = object(), threading.Event()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make():
        try:
            for batch in batches:
                if not hand_over(batch):
                    return
        except BaseException as exc:  # raised again in the consuming thread
            hand_over(exc)
        else:
            hand_over(done)

    maker = threading.Thread(target=make, daemon=True, name="seed_demo rows")
    maker.start()
    try:
        while (item := ahead.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:  # the consumer failed or stopped early: let the maker go
        stop.set()
        maker.join()


class OrmWriter:
    """Any database: bulk_create, skipping conflicts."""

    def __init__(self, password_hash: str):
        self.password_hash = password_hash
        self.status = None

    @contextmanager
    def session(self):
        yield self

    @staticmethod
    def prepare(cols: dict[str, list]) -> dict[str, list]:
        return cols

    def write(self, cols: dict[str, list]) -> int:
        n = len(cols["login_name"])
        rows = [{name: cols[name][i] for name in STAGING_COLUMNS} for i in range(n)]
        taken = set(
            PublicProfile.objects.annotate(lower=Lower("username"))
            .filter(lower__in=[r["username"].lower() for r in rows])
            .values_list("lower", flat=True)
        )
        rows = [r for r in rows if r["username"].lower() not in taken]
        with transaction.atomic():
            User.objects.bulk_create(
                [
                    User(
                        **{name: r[name] for name in USER_COLUMNS},
                        password=self.password_hash,
                        date_joined=datetime.fromtimestamp(r["joined"], tz=UTC),
                        # Demo members confirmed their address when they joined.
                        email_verified_at=datetime.fromtimestamp(r["joined"], tz=UTC),
                    )
                    for r in rows
                ],
                ignore_conflicts=True,
            )
            ids = dict(
                User.objects.filter(login_name__in=[r["login_name"] for r in rows]).values_list(
                    "login_name", "id"
                )
            )
            # A member from an earlier run already has a profile: skipped, as is a
            # username taken since the check above.
            PublicProfile.objects.bulk_create(
                [
                    PublicProfile(
                        **{name: r[name] for name in PROFILE_COLUMNS},
                        member_id=ids[r["login_name"]],
                        created_at=datetime.fromtimestamp(r["joined"], tz=UTC),
                    )
                    for r in rows
                    if r["login_name"] in ids  # else skipped: its e-mail address was taken
                ],
                ignore_conflicts=True,
            )
        return n


class PostgresWriter:
    """PostgreSQL: COPY a batch into a temporary table, then one statement inserts the
    accounts that do not collide and, from the ids they get, their profiles. Columns the
    batch does not make take the model's defaults, so a new column does not break it.

    A big load (into a fresh demo database, say) runs as one transaction that drops the
    plain (non-unique) indexes first and builds them again at the end, as pg_restore
    does: building an index over a million rows is many times cheaper than updating a
    dozen of them a row at a time. The unique indexes stay, since they are what finds the
    duplicates to skip. A failure rolls everything back, indexes included. Meanwhile the
    two tables are locked against other sessions."""

    def __init__(self, password_hash: str, *, bulk: bool, status=None):
        self.bulk, self.status = bulk, status or (lambda text: None)
        user_cols, user_values = self._columns(User, User(password=password_hash), USER_COLUMNS)
        user_values = [
            # Demo members confirmed their address when they joined.
            sql.SQL("to_timestamp(r.joined)")
            if c.string in ("date_joined", "email_verified_at")
            else v
            for c, v in zip(user_cols, user_values, strict=True)
        ]
        prof_cols, prof_values = self._columns(PublicProfile, PublicProfile(), PROFILE_COLUMNS)
        prof_values = [
            sql.SQL("n.id")
            if c.string == "member_id"
            else sql.SQL("to_timestamp(r.joined)")
            if c.string == "created_at"
            else v
            for c, v in zip(prof_cols, prof_values, strict=True)
        ]
        staging = sql.Identifier(STAGING_TABLE)
        self.tables = [User._meta.db_table, PublicProfile._meta.db_table]
        self.create = sql.SQL("CREATE TEMPORARY TABLE {} ({})").format(
            staging,
            sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(STAGING_TYPES.get(c, "text")))
                for c in STAGING_COLUMNS
            ),
        )
        self.drop = sql.SQL("DROP TABLE IF EXISTS {}").format(staging)
        self.truncate = sql.SQL("TRUNCATE {}").format(staging)
        self.copy = sql.SQL("COPY {} ({}) FROM STDIN").format(
            staging, sql.SQL(", ").join(map(sql.Identifier, STAGING_COLUMNS))
        )
        # Each check is a scalar subquery so that it stays one index probe per row: as
        # NOT EXISTS the planner may hash the whole table every batch. Rows go in sorted,
        # accounts by login name (the COPY order) and profiles by username, so that each
        # batch walks the unique indexes in order.
        taken = [
            sql.SQL(
                "(SELECT true FROM {table} t WHERE lower(t.{column}::text) = lower(r.{column})"
                " LIMIT 1) IS NULL"
            ).format(table=sql.Identifier(model._meta.db_table), column=sql.Identifier(column))
            for model, column in (
                (PublicProfile, "username"),
                # A bulk load skips duplicates by looking first rather than through ON
                # CONFLICT, which costs a third more per row: nobody else can insert
                # meanwhile (the tables are locked) and the run's own rows are distinct.
                *([(User, "login_name"), (User, "email")] if bulk else []),
            )
        ]
        on_conflict = sql.SQL("" if bulk else " ON CONFLICT DO NOTHING")
        self.insert = sql.SQL(
            "WITH new_members AS ("
            " INSERT INTO {user} ({user_cols}) SELECT {user_values} FROM {staging} r"
            " WHERE {taken}{on_conflict} RETURNING id, login_name"
            ") INSERT INTO {profile} ({prof_cols})"
            " SELECT {prof_values} FROM new_members n JOIN {staging} r USING (login_name)"
            " ORDER BY r.username{on_conflict}"
        ).format(
            staging=staging,
            user=sql.Identifier(User._meta.db_table),
            profile=sql.Identifier(PublicProfile._meta.db_table),
            user_cols=sql.SQL(", ").join(user_cols),
            user_values=sql.SQL(", ").join(user_values),
            prof_cols=sql.SQL(", ").join(prof_cols),
            prof_values=sql.SQL(", ").join(prof_values),
            taken=sql.SQL(" AND ").join(taken),
            on_conflict=on_conflict,
        )

    def _columns(self, model, template, generated):
        columns, values = [], []
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            columns.append(sql.Identifier(field.column))
            if field.attname in generated:
                values.append(sql.SQL("r.{}").format(sql.Identifier(field.attname)))
            else:
                value = field.get_db_prep_save(field.pre_save(template, add=True), connection)
                values.append(sql.Literal(str(value) if isinstance(value, str) else value))
        return columns, values

    @contextmanager
    def session(self):
        self.raw = connection.cursor().cursor  # psycopg2's own: COPY and composed SQL
        self.raw.execute(self.drop)
        self.raw.execute(self.create)
        try:
            if self.bulk:
                with transaction.atomic():
                    indexes = self._drop_plain_indexes()
                    yield self
                    self._rebuild(indexes)
            else:
                yield self
        finally:
            try:
                self.raw.execute(self.drop)
            except psycopg2.Error:
                # In a transaction that failed already, that first error is the one to see.
                if self.raw.connection.get_transaction_status() != TRANSACTION_STATUS_INERROR:
                    raise

    def _drop_plain_indexes(self) -> list[tuple[str, str]]:
        self.raw.execute("SET LOCAL maintenance_work_mem = '256MB'")
        self.raw.execute(
            sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(
                sql.SQL(", ").join(map(sql.Identifier, self.tables))
            )
        )
        self.raw.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
            " FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[])"
            " AND NOT i.indisunique AND NOT i.indisprimary AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
            " ORDER BY 1",
            [self.tables],
        )
        indexes = self.raw.fetchall()
        for name, _ in indexes:
            self.raw.execute(f"DROP INDEX {name}")  # a regclass name, quoted already
        return indexes

    def _rebuild(self, indexes: list[tuple[str, str]]) -> None:
        self.status("checking foreign keys")
        # Deferred foreign-key checks must run before an index can be built.
        self.raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.status("building indexes")
        for _, definition in indexes:
            self.raw.execute(definition)
        self.status("analysing")  # fresh statistics for the directory's first queries
        for table in self.tables:
            self.raw.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))

    @staticmethod
    def prepare(cols: dict[str, list]) -> tuple[int, io.StringIO]:
        """The batch as COPY text, sorted by login name (made in the rows thread)."""
        rows = sorted(zip(*(cols[c] for c in STAGING_COLUMNS), strict=True))
        text = io.StringIO()
        text.writelines("\t".join(map(_copy_text, row)) + "\n" for row in rows)
        text.seek(0)
        return len(rows), text

    def write(self, prepared: tuple[int, io.StringIO]) -> int:
        count, text = prepared
        with transaction.atomic(savepoint=False):
            # JIT compiling the row checks costs more than it saves on a batch.
            self.raw.execute("SET LOCAL jit = off")
            self.raw.execute("SET LOCAL work_mem = '64MB'")
            if not self.bulk:
                self.raw.execute("SET LOCAL synchronous_commit = off")  # demo data
            self.raw.execute(self.truncate)
            self.raw.copy_expert(self.copy, text)
            self.raw.execute(self.insert)
        return count


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)
