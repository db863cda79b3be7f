"""List-page adapters, one small module per CMS family; `adapter_for` picks one."""
from __future__ import annotations

from types import ModuleType

from fzzf.scrapers.families import anhui, eportal, generic, guangdong, hanweb, trs

# Detection order: the most specific markers first; generic always matches.
ADAPTERS: tuple[ModuleType, ...] = (hanweb, eportal, trs, anhui, guangdong, generic)
BY_NAME: dict[str, ModuleType] = {m.NAME: m for m in ADAPTERS}


def adapter_for(url: str, html: str, family: str | None = None) -> ModuleType:
    """The adapter named by the registry's `family`, else the first whose markers the page shows."""
    if family and family in BY_NAME:
        return BY_NAME[family]
    return next(m for m in ADAPTERS if m.detect(url, html))
