"""`make eval`: parse every corpus page and print figure precision/recall, indicator and metadata accuracy."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fzzf.parsers.report import parse_page
from fzzf.parsers.scoring import CORPUS_DIR, corpus_pages, score_page, totals


def main(argv: list[str] | None = None) -> int:
    """Print a per-page table and the overall line; `--misses` lists each page's errors."""
    parser = argparse.ArgumentParser(prog="python -m bench.eval", description=__doc__)
    parser.add_argument("--corpus", default=str(CORPUS_DIR))
    parser.add_argument("--misses", action="store_true", help="list extra, missed and mis-mapped figures")
    args = parser.parse_args(argv)
    scores = []
    print(f"{'page':44} {'pred':>5} {'gold':>5} {'prec':>6} {'recall':>6} {'ind':>6} {'scope':>6} {'meta':>5} "
          f"{'parts':>5} {'flags':>5}")
    for html, labels in corpus_pages(Path(args.corpus)):
        report = parse_page(html.read_bytes(), labels["url"])
        score = score_page(html.stem, report, labels)
        scores.append(score)
        print(f"{score.page:44} {score.predicted:5} {score.labelled:5} {score.precision:6.3f} "
              f"{score.recall:6.3f} {score.indicator_accuracy:6.3f} {score.scope_accuracy:6.3f} "
              f"{score.meta_hits:>3}/{score.meta_total} "
              f"{'ok' if score.parts_ok else 'NO':>5} {'ok' if score.flags_ok else 'NO':>5}")
        if args.misses:
            for miss in score.misses:
                print(f"    {miss}")
    total = totals(scores)
    print(f"{'OVERALL':44} {sum(s.predicted for s in scores):5} {sum(s.labelled for s in scores):5} "
          f"{total.precision:6.3f} {total.recall:6.3f} {total.indicator_accuracy:6.3f} {total.scope_accuracy:6.3f} "
          f"{total.metadata_accuracy:5.3f} {total.parts_accuracy:5.3f} {total.flags_accuracy:5.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
