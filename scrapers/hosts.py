"""Which URLs a site's crawl may touch: parsed hosts, no userinfo, no internal addresses unless configured."""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit, urlunsplit

from urllib3.util import parse_url

Resolver = Callable[[str], list[str]]

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Cloud metadata services answer on addresses that `is_global` alone may not flag on every Python.
METADATA_ADDRESSES = frozenset({"169.254.169.254", "100.100.100.200", "fd00:ec2::254", "169.254.170.2"})


def url_refusal(url: str, allowed: Iterable[str], resolve: Resolver | None = None) -> str | None:
    """Why `url` may not be fetched for a site allowed `allowed` hosts, or None when it may.

    The host is the parsed URL's host (never the text before an `@`); a URL carrying userinfo is
    refused outright, so credentials are never sent; a host that resolves to a loopback, private,
    link-local, shared or metadata address is refused unless that host is configured exactly.
    """
    allowed = [a.lower() for a in allowed]
    try:
        parts = urlsplit(url)
        port = parts.port
        parsed = parse_url(url)
    except ValueError as exc:
        return f"invalid URL: {exc}"
    if parts.scheme not in SCHEMES:
        return f"scheme {parts.scheme!r} is not http(s)"
    if "@" in parts.netloc or parsed.auth:
        return "URL carries userinfo (user:password@); refused so no credentials are sent"
    host = (parsed.host or "").lower().strip("[]")
    if not host:
        return "URL has no host"
    netloc = _netloc(host, port)
    if not host_allowed(netloc, allowed):
        return f"off-site host {netloc}"
    if _configured_exactly(host, port or DEFAULT_PORTS[parts.scheme], allowed):
        return None  # the operator named this very host: trusted, even a loopback test server
    addresses = (resolve or resolve_host)(host)
    internal = [a for a in addresses if is_internal(a)]
    if internal:
        return f"{netloc} resolves to internal address {internal[0]}"
    return None


def redirect_refusal(target: str, allowed: Iterable[str], resolve: Resolver | None = None) -> str | None:
    """Why a redirect hop to `target` is refused, or None: the same rule as any fetched URL."""
    return url_refusal(target, allowed, resolve)


def peer_refusal(host: str, port: int | None, scheme: str, address: str, allowed: Iterable[str]) -> str | None:
    """Why a connection that reached `address` must be dropped (DNS changed since the check), or None."""
    allowed = [a.lower() for a in allowed]
    if _configured_exactly(host.lower(), port or DEFAULT_PORTS.get(scheme, 80), allowed):
        return None
    if is_internal(address):
        return f"{host} connected to internal address {address}"
    return None


def host_allowed(netloc: str, allowed: Iterable[str]) -> bool:
    """True when `netloc` is an allowed host:port, a subdomain of an allowed domain, or its www./bare twin."""
    netloc = netloc.lower()
    if "@" in netloc:
        return False  # userinfo: the real host is after the @, and such URLs are never fetched
    host, port = _split(netloc)
    for entry in allowed:
        entry = entry.lower()
        if netloc == entry:
            return True
        a_host, a_port = _split(entry)
        if _is_ip(a_host) or (a_port and a_port != port):
            continue
        # Government sites move between www.x.gov.cn and x.gov.cn, both ways; subdomains of a configured domain pass.
        if host == a_host or host.endswith("." + a_host):
            return True
        if a_host.startswith("www.") and host == a_host[4:]:
            return True
    return False


def reach_root(entry: str) -> str:
    """The domain standing for all an allowed-host entry may reach (coarser than `host_allowed`, never finer).

    A name reaches its subdomains and its www./bare twin on any port: the name without www. stands for it. An
    IP address reaches only its own host:port.
    """
    entry = entry.lower()
    host, _ = _split(entry)
    return entry if _is_ip(host) else host.removeprefix("www.")


def strip_userinfo(url: str) -> str:
    """`url` without any `user:password@` part (a registry URL's credentials are never sent or stored)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def is_internal(address: str) -> bool:
    """Loopback, private, link-local, shared, reserved, multicast or a cloud metadata address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    return str(ip) in METADATA_ADDRESSES or not ip.is_global or ip.is_multicast


def resolve_host(host: str) -> list[str]:
    """Every address `host` resolves to (an IP literal resolves to itself); [] when it does not resolve."""
    if _is_ip(host):
        return [host]
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except (OSError, UnicodeError):
        return []  # unresolvable: the request itself will fail as a connection error


def _configured_exactly(host: str, port: int, allowed: list[str]) -> bool:
    for entry in allowed:
        a_host, a_port = _split(entry)
        if a_host == host and (not a_port or a_port == str(port)):
            return True
    return False


def _netloc(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port is not None else shown


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
