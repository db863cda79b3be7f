"""The DuckDB files: the writer's private working file, migrations, and atomic publishing."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
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


def work_path(db_path: Path) -> Path:
    """The writer's private file beside the live one: `fzzf.duckdb` -> `fzzf.work.duckdb`."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.work{db_path.suffix or '.duckdb'}")


def connect_work(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating or seeding from the live file if needed) and migrate the writer's working file."""
    db_path = Path(db_path)
    work = work_path(db_path)
    work.parent.mkdir(parents=True, exist_ok=True)
    if not work.exists() and db_path.exists():
        # A lost working file is rebuilt from the last published snapshot, never from nothing.
        shutil.copyfile(db_path, work)
    con = duckdb.connect(str(work), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
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


def publish(db_path: Path) -> Path:
    """Snapshot the working file to a temporary file beside the live one and `os.replace` it over the live file."""
    db_path = Path(db_path)
    work = work_path(db_path)
    if not work.exists():
        raise FileNotFoundError(f"nothing to publish: no working file {work}")
    # Checkpointing folds the write-ahead log into the file, so the byte copy below is complete.
    con = duckdb.connect(str(work), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{db_path.stem}.", suffix=".publishing", dir=db_path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, open(work, "rb") as src:
            shutil.copyfileobj(src, out, 16 * 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        # Readers that hold the old file keep its inode (old, complete data); new connections see the new file.
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(db_path.parent)
    return db_path


def _fsync_dir(folder: Path) -> None:
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
