"""A registry entry built from one real report URL: its column (sites.derive) and its division (sites.admin)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from fzzf.sites import admin
from fzzf.sites.derive import derive_column

LEVEL_BY_RANK = {"province": "province", "city": "city"}
HOST_NOISE = re.compile(r"^(www|public|zwgk|xxgk)\.|\.gov\.cn$|\.(com|cn|net|org)$")
ID_SAFE = re.compile(r"[^a-z0-9_]+")


class EntryError(ValueError):
    """An entry that cannot be built: the area is unknown or ambiguous, or the URL has no column."""


@dataclass(frozen=True)
class Entry:
    """One `[[site]]` table of the real registry, unverified until a run reaches its column."""

    id: str
    name: str
    province: str
    level: str
    start_urls: tuple[str, ...]
    source_url: str
    admin_code: str
    rule: str
    city: str | None = None
    district: str | None = None
    family: str | None = None
    discover: bool = False
    verified: bool = False


def entry_from_report(url: str, *, name: str, area: str, province: str | None = None, city: str | None = None,
                      level: str | None = None, site_id: str | None = None) -> Entry:
    """The entry for the government (or department) `name` serving `area`, from one of its report URLs."""
    column = derive_column(url)
    division = resolve_area(area, province, city)
    level = level or _level(division)
    return Entry(
        id=site_id or default_id(column.host, division.code),
        name=name,
        province=division.province,
        level=level,
        start_urls=(column.column_url,),
        source_url=url,
        admin_code=division.code,
        rule=column.rule,
        city=division.city if division.rank != "province" else None,
        district=division.name if division.rank == "county" else None,
        family=column.family,
        discover=column.needs_discovery,
    )


def resolve_area(area: str, province: str | None = None, city: str | None = None) -> admin.Division:
    """The one division named `area` (inside `province` / `city` when given); an error if none or several."""
    found = admin.find(area, province, city)
    if not found:
        raise EntryError(f"no division named {area!r}" + (f" in {province}{city or ''}" if province else ""))
    if len(found) > 1:
        places = ", ".join(f"{d.province}{d.city or ''} ({d.code})" for d in found)
        raise EntryError(f"{area!r} names several divisions ({places}): give --province/--city")
    return found[0]


def default_id(host: str, code: str) -> str:
    """A stable id from the column's host and the area code, e.g. `bjchy_110105`."""
    label = ID_SAFE.sub("_", HOST_NOISE.sub("", HOST_NOISE.sub("", host.split(":")[0]))).strip("_")
    return f"{label or 'site'}_{code}"


def to_toml(entry: Entry) -> str:
    """The entry as a `[[site]]` TOML table (the rule that derived the column as a comment)."""
    lines = ["[[site]]", f"# column derived by rule {entry.rule}" + (", found by discovery" if entry.discover else "")]
    fields = (("id", entry.id), ("name", entry.name), ("province", entry.province), ("city", entry.city),
              ("district", entry.district), ("level", entry.level), ("admin_code", entry.admin_code),
              ("family", entry.family))
    lines += [f"{key} = {_quote(value)}" for key, value in fields if value is not None]
    lines.append(f"start_urls = [{', '.join(_quote(u) for u in entry.start_urls)}]")
    lines.append(f"source_url = {_quote(entry.source_url)}")
    if entry.discover:
        lines.append("discover = true")
    lines.append(f"verified = {'true' if entry.verified else 'false'}")
    return "\n".join(lines) + "\n"


def _level(division: admin.Division) -> str:
    if division.rank in LEVEL_BY_RANK:
        return LEVEL_BY_RANK[division.rank]
    return "district" if division.name.endswith("区") else "county"


def _quote(text: str) -> str:
    # A JSON string is a valid TOML basic string (UTF-8 kept as is).
    return json.dumps(text, ensure_ascii=False)
