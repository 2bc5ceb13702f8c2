"""Which addresses newsdesk may connect to: loopback, private and reserved ones are refused.

The check is made on the very addresses a connection goes to (see ``ingest.transport``),
never on a second resolution of the name. IPv6 forms that carry an IPv4 address
(IPv4-mapped and IPv4-compatible, NAT64, 6to4, Teredo) are judged by that address too.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

PRIVATE_REFUSED = "private address refused (set fetch.allow_private)"

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SIXTOFOUR = ipaddress.IPv6Network("2002::/16")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
# Not globally reachable, though the ipaddress tables of older Pythons say so.
_NOT_GLOBAL = (
    ipaddress.IPv6Network("fec0::/10"),  # site-local (deprecated, still routed inside sites)
    ipaddress.IPv6Network("64:ff9b:1::/48"),  # local-use NAT64 (RFC 8215)
)


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address written in ``text`` (brackets and zone id allowed), or None for a name."""
    try:
        return ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for or tunnels to, if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # the client's address
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_ip(address: str) -> bool:
    """True when ``address`` is a globally routable unicast IP, and so is any IPv4 address inside it."""
    ip = parse_ip(address)
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in network for network in _NOT_GLOBAL):
            return False
        inner = embedded_ipv4(ip)
        if inner is not None and not (inner.is_global and not inner.is_multicast):
            return False
        if ip.ipv4_mapped is not None:
            return True  # the mapped address is what is reached
    return ip.is_global and not ip.is_multicast


def is_local_name(host: str) -> bool:
    """True for ``localhost`` and names under it, which never leave the machine."""
    name = host.strip("[]").rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


def refusal_reason(host: str, addresses: Iterable[str]) -> str | None:
    """Why ``host``, resolved to ``addresses``, must not be connected to; None when all are public."""
    found = list(addresses)
    if not found:
        return f"could not resolve host {host}"
    if is_local_name(host) or not all(is_public_ip(a) for a in found):
        return PRIVATE_REFUSED
    return None
