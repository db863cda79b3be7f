"""Headless Chromium for tests: Debian's chromium-headless-shell, run with no system fonts at all.

`make test` installs the package when it is missing (as root, from apt); FONTCONFIG_FILE points at a
configuration without font folders, so a page shows only the fonts it embeds. The page is driven over the
DevTools protocol on a pipe and waited for in real time, and can be reloaded in the same browser: a fresh
browser with no fonts fails the first load of a web font about half the time (NetworkError), a reload then loads it.
"""
from __future__ import annotations

import html
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

BINARY = "chromium-headless-shell"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--remote-debugging-pipe")
NO_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""
TIMEOUT_S = 120
POLL_S = 0.05
# The DevTools pipe: the browser reads commands from fd 3 and writes replies to fd 4, each message ending in NUL.
_CDP_IN, _CDP_OUT = 3, 4


def find() -> str | None:
    """The browser's path, or None when it is not installed."""
    return shutil.which(BINARY) or next(
        (str(p) for p in (Path("/usr/lib/chromium") / BINARY,) if p.exists()), None)


class _DevTools:
    """One browser process and its DevTools pipe."""

    def __init__(self, command: list[str], env: dict[str, str], deadline: float) -> None:
        to_browser, self._writer = os.pipe()
        self._reader, from_browser = os.pipe()
        # Parked above the stdio range first, so moving them to 3 and 4 cannot clobber one with the other.
        parked = [os.dup(fd) for fd in (to_browser, from_browser)]

        def _wire() -> None:
            os.dup2(parked[0], _CDP_IN)
            os.dup2(parked[1], _CDP_OUT)

        self._process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                         close_fds=False, preexec_fn=_wire)
        for fd in (to_browser, from_browser, *parked):
            os.close(fd)
        self._deadline = deadline
        self._buffer = b""
        self._next_id = 0

    def call(self, method: str, session: str | None = None, **params) -> dict:
        """Send one command and return its result (events in between are skipped)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._writer, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _receive(self) -> dict:
        while b"\0" not in self._buffer:
            left = self._deadline - time.monotonic()
            if left <= 0 or not select.select([self._reader], [], [], left)[0]:
                raise TimeoutError(f"the browser did not answer within {TIMEOUT_S} s")
            chunk = os.read(self._reader, 1 << 16)
            if not chunk:
                raise RuntimeError(f"the browser exited (code {self._process.poll()})")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        finally:
            os.close(self._writer)
            os.close(self._reader)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def wait_for_attribute(page: Path, work: Path, attribute: str, reload_if: Callable[[str], bool] = lambda _: False,
                       tries: int = 3) -> str:
    """Open `page` with no system fonts and return the body's `attribute` once the page's own script sets it.

    While `reload_if(value)` holds the page is reloaded in the same browser, up to `tries` loads in all.
    """
    binary = find()
    if binary is None:
        raise RuntimeError(f"{BINARY} is not installed (make test installs it: apt-get install {BINARY})")
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "fonts.conf"
    conf.write_text(NO_FONTS_CONF.format(cache=html.escape(str(work / "fc-cache"))), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    command = [binary, *FLAGS, f"--user-data-dir={work / 'profile'}", page.resolve().as_uri()]
    deadline = time.monotonic() + TIMEOUT_S
    browser = _DevTools(command, env, deadline)
    try:
        session = _attach(browser)
        for _ in range(tries - 1):
            value = _poll(browser, session, attribute, deadline)
            if not reload_if(value):
                return value
            # Cleared first, so the poll cannot read the old document's value while the new one loads.
            browser.call("Runtime.evaluate", session,
                         expression=f"document.body.removeAttribute({json.dumps(attribute)})")
            browser.call("Page.reload", session)
        return _poll(browser, session, attribute, deadline)
    finally:
        browser.close()


def _attach(browser: _DevTools) -> str:
    while True:
        pages = [t for t in browser.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
        if pages:
            return browser.call("Target.attachToTarget", targetId=pages[0]["targetId"], flatten=True)["sessionId"]
        time.sleep(POLL_S)


def _poll(browser: _DevTools, session: str, attribute: str, deadline: float) -> str:
    probe = f"document.body ? document.body.getAttribute({json.dumps(attribute)}) : null"
    while True:
        value = browser.call("Runtime.evaluate", session, expression=probe, returnByValue=True)["result"].get("value")
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"the page's script did not set {attribute} within {TIMEOUT_S} s")
        time.sleep(POLL_S)
