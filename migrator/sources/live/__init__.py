"""Live WordPress sites: read a running site through its REST API, or crawl it politely.

``LiveSite(url, options)`` is one URL input.  Its ``read`` yields :class:`Document` records
like the file readers do:

1. The REST API is discovered from the home page (``Link: <...>; rel="https://api.w.org/"``
   header or ``<link rel="https://api.w.org/">``), else ``/wp-json/``, else ``?rest_route=/``.
   Posts, pages and custom post types (``/wp/v2/types``), terms of every public taxonomy
   (``/wp/v2/taxonomies``), users (names only) and media are read with ``per_page=100``,
   following ``X-WP-TotalPages``.  Content is WordPress's rendered HTML
   (``content_kind="rendered"``); attachments carry their original URL, caption and alt text.
2. Without an API: the site's sitemap (robots.txt ``Sitemap:``, ``/wp-sitemap.xml``,
   ``/sitemap_index.xml``, ``/sitemap.xml``) or, failing that, its internal links are crawled
   (robots.txt respected) and every page goes through the HTML reader.

One module per concern: ``site`` (the input: home page, API or crawl), ``api`` (discovery, route
URLs, JSON answers, whole small collections), ``lookups`` (content types, taxonomies and terms,
users), ``rest`` (documents and media from the API), ``crawl`` (sitemaps and links without the
API).  Approved comments come from ``sources.rest_comments``.
"""

from __future__ import annotations

from .api import API_REL, MAX_PAGES, PER_PAGE, FetchProgress, RestApi, api_link, api_url, discover
from .crawl import Crawler, later_pages, page_links, parse_sitemap
from .lookups import Taxonomy
from .rest import Collection, RestReader, caption_html
from .site import LiveSite, SiteUnreachable, is_url

__all__ = [
    "API_REL",
    "MAX_PAGES",
    "PER_PAGE",
    "Collection",
    "Crawler",
    "FetchProgress",
    "LiveSite",
    "RestApi",
    "RestReader",
    "SiteUnreachable",
    "Taxonomy",
    "api_link",
    "api_url",
    "caption_html",
    "discover",
    "is_url",
    "later_pages",
    "page_links",
    "parse_sitemap",
]
