"""Find a government's report column(s) from its portal or 政府信息公开 directory, politely, within its hosts."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from fzzf.scrapers.encoding import decode_html
from fzzf.scrapers.families.base import soup_of
from fzzf.scrapers.records import FetchResult
from fzzf.scrapers.session import PoliteSession
from fzzf.sites.derive import NotDerivable, derive_column

MAX_PAGES = 12
# Column names governments give the report column, strongest first: (score, pattern over the link text).
COLUMN_NAMES: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    (score, re.compile(pattern))
    for score, pattern in (
        (100, r"法治政府建设(工作)?年度(情况)?报告"),
        (90, r"法治政府建设(工作)?(情况)?报告|法治政府(建设)?年报"),
        (70, r"法治(政府)?建设(专栏|专题)?$|法治政府建设"),
        (50, r"依法行政(工作)?(报告|专栏)?"),
    )
)
# Path words in column URLs (`…/fzzfjsndbg/`): a column whose link text says nothing still counts.
PATH_WORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (95, re.compile(r"fzzfjs(qk)?ndbg|fzzfndbg|fzzfjsbg|fzzfbg|fzzfjsnb", re.I)),
    (60, re.compile(r"fzzfjs|fzzf(?![a-z])", re.I)),
)
# Look-alike columns that share the words but hold other documents.
LOOKALIKE = re.compile(r"信息公开(工作)?(年度)?(报告|年报)|政府信息公开年报|网站(工作)?年(度)?报|工作要点$|工作计划|"
                       r"述法|预决算|统计年报|考核结果")
# Where to look next when the portal itself lists no report column: its disclosure directory.
DIRECTORY_TEXT = re.compile(r"政府信息公开|信息公开|政务公开|法定主动公开|主动公开(目录|内容)?|公开目录|其他(法定)?公开")
DIRECTORY_PATH = re.compile(r"zfxxgk|xxgk|zwgk|fdzdgknr|gkml|openness", re.I)
YEAR = re.compile(r"(19|20)\d{2}\s*年")
# Derivation rules that only ever match one document's address (a report page, not a list).
NOT_DOCUMENT_RULES = frozenset({"column_given", "numeric_leaf", "contents_channel"})
MAX_LABEL = 30
# Menus some portals build in the browser from an inline <script>: arrays of objects such as
# {"name": "法治政府建设年度报告", "url": ".\/zwgk\/fzzfjsndbg\/", "children": [...]} or
# {title: '依法行政', link: '/zwgk/yfxz/'}. Each object with one address-like string is a link, named by its
# first string with Chinese in it; innermost objects are read first, then their parents.
SCRIPT_OBJECT = re.compile(r"\{[^{}]*\}")
SCRIPT_STRING = re.compile(r"\"((?:\\.|[^\"\\])*)\"|'((?:\\.|[^'\\])*)'")
SCRIPT_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\(.)")
SCRIPT_HREF = re.compile(r"^(?:https?://|\.{0,2}/)\S*$")
CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_SCRIPT = 200_000  # characters of inline script read per page (minified libraries are not menus)
MAX_NESTING = 4


@dataclass(frozen=True)
class ColumnCandidate:
    """A link that looks like the report column: where it goes, what it is called, how sure we are."""

    url: str
    label: str
    score: int
    found_on: str
    reason: str


@dataclass
class Discovery:
    """What a discovery pass read and found."""

    start_url: str
    columns: list[ColumnCandidate] = field(default_factory=list)
    pages_read: list[str] = field(default_factory=list)
    fetches: list[FetchResult] = field(default_factory=list)

    @property
    def best(self) -> ColumnCandidate | None:
        """The highest-scoring column, if any."""
        return self.columns[0] if self.columns else None


def find_columns(html: str, url: str) -> list[ColumnCandidate]:
    """Report-column links on one page, best first; look-alike columns and single documents are skipped."""
    found: dict[str, ColumnCandidate] = {}
    for label, href in _anchors(html, url):
        candidate = _score(label, href, url)
        if candidate and (href not in found or found[href].score < candidate.score):
            found[href] = candidate
    return sorted(found.values(), key=lambda c: (-c.score, c.url))


def directory_links(html: str, url: str) -> list[str]:
    """Links to the site's 政府信息公开 / 政务公开 pages, where report columns usually sit."""
    links = []
    for label, href in _anchors(html, url):
        named = DIRECTORY_TEXT.search(label) or DIRECTORY_PATH.search(urlsplit(href).path)
        if (named and len(label) <= MAX_LABEL and not YEAR.search(label) and not LOOKALIKE.search(label)
                and href not in links):
            links.append(href)
    return links


