"""Load the site registry (`[[site]]` tables in TOML) into typed records."""
from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fzzf.sites import admin
from fzzf.vocab import Level, values

LEVELS = values(Level)
SITES_DIR = Path(__file__).resolve().parent
REAL_REGISTRY = SITES_DIR / "registry.toml"
DEMO_DIR = SITES_DIR / "demo"


class RegistryError(ValueError):
    """A registry file that cannot be used, with the reason in the message."""


@dataclass(frozen=True)
class Site:
    """One government (or department) whose report column fzzf crawls."""

    id: str
    name: str
    province: str
    level: str
    start_urls: tuple[str, ...]
    city: str | None = None
    district: str | None = None
    admin_code: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    family: str | None = None
    max_list_pages: int = 20
    max_requests: int = 300  # requests per site per night (list pages, reports, attachments; robots.txt aside)
    source_url: str | None = None
    verified: bool = False
    discover: bool = False

    @property
    def hosts(self) -> tuple[str, ...]:
        """Hosts the crawler may fetch from: the configured ones, else the start URLs' hosts."""
        if self.allowed_hosts:
            return self.allowed_hosts
        return tuple(dict.fromkeys(_host_port(u) for u in self.start_urls))

    @property
    def area_name(self) -> str:
        """The district (area) this site reports for, as analysts name it."""
        return self.district or self.name


def load_registry(path: str | Path, substitutions: dict[str, str] | None = None) -> list[Site]:
    """Read a registry TOML file; `{name}` placeholders in URLs are filled from `substitutions`."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"registry file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML: {exc}") from None
    tables = data.get("site")
    if not isinstance(tables, list) or not tables:
        raise RegistryError(f"{path}: no [[site]] tables")
    sites = [_site_from_table(t, i, path, substitutions or {}) for i, t in enumerate(tables)]
    seen: set[str] = set()
    for site in sites:
        if site.id in seen:
            raise RegistryError(f"{path}: duplicate site id {site.id!r}")
        seen.add(site.id)
    return sites


def coverage_table(sites: list[Site]) -> str:
    """Entries per province and level, with how many are verified, as a plain-text table."""
    counts: dict[str, Counter] = {}
    for site in sites:
        counts.setdefault(site.province, Counter())[site.level] += 1
    head = f"{'province':10} " + " ".join(f"{lv:>10}" for lv in LEVELS) + f" {'total':>6}"
    lines = [head]
    for province in sorted(counts):
        row = counts[province]
        lines.append(f"{province:10} " + " ".join(f"{row[lv]:>10}" for lv in LEVELS) + f" {sum(row.values()):>6}")
    verified = sum(s.verified for s in sites)
    lines.append(f"{len(sites)} entries in {len(counts)} provinces; {verified} verified, {len(sites) - verified} unverified")
    return "\n".join(lines)


def _site_from_table(table: dict, index: int, path: Path, subs: dict[str, str]) -> Site:
    where = f"{path}: [[site]] #{index + 1}"
    for key in ("id", "name", "province", "level", "start_urls"):
        if key not in table:
            raise RegistryError(f"{where}: missing required key {key!r}")
    level = table["level"]
    if level not in LEVELS:
        raise RegistryError(f"{where} ({table['id']}): level {level!r} is not one of {', '.join(LEVELS)}")
    urls = table["start_urls"]
    if isinstance(urls, str) or not urls:
        raise RegistryError(f"{where} ({table['id']}): start_urls must be a non-empty list of URLs")
    urls = tuple(_fill(u, subs, where) for u in urls)
    for url in urls:
        if urlsplit(url).scheme not in ("http", "https"):
            raise RegistryError(f"{where} ({table['id']}): not an http(s) URL: {url}")
    code = table.get("admin_code")
    if code is not None and not (isinstance(code, str) and code.isdigit() and len(code) == 6):
        raise RegistryError(f"{where} ({table['id']}): admin_code must be 6 digits as a string, got {code!r}")
    if code is not None and (problem := admin.check(code, table["province"], table.get("city"))):
        raise RegistryError(f"{where} ({table['id']}): {problem}")
    source = table.get("source_url")
    if source is not None and urlsplit(source).scheme not in ("http", "https"):
        raise RegistryError(f"{where} ({table['id']}): source_url is not an http(s) URL: {source!r}")
    for flag in ("verified", "discover"):
        if not isinstance(table.get(flag, False), bool):
            raise RegistryError(f"{where} ({table['id']}): {flag} must be true or false")
    return Site(
        id=str(table["id"]),
        name=table["name"],
        province=table["province"],
        level=level,
        start_urls=urls,
        city=table.get("city"),
        district=table.get("district"),
        admin_code=code,
        allowed_hosts=tuple(_fill(h, subs, where).lower() for h in table.get("allowed_hosts", ())),
        family=table.get("family"),
        max_list_pages=int(table.get("max_list_pages", 20)),
        max_requests=int(table.get("max_requests", 300)),
        source_url=source,
        verified=table.get("verified", False),
        discover=table.get("discover", False),
    )


def _host_port(url: str) -> str:
    """`host[:port]` of a URL, without any userinfo (which is never a host to trust)."""
    return urlsplit(url).netloc.lower().rpartition("@")[2]


def _fill(text: str, subs: dict[str, str], where: str) -> str:
    try:
        return text.format_map(subs) if "{" in text else text
    except KeyError as exc:
        raise RegistryError(f"{where}: unknown placeholder {exc} in {text!r}") from None
