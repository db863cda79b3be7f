"""Load the site registry (`[[site]]` tables in TOML) into typed records."""
from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from fzzf.sites import admin
from fzzf.vocab import Level, values

LEVELS = values(Level)
SITES_DIR = Path(__file__).resolve().parent
REAL_REGISTRY = SITES_DIR / "registry.toml"
DEMO_DIR = SITES_DIR / "demo"
# CMS families with a list-page adapter (scrapers.families.BY_NAME; a test keeps the two equal).
FAMILIES = ("anhui", "eportal", "generic", "guangdong", "hanweb", "trs")


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
    """Read a registry TOML file; `{name}` placeholders in URLs are filled from `substitutions`.

    Every problem of every entry is reported at once, one per line, in the RegistryError.
    """
    path = Path(path)
    if path.is_dir():
        raise RegistryError(f"{path} is a folder, not a registry file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"registry file not found: {path}") from None
    except UnicodeDecodeError:
        raise RegistryError(f"{path}: not a text file (a registry is UTF-8 TOML)") from None
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML: {exc}") from None
    tables = data.get("site")
    if not isinstance(tables, list) or not tables:
        raise RegistryError(f"{path}: no [[site]] tables")
    problems: list[str] = []
    sites = []
    for i, table in enumerate(tables):
        try:
            sites.append(_site_from_table(table, i, path, substitutions or {}))
        except RegistryError as exc:
            problems += str(exc).splitlines()
    ids = Counter(str(t.get("id")) for t in tables if isinstance(t, dict) and "id" in t)
    problems += [f"{path}: duplicate site id {site_id!r}" for site_id, n in ids.items() if n > 1]
    if problems:
        raise RegistryError(problems[0] if len(problems) == 1
                            else f"{len(problems)} problems:\n" + "\n".join(problems))
    return sites


def select_sites(sites: list[Site], site_ids: list[str] | None) -> list[Site]:
    """The sites named in `site_ids` (all when None); an unknown id is a RegistryError."""
    if not site_ids:
        return sites
    unknown = sorted(set(site_ids) - {site.id for site in sites})
    if unknown:
        raise RegistryError(f"no site with id {', '.join(map(repr, unknown))} in the registry")
    return [site for site in sites if site.id in set(site_ids)]


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


_KEYS = frozenset(f.name for f in fields(Site))


def _site_from_table(table: dict, index: int, path: Path, subs: dict[str, str]) -> Site:
    where = f"{path}: [[site]] #{index + 1}"
    if not isinstance(table, dict):
        raise RegistryError(f"{where}: not a table")
    missing = [key for key in ("id", "name", "province", "level", "start_urls") if key not in table]
    if missing:
        raise RegistryError("\n".join(f"{where}: missing required key {key!r}" for key in missing))
    where = f"{where} ({table['id']})"
    problems = [f"{where}: unknown key {key!r}" for key in sorted(set(table) - _KEYS)]
    level = table["level"]
    if level not in LEVELS:
        problems.append(f"{where}: level {level!r} is not one of {', '.join(LEVELS)}")
    family = table.get("family")
    if family is not None and family not in FAMILIES:
        problems.append(f"{where}: family {family!r} is not one of {', '.join(FAMILIES)}")
    urls = table["start_urls"]
    if isinstance(urls, str) or not isinstance(urls, list) or not urls:
        problems.append(f"{where}: start_urls must be a non-empty list of URLs")
        urls = []
    filled = []
    for url in urls:
        try:
            filled.append(_fill(url, subs, where))
        except RegistryError as exc:
            problems.append(str(exc))
    urls = tuple(filled)
    for url in urls:
        if urlsplit(url).scheme not in ("http", "https"):
            problems.append(f"{where}: not an http(s) URL: {url}")
    code = table.get("admin_code")
    if code is not None and not (isinstance(code, str) and code.isdigit() and len(code) == 6):
        problems.append(f"{where}: admin_code must be 6 digits as a string, got {code!r}")
    elif code is not None and (problem := admin.check(code, table["province"], table.get("city"))):
        problems.append(f"{where}: {problem}")
    source = table.get("source_url")
    if source is not None and urlsplit(source).scheme not in ("http", "https"):
        problems.append(f"{where}: source_url is not an http(s) URL: {source!r}")
    for flag in ("verified", "discover"):
        if not isinstance(table.get(flag, False), bool):
            problems.append(f"{where}: {flag} must be true or false")
    hosts = []
    for host in table.get("allowed_hosts", ()):
        try:
            hosts.append(_fill(host, subs, where).lower())
        except RegistryError as exc:
            problems.append(str(exc))
    if problems:
        raise RegistryError("\n".join(problems))
    return Site(
        id=str(table["id"]),
        name=table["name"],
        province=table["province"],
        level=level,
        start_urls=urls,
        city=table.get("city"),
        district=table.get("district"),
        admin_code=code,
        allowed_hosts=tuple(hosts),
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
