"""Parse a report page into a `Report`: metadata, sections and parts, figures, indicators, documents, flags."""
from __future__ import annotations

from parsers.checks import consistency_checks
from parsers.documents import extract_documents
from parsers.figures import extract_figures
from parsers.flags import integrity_flags
from parsers.indicators import assign_indicators
from parsers.metadata import report_metadata
from parsers.records import Metric, Report
from parsers.sections import parse_outline
from scrapers.extract import extract_page
from scrapers.records import Page
from sites.registry import Site

# Section names of figures found outside the body; their offsets are relative to that block of text.
NON_BODY_SECTIONS = ("title", "header", "footer", "chrome")
# Stands where the body sat inside the chrome text, splitting header from footer.
_BODY_GAP = "\n\u2063\n"


def parse_report(page: Page, site: Site | None = None) -> Report:
    """Everything fzzf reads out of one extracted page; no network."""
    meta = report_metadata(page, site)
    outline = parse_outline(page.body)
    chrome = _chrome_only(page)
    head, split, tail = chrome.partition(_BODY_GAP)
    # The title is usually repeated as the page heading; count its figures once.
    title = page.title if page.title and page.title not in chrome and page.title not in page.body else ""
    metrics = _figures(title, section="title") + _figures(head, section="header" if split else "chrome") \
        + _figures(page.body, section_of=outline.path_at) + _figures(tail, section="footer")
    flags = sorted(set(page.flags) | set(integrity_flags(page.title, page.body, chrome)))
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
        published_from=page.published_from,
        body_source=page.body_source,
        body_chars=len(page.body),
        metrics=metrics,
        sections=outline.sections,
        parts=outline.parts,
        documents=extract_documents(page.body),
        problems=outline.problems,
        plans=outline.plans,
        flags=flags,
        checks=consistency_checks(metrics),
    )


def parse_page(html: bytes, url: str, content_type: str | None = None) -> Report:
    """Extract a page's bytes and parse the result (`fzzf parse FILE --url URL`)."""
    return parse_report(extract_page(html, url, content_type))


def _chrome_only(page: Page) -> str:
    """Header and footer text; some extractions repeat the body inside the chrome, which is cut out here."""
    chrome = page.chrome or ""
    if page.body and page.body in chrome:
        return chrome.replace(page.body, _BODY_GAP, 1)
    return chrome


def _figures(text: str, section: str | None = None, section_of=None) -> list[Metric]:
    """Figures of one text block with their indicators; offsets are relative to that block."""
    if not text:
        return []
    metrics = extract_figures(text, section_of=section_of)
    if section_of is None:
        for metric in metrics:
            metric.section = section
    assign_indicators(text, metrics)
    return metrics
