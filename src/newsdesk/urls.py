"""URL canonicalisation and outlet domains, shared by every stage."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit, urlunsplit

import tldextract
from courlan import normalize_url

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
    if canonical:
        parts = urlsplit(canonical)
        if parts.scheme in ("http", "https") and parts.netloc and parts.path.strip("/"):
            return canonical_url(canonical)
    return canonical_url(fetched)
