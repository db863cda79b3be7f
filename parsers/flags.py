"""Integrity flags: injected spam, unfilled template text, mojibake, traditional script."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

FLAGS_FILE = Path(__file__).with_name("flags.toml")
FLAGS = ("spam_injection", "template_placeholder", "mojibake", "traditional_script")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class FlagRules:
    """The compiled keyword lists of flags.toml."""

    spam: tuple[re.Pattern, ...]
    spam_in_body: tuple[re.Pattern, ...]
    placeholder: tuple[re.Pattern, ...]
    mojibake_markers: tuple[str, ...]
    gbk_chars: frozenset[str]
    gbk_share: float
    marker_count: int
    traditional_chars: frozenset[str]
    traditional_share: float
    traditional_min: int


def integrity_flags(title: str | None, body: str, chrome: str = "", rules: FlagRules | None = None) -> list[str]:
    """Flags a page raises, sorted: spam in title or chrome, placeholders, mojibake, traditional script."""
    rules = rules or _default_rules()
    title = title or ""
    everything = "\n".join((title, body, chrome))
    flags = []
    if any(p.search(title) or p.search(chrome) for p in rules.spam) or any(p.search(body) for p in rules.spam_in_body):
        flags.append("spam_injection")
    if any(p.search(title) or p.search(body) for p in rules.placeholder):
        flags.append("template_placeholder")
    if _mojibake(everything, rules):
        flags.append("mojibake")
    if _traditional(title + "\n" + body, rules):
        flags.append("traditional_script")
    return sorted(flags)


def load_rules(path: Path = FLAGS_FILE) -> FlagRules:
    """Read and compile the keyword lists."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return FlagRules(
        spam=_compile_all(data["spam_injection"]["patterns"]),
        spam_in_body=_compile_all(data["spam_injection"].get("body_patterns", [])),
        placeholder=_compile_all(data["template_placeholder"]["patterns"]),
        mojibake_markers=tuple(data["mojibake"]["markers"]),
        gbk_chars=frozenset(data["mojibake"]["gbk_chars"]),
        gbk_share=float(data["mojibake"]["gbk_share"]),
        marker_count=int(data["mojibake"]["marker_count"]),
        traditional_chars=frozenset(data["traditional_script"]["chars"]),
        traditional_share=float(data["traditional_script"]["share"]),
        traditional_min=int(data["traditional_script"]["min_count"]),
    )


def _compile_all(patterns: list[str]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.I) for p in patterns)


def _mojibake(text: str, rules: FlagRules) -> bool:
    if sum(text.count(m) for m in rules.mojibake_markers) >= rules.marker_count:
        return True
    cjk = _CJK_RE.findall(text)
    if len(cjk) < 50:
        return False
    odd = sum(1 for ch in cjk if ch in rules.gbk_chars)
    return odd / len(cjk) >= rules.gbk_share


def _traditional(text: str, rules: FlagRules) -> bool:
    cjk = _CJK_RE.findall(text)
    if not cjk:
        return False
    trad = sum(1 for ch in cjk if ch in rules.traditional_chars)
    return trad >= rules.traditional_min and trad / len(cjk) >= rules.traditional_share


_RULES: list[FlagRules] = []


def _default_rules() -> FlagRules:
    if not _RULES:
        _RULES.append(load_rules())
    return _RULES[0]
