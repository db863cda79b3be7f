"""Integrity flags: injected spam, unfilled template text, mojibake, traditional script."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

FLAGS_FILE = Path(__file__).with_name("flags.toml")
FLAGS = ("spam_injection", "template_placeholder", "mojibake", "traditional_script")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_CJK_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Rule:
    """One keyword pattern, and strings one of which every match contains (empty: no such strings)."""

    pattern: re.Pattern
    needs: tuple[str, ...] = ()

    def search(self, text: str) -> re.Match | None:
        """`pattern.search(text)`, skipped when the text holds none of the needed strings."""
        if self.needs and not any(n in text for n in self.needs):
            return None
        return self.pattern.search(text)


@dataclass(frozen=True)
class FlagRules:
    """The compiled keyword lists of flags.toml."""

    spam: tuple[Rule, ...]
    spam_in_body: tuple[Rule, ...]
    placeholder: tuple[Rule, ...]
    mojibake_markers: tuple[str, ...]
    gbk_chars: frozenset[str]
    gbk_share: float
    marker_count: int
    traditional_chars: frozenset[str]
    traditional_share: float
    traditional_min: int
    # Runs of the Chinese characters of gbk_chars / traditional_chars: counted at C speed.
    gbk_re: re.Pattern | None = None
    traditional_re: re.Pattern | None = None


def integrity_flags(title: str | None, body: str, chrome: str = "", rules: FlagRules | None = None) -> list[str]:
    """Flags a page raises, sorted: spam in title or chrome, placeholders, mojibake, traditional script."""
    rules = rules or _default_rules()
    title = title or ""
    flags = []
    if any(p.search(title) or p.search(chrome) for p in rules.spam) or any(p.search(body) for p in rules.spam_in_body):
        flags.append("spam_injection")
    if any(p.search(title) or p.search(body) for p in rules.placeholder):
        flags.append("template_placeholder")
    # Characters are counted in the page's own text (title and body) and in its chrome apart, then added up.
    own = title + "\n" + body
    counts = _Counts(cjk=_count(_CJK_RUN_RE, own), gbk=_count(rules.gbk_re, own),
                     chrome_cjk=_count(_CJK_RUN_RE, chrome), chrome_gbk=_count(rules.gbk_re, chrome))
    if _mojibake("\n".join((title, body, chrome)), counts, rules):
        flags.append("mojibake")
    if _traditional(own, counts.cjk, rules):
        flags.append("traditional_script")
    return sorted(flags)


@dataclass(frozen=True)
class _Counts:
    cjk: int
    gbk: int
    chrome_cjk: int
    chrome_gbk: int


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
        gbk_re=_char_class(data["mojibake"]["gbk_chars"]),
        traditional_re=_char_class(data["traditional_script"]["chars"]),
    )


def _char_class(chars) -> re.Pattern | None:
    """Runs of the Chinese characters (U+4E00–U+9FFF) among `chars`, or None."""
    cjk = sorted({ch for ch in chars if _CJK_RE.fullmatch(ch)})
    return re.compile("[" + "".join(re.escape(ch) for ch in cjk) + "]+") if cjk else None


def _count(runs: re.Pattern | None, text: str) -> int:
    """Characters of `text` in the runs the pattern matches (fewer, longer matches than one per character)."""
    return sum(map(len, runs.findall(text))) if runs is not None and text else 0


def _compile_all(patterns: list) -> tuple[Rule, ...]:
    """Rules of a list whose items are patterns or {pattern, needs} tables."""
    return tuple(Rule(re.compile(p, re.I)) if isinstance(p, str)
                 else Rule(re.compile(p["pattern"], re.I), tuple(p["needs"])) for p in patterns)


def _mojibake(text: str, counts: _Counts, rules: FlagRules) -> bool:
    if sum(text.count(m) for m in rules.mojibake_markers) >= rules.marker_count:
        return True
    cjk = counts.cjk + counts.chrome_cjk
    if cjk < 50:
        return False
    return (counts.gbk + counts.chrome_gbk) / cjk >= rules.gbk_share


def _traditional(text: str, cjk: int, rules: FlagRules) -> bool:
    if cjk < max(1, rules.traditional_min):
        return False  # fewer Chinese characters than the flag needs traditional ones
    trad = _count(rules.traditional_re, text)
    return trad >= rules.traditional_min and trad / cjk >= rules.traditional_share


_RULES: list[FlagRules] = []


def _default_rules() -> FlagRules:
    if not _RULES:
        _RULES.append(load_rules())
    return _RULES[0]
