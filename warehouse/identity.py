"""What one report is: its canonical URL, and the identity of its text.

The same report is linked with tracking query strings (`?from=list`), fragments, through host aliases
(`www.` or not), on another port, and is reposted by other governments' sites. The URL a report is stored
under is canonical (so a second link to it is the same version), and two current reports with the same
normalised text are one report (`reports.duplicate_of`, decided in SQL by the load). So are two that are
near-identical (a repost with its own 来源/编辑 lines, a page re-typed with a corrected character): their
64-bit SimHashes over 8-character shingles differ in at most NEAR_BITS bits, for the same area and year.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

# Query keys that only say where a visitor came from: never part of what a page is.
TRACKING_KEYS = frozenset({"from", "spm", "share", "isappinstalled", "wxfrom", "scene", "clicktime", "enterid",
                           "source", "src", "ref", "referrer", "timestamp", "_"})
TRACKING_PREFIXES = ("utm_", "share_")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Whitespace, punctuation and symbols: a re-typeset copy of a report (other line breaks, full-width
# punctuation, a re-encoded page) keeps the same text identity; digits and letters always count.
_NOT_TEXT = re.compile(r"[\s\W_]+", re.UNICODE)
SHINGLE = 8
# Too short a text has too few shingles for its SimHash to say anything.
MIN_SIMHASH_CHARS = 200
# Bits two SimHashes may differ in and still be one report. Measured on 31 fictional 200-sentence reports
# (4,000 characters, shorter than most real ones; tests/warehouse/test_identity.py): a repost with a source and
# an editor line differs in 1 bit; 5 edited sentences in 0-5 bits (one text 8), 10 in 0-8; texts sharing 3/4 of
# their sentences in 8-21, half in 14-27, unrelated texts in 32-38.
NEAR_BITS = 6


def canonical_url(url: str, hosts: Mapping[str, str] | None = None) -> str:
    """The URL a report is stored under: no userinfo, fragment, tracking keys or default port; aliases folded."""
    if not url:
        return url
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if hosts and bare_host(host) in hosts:
        # Another port, scheme or the `www.` alias of the site's own host is the site's own host.
        scheme, netloc = hosts[bare_host(host)].split("://", 1)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _is_tracking(k)], doseq=True)
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def strip_userinfo(url: str | None) -> str | None:
    """The URL without `user:password@` (credentials are never stored or exported)."""
    if not url or "@" not in url:
        return url
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def site_hosts(start_urls: Iterable[str]) -> dict[str, str]:
    """Bare host of the site's first start URL -> its `scheme://netloc`: `www.` or not, any port or scheme."""
    urls = list(start_urls)
    if not urls:
        return {}
    primary = urlsplit(canonical_url(urls[0]))
    return {bare_host(primary.hostname): f"{primary.scheme}://{primary.netloc}"} if primary.hostname else {}


def bare_host(host: str) -> str:
    """`www.example.gov.cn` -> `example.gov.cn` (lower case)."""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def text_identity(text: str | None) -> tuple[str | None, int | None]:
    """`text_sha` and `text_simhash` of one text, normalising it once."""
    normal = _normal(text)
    return _sha(normal), _simhash(normal)


def text_sha(text: str | None) -> str | None:
    """Identity of a report's text: SHA-256 of it in NFKC with whitespace and punctuation removed."""
    return _sha(_normal(text))


def text_simhash(text: str | None) -> int | None:
    """64-bit SimHash of a report's normalised text over its 8-character shingles (near-identical, near hashes)."""
    return _simhash(_normal(text))


def _normal(text: str | None) -> str:
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text)) if text else ""


def _sha(normal: str) -> str | None:
    return hashlib.sha256(normal.encode("utf-8")).hexdigest() if normal else None


def _simhash(normal: str) -> int | None:
    if len(normal) < MIN_SIMHASH_CHARS:
        return None
    digests = b"".join(hashlib.blake2b(normal[i:i + SHINGLE].encode("utf-8"), digest_size=8).digest()
                       for i in range(len(normal) - SHINGLE + 1))
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(-1, 64)
    majority = bits.sum(axis=0) * 2 > bits.shape[0]
    return int.from_bytes(np.packbits(majority).tobytes(), "big")


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_KEYS or key.startswith(TRACKING_PREFIXES)
