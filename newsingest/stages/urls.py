"""URLs as scraped text holds them: often not well formed, never a reason to fail."""

from __future__ import annotations

from typing import Optional
from urllib.parse import SplitResult, urlsplit


def _split(url: str) -> Optional[SplitResult]:
    """The parts of a URL, or None when it does not parse (scraped text holds things like `http://[abc`)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def host_of(url: Optional[str]) -> Optional[str]:
    """The host of a URL, lower case, without `www.`; None when there is none or the URL does not parse."""
    parts = _split(url) if url else None
    if parts is None:
        return None
    host = parts.netloc.lower()
    return (host[4:] if host.startswith("www.") else host) or None


def first_host(*urls: Optional[str]) -> Optional[str]:
    """The host of the first of ``urls`` that has one."""
    return next((host for host in map(host_of, urls) if host), None)


def publisher_name(publisher: Optional[str], *urls: Optional[str]) -> Optional[str]:
    """Who published a page: its stated publisher, else the host of the first of ``urls`` that has one."""
    return publisher or first_host(*urls)


def is_homepage(url: str) -> bool:
    """Whether a URL is a site's home page (no path, no query); a URL that does not parse is not."""
    parts = _split(url)
    return parts is not None and parts.path in ("", "/") and not parts.query