def discover(url: str, session: PoliteSession, *, allowed_hosts: tuple[str, ...] = (),
             max_pages: int = MAX_PAGES) -> Discovery:
    """Read the portal, then its disclosure pages (breadth first, same hosts), collecting column candidates."""
    hosts = allowed_hosts or (urlsplit(url).netloc.lower(),)
    result = Discovery(url)
    queue, seen = [url], {url}
    found: dict[str, ColumnCandidate] = {}
    while queue and len(result.fetches) < max_pages:
        page_url = queue.pop(0)
        fetch = session.fetch(page_url, allowed_hosts=hosts)
        result.fetches.append(fetch)
        if fetch.body is None:
            continue
        html = decode_html(fetch.body, fetch.content_type).text
        result.pages_read.append(fetch.final_url)
        for candidate in find_columns(html, fetch.final_url):
            if candidate.url not in found or found[candidate.url].score < candidate.score:
                found[candidate.url] = candidate
        for link in directory_links(html, fetch.final_url):
            if link not in seen and urlsplit(link).netloc.lower() in hosts:
                seen.add(link)
                queue.append(link)
    result.columns = sorted(found.values(), key=lambda c: (-c.score, c.url))
    return result


def _score(label: str, href: str, page_url: str) -> ColumnCandidate | None:
    if len(label) > MAX_LABEL or YEAR.search(label):
        return None  # a dated title is one report (or news), not the column that lists them
    if LOOKALIKE.search(label) and not COLUMN_NAMES[0][1].search(label):
        return None
    if _is_document(href):
        return None
    path = urlsplit(href).path
    scores = [(s, f"name {p.pattern!r}") for s, p in COLUMN_NAMES if p.search(label)]
    scores += [(s, f"path word {p.search(path).group(0)!r}") for s, p in PATH_WORDS if p.search(path)]
    if not scores:
        return None
    score, reason = max(scores)
    return ColumnCandidate(href, label, score, page_url, reason)


def _is_document(href: str) -> bool:
    """A link to one report page (a derivation rule reads it as a document), not to a column."""
    try:
        return derive_column(href).rule not in NOT_DOCUMENT_RULES
    except NotDerivable:
        return False


def _anchors(html: str, url: str) -> list[tuple[str, str]]:
    soup = soup_of(html)
    out = []
    pairs = [(anchor.get_text(" ", strip=True) or anchor.get("title") or "", anchor["href"])
             for anchor in soup.find_all("a", href=True)]
    for label, href in pairs + _script_links(soup):
        href = href.strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        absolute = urljoin(url, href).split("#")[0]
        if urlsplit(absolute).scheme in ("http", "https"):
            out.append((" ".join(label.split()), absolute))
    return out


def _script_links(soup) -> list[tuple[str, str]]:
    """(label, href) of the menu objects in the page's inline scripts."""
    out: list[tuple[str, str]] = []
    budget = MAX_SCRIPT
    for script in soup.find_all("script"):
        if script.get("src") or budget <= 0:
            continue
        text = script.get_text()[:budget]
        budget -= len(text)
        for _ in range(MAX_NESTING):
            objects = SCRIPT_OBJECT.findall(text)
            if not objects:
                break
            out += [link for link in map(_object_link, objects) if link]
            text = SCRIPT_OBJECT.sub("", text)
    return out


def _object_link(text: str) -> tuple[str, str] | None:
    strings = [_unescape(double or single) for double, single in SCRIPT_STRING.findall(text)]
    hrefs = [s for s in strings if SCRIPT_HREF.match(s)]
    if len(hrefs) != 1:
        return None
    labels = [s for s in strings if CJK.search(s) and s not in hrefs]
    return (labels[0] if labels else ""), hrefs[0]


def _unescape(text: str) -> str:
    return SCRIPT_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), text)
