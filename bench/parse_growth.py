"""`make bench` (parse growth): parse time of one report repeated 1x, 4x, 8x, 16x and 64x, against linear."""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from fzzf.parsers.report import parse_report
from fzzf.parsers.scoring import corpus_pages
from fzzf.scrapers.extract import extract_page
from fzzf.scrapers.records import Page

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"
FACTORS = (1, 4, 8, 16, 64)
# Done when 64x a report costs at most this multiple of 64 times the 1x cost (issues 9 and 13).
LINEAR_LIMIT = 1.5


def growth(page: Page, factors: tuple[int, ...] = FACTORS, repeats: int = 3) -> dict[int, float]:
    """Best-of-`repeats` CPU seconds to parse the page's body repeated k times, for each k (CPU time, so other
    processes on a shared machine do not inflate the long runs)."""
    times = {}
    for k in factors:
        grown = replace(page, body="\n".join([page.body] * k))
        parse_report(grown)  # warm-up: caches and compiled patterns are not per-text costs
        runs = []
        for _ in range(repeats if k < 64 else 1):
            started = time.process_time()
            parse_report(grown)
            runs.append(time.process_time() - started)
        times[k] = min(runs)
    return times


def largest_corpus_page() -> Page:
    """The labelled corpus page with the longest body (a fictional report written for the tests)."""
    pages = [extract_page(html.read_bytes(), labels["url"]) for html, labels in corpus_pages(CORPUS)]
    return max(pages, key=lambda page: len(page.body))


def main() -> None:
    """Print the growth table: chars, ms, and each cost over k times the 1x cost."""
    page = largest_corpus_page()
    times = growth(page)
    print(f"{'k':>4} {'chars':>9} {'cpu ms':>9} {'ms / (k x 1x)':>14}")
    for k, seconds in times.items():
        print(f"{k:>4} {len(page.body) * k + k - 1:>9} {seconds * 1000:9.1f} {seconds / (k * times[1]):14.2f}")
    ratio = times[64] / (64 * times[1])
    print(f"64x costs {ratio:.2f}x linear (limit {LINEAR_LIMIT}); 8x -> 64x costs {times[64] / (8 * times[8]):.2f}x")


if __name__ == "__main__":
    main()
