"""Converters for the elements the renderer writes as markdownify 1.2 did (bold, keyboard and
sample text, definition terms and descriptions outside a ``<dl>``), and the lookup of an
element's converter by its name."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_FN_NAME = re.compile(r"[\[\]:-]")
_HEADING = re.compile(r"h(\d+)")
_ALL_WS = re.compile(r"[\t \r\n]+")
_LINE = re.compile(r"^(.*)", flags=re.MULTILINE)
_BACKTICKS = re.compile(r"`+")


def _chomp(text: str) -> tuple[str, str, str]:
    prefix = " " if text and text[0] == " " else ""
    suffix = " " if text and text[-1] == " " else ""
    return prefix, suffix, text.strip()


def _around(text: str, parent_tags: set, mark: Callable[[str], str]) -> str:
    """``text`` marked up (its edge spaces outside the markup), unless inside code."""
    if "_noformat" in parent_tags:
        return text
    prefix, suffix, inner = _chomp(text)
    return prefix + mark(inner) + suffix if inner else ""


def _code(text: str) -> str:
    """A code span around ``text``: one backtick more than its longest run."""
    longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0)
    delimiter = "`" * (longest + 1)
    if longest > 0:
        text = " " + text + " "
    return delimiter + text + delimiter


class DefaultConverters:
    """markdownify's own converters where migrator keeps them, and its converter lookup."""

    convert_fn_cache: dict[str, Any]

    def get_conv_fn_cached(self, name: str) -> Any:
        """The converter of elements named ``name`` (``convert_<name>``; ``convert_hN`` for
        ``hN``), or None."""
        cache = self.convert_fn_cache
        if name not in cache:
            cache[name] = self._get_conv_fn(name)
        return cache[name]

    def _get_conv_fn(self, name: str) -> Any:
        name = name.lower()
        fn = getattr(self, "convert_" + _FN_NAME.sub("_", name), None)
        if fn:
            return fn
        match = _HEADING.match(name)
        if match:
            n = int(match.group(1))
            return lambda el, text, parent_tags: self.convert_hN(n, el, text, parent_tags)  # type: ignore[attr-defined]
        return None

    def convert_b(self, el: Any, text: str, parent_tags: set) -> str:
        return _around(text, parent_tags, lambda inner: f"**{inner}**")

    convert_strong = convert_b

    def convert_kbd(self, el: Any, text: str, parent_tags: set) -> str:
        # a code span's line endings are spaces (CommonMark); written as spaces, no line of the
        # span can start an HTML block (``<kbd>`` around ``<br>&lt;script&gt;`` was a tag again)
        return _around(text, parent_tags, lambda inner: _code(inner.replace("\n", " ")))

    convert_samp = convert_kbd

    def convert_dd(self, el: Any, text: str, parent_tags: set) -> str:
        text = (text or "").strip()
        if "_inline" in parent_tags:
            return " " + text + " "
        if not text:
            return "\n"
        text = _LINE.sub(lambda m: "    " + m.group(1) if m.group(1) else "", text)
        return ":" + text[1:] + "\n"

    def convert_dt(self, el: Any, text: str, parent_tags: set) -> str:
        text = _ALL_WS.sub(" ", (text or "").strip())
        if "_inline" in parent_tags:
            return " " + text + " "
        if not text:
            return "\n"
        return "\n\n" + text + "\n"
