"""Pages extracted again from archived bytes (a re-parse), exactly as a crawl extracts them; no network."""
from __future__ import annotations

import logging
from dataclasses import replace

from fzzf.scrapers.crawl import attachment_body, page_from
from fzzf.scrapers.records import DiscoveredLink, FetchResult, Page

_log = logging.getLogger(__name__)
# Flags the crawler adds when it reads an attachment; kept with a stored attachment text.
ATTACHMENT_FLAGS = ("needs_ocr", "attachment_unreadable", "unsupported_attachment")


def page_from_archive(fetch: FetchResult, link: DiscoveredLink, attachments: dict[str, bytes], stored: Page) -> Page:
    """The page the crawler would extract from `fetch.body` and the archived attachment bytes.

    `stored` is what the warehouse kept from the last parse (body text, title, dates); it stands in where the
    archive lacks bytes.
    """
    if fetch.body is None:
        # Nothing archived to extract: the stored text, title and dates are parsed again as they are.
        return stored
    try:
        page = page_from(fetch, link)
    except Exception:  # noqa: BLE001 - one odd page must not stop the re-parse of the others
        _log.exception("extraction failed for %s; parsing the stored text", fetch.url)
        return stored
    if "body_is_attachment" not in page.flags:
        return page
    from_archive = attachment_body(page, attachments.get)
    if from_archive is not None:
        return from_archive
    if stored.body_source != "html":
        # The crawl read the attachment but its bytes are not archived: the HTML page is still extracted again
        # (title, dates, chrome for the spam check) and the stored attachment text stands in for the body.
        kept = [f for f in stored.flags if f in ATTACHMENT_FLAGS]
        return replace(page, body=stored.body, body_source=stored.body_source, body_pages=stored.body_pages,
                       flags=page.flags + kept)
    return replace(page, flags=page.flags + ["attachment_unavailable"])
