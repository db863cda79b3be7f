"""docs/contract.md states the contract; this checks its lists against the code's one source of each."""
from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from fzzf.cli import build_parser
from fzzf.parsers.indicators import load_indicators
from fzzf.vocab import AuditStatus, DocKind, FetchError, Level, Part, SiteStatus, values

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")


def _bullet(enum_name: str) -> list[str]:
    match = re.search(rf"\(`fzzf\.vocab\.{enum_name}`\): (.*?)\.\n(?:- |\n)", CONTRACT, re.S)
    assert match, enum_name
    return [re.sub(r"\s*\(.*?\)", "", item).strip() for item in match.group(1).replace("\n", " ").split(",")]


def test_indicator_table_is_the_indicator_file() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \| (.+?) \| (.+?) \| (.+?) \| (.+?) \|$", CONTRACT, re.M)
    expected = [(i.key, i.name, i.name_en, i.unit, " ".join(i.units)) for i in load_indicators()]
    assert rows == expected


@pytest.mark.parametrize(("name", "enum"), [("Part", Part), ("DocKind", DocKind), ("SiteStatus", SiteStatus),
                                            ("FetchError", FetchError), ("AuditStatus", AuditStatus)])
def test_vocabulary_lists_are_the_enums(name: str, enum: type[StrEnum]) -> None:
    assert _bullet(name) == list(values(enum))


def test_registry_levels_are_the_enum() -> None:
    listed = re.search(r"one of `fzzf\.vocab\.Level`: ([a-z,\s]+)\)", CONTRACT)
    assert listed and re.split(r",\s*", listed.group(1).strip()) == list(values(Level))


def test_every_listed_command_exists() -> None:
    listed: set[str] = set()
    for cell in re.findall(r"^\| (`fzzf [^|]*)\|", CONTRACT, re.M):
        listed |= set(re.findall(r"`(?:fzzf )?([a-z]+)", cell))
    commands = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert listed and listed <= set(commands)


def test_no_reference_leaves_the_repository() -> None:
    # The design notes outside the checkout were folded into docs/; nothing may point back at them.
    folders = ("fzzf", "flows", "scrapers", "parsers", "warehouse", "sql", "sites", "tests", "bench", "docs")
    files = [ROOT / name for name in ("README.md", "pyproject.toml", "Makefile")]
    files += [p for folder in folders for p in (ROOT / folder).rglob("*")
              if p.suffix in {".py", ".md", ".toml", ".sql", ".csv"} and p != Path(__file__)]
    offenders = [str(p.relative_to(ROOT)) for p in files if "DESIGN.md" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_test_names_are_unique_across_the_suite() -> None:
    # One name, one test: `pytest -k NAME` and failure reports then point at one place.
    seen: dict[str, str] = {}
    duplicates = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for name in re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.M):
            if name in seen:
                duplicates.append(f"{name}: {seen[name]} and {path.relative_to(ROOT)}")
            seen[name] = str(path.relative_to(ROOT))
    assert duplicates == []
