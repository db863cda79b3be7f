"""Records the parsing layer produces from one report: figures, sections, documents, flags."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from fzzf.vocab import REQUIRED_PARTS as _REQUIRED
from fzzf.vocab import Part, Scope, values

# The five required contents of 厅字〔2019〕28号 Art. 24 (fzzf.vocab.Part); the four a report must have.
PARTS = values(Part)
REQUIRED_PARTS = tuple(part.value for part in _REQUIRED)
# The time a figure covers when it is not the year reported on (fzzf.vocab.Scope).
SCOPES = values(Scope)


@dataclass
class Metric:
    """One figure found in a report's text, in base units, with where it came from."""

    indicator: str | None
    label: str
    value: float
    unit: str
    approx: bool
    raw: str
    section: str | None
    sentence: str = ""
    start: int = 0
    end: int = 0
    qualifier: str | None = None  # None (a level), "change", "change_pct_points", "lower_bound", "range_low", "range_high"
    scope: str | None = None  # None (the year reported on) or one of SCOPES


@dataclass
class Section:
    """A numbered heading (一、 / (一) / 1.) and the body span it governs."""

    path: str
    level: int
    number: str
    heading: str
    part: str | None
    start: int
    end: int


@dataclass
class CitedDocument:
    """A document the report cites by 《title》 and/or 文号."""

    title: str | None
    doc_number: str | None = None
    issuer_abbr: str | None = None
    year: int | None = None
    number: int | None = None


@dataclass
class Check:
    """An internal-consistency finding, e.g. a rate that does not match its parts."""

    kind: str
    detail: str
    section: str | None = None


@dataclass
class Report:
    """A parsed report: metadata, figures and structure; `to_json` gives the CLI contract."""

    url: str
    title: str | None
    district: str | None
    admin_code: str | None
    year: int | None
    published: date | None
    source: str | None
    kind: str
    issuer: str | None = None
    province: str | None = None
    city: str | None = None
    published_from: str | None = None
    body_source: str = "html"
    body_chars: int = 0
    body_pages: int | None = None
    metrics: list[Metric] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    documents: list[CitedDocument] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def missing_parts(self) -> list[str]:
        """Required parts the report lacks."""
        return [p for p in REQUIRED_PARTS if p not in self.parts]

    def to_json(self) -> dict:
        """The `fzzf parse --json` object (docs/contract.md), plus a few extra keys."""
        out = asdict(self)
        out["published"] = self.published.isoformat() if self.published else None
        out["missing_parts"] = self.missing_parts
        return out
