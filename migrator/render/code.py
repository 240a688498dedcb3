"""Code: fenced blocks verbatim with their language, inline code spans."""

from __future__ import annotations

import html
import re

from typing import Any

from .escaping import BR
from .inline import INLINE_WRAPPERS
from .nodes import find_tag, find_tags, get_text, replace_with_text

_LANG_CLASS = re.compile(r"^(?:language|lang|brush|highlight|sourceCode)[-:]?([\w+#.-]+)$", re.I)
_BRUSH = re.compile(r"brush\s*:\s*([\w+#.-]+)", re.I)


def code_language(el: Any) -> str:
    """Language of a <pre>/<code> from its classes (language-x, lang:x, brush: x, ...)."""
    for node in (el, find_tag(el, "code")):
        if node is None:
            continue
        classes = (node.get("class") or "").split()
        for cls in classes:
            m = _LANG_CLASS.match(cls)
            if m and m.group(1).lower() not in ("none", "plain", "text", "auto"):
                return m.group(1).lower()
        m = _BRUSH.search(" ".join(classes))
        if m:
            return m.group(1).lower()
        lang = node.get("data-lang") or node.get("data-language") or node.get("lang")
        if lang and isinstance(lang, str) and re.fullmatch(r"[\w+#.-]+", lang):
            return lang.lower()
    return ""


def fence(code: str, lang: str = "") -> str:
    """A fenced code block holding ``code`` verbatim (an empty one for ``""``)."""
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{code}\n{ticks}" if code else f"{ticks}{lang}\n{ticks}"


def code_span(code: str) -> str:
    """An inline code span showing ``code`` exactly: a backtick run the code does not hold as
    delimiter, and a space of padding inside it where CommonMark would otherwise strip the code's
    own edge spaces or merge its edge backticks with the delimiter."""
    if not code:
        return ""
    runs = {len(m) for m in re.findall(r"`+", code)}
    n = 1
    while n in runs:
        n += 1
    ticks = "`" * n
    pad = code[0] == "`" or code[-1] == "`" or (code[0] == " " and code[-1] == " " and code.strip(" ") != "")
    return f"{ticks} {code} {ticks}" if pad else f"{ticks}{code}{ticks}"


class CodeConverter:
    """``<pre>`` and ``<code>``."""

    def convert_pre(self, el, text, parent_tags):
        for br in find_tags(el, ("br",)):
            replace_with_text(br, "\n")
        first = el.text or (el[0].text if len(el) and not isinstance(el[0].tag, str) else "")
        code = get_text(el).replace(BR, "\n")
        if first and first.startswith("\n"):
            code = code[1:]  # HTML drops a newline right after <pre> (not after <pre><code>)
        if code.endswith("\n"):
            code = code[:-1]  # the last line's end: a fence ends its last line itself
        if parent_tags & INLINE_WRAPPERS:
            # in a link or emphasis a fence would not start its line: no code block, and the code
            # read as Markdown and raw HTML (``&lt;script&gt;`` a tag again); HTML on one line
            return "<pre><code>" + html.escape(code, quote=False).replace("\n", "&#10;") + "</code></pre>"
        return "\n\n" + fence(code, code_language(el)) + "\n\n"

    def convert_code(self, el, text, parent_tags):
        if "pre" in parent_tags or "_noformat" in parent_tags:
            return text
        text = get_text(el, blank_runs=True)
        return code_span(text.replace("\r\n", " ").replace("\n", " ").replace(BR, " "))
