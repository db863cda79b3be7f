"""The SQL models' dependency graph: each file's `-- depends on:` header, the build order it implies, checks."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
# Stages whose files are models: each creates the one relation its file is named after (NNN_<name>.sql).
# `base` files maintain a derived base table (its `-- writes:` header names it); staging and marts never do.
STAGES = ("base", "staging", "marts")
_HEADER_RE = re.compile(r"^--\s*(depends on|writes):\s*(.*)$", re.M)
_NAME_RE = re.compile(r"^(?:\d+_)?(?P<name>[a-z_][a-z0-9_]*)$")
_COMMENT_RE = re.compile(r"--[^\n]*")
_STRING_RE = re.compile(r"'(?:[^']|'')*'")
_CTE_RE = re.compile(r"(?:\bwith|,)\s*([a-z_][a-z0-9_]*)\s+as\s*(?:materialized\s*)?\(", re.I)
_READ_RE = re.compile(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)\b(?!\s*\()", re.I)
_WRITE_RE = re.compile(r"\b(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from|create\s+(?:or\s+replace\s+)?"
                       r"(?:temp\s+|temporary\s+)?(?:table|view)|drop\s+(?:table|view)(?:\s+if\s+exists)?|"
                       r"comment\s+on\s+(?:table|view|column))\s+([a-z_][a-z0-9_]*)", re.I)
# Table functions and keywords that follow FROM without being relations.
_NOT_RELATIONS = frozenset({"unnest", "range", "generate_series", "duckdb_columns", "duckdb_views", "select"})


class SqlGraphError(ValueError):
    """A model whose header does not match its SQL, a cycle, or a dependency nothing provides."""


@dataclass(frozen=True)
class SqlModel:
    """One SQL file: the relation it creates (or base table it writes), what it says it reads, what it reads."""

    stage: str
    path: Path
    name: str
    depends_on: tuple[str, ...]
    writes: tuple[str, ...]
    reads: tuple[str, ...]
    written: tuple[str, ...]


def load_models(sql_dir: Path = SQL_DIR) -> list[SqlModel]:
    """Every model file of every stage, with its header and the relations its SQL reads and writes."""
    models = []
    for stage in STAGES:
        for path in sorted((sql_dir / stage).glob("*.sql")):
            models.append(_model(stage, path))
    return models


def build_order(models: list[SqlModel]) -> list[SqlModel]:
    """Models in dependency order (Kahn's algorithm; ties by stage, then file name, so the order is stable)."""
    by_name = {m.name: m for m in models}
    pending = {m.name: {d for d in m.depends_on if d in by_name and d != m.name} for m in models}
    rank = {m.name: (STAGES.index(m.stage), m.path.name) for m in models}
    order: list[SqlModel] = []
    while pending:
        ready = sorted((n for n, deps in pending.items() if not deps), key=rank.__getitem__)
        if not ready:
            raise SqlGraphError(f"dependency cycle among: {', '.join(sorted(pending))}")
        name = ready[0]
        order.append(by_name[name])
        del pending[name]
        for deps in pending.values():
            deps.discard(name)
    return order


def check_models(models: list[SqlModel], sources: set[str]) -> list[str]:
    """Problems with the graph: headers that differ from the SQL, unknown dependencies, writes out of place."""
    problems = []
    provided = {m.name for m in models} | sources
    for m in models:
        where = f"{m.stage}/{m.path.name}"
        if set(m.depends_on) != set(m.reads) - {m.name}:
            problems.append(f"{where}: header says depends on {sorted(m.depends_on)}, SQL reads "
                            f"{sorted(set(m.reads) - {m.name})}")
        for dep in m.depends_on:
            if dep not in provided:
                problems.append(f"{where}: depends on {dep}, which no model or base/ref table provides")
        allowed = set(m.writes) if m.stage == "base" else {m.name}
        for target in m.written:
            if target not in allowed:
                problems.append(f"{where}: writes {target}" + (" (a base table: staging and marts only create "
                                                                 "their own relation)" if m.stage != "base" else ""))
        if m.stage == "base" and not m.writes:
            problems.append(f"{where}: a base step must name the table it writes (-- writes:)")
    try:
        build_order(models)
    except SqlGraphError as exc:
        problems.append(str(exc))
    return problems


def _model(stage: str, path: Path) -> SqlModel:
    text = path.read_text(encoding="utf-8")
    headers: dict[str, tuple[str, ...]] = {}
    for key, value in _HEADER_RE.findall(text):
        headers[key] = tuple(v.strip() for v in value.split(",") if v.strip())
    if "depends on" not in headers:
        raise SqlGraphError(f"{stage}/{path.name}: no '-- depends on:' header")
    match = _NAME_RE.match(path.stem)
    if not match:
        raise SqlGraphError(f"{stage}/{path.name}: file name is not NNN_<relation>.sql")
    code = _STRING_RE.sub("''", _COMMENT_RE.sub("", text))
    ctes = {c.lower() for c in _CTE_RE.findall(code)}
    reads = {r.lower() for r in _READ_RE.findall(code)} - ctes - _NOT_RELATIONS
    written = {w.lower() for w in _WRITE_RE.findall(code)}
    return SqlModel(stage=stage, path=path, name=match.group("name"), depends_on=headers["depends on"],
                    writes=headers.get("writes", ()), reads=tuple(sorted(reads)), written=tuple(sorted(written)))
