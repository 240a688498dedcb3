"""Code shortcodes: ``[code]``, ``[sourcecode]``, ``[source]`` and the 58 language-named ones
(``[php]``, ``[python]``, ...) of SyntaxHighlighter Evolved and WordPress.com.

Each becomes ``<pre><code class="language-X">`` holding the code, its stored entities decoded
once.  They are registered as code shortcodes (``code=True``): their content is protected from
every other filter (:mod:`.placeholders`).
"""

from __future__ import annotations

import html
import re

from ..context import Context
from .markup import esc
from .registry import Attrs, Handler

#: Language-named shortcodes and the language class they produce.
CODE_LANGUAGES: dict[str, str] = {
    "as3": "actionscript3",
    "actionscript3": "actionscript3",
    "bash": "bash",
    "shell": "bash",
    "sh": "bash",
    "c": "c",
    "cpp": "cpp",
    "csharp": "csharp",
    "c-sharp": "csharp",
    "css": "css",
    "clojure": "clojure",
    "coldfusion": "coldfusion",
    "delphi": "delphi",
    "pascal": "pascal",
    "diff": "diff",
    "patch": "diff",
    "erlang": "erlang",
    "fsharp": "fsharp",
    "go": "go",
    "golang": "go",
    "groovy": "groovy",
    "haskell": "haskell",
    "html": "html",
    "xhtml": "html",
    "java": "java",
    "javafx": "javafx",
    "javascript": "javascript",
    "js": "javascript",
    "jscript": "javascript",
    "json": "json",
    "kotlin": "kotlin",
    "latex": "latex",
    "matlab": "matlab",
    "objc": "objectivec",
    "perl": "perl",
    "pl": "perl",
    "php": "php",
    "plain": "text",
    "text": "text",
    "powershell": "powershell",
    "ps": "powershell",
    "python": "python",
    "py": "python",
    "ruby": "ruby",
    "rb": "ruby",
    "rails": "ruby",
    "rust": "rust",
    "scala": "scala",
    "sql": "sql",
    "swift": "swift",
    "typescript": "typescript",
    "ts": "typescript",
    "vb": "vbnet",
    "vbnet": "vbnet",
    "xml": "xml",
    "xslt": "xml",
    "yaml": "yaml",
    "yml": "yaml",
}
#: Generic code shortcodes, language from an attribute.
CODE_GENERIC = ("code", "sourcecode", "source")


def _language_from_attrs(attrs: Attrs) -> str:
    for key in ("language", "lang", "brush"):
        value = str(attrs.get(key, "")).strip().lower()
        if value:
            return CODE_LANGUAGES.get(value, value)
    first = str(attrs.get(0, "")).strip().lstrip("=").strip("\"'").lower()
    if re.fullmatch(r"[a-z0-9#+_-]+", first):
        return CODE_LANGUAGES.get(first, first)
    return ""


def render_code(content: str | None, language: str) -> str:
    """``<pre><code class="language-X">`` holding the code; stored entities decoded once."""
    text = (content or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    text = html.unescape(text)
    cls = f' class="language-{esc(language)}"' if re.fullmatch(r"[a-z0-9#+_.-]+", language or "") else ""
    return f"<pre><code{cls}>{esc(text)}</code></pre>"


def code_handler(attrs: Attrs, content: str | None, ctx: Context) -> str | None:
    """``[code language="php"]...[/code]`` and ``[sourcecode]``/``[source]``; without a closing
    tag nothing is code (``[text](https://…)`` in prose): the text stays as written."""
    if content is None:
        return None
    return render_code(content, _language_from_attrs(attrs))


def language_handler(language: str) -> Handler:
    """The handler of a language-named code shortcode: code in ``language`` unless its
    attributes name another."""

    def handler(attrs: Attrs, content: str | None, ctx: Context) -> str | None:
        if content is None:  # no closing tag: not code, the text stays as written
            return None
        return render_code(content, _language_from_attrs(attrs) or language)

    handler.__doc__ = f"SyntaxHighlighter ``[{language}]`` shortcode."
    return handler
