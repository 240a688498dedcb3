"""Plain-text scrapes: text copied off a rendered WordPress page, theme chrome included.

A scrape is what a browser puts on the clipboard when someone selects a whole page (or what
w3m dumps): one line per block element, theme chrome (skip links, menus, share buttons,
sidebars, comments, footers) mixed in, images reduced to their alt text.  The reader finds
the posts by evidence (meta groups, title-shaped lines, repetitions; ``segment.py``), removes
the chrome -- recording every removed line as an ``info`` problem so nothing disappears
silently -- keeps what the meta lines say (date, author, categories, tags), keeps comments as
comments, records image alt-text residue and rebuilds simple structure as rendered HTML.

Modules: ``lines`` (reading, shape of a line), ``dates`` (the date grammar), ``vocabulary``
(chrome rules), ``meta`` (metadata lines), ``residue`` (image alt text), ``segment`` (finding
the posts), ``comments``, ``structure`` (paragraphs, lists, headings, quotes), ``reader``.
"""

from .meta import DateLine, parse_date_line, parse_meta
from .reader import CODE_REMOVED, read_text, sanitize_title
from .residue import is_residue, split_glued

__all__ = [
    "CODE_REMOVED",
    "DateLine",
    "parse_date_line",
    "parse_meta",
    "read_text",
    "sanitize_title",
    "is_residue",
    "split_glued",
]
