"""Which shortcodes a text uses, asked of a registry: the one answer for convert, validate and
inspect.

WordPress treats an unregistered ``[name]`` as plain text, so an unknown shortcode is left
verbatim; convert reports it (``unknown-shortcode``, info) and validate warns about it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container

from ..context import Context
from ..wpautop import html_text

_PRE_CODE_RE = re.compile(r"<(pre|code)(?![\w-])[^>]*>.*?</\1\s*>", re.S | re.I)
# ``[name ...]`` not after another "[": the "[" first, so the search skips ahead to each one
_CANDIDATE_RE = re.compile(r"\[(?<!\[\[)([a-z][a-z0-9_-]*)((?:\s[^\[\]]*)?)(/?)\]", re.ASCII)


def _candidates(text: str) -> tuple[str, list[re.Match]]:
    """The text between tags (``<pre>``/``<code>`` taken out) and every ``[name ...]`` in it."""
    if "<" in text:
        text = html_text(_PRE_CODE_RE.sub(" ", text))
    return text, list(_CANDIDATE_RE.finditer(text))


def unknown_shortcodes(text: str, registry: Container[str]) -> Counter:
    """Names of unregistered tags that look like shortcodes, with counts.

    A name counts (every ``[name ...]`` of it outside tags, ``<pre>`` and ``<code>``) when one
    occurrence has attribute-like text (``=`` or quotes), self-closes or is closed by
    ``[/name]``, or the name has ``_``/``-``.  Bare words like ``[top]`` or prose such as
    ``[simple boat]`` are not counted.  ``registry`` is a
    :class:`~.registry.ShortcodeRegistry` (or any container of the known names).
    """
    if "[" not in text:
        return Counter()  # nothing looks like a shortcode
    return _unknown(*_candidates(text), registry)


def _unknown(plain: str, found: list[re.Match], registry: Container[str]) -> Counter:
    counts: Counter = Counter()
    shortcode_like: set[str] = set()
    for m in found:
        name, rest, slash = m.group(1), m.group(2), m.group(3)
        if name in registry:
            continue
        counts[name] += 1
        if (
            slash
            or rest.rstrip().endswith("/")
            or "=" in rest
            or '"' in rest
            or "'" in rest
            or "_" in name
            or "-" in name
            or f"[/{name}]" in plain
        ):
            shortcode_like.add(name)
    for name in list(counts):
        if name not in shortcode_like:
            del counts[name]
    return counts


def shortcodes_used(text: str, registry: Container[str]) -> Counter:
    """Every shortcode the text uses, with counts: the registered names (each ``[name ...]``
    outside tags, ``<pre>`` and ``<code>``) and the unknown ones of :func:`unknown_shortcodes`."""
    if "[" not in text:
        return Counter()
    plain, found = _candidates(text)
    used = Counter(m.group(1) for m in found if m.group(1) in registry)
    used.update(_unknown(plain, found, registry))
    return used


def report_unknown_shortcodes(text: str, ctx: Context, registry: Container[str]) -> None:
    """One ``unknown-shortcode`` problem per unregistered shortcode-looking name (the severity
    ``validate`` gives it too: :mod:`migrator.codes`)."""
    for name, n in sorted(unknown_shortcodes(text, registry).items()):
        ctx.report("unknown-shortcode", f"[{name}] x {n} (not registered; left verbatim)")
