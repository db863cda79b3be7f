"""Checks on command-line input, made before any work starts: each returns a one-line reason or None."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fzzf.warehouse import catalogue

# File suffixes that name an export format under another spelling.
SUFFIX_FORMATS = {"markdown": "md", "pq": "parquet"}
EXPORT_FORMATS = ("csv", "parquet", "md")
# A page saved from a browser or curl: markup or text. NUL bytes (or a known binary signature) in
# the first bytes mean it is something else, a PDF or an image, which `fzzf parse` cannot read.
SNIFF_BYTES = 8192
BINARY_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


def db_problem(path: Path) -> str | None:
    """Why `--db` cannot be the warehouse: a folder, a file that is not DuckDB, a DuckDB file not fzzf's."""
    if not path.exists():
        return None if not path.parent.exists() or path.parent.is_dir() else f"--db {path}: {path.parent} is not a folder"
    try:
        catalogue.open_warehouse(path).close()
    except catalogue.NotAWarehouse as exc:
        return f"--db {exc}"
    return None


def export_problem(path: Path) -> str | None:
    """Why `--export` cannot be the export folder."""
    if path.exists() and not path.is_dir():
        return f"--export {path} is a file, not a folder"
    return None


def page_problem(path: Path) -> str | None:
    """Why FILE is not a saved page `fzzf parse` can read (missing, a folder, empty, binary)."""
    if path.is_dir():
        return f"{path} is a folder, not a saved page"
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror}"
    if not head.strip():
        return f"{path} is empty"
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 text is full of NUL bytes
    if head.startswith(BINARY_SIGNATURES) or (b"\x00" in head and not utf16):
        return f"{path} is neither HTML nor text (binary content)"
    return None


def url_problem(url: str) -> str | None:
    """Why `--url` is not an http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"--url {url!r} is not an http(s) URL (e.g. https://www.example.gov.cn/art/2024/3/1/art_1_2.html)"
    return None


def out_problem(out: Path | None, fmt: str | None = None) -> str | None:
    """Why `--out` cannot be written (a folder, a missing folder, a suffix that is not the format), or None."""
    if out is None:
        return None
    if out.is_dir():
        return f"--out {out} is a folder; give a file name"
    if not out.parent.is_dir():
        return f"--out {out}: folder {out.parent} does not exist"
    if fmt is not None:
        suffix = out.suffix.lower().lstrip(".")
        named = SUFFIX_FORMATS.get(suffix, suffix)
        if named in EXPORT_FORMATS and named != fmt:
            return f"--out {out} ends in .{suffix} but --format is {fmt}; make them agree"
    return None
