"""Which hosts a site's crawl may touch, and why a redirect hop gets refused."""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

Resolver = Callable[[str], list[str]]


def host_allowed(netloc: str, allowed: Iterable[str]) -> bool:
    """True when `netloc` is an allowed host:port, or a subdomain of an allowed domain name."""
    netloc = netloc.lower()
    host, port = _split(netloc)
    for entry in allowed:
        entry = entry.lower()
        if netloc == entry:
            return True
        a_host, a_port = _split(entry)
        if _is_ip(a_host) or (a_port and a_port != port):
            continue
        # Government sites move between www.x.gov.cn and x.gov.cn; subdomains of a configured domain pass.
        if host == a_host or host.endswith("." + a_host):
            return True
    return False


def redirect_refusal(target: str, allowed: Iterable[str], resolve: Resolver | None = None) -> str | None:
    """Why a redirect to `target` is refused (off-site, private address, bad scheme), or None if it may be followed."""
    allowed = [a.lower() for a in allowed]
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme!r} is not http(s)"
    netloc = parts.netloc.lower()
    if not host_allowed(netloc, allowed):
        return f"off-site host {netloc}"
    if netloc in allowed:
        return None  # exactly a configured host: trusted, even when it is a loopback test server
    addresses = (resolve or _resolve)(parts.hostname or "")
    private = [a for a in addresses if _is_private(a)]
    if private:
        return f"{netloc} resolves to private address {private[0]}"
    return None


def _split(netloc: str) -> tuple[str, str]:
    if netloc.startswith("["):
        host, _, rest = netloc[1:].partition("]")
        return host, rest.lstrip(":")
    host, _, port = netloc.partition(":")
    return host, port


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_private(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified


def _resolve(host: str) -> list[str]:
    if _is_ip(host):
        return [host]
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except OSError:
        return []  # unresolvable: the request itself will fail as a connection error
