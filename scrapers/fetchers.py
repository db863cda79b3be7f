"""Fetcher processes: a crawl's hosts spread over a few processes, so one interpreter's GIL does not cap them.

Each process gets whole hosts (sites whose allowed hosts could touch the same server stay together), a
PoliteSession built from the caller's settings and its share of the global in-flight cap. Per-host
politeness needs no coordination because no host is fetched from two processes; afterwards the caller's
session adopts what the processes learnt (each host's next allowed moment, Crawl-delay, robots.txt rules and
the request counts), so later fetches from this process (attachments in the parse stage) keep the intervals.
"""
from __future__ import annotations

import importlib
import itertools
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timezone
from typing import Any

from fzzf.scrapers.hosts import reach_root
from fzzf.scrapers.records import KnownPage, SiteCrawl
from fzzf.scrapers.session import PoliteSession
from fzzf.sites.registry import Site
from fzzf.vocab import SiteStatus

# Two processes per core, a few at most (each holds a session and its connections). A fetcher process waits on
# sockets and on its own GIL, whose hand-offs convoy with 100 threads: with one process per core a core idles
# while its process convoys. On 2 cores, 200 loopback hosts: 2 processes 1.29x the politeness floor, 3 1.19-1.21x.
PROCESSES_PER_CORE = 2
MAX_PROCESSES = 4
DEFAULT_PROCESSES = max(1, min(MAX_PROCESSES, PROCESSES_PER_CORE * (os.cpu_count() or 1)))
# Fewer host groups than this per process and one process's threads keep up (50 hosts ran at 1.1× the floor).
MIN_GROUPS_PER_PROCESS = 64
CONCURRENT_CRAWLS = 4
RELAY_WAIT_S = 10.0  # progress lines still in the pipe when the results are in

# A crawl of some sites with one session in one process: crawl._crawl_threads (passed in, so no import cycle).
ThreadCrawl = Callable[..., list[SiteCrawl]]

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_lines: Any = None  # the queue fetcher processes send progress lines on (set in the parent and in each child)
_progress: dict[int, Callable[[str], None]] = {}
_calls = itertools.count()


