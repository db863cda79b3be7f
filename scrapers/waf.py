"""Recognise anti-bot challenge pages (瑞数 and similar) that answer with a script instead of content."""
from __future__ import annotations

import re

# 瑞数 (Riversecurity) challenge pages are a few KB of obfuscated script that sets `$_ts`.
MAX_CHALLENGE_BYTES = 32 * 1024
TS_MARKER = re.compile(rb"\$_ts\s*(=|\[|\.)")
SCRIPT_BLOCK = re.compile(rb"<script\b.*?</script>", re.S | re.I)
TAG = re.compile(rb"<[^>]+>")
MAX_VISIBLE_CHARS = 200


def looks_like_challenge(body: bytes) -> bool:
    """True for a small page whose only substance is a `$_ts` challenge script."""
    if len(body) > MAX_CHALLENGE_BYTES or not TS_MARKER.search(body):
        return False
    visible = TAG.sub(b" ", SCRIPT_BLOCK.sub(b" ", body))
    return len(b"".join(visible.split())) < MAX_VISIBLE_CHARS
