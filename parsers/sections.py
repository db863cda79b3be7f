"""Section tree from 一、/(一)/1./(1) headings and the required parts of 厅字〔2019〕28号."""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from fzzf.parsers.numbers import normalize_width
from fzzf.parsers.records import PARTS, Section

PARTS_FILE = Path(__file__).with_name("parts.toml")
_CN = "一二三四五六七八九十"
# Heading styles, each with the regex that opens a line in that style.
_STYLES = (
    ("cn", re.compile(rf"^\s*(?:第([{_CN}]{{1,3}})部分|([{_CN}]{{1,3}})\s*[、.．])\s*")),
    ("cn_paren", re.compile(rf"^\s*[(（]\s*([{_CN}]{{1,3}})\s*[)）]\s*[、.．]?\s*")),
    ("arabic", re.compile(r"^\s*(\d{1,2})\s*(?:[、．]|\.(?!\d))\s*")),
    ("arabic_paren", re.compile(r"^\s*[(（]\s*(\d{1,2})\s*[)）]\s*[、.．]?\s*")),
)
_ITEM_RE = re.compile(rf"(?:^|[。；;！!，,:：\s])([{_CN}]{{1,3}})是[，,:：]?")
_HEADING_END_RE = re.compile(r"[。；;！!?？:：]")
_MAX_HEADING = 60
_MAX_PLAIN_HEADING = 24


@dataclass
class Outline:
    """A report's section tree, its parts, and the problems and plans it lists."""

    sections: list[Section] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)  # section starts, for bisection

    def path_at(self, offset: int) -> str | None:
        """Path of the innermost section holding character `offset`, or None before the first heading."""
        if len(self._starts) != len(self.sections):
            self._starts[:] = [s.start for s in self.sections]
        last = bisect_right(self._starts, offset)
        if last and self.sections[last - 1].start <= offset < self.sections[last - 1].end:
            # Headings nest: the last section opened at or before `offset`, if still open, is the innermost.
            return self.sections[last - 1].path
        best = None
        for section in self.sections[:last]:
            if section.start <= offset < section.end and (best is None or section.level >= best.level):
                best = section
        return best.path if best else None


def parse_outline(text: str) -> Outline:
    """Sections, canonical parts, problems and plans of a report body (one paragraph per line)."""
    sections, parents = _tree(text)
    outline = Outline(sections=sections)
    announced: dict[int, tuple[str, ...]] = {}  # section start -> parts its heading (or opening) announces
    for section, parent in zip(sections, parents):
        parts = classify_heading(section.heading)
        if not parts and section.level == 1:
            # An unrevealing heading (「三、几点思考」): its opening sentence says what follows.
            parts = tuple(p for p in classify_heading(_opening(text, section)) if p != "measures")
        announced[section.start] = parts
        section.part = parts[0] if parts else (parent.part if parent else None)
        outline.parts.extend(p for p in parts if p not in outline.parts)
    if not sections:
        # Reports without numbered headings still head their parts with short lines of their own.
        outline.parts.extend(p for line in text.split("\n") if _plain_heading(line)
                             for p in classify_heading(line) if p not in outline.parts)
    outline.parts.sort(key=PARTS.index)
    outline.problems = _items(text, sections, announced, "problems")
    outline.plans = _items(text, sections, announced, "plans")
    return outline


@lru_cache(maxsize=4096)
def classify_heading(heading: str) -> tuple[str, ...]:
    """Parts a heading announces, most specific first ("存在问题及下一步打算" gives problems and plans)."""
    heading = normalize_width(heading).strip()
    hits = [part for part, patterns in _part_patterns().items() if any(p.search(heading) for p in patterns)]
    if len(hits) > 1 and "measures" in hits:
        hits.remove("measures")
    return tuple(sorted(hits, key=PARTS.index))


def split_items(text: str) -> list[str]:
    """Items a paragraph lists with 一是/二是 …, or [] when it lists none."""
    marks = list(_ITEM_RE.finditer(text))
    if len(marks) < 2:
        return []
    items = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start(1) if i + 1 < len(marks) else len(text)
        items.append(text[mark.end():end].strip(" ，,。；;\n"))
    return [item for item in items if item]


