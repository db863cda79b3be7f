"""`make bench` (parse part): page → figures per corpus page, beside trafilatura.extract and a bare lxml parse."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import lxml.html

from fzzf.parsers.report import parse_page, parse_report
from fzzf.parsers.scoring import corpus_pages
from fzzf.scrapers.extract import extract_page

REPEATS = 5


def main() -> None:
    """Time the three ways over the same pages in one run and print per-page medians and the ratios."""
    pages = [(html.read_bytes(), labels["url"]) for html, labels in corpus_pages()]
    if not pages:
        print("no corpus pages found")
        return
    contenders: dict[str, Callable[[bytes, str], object]] = {
        "fzzf parse_page": lambda body, url: parse_page(body, url).metrics,
        "lxml.html parse": lambda body, url: lxml.html.fromstring(body),
    }
    try:
        import trafilatura
    except ImportError:
        print("trafilatura not installed (pip install '.[bench]'): timing fzzf and lxml only")
    else:
        contenders["trafilatura.extract"] = lambda body, url: trafilatura.extract(body, url=url)
    medians = {name: _median_per_page(fn, pages) for name, fn in contenders.items()}
    # Where fzzf's time goes: HTML extraction (scrapers) versus text analysis (parsers).
    extracted = {url: extract_page(body, url) for body, url in pages}
    medians["  of which extract_page"] = _median_per_page(lambda body, url: extract_page(body, url), pages)
    medians["  of which parse_report"] = _median_per_page(lambda body, url: parse_report(extracted[url]), pages)
    ours = medians["fzzf parse_page"]
    print(f"{len(pages)} corpus pages, {REPEATS} repeats each, median ms per page")
    print(f"{'contender':24} {'ms/page':>9} {'fzzf / it':>10}")
    for name, ms in medians.items():
        print(f"{name:24} {ms:9.2f} {ours / ms:10.2f}")


def _median_per_page(fn: Callable[[bytes, str], object], pages: list[tuple[bytes, str]]) -> float:
    """Median over pages of each page's best-of-REPEATS time, in milliseconds."""
    per_page = []
    for body, url in pages:
        fn(body, url)  # warm-up: first-call imports and regex compilation are not per-page costs
        runs = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            fn(body, url)
            runs.append(time.perf_counter() - started)
        per_page.append(min(runs) * 1000)
    return statistics.median(per_page)


if __name__ == "__main__":
    main()
