"""Named structural heuristics of the text reader that can be switched off.

The core of the reader -- meta groups, the three arrangements (meta above a title, below
it, after the text), the evidence each post is scored by (a title-shaped line, text after it,
meta right against it, repetitions) -- is always on.  The reader's phrases are checked for
provenance (``vocabulary.py``); the narrower structural rules below are checked by ablation:
``benchmarks/extraction_text.py`` switches each of them off in turn and finds the themes of
the measuring corpus that need it.  A heuristic that only one theme needs is switched off
when that theme is held out (leave one theme out).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

HEURISTICS = {
    "about": "a comment link or comment heading naming a title is evidence for that title",
    "implicit-comments": "a run of unlabelled name-and-date lines with reply links is a comment section",
    "label-lines": "a label on a line of its own takes its value from the next line",
    "more-closes": 'a "Read more" link with no text after it closes a listing post\'s excerpt',
    "more-link-listing": 'a listing without any meta splits at its "Read more" links',
    "pre-body": "lines standing between a title and its text in other posts are no title",
    "refers": "a short line naming the line next to it is a link, not text or a title",
    "site-name": "the page's first words repeated in its header or footer are the site's name",
    "trailing-navigation": "one or two titles as list items closing a single post are post navigation",
    "zone-heading": 'a "Comments" heading right above a comment section belongs to it',
}

_off: frozenset[str] = frozenset()


def on(name: str) -> bool:
    return name not in _off


@contextmanager
def switched_off(names: set[str]) -> Iterator[None]:
    global _off
    unknown = set(names) - set(HEURISTICS)
    if unknown:
        raise ValueError(f"unknown heuristics: {sorted(unknown)}")
    saved = _off
    _off = frozenset(names)
    try:
        yield
    finally:
        _off = saved
