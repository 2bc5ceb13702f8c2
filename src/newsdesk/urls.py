"""URL canonicalisation, outlet domains and which URLs are stored or linked, shared by every stage."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit, urlunsplit

import tldextract
from courlan import normalize_url

WEB_SCHEMES = ("http", "https")
# The length of the store's URL columns.
MAX_URL_LENGTH = 2048

# Query parameters that only track where a click came from.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "_hs", "hsa_", "oly_")
_TRACKING_NAMES = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "yclid",
    "igshid",
    "twclid",
    "ref",
    "ref_src",
    "ref_url",
    "cmpid",
    "cmp",
    "ito",
    "xtor",
    "at_medium",
    "at_campaign",
    "ocid",
    "smid",
    "soc_src",
    "soc_trk",
    "ns_mchannel",
    "ns_source",
    "ns_campaign",
    "ns_linkname",
    "ns_fee",
    "rss",
    "feed",
    "from",
    "share",
    "spm",
    "s_cid",
    "wt_mc",
    "_ga",
    "amp",
}


def canonical_url(url: str) -> str:
    """Normalise a URL: lower-case scheme and host, no default port, no fragment,
    no tracking parameters, sorted query. Unparseable input is returned stripped."""
    url = url.strip()
    try:
        normalised = normalize_url(url)
    except (ValueError, AttributeError):
        return url
    parts = urlsplit(normalised)
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not _is_tracking(pair.split("=", 1)[0].lower())
    )
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def _is_tracking(name: str) -> bool:
    return name in _TRACKING_NAMES or name.startswith(_TRACKING_PREFIXES)


@functools.lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # The public-suffix snapshot bundled with tldextract: never fetched.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@functools.lru_cache(maxsize=4096)
def outlet_domain(url: str | None) -> str | None:
    """The registered domain of a URL (``https://www.bbc.co.uk/x`` → ``bbc.co.uk``)."""
    if not url:
        return None
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().rstrip(".")
    if not host:
        return None
    result = _extractor()(host)
    registered = result.top_domain_under_public_suffix
    domain = registered or host
    return domain.removeprefix("www.")


def article_key_url(canonical: str | None, fetched: str) -> str:
    """The URL an article is known by: its canonical link unless that link points
    at a site's home page (a common publishing mistake), else the fetched URL."""
    if canonical and is_web_url(canonical) and urlsplit(canonical).path.strip("/"):
        return canonical_url(canonical)
    return canonical_url(fetched)


def is_web_url(url: str | None) -> bool:
    """Whether ``url`` is an absolute http(s) address with a host."""
    if not url or not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def article_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be stored as an article's address, or None when it can:
    only absolute http(s) URLs of at most ``MAX_URL_LENGTH`` characters are."""
    if len(url) > MAX_URL_LENGTH:
        return f"URL longer than {MAX_URL_LENGTH} characters"
    if not is_web_url(url):
        return f"URL {url[:80]!r} refused: only absolute http and https URLs are stored"
    return None


def port_problem(url: str) -> str | None:
    """Why the port written in ``url`` cannot be connected to (``invalid port 99999 …``), or None
    when it can or none is written."""
    try:
        netloc = urlsplit(url.strip()).netloc
    except ValueError:
        return None
    hostport = netloc.rpartition("@")[2]
    if hostport.startswith("["):
        hostport = hostport.partition("]")[2]
    _, colon, port = hostport.partition(":")
    if not colon or not port:
        return None
    number = port.isascii() and port.isdigit()
    if not number or not 1 <= int(port) <= 65535:
        shown = port if number else repr(port[:20])
        return f"invalid port {shown} in URL (a port is a number from 1 to 65535)"
    return None


def safe_url(url: str | None) -> str:
    """A link target that cannot run script: absolute http(s) URLs and paths on this site,
    else ``""``. Every template passes the URLs it links through this (the ``safe_url`` filter)."""
    if not url or not isinstance(url, str):
        return ""
    url = url.strip()
    if url.startswith("/"):
        # "//host" and "/\\host" leave the site.
        return url if url[1:2] not in ("/", "\\") else ""
    return url if is_web_url(url) else ""
