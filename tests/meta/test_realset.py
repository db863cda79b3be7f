"""The real dev set's facts (tests/realset/): every labelled page is listed with its URL, labels use the vocabularies."""
from __future__ import annotations

import tomllib
from pathlib import Path

from fzzf.parsers.indicators import load_indicators
from fzzf.vocab import DocKind, Scope

REALSET = Path(__file__).resolve().parents[1] / "realset"


def _load(name: str) -> dict:
    return tomllib.loads((REALSET / name).read_text(encoding="utf-8"))


def test_every_page_has_a_url_and_a_known_kind():
    pages = _load("urls.toml")["page"]
    assert len({p["name"] for p in pages}) == len(pages)
    # One page was found by its title only: its stored copy carries no URL.
    assert sum(1 for p in pages if not p["url"].startswith(("http://", "https://"))) <= 1
    assert {p["kind"] for p in pages} <= {k.value for k in DocKind}


def test_figure_labels_name_listed_pages_and_known_indicators_and_scopes():
    names = {p["name"] for p in _load("urls.toml")["page"]}
    pages = _load("figures.toml")["page"]
    assert {p["name"] for p in pages} <= names
    figures = [f for p in pages for f in p.get("figure", [])]
    assert len(figures) == 172
    assert {f["indicator"] for f in figures} - {"null"} <= {i.key for i in load_indicators()}
    assert {f["scope"] for f in figures} <= {"in_year"} | {s.value for s in Scope}
