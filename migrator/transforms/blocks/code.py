"""Code blocks: ``core/code`` and the code blocks of SyntaxHighlighter Evolved and Enlighter,
all as ``<pre><code class="language-X">`` (the language from attributes, classes or markup)."""

from __future__ import annotations

import re

from .dom import attr
from .parser import Block
from .table import BlockRenderer

#: Code blocks of plugins, rendered like ``core/code``.
CODE_PLUGINS = ("syntaxhighlighter/code", "enlighter/codeblock")


def code(block: Block, r: BlockRenderer) -> str:
    """Code: the saved HTML unchanged, plus a ``language-X`` class on ``<code>`` when known."""
    markup = r.content(block)
    lang = _code_language(block.attrs, markup)
    if block.name != "core/code":
        body = _pre_body(markup)
        cls = f' class="language-{attr(lang)}"' if lang else ""
        return f'<pre class="wp-block-code"><code{cls}>{body}</code></pre>'
    if not lang:
        return markup
    m = re.search(r"<code\b([^>]*)>", markup)
    if m is None:
        return markup
    attrs = m.group(1)
    if re.search(r"""class\s*=\s*["'][^"']*\blang(?:uage)?-""", attrs):
        return markup
    cm = re.search(r"""class\s*=\s*(["'])(.*?)\1""", attrs)
    if cm:
        new_attrs = attrs[: cm.start(2)] + f"language-{attr(lang)} " + attrs[cm.start(2) :]
    else:
        new_attrs = f' class="language-{attr(lang)}"' + attrs
    return markup[: m.start()] + f"<code{new_attrs}>" + markup[m.end() :]


def _code_language(attrs: dict, markup: str) -> str:
    """The language of a code block from its JSON attributes, class names or saved HTML."""
    for key in ("language", "lang"):
        value = attrs.get(key)
        if isinstance(value, str) and re.fullmatch(r"[\w.+#-]+", value):
            return value
    classes = attrs.get("className") if isinstance(attrs.get("className"), str) else ""
    m = re.search(r"\blang(?:uage)?-([\w.+#-]+)", classes)
    if m:
        return m.group(1)
    head = markup[: markup.find(">", markup.find("<code")) + 1] if "<code" in markup else markup[:300]
    m = re.search(r"""(?:\blang(?:uage)?-|data-(?:enlighter-)?lang(?:uage)?=["'])([\w.+#-]+)""", head)
    return m.group(1) if m else ""


def _pre_body(markup: str) -> str:
    """The escaped text inside a plugin's ``<pre>`` (without the ``<pre>`` tags themselves)."""
    m = re.search(r"<pre\b[^>]*>([\s\S]*)</pre>", markup)
    body = m.group(1) if m else markup.strip()
    c = re.fullmatch(r"\s*<code\b[^>]*>([\s\S]*)</code>\s*", body)
    return c.group(1) if c else body
