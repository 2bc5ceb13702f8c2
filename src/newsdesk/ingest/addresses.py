"""Refuse URLs whose host is (or resolves to) a loopback, private or reserved address."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

PRIVATE_REFUSED = "private address refused (set fetch.allow_private)"


def is_public_ip(address: str) -> bool:
    """True when ``address`` is a globally routable IP (IPv4-mapped IPv6 unwrapped)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def private_address_reason(host: str, port: int) -> str | None:
    """Why ``host`` must not be fetched, or None when all its addresses are public.

    Literal IPs are checked directly; names are resolved and every address
    they resolve to must be public (a name that cannot be resolved is
    reported as such).
    """
    bare = host.strip("[]")
    try:
        ipaddress.ip_address(bare.split("%", 1)[0])
    except ValueError:
        pass
    else:
        return None if is_public_ip(bare) else PRIVATE_REFUSED
    if bare.lower() == "localhost" or bare.lower().endswith(".localhost"):
        return PRIVATE_REFUSED
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(bare, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return f"could not resolve host {bare}"
    addresses = {str(info[4][0]) for info in infos}
    if not addresses:
        return f"could not resolve host {bare}"
    if not all(is_public_ip(a) for a in addresses):
        return PRIVATE_REFUSED
    return None
