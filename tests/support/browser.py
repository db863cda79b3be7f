"""Headless Chromium for tests: Debian's chromium-headless-shell, run with no system fonts at all.

`make test` installs the package when it is missing (as root, from apt); FONTCONFIG_FILE points at a
configuration without font folders, so a page shows only the fonts it embeds.
"""
from __future__ import annotations

import html
import os
import shutil
import subprocess
from pathlib import Path

BINARY = "chromium-headless-shell"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run")
NO_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""
TIMEOUT_S = 120


def find() -> str | None:
    """The browser's path, or None when it is not installed."""
    return shutil.which(BINARY) or next(
        (str(p) for p in (Path("/usr/lib/chromium") / BINARY,) if p.exists()), None)


def run(page: Path, work: Path, *args: str) -> str:
    """Run the browser on `page` with no system fonts; returns its standard output."""
    binary = find()
    if binary is None:
        raise RuntimeError(f"{BINARY} is not installed (make test installs it: apt-get install {BINARY})")
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "fonts.conf"
    conf.write_text(NO_FONTS_CONF.format(cache=html.escape(str(work / "fc-cache"))), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    # Virtual time lets the page's font load and its measuring script run before the DOM is dumped.
    command = [binary, *FLAGS, f"--user-data-dir={work / 'profile'}", "--virtual-time-budget=5000", *args,
               page.resolve().as_uri()]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=True)
    return done.stdout
