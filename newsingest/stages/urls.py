"""URLs as scraped text holds them: often not well formed, never a reason to fail."""

from __future__ import annotations

from typing import Optional
from urllib.parse import urlsplit


def host_of(url: Optional[str]) -> Optional[str]:
    """The host of a URL, lower case, without `www.`; None when there is none or the URL does not
    parse (scraped text holds things like `http://[abc`)."""
    if not url:
        return None
    try:
        host = urlsplit(url).netloc.lower()
    except ValueError:
        return None
    return (host[4:] if host.startswith("www.") else host) or None


def publisher_name(publisher: Optional[str], *urls: Optional[str]) -> Optional[str]:
    """Who published a page: its stated publisher, else the host of the first of ``urls`` that has one."""
    if publisher:
        return publisher
    for url in urls:
        if host := host_of(url):
            return host
    return None