_PART_PATTERNS: dict[str, list[re.Pattern]] = {}


def _part_patterns() -> dict[str, list[re.Pattern]]:
    if not _PART_PATTERNS:
        data = tomllib.loads(PARTS_FILE.read_text(encoding="utf-8"))["parts"]
        for part in PARTS:
            _PART_PATTERNS[part] = [re.compile(p) for p in data.get(part, {}).get("patterns", [])]
    return _PART_PATTERNS


def _sections(text: str) -> list[Section]:
    return _tree(text)[0]


def _tree(text: str) -> tuple[list[Section], list[Section | None]]:
    """Sections in text order and each one's parent (the enclosing heading), from one pass over the lines."""
    sections: list[Section] = []
    parents: list[Section | None] = []
    stack: list[tuple[str, Section]] = []  # (style, section) from outermost in
    offset = 0
    for line in text.split("\n"):
        heading = _heading(line)
        if heading:
            style, number, rest = heading
            styles = [s for s, _ in stack]
            if style in styles:
                for _, closed in stack[styles.index(style):]:
                    closed.end = offset
                del stack[styles.index(style):]
            path = "/".join([sec.number for _, sec in stack] + [number])
            section = Section(path=path, level=len(stack) + 1, number=number, heading=_heading_text(rest),
                              part=None, start=offset, end=len(text))
            parents.append(stack[-1][1] if stack else None)
            stack.append((style, section))
            sections.append(section)
        offset += len(line) + 1
    return sections, parents


def _heading(line: str) -> tuple[str, str, str] | None:
    norm = normalize_width(line)
    for style, pattern in _STYLES:
        match = pattern.match(norm)
        if match and match.end() < len(norm):
            digits = next(g for g in match.groups() if g)
            number = f"({digits})" if style.endswith("paren") else digits
            return style, number, line[match.end():]
    return None


def _heading_text(rest: str) -> str:
    match = _HEADING_END_RE.search(rest)
    head = rest[:match.start()] if match else rest
    return head.strip()[:_MAX_HEADING]


def _opening(text: str, section: Section) -> str:
    body = text[section.start:section.end].split("\n", 1)
    rest = body[1] if len(body) > 1 else ""
    return _HEADING_END_RE.split(rest, 1)[0][:_MAX_HEADING]


def _items(text: str, sections: list[Section], announced: dict[int, tuple[str, ...]], part: str) -> list[str]:
    owners = [s for s in sections if part in announced[s.start]]  # in text order
    # 「三、存在的问题和下一步打算」 with 「(一)存在的问题」 under it: the specific child owns the items. Owners come
    # in text order, so "another owner starts inside o" is "the next owner starts before o ends".
    combined = {id(o) for o, after in pairwise(owners) if len(announced[o.start]) > 1 and after.start < o.end}
    owners = [s for s in owners if id(s) not in combined]
    owners = _outermost(owners)
    items: list[str] = []
    starts = [s.start for s in sections]
    for owner in owners:
        # The sections starting inside the owner, found by bisection rather than a scan of every section.
        inside = sections[bisect_right(starts, owner.start):bisect_left(starts, owner.end)]
        children = [s for s in inside if s.level == owner.level + 1]
        if children:
            items.extend(text[c.start:c.end].strip().split("\n")[0] for c in children)
            continue
        body = text[owner.start:owner.end].split("\n", 1)
        rest = body[1] if len(body) > 1 else ""
        listed = split_items(rest)
        items.extend(listed or [line.strip() for line in rest.split("\n") if line.strip()])
    return [_strip_number(item) for item in items]


def _outermost(owners: list[Section]) -> list[Section]:
    """Owners not inside another owner (one pass: an owner starting before the furthest end so far is inside)."""
    kept: list[Section] = []
    reach = -1
    for owner in owners:
        if owner.start >= reach:
            kept.append(owner)
        reach = max(reach, owner.end)
    return kept


def _plain_heading(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= _MAX_PLAIN_HEADING and not _HEADING_END_RE.search(line.rstrip("：:")) \
        and "，" not in line and "," not in line


def _strip_number(item: str) -> str:
    heading = _heading(item)
    return (heading[2] if heading else item).strip()
