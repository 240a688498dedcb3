"""Where migrator may connect: host allow-lists and address checks.

Rules (checked for the first request and again for every redirect hop): only ``http``/``https``;
only allowed hosts (exact names or ``*.suffix`` patterns); never a loopback, private,
link-local, multicast, reserved or unspecified address unless ``allow_private_hosts``.  Known
limit: the address check resolves the name before ``requests`` resolves it again, so a DNS
server answering differently the second time (rebinding) is not caught.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

from ..urls import urlsplit  # never raise on malformed URLs
from .errors import UrlRefused

#: WordPress.com media hosts; add them to ``allowed_hosts`` for WordPress.com sites.
WPCOM_MEDIA_HOSTS = frozenset({"*.files.wordpress.com", "i0.wp.com", "i1.wp.com", "i2.wp.com", "i3.wp.com"})


def normalise_host(value: str) -> str:
    """Lower-cased host name of a URL or host string (``*.`` patterns kept)."""
    value = value.strip()
    if "://" in value:
        try:
            value = urlsplit(value).hostname or ""
        except ValueError:
            return ""
    elif "/" in value:
        value = value.split("/", 1)[0]
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".").lower()


def normalise_host_pattern(value: str) -> str:
    """Like :func:`normalise_host` but keeps a leading ``*.`` wildcard."""
    value = value.strip().lower()
    if value.startswith("*."):
        rest = normalise_host(value[2:])
        return "*." + rest if rest else ""
    return normalise_host(value)


def allowed_hosts_for(urls: Iterable[str], *, wpcom: bool = True) -> set[str]:
    """Hosts of ``urls`` plus their ``www.`` twins (and WordPress.com media hosts)."""
    hosts: set[str] = set(WPCOM_MEDIA_HOSTS) if wpcom else set()
    for url in urls:
        host = normalise_host(url)
        if not host:
            continue
        hosts.add(host)
        hosts.add(host[4:] if host.startswith("www.") else "www." + host)
    return hosts


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """Whether ``host`` matches an allowed name or ``*.suffix`` pattern."""
    host = host.rstrip(".").lower()
    for pattern in allowed:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def address_is_public(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved, unspecified addresses."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        for embedded in (ip.ipv4_mapped, ip.sixtofour):
            if embedded is not None and not address_is_public(str(embedded)):
                return False
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_fetch_url(url: str, allowed: Iterable[str], allow_private_hosts: bool = False) -> None:
    """Raise UrlRefused unless ``url`` may be fetched: ``http``/``https``, an allowed host, and
    (unless ``allow_private_hosts``) every address it resolves to public."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
        port = parts.port
    except ValueError as exc:
        raise UrlRefused(f"invalid URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UrlRefused(f"refused scheme {parts.scheme or '(none)'!r}")
    if not host:
        raise UrlRefused("no host in the URL")
    if not host_allowed(host, allowed):
        raise UrlRefused(f"host not allowed: {host}")
    if allow_private_hosts:
        return
    try:
        infos = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise UrlRefused(f"cannot resolve {host}: {exc}", retryable=exc.errno == socket.EAI_AGAIN) from None
    except (UnicodeError, OSError) as exc:
        raise UrlRefused(f"cannot resolve {host}: {exc}") from None
    addresses = sorted({info[4][0] for info in infos})
    if not addresses:
        raise UrlRefused(f"cannot resolve {host}")
    for address in addresses:
        if not address_is_public(address):
            raise UrlRefused(f"refused non-public address {address} for {host}")
