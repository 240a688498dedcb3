"""Saved HTML pages of WordPress sites: single posts, index and archive pages, saved site folders.

The reader finds each post on a page whatever the theme: WordPress markup first where it is
strong (``post_class()``'s ``post-N``, ``entry-content``, the block library's classes), scoring
and structure otherwise (:mod:`.scoring`, :mod:`.listings`).  Modules, by concern:

* :mod:`.vocabulary` -- every class, id and class word the reader names (each one printed by
  WordPress core or used by two sources of the corpus);
* :mod:`.dom` -- element and URL helpers;
* :mod:`.meta` -- the page head: Open Graph, JSON-LD, canonical link, site name;
* :mod:`.fields` -- a post's title, permalink, dates, author, terms and image from its markup;
* :mod:`.scoring` -- readability-style scoring of text containers;
* :mod:`.posts` -- post containers and the element holding each post's text;
* :mod:`.listings` -- posts of index pages by repeated structure;
* :mod:`.chrome` -- cleaning the content (chrome by structure and by name, embeds, images);
* :mod:`.document` -- one post -> one Document;
* :mod:`.page` -- one page -> its posts (and the generic fallback);
* :mod:`.mirror` -- saved site folders and crawls: each post once.

Dates are read with :mod:`migrator.sources.dates`, shared with the other readers.
"""

from __future__ import annotations

from ..dates import parse_date
from .dom import norm_url
from .mirror import is_page_file, read_mirror
from .page import PageResult, decode, extract_page, read_html

# the names the live reader's crawl path has imported so far
_decode = decode
_norm_url = norm_url

__all__ = ["PageResult", "decode", "extract_page", "is_page_file", "norm_url", "parse_date", "read_html", "read_mirror"]
