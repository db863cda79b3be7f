"""Decode page bytes: BOM, header charset, meta charset, then sniffing; GB2312/GBK always as GB18030."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

HEADER_CHARSET = re.compile(r"charset\s*=\s*['\"]?([\w.:-]+)", re.I)
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*['\"]?\s*([\w.:-]+)", re.I)
SNIFF_BYTES = 4096
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# GB18030 is a superset of GB2312 and GBK; decoding with it avoids errors on characters the
# smaller tables lack (common in names of people and places).
ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
           "cp936": "gb18030", "utf8": "utf-8", "iso-8859-1": "windows-1252", "latin-1": "windows-1252"}


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec used, what the page declared, and whether the declaration was wrong."""

    text: str
    encoding: str
    declared: str | None
    mislabelled: bool


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page, preferring what it declares but catching declarations that are wrong."""
    for bom, codec in BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom):].decode(codec, errors="replace"), codec, codec, False)
    declared = _declared(body, content_type)
    # Valid UTF-8 with non-ASCII bytes is almost never GBK text, so it wins over a GB label;
    # GBK bytes, on the other hand, almost never form valid UTF-8.
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        mislabelled = declared not in (None, "utf-8") and not body.isascii()
        return Decoded(text, "utf-8", declared, mislabelled)
    if declared and declared != "utf-8":
        try:
            return Decoded(body.decode(declared), declared, declared, False)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return Decoded(body.decode("gb18030"), "gb18030", declared, declared not in (None, "gb18030"))
    except UnicodeDecodeError:
        codec = declared or "utf-8"
        try:
            return Decoded(body.decode(codec, errors="replace"), codec, declared, False)
        except LookupError:
            return Decoded(body.decode("utf-8", errors="replace"), "utf-8", declared, False)


def normalise_codec(name: str) -> str:
    """Canonical codec name, GB family mapped to gb18030."""
    name = name.strip().lower()
    name = ALIASES.get(name, name)
    try:
        return ALIASES.get(codecs.lookup(name).name, codecs.lookup(name).name)
    except LookupError:
        return name


def _declared(body: bytes, content_type: str | None) -> str | None:
    if content_type:
        match = HEADER_CHARSET.search(content_type)
        if match:
            return normalise_codec(match.group(1))
    match = META_CHARSET.search(body[:SNIFF_BYTES])
    return normalise_codec(match.group(1).decode("ascii", "replace")) if match else None
