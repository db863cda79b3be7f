"""The DuckDB files: the writer's private working file, migrations, and atomic publishing."""
from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_DB = Path("warehouse/fzzf.duckdb")  # the only place the default paths are written
DEFAULT_EXPORT_DIR = Path("exports")
# Analysts' DuckDB clients lag behind: the `duckdb-cli` on PyPI is 1.5.x and cannot open files written
# with DuckDB 2.0's default storage (v69). Writing the v1.5.0 storage format costs nothing we use and
# keeps the published file readable by both.
STORAGE_COMPATIBILITY = "v1.5.0"
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
PUBLISHING_SUFFIX = ".publishing"
STRAY_WAL_SUFFIX = ".stray-"
# Files are created 0666 and directories 0777 less the umask, as `open` and `mkdir` do.
FILE_MODE = 0o666
_log = logging.getLogger(__name__)


class RunLocked(RuntimeError):
    """Another run (nightly or re-parse) holds this warehouse's run lock."""


class PublishRefused(RuntimeError):
    """The snapshot failed its checks: the live file was left as it was."""

    def __init__(self, db_path: Path, failures: list[str]) -> None:
        super().__init__(f"not published: the snapshot of {db_path} failed {', '.join(failures)}; "
                         f"the last good file stays live")
        self.failures = failures


def work_path(db_path: Path) -> Path:
    """The writer's private file beside the live one: `fzzf.duckdb` -> `fzzf.work.duckdb`."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.work{db_path.suffix or '.duckdb'}")


# The working file is checkpointed when it is published (and when its log outgrows this), not after every
# batch a night stores: a committed batch is safe in the write-ahead log, which the next open replays.
WORK_CHECKPOINT_THRESHOLD = "1GB"
# Every connection to the working file opens it with these settings (DuckDB refuses a second, different set).
WORK_CONFIG = {"storage_compatibility_version": STORAGE_COMPATIBILITY, "checkpoint_threshold": WORK_CHECKPOINT_THRESHOLD}


def connect_work(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating or seeding from the live file if needed) and migrate the writer's working file."""
    db_path = Path(db_path)
    work = work_path(db_path)
    work.parent.mkdir(parents=True, exist_ok=True)
    if not work.exists() and db_path.exists():
        # A lost working file is rebuilt from the last published snapshot, never from nothing.
        shutil.copyfile(db_path, work)
    con = duckdb.connect(str(work), config=dict(WORK_CONFIG))
    apply_migrations(con)
    return con


def connect_read(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open the published file read-only, as analysts and exports do."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path}: run `fzzf run` or `fzzf demo` first")
    return duckdb.connect(str(db_path), read_only=True)


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every `migrations/NNN_name.sql` not yet recorded in `schema_migrations`; returns those applied."""
    con.execute(
        "create table if not exists schema_migrations ("
        " version integer primary key, name varchar not null, applied_at timestamptz not null)"
    )
    done = {row[0] for row in con.execute("select version from schema_migrations").fetchall()}
    applied = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match or int(match.group(1)) in done:
            continue
        con.execute("begin transaction")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "insert into schema_migrations values (?, ?, ?)",
                [int(match.group(1)), path.stem, datetime.now(timezone.utc)],
            )
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(path.stem)
    return applied


def lock_path(db_path: Path) -> Path:
    """The run lock beside the live file: `fzzf.duckdb` -> `fzzf.duckdb.lock`."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def run_lock(db_path: Path) -> Iterator[Path]:
    """Hold the one-run-per-warehouse lock for the block, or raise RunLocked at once (never wait)."""
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        try:
            # flock is released by the kernel when the process dies, so a crash never leaves a stale lock.
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown process"
            raise RunLocked(f"another fzzf run holds the lock on {db_path} ({holder}); "
                            f"this run did not start") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, since {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC".encode(), 0)
        yield path
    finally:
        os.close(fd)


def clean_leftovers(db_path: Path) -> list[Path]:
    """Remove temporary publish files of crashed runs; call with the run lock held."""
    db_path = Path(db_path)
    removed = []
    for leftover in db_path.parent.glob(f".{db_path.stem}.*{PUBLISHING_SUFFIX}"):
        leftover.unlink(missing_ok=True)
        removed.append(leftover)
    return removed


def move_stray_wal(db_path: Path) -> Path | None:
    """Move a write-ahead log beside the live file aside (an analyst opened it read-write); returns its new path."""
    db_path = Path(db_path)
    wal = db_path.with_name(db_path.name + ".wal")
    if not wal.exists():
        return None
    aside = wal.with_name(f"{wal.name}{STRAY_WAL_SUFFIX}{datetime.now(timezone.utc):%Y%m%dT%H%M%S}")
    os.replace(wal, aside)
    _log.warning("moved a stray write-ahead log %s aside to %s: someone opened the published file read-write; "
                 "analysts should open it with `duckdb -readonly`, and keep their own tables in their own file",
                 wal, aside)
    return aside


def verify_snapshot(path: Path) -> list[str]:
    """Open a snapshot read-only, read every column of every table, run the data tests; returns what failed."""
    from fzzf.warehouse import marts

    con = duckdb.connect(str(path), read_only=True)
    try:
        failures = []
        tables = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' order by table_name").fetchall()]
        for table in tables:
            try:
                # Hashing every value decodes every block: a torn copy fails here, not in an analyst's query.
                con.execute(f'select count(*), sum(hash(columns(*))) from "{table}"').fetchall()
            except duckdb.Error as exc:
                failures.append(f"read of {table} ({type(exc).__name__})")
        if not failures and "stg_reports" in tables:
            failures += [f.name for f in marts.run_data_tests(con)]
        return failures
    finally:
        con.close()


def publish(db_path: Path) -> Path:
    """Replace the live file with a checkpointed, copied, verified snapshot of the working file (`os.replace`)."""
    db_path = Path(db_path)
    work = work_path(db_path)
    if not work.exists():
        raise FileNotFoundError(f"nothing to publish: no working file {work}")
    # Checkpointing folds the write-ahead log into the file, so the byte copy below is complete.
    con = duckdb.connect(str(work), config=dict(WORK_CONFIG))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{db_path.stem}.", suffix=PUBLISHING_SUFFIX, dir=db_path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, open(work, "rb") as src:
            shutil.copyfileobj(src, out, 16 * 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes 0600; analysts in the group must read the published file, as the umask says.
        os.chmod(tmp, FILE_MODE & ~current_umask())
        failures = verify_snapshot(tmp)
        if failures:
            raise PublishRefused(db_path, failures)
        # A WAL beside the live file would be replayed against the new file: move it aside first.
        move_stray_wal(db_path)
        # Readers that hold the old file keep its inode (old, complete data); new connections see the new file.
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(db_path.parent)
    return db_path


def current_umask() -> int:
    """The process umask, read without changing it where /proc tells it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def fsync_dir(folder: Path) -> None:
    """Make the rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