def processes_for(groups: int, processes: int) -> int:
    """How many fetcher processes a crawl of `groups` host groups uses (1: threads of this process only)."""
    if processes <= 1 or multiprocessing.current_process().daemon:
        return 1  # a daemonic worker (Dask's, a pool's) may not start processes of its own
    return max(1, min(processes, groups // MIN_GROUPS_PER_PROCESS))


def spread(crawl: ThreadCrawl, groups: list[list[Site]], session: PoliteSession,
           known: dict[str, dict[str, KnownPage]], processes: int,
           progress: Callable[[str], None] | None = None, **kwargs: Any) -> list[SiteCrawl]:
    """Crawl `groups` over `processes` fetcher processes; returns every site's crawl (any order)."""
    buckets = process_buckets(groups, min(processes, session.max_in_flight or processes))
    settings = session.settings(share=len(buckets))
    pool = _pool_of(len(buckets))
    call = next(_calls)
    # Every bucket ends its progress lines with a None: the crawl returns only when all its lines are out.
    relayed = _Relayed(progress, len(buckets))
    _progress[call] = relayed
    try:
        futures = [pool.submit(_crawl_bucket, crawl, bucket, settings,
                               {s.id: known[s.id] for s in bucket if s.id in known}, call, kwargs)
                   for bucket in buckets]
        done: list[SiteCrawl] = []
        for bucket, future in zip(buckets, futures):
            try:
                crawls, learnt = future.result()
            except BrokenProcessPool as exc:  # the process died (killed, out of memory): its sites failed
                _reset_pool()
                done.extend(_failed(site, exc) for site in bucket)
                continue
            session.adopt(learnt)
            done.extend(crawls)
        relayed.all_out.wait(RELAY_WAIT_S)
        return done
    finally:
        _progress.pop(call, None)


def warm(processes: int = DEFAULT_PROCESSES) -> None:
    """Start the fetcher processes now (a process spawn and fzzf's imports take a second under load)."""
    if processes > 1:
        pool = _pool_of(processes)
        list(pool.map(_ready, range(processes)))


def process_buckets(groups: Sequence[list[Site]], processes: int) -> list[list[Site]]:
    """Host groups joined where their allowed hosts could reach one server, then dealt into `processes` lists."""
    parent = list(range(len(groups)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    keys = [{reach_root(host) for site in group for host in site.hosts} for group in groups]
    owner: dict[str, int] = {}
    for i, group_keys in enumerate(keys):
        for key in group_keys:
            if key in owner:
                parent[root(i)] = root(owner[key])
            else:
                owner[key] = i
    for i, group_keys in enumerate(keys):  # a domain reaches its subdomains: join each key with its parents'
        for key in group_keys:
            labels = key.split(".")
            for parent_domain in (".".join(labels[j:]) for j in range(1, len(labels))):
                if parent_domain in owner:
                    parent[root(i)] = root(owner[parent_domain])
    joined: dict[int, list[Site]] = {}
    for i, group in enumerate(groups):
        joined.setdefault(root(i), []).extend(group)
    buckets: list[list[Site]] = [[] for _ in range(max(1, min(processes, len(joined))))]
    for component in sorted(joined.values(), key=len, reverse=True):  # largest first into the lightest
        min(buckets, key=len).extend(component)
    return [b for b in buckets if b]


def _pool_of(size: int) -> ProcessPoolExecutor:
    global _pool, _pool_size, _lines
    # Room for a few crawls at once (the flow runs several crawl tasks): a process runs one bucket at a time,
    # and a bucket queued behind another would wait out that whole crawl. Processes start only when needed.
    size *= CONCURRENT_CRAWLS
    with _lock:
        if _pool is None or _pool_size < size:
            if _pool is not None:  # a crawl may still run on it: it ends with its last task, not now
                _pool.shutdown(wait=False)
            context = multiprocessing.get_context("spawn")  # fork would copy the flow's threads' locks
            if _lines is None:
                _lines = context.SimpleQueue()
                threading.Thread(target=_relay, args=(_lines,), name="fzzf-fetch-progress", daemon=True).start()
            _pool = ProcessPoolExecutor(max_workers=size, mp_context=context, initializer=_start_child,
                                        initargs=(_lines,))
            _pool_size = size
        return _pool


def _reset_pool() -> None:
    global _pool, _pool_size
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool, _pool_size = None, 0


class _Relayed:
    """One crawl's progress callback, and how many of its buckets have yet to send their last line."""

    def __init__(self, progress: Callable[[str], None] | None, buckets: int) -> None:
        self.progress, self.left, self.all_out = progress, buckets, threading.Event()

    def __call__(self, line: str | None) -> None:
        if line is not None:
            if self.progress is not None:
                self.progress(line)
            return
        self.left -= 1  # only the relay thread counts
        if self.left <= 0:
            self.all_out.set()


def _relay(lines: Any) -> None:
    while True:
        call, line = lines.get()
        relayed = _progress.get(call)
        if relayed is not None:
            relayed(line)


def _start_child(lines: Any) -> None:
    global _lines
    _lines = lines
    importlib.import_module("fzzf.scrapers.crawl")  # imported once at start, not inside the first crawl


def _failed(site: Site, exc: Exception) -> SiteCrawl:
    now = datetime.now(timezone.utc)
    return SiteCrawl(site.id, SiteStatus.ERROR, now, now, detail=f"fetcher process died: {type(exc).__name__}: {exc}"[:500])


def _ready(_: int) -> bool:
    return True


def _crawl_bucket(crawl: ThreadCrawl, sites: list[Site], settings: dict[str, Any],
                  known: dict[str, dict[str, KnownPage]], call: int, kwargs: dict[str, Any]):
    def progress(line: str) -> None:
        _lines.put((call, line))

    try:
        with PoliteSession(**settings) as session:
            crawls = crawl(sites, session, known, progress=progress, **kwargs)
            return crawls, session.learnt()
    finally:
        _lines.put((call, None))
