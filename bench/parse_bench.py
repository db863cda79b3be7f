"""`make bench` (parse part): page → figures per corpus page, beside trafilatura.extract and a bare lxml parse."""
from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import lxml.html

from fzzf.parsers.report import parse_page, parse_report
from fzzf.parsers.scoring import corpus_pages
from fzzf.scrapers.extract import extract_page

REPEATS = 7
TARGET_RATIO = 1.0  # issue #13: page → figures at least as fast as trafilatura.extract
OURS = "fzzf parse_page"
PEER = "trafilatura.extract"


def main() -> list[tuple[str, str, str, float]]:
    """Time the contenders over the same pages, interleaved, print per-page medians and return the ratio row."""
    pages = [(html.read_bytes(), labels["url"]) for html, labels in corpus_pages()]
    if not pages:
        print("no corpus pages found")
        return []
    extracted = {url: extract_page(body, url) for body, url in pages}
    contenders: dict[str, Callable[[bytes, str], object]] = {
        OURS: lambda body, url: parse_page(body, url).metrics,
        # Where fzzf's time goes: HTML extraction (scrapers) versus text analysis (parsers).
        "  of which extract_page": lambda body, url: extract_page(body, url),
        "  of which parse_report": lambda body, url: parse_report(extracted[url]),
        "lxml.html parse": lambda body, url: lxml.html.fromstring(body),
    }
    try:
        import trafilatura
    except ImportError:
        print("trafilatura not installed (pip install '.[bench]'): timing fzzf and lxml only")
    else:
        contenders[PEER] = lambda body, url: trafilatura.extract(body, url=url)
    medians = _medians_per_page(contenders, pages)
    ours = medians[OURS]
    print(f"{len(pages)} corpus pages, best of {REPEATS} interleaved rounds each, median ms per page "
          f"(load {os.getloadavg()[0]:.2f})")
    print(f"{'contender':24} {'ms/page':>9} {'fzzf / it':>10}")
    for name, ms in medians.items():
        print(f"{name:24} {ms:9.2f} {ours / ms:10.2f}")
    if PEER not in medians:
        return []
    return [(f"page → figures, {len(pages)} labelled pages (target ≤ {TARGET_RATIO}×)", f"{ours:.2f} ms",
             f"{PEER} {medians[PEER]:.2f} ms", ours / medians[PEER])]


def _medians_per_page(contenders: dict[str, Callable[[bytes, str], object]],
                      pages: list[tuple[bytes, str]]) -> dict[str, float]:
    """Per contender, the median over pages of each page's best-of-REPEATS time in milliseconds.

    Each page's rounds run every contender in turn, so a load change on this shared machine hits all of them.
    """
    per_page: dict[str, list[float]] = {name: [] for name in contenders}
    for body, url in pages:
        for fn in contenders.values():
            fn(body, url)  # warm-up: first-call imports and regex compilation are not per-page costs
        best = dict.fromkeys(contenders, float("inf"))
        for _ in range(REPEATS):
            for name, fn in contenders.items():
                started = time.perf_counter()
                fn(body, url)
                best[name] = min(best[name], time.perf_counter() - started)
        for name in contenders:
            per_page[name].append(best[name] * 1000)
    return {name: statistics.median(times) for name, times in per_page.items()}


if __name__ == "__main__":
    main()
