"""Parse a report page into a `Report`: metadata, sections and parts, figures, indicators, documents, flags."""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace

from fzzf.parsers.checks import consistency_checks
from fzzf.parsers.documents import extract_documents
from fzzf.parsers.figures import extract_figures
from fzzf.parsers.flags import integrity_flags
from fzzf.parsers.indicators import assign_indicators
from fzzf.parsers.metadata import report_metadata
from fzzf.parsers.numbers import normalize_width
from fzzf.parsers.records import Check, Metric, Report
from fzzf.parsers.sections import parse_outline
from fzzf.scrapers.encoding import decode_html
from fzzf.scrapers.extract import extract_page, text_page
from fzzf.scrapers.records import Page
from fzzf.sites.registry import Site

_log = logging.getLogger(__name__)
# Stands where the body sat inside the chrome text, splitting header from footer.
_BODY_GAP = "\n\u2063\n"
# Parsing reads at most this many characters of a body (the longest real report is a small fraction of it, and
# 64x a typical report still fits); a longer body is cut here and the report flagged `truncated`.
MAX_BODY_CHARS = 600_000
TRUNCATED = "truncated"
# Real prose breaks a clause or a line every few dozen characters (118 at most in the corpus and the seed); a
# run this long without either is garbled text (wrongly decoded bytes), and numbers inside it are not figures.
_GARBLED_CHARS = 1000
_RUN_RE = re.compile(r"[^。，；：！？,;:!?、\n]+")


def parse_report(page: Page, site: Site | None = None) -> Report:
    """Everything fzzf reads out of one extracted page; no network."""
    body_chars = len(page.body)
    page = _capped(page)
    meta = report_metadata(page, site)
    outline = parse_outline(page.body)
    chrome = _chrome_only(page)
    # Figures come from the report itself: the page chrome's numbers (visitor counters, 「本站共发布信息3万余条」,
    # pagination) describe the website, not the government. The chrome is still read for integrity flags.
    # The body normalised once (full-width digits and signs, offsets kept) for every reader below.
    norm = normalize_width(page.body)
    metrics, garbled = _figures(page.body, section_of=outline.path_at, year=meta.year, norm=norm)
    flags = sorted(set(page.flags) | set(integrity_flags(page.title, page.body, chrome))
                   | ({"mojibake"} if garbled else set()))
    return Report(
        url=page.url,
        title=meta.title,
        district=meta.district,
        admin_code=meta.admin_code,
        year=meta.year,
        published=page.published,
        source=page.source,
        kind=meta.kind,
        issuer=meta.issuer,
        province=meta.province,
        city=meta.city,
        published_from=page.published_from,
        body_source=page.body_source,
        body_chars=body_chars,
        body_pages=page.body_pages,
        metrics=metrics,
        sections=outline.sections,
        parts=outline.parts,
        documents=extract_documents(page.body, norm=norm),
        problems=outline.problems,
        plans=outline.plans,
        flags=flags,
        checks=consistency_checks(metrics),
    )


def parse_report_or_flag(page: Page, site: Site | None = None) -> Report:
    """`parse_report`, except that a page that breaks the parser becomes a figure-less report flagged
    `parse_error` (with the error in its checks) instead of stopping the site's whole batch."""
    try:
        return parse_report(page, site)
    except Exception as exc:  # noqa: BLE001 - one odd page must not cost the night's other reports
        _log.exception("parse failed for %s", page.url)
        meta = report_metadata(page, site)
        return Report(url=page.url, title=meta.title, district=meta.district, admin_code=meta.admin_code,
                      year=meta.year, published=page.published, source=page.source, kind=meta.kind,
                      issuer=meta.issuer, published_from=page.published_from, body_source=page.body_source,
                      body_chars=len(page.body), body_pages=page.body_pages, flags=sorted(set(page.flags) | {"parse_error"}),
                      checks=[Check("parse_error", f"{type(exc).__name__}: {exc}"[:500])])


def parse_page(html: bytes, url: str, content_type: str | None = None) -> Report:
    """Extract a page's bytes and parse the result (`fzzf parse FILE --url URL`)."""
    return parse_report(extract_page(html, url, content_type))


def parse_text(text: str, url: str) -> Report:
    """Parse a report saved as plain text: heading line, byline, body and footer as `text_page` splits them."""
    return parse_report(text_page(text, url))


def looks_like_html(data: bytes) -> bool:
    """Whether saved bytes are markup (a tag among the first bytes) rather than plain text."""
    head = data[:4096].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<meta", b"<div", b"<p", b"<table"))


def parse_file(data: bytes, url: str, as_text: bool | None = None) -> tuple[Report, str]:
    """Parse saved bytes as HTML or as plain text (decided from the bytes unless `as_text` says); returns
    the report and which it read ("html" or "text")."""
    if as_text is None:
        as_text = not looks_like_html(data)
    if as_text:
        return parse_text(decode_html(data, "text/plain").text, url), "text"
    return parse_page(data, url), "html"


def _capped(page: Page) -> Page:
    """The page with its body cut to MAX_BODY_CHARS and flagged `truncated` when it was longer."""
    if len(page.body) <= MAX_BODY_CHARS:
        return page
    return replace(page, body=page.body[:MAX_BODY_CHARS], flags=[*page.flags, TRUNCATED])


def _chrome_only(page: Page) -> str:
    """Header and footer text; some extractions repeat the body inside the chrome, which is cut out here."""
    chrome = page.chrome or ""
    if page.body and page.body in chrome:
        return chrome.replace(page.body, _BODY_GAP, 1)
    return chrome


def _figures(text: str, section_of: Callable[[int], str | None],
             year: int | None = None, norm: str | None = None) -> tuple[list[Metric], bool]:
    """Figures of the body with their scopes (`year` = the year reported on) and indicators (offsets relative to
    the body), and whether garbled runs were found (their numbers are dropped). `norm` = normalize_width(text)."""
    if not text:
        return [], False
    norm = normalize_width(text) if norm is None else norm
    # Garbled runs are blanked (same length, so every offset stays) before figures are looked for; normalising
    # keeps every clause break, so the runs are the same in both texts.
    runs = [m.span() for m in _RUN_RE.finditer(text) if m.end() - m.start() >= _GARBLED_CHARS]
    masked, masked_norm = _blanked(text, runs), _blanked(norm, runs)
    metrics = extract_figures(masked, section_of=section_of, year=year, norm=masked_norm)
    assign_indicators(masked, metrics, norm=masked_norm)
    return metrics, bool(runs)


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span replaced by as many spaces."""
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], " " * (end - start)]
        last = end
    return "".join(parts) + text[last:]
