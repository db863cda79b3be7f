"""What a nightly run did, in numbers, for the log and the terminal."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from fzzf.scrapers.records import SiteCrawl

# Outcomes after which a column has probably moved or been renamed: the summary points to `fzzf discover`.
MOVED_STATUSES = ("redesign_suspected", "not_found")
# How many changed report URLs a re-parse summary lists before it only counts them.
SHOWN_CHANGES = 10


class RunFailed(RuntimeError):
    """The run finished but failed (data tests, too many failed sites); carries its summary."""

    def __init__(self, reason: str, summary: RunSummary | ReparseSummary) -> None:
        super().__init__(reason, summary)
        self.reason = reason
        self.summary = summary

    def __str__(self) -> str:
        return self.reason


@dataclass
class SiteLine:
    """One site's part of the run."""

    site_id: str
    status: str
    detail: str
    reports_found: int
    lookalikes_skipped: int
    pages_parsed: int
    unchanged: int
    failed: int
    requests: int
    start_url: str | None = None


@dataclass
class RunSummary:
    """Counts for one run of the nightly flow."""

    run_id: str
    db_path: str
    sites: list[SiteLine] = field(default_factory=list)
    report_versions_added: int = 0
    metrics_added: int = 0
    files_written: list[str] = field(default_factory=list)
    data_test_failures: list[str] = field(default_factory=list)
    html_report: str | None = None
    log_file: str | None = None
    failure: str | None = None

    @property
    def reports_found(self) -> int:
        """Report links found across all sites."""
        return sum(s.reports_found for s in self.sites)

    @property
    def status_counts(self) -> Counter:
        """How many sites ended in each typed status."""
        return Counter(s.status for s in self.sites)

    def add_site(self, crawl: SiteCrawl, pages_parsed: int, start_url: str | None = None) -> None:
        """Record one site's crawl outcome (`start_url`: its first column, for the rediscovery hint)."""
        self.sites.append(
            SiteLine(
                site_id=crawl.site_id,
                status=crawl.status,
                detail=crawl.detail,
                reports_found=crawl.reports_found,
                lookalikes_skipped=crawl.lookalikes_skipped,
                pages_parsed=pages_parsed,
                unchanged=len(crawl.unchanged_urls),
                failed=len(crawl.failed_urls),
                requests=crawl.requests,
                start_url=start_url,
            )
        )

    def render(self) -> str:
        """A short human summary: sites, reports, figures, files."""
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(self.status_counts.items()))
        lines = [
            f"fzzf run {self.run_id}",
            f"  sites crawled: {len(self.sites)} ({statuses or 'none'})",
            f"  reports found: {self.reports_found}; look-alikes skipped: "
            f"{sum(s.lookalikes_skipped for s in self.sites)}",
            f"  pages parsed: {sum(s.pages_parsed for s in self.sites)}; unchanged since last run: "
            f"{sum(s.unchanged for s in self.sites)}; failed fetches: {sum(s.failed for s in self.sites)}",
            f"  new report versions: {self.report_versions_added}; figures extracted: {self.metrics_added}",
            f"  warehouse: {self.db_path}",
        ]
        for site in self.sites:
            if site.status != "ok":
                lines.append(f"  ! {site.site_id}: {site.status} — {site.detail}")
            if site.status in MOVED_STATUSES:
                lines.append(f"    its column may have moved: `fzzf discover {_portal(site.start_url)}` finds the "
                             "report column(s) from the portal; put the new one in the registry")
        if self.data_test_failures:
            lines.append(f"  data tests failing: {', '.join(self.data_test_failures)}")
        if self.files_written:
            folder = Path(self.files_written[0]).parent
            lines.append(f"  files written: {len(self.files_written)} in {folder}/")
        if self.html_report:
            lines.append(f"  report with charts: {self.html_report}")
        if self.log_file:
            lines.append(f"  log: {self.log_file}")
        if self.failure:
            lines.append(f"  RUN FAILED: {self.failure}")
        return "\n".join(lines)


@dataclass
class ReparseSummary:
    """What one re-parse did, for the log and the terminal."""

    run_id: str
    db_path: str
    sites: int = 0
    versions: int = 0
    metrics_before: int = 0
    metrics_after: int = 0
    figures_changed: list[str] = field(default_factory=list)  # URLs of versions whose figures changed
    metadata_changed: list[str] = field(default_factory=list)  # URLs of versions whose metadata changed
    data_test_failures: list[str] = field(default_factory=list)
    files_written: list[str] = field(default_factory=list)
    html_report: str | None = None
    failure: str | None = None

    def render(self) -> str:
        """A short human summary: versions, figures before and after, what changed."""
        lines = [
            f"fzzf reparse {self.run_id}",
            f"  report versions re-parsed: {self.versions} (sites: {self.sites}); no network, no new versions",
            f"  figures: {self.metrics_before} before -> {self.metrics_after} after",
            f"  versions whose figures changed: {len(self.figures_changed)}; whose metadata changed: "
            f"{len(self.metadata_changed)}",
        ]
        lines += [f"    {url}" for url in self.figures_changed[:SHOWN_CHANGES]]
        if len(self.figures_changed) > SHOWN_CHANGES:
            lines.append(f"    ... and {len(self.figures_changed) - SHOWN_CHANGES} more")
        lines.append(f"  warehouse: {self.db_path}")
        if self.data_test_failures:
            lines.append(f"  data tests failing: {', '.join(self.data_test_failures)}")
        if self.files_written:
            lines.append(f"  files written: {len(self.files_written)} in {Path(self.files_written[0]).parent}/")
        if self.failure:
            lines.append(f"  RUN FAILED: {self.failure}")
        return "\n".join(lines)


def _portal(url: str | None) -> str:
    """The portal (scheme and host) of a site's column URL."""
    if not url:
        return "PORTAL_URL"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"
