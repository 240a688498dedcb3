"""A port of WordPress's ``wpautop()`` (wp-includes/formatting.php).

The steps, their order and the regular expressions follow current WordPress so that stored
classic-editor content becomes the same HTML WordPress serves.  Differences, all deliberate:

* ``<textarea>`` is protected from ``<br />`` insertion like ``<script>``, ``<style>``, ``<svg>``
  and ``<math>`` (WordPress would turn its newlines into ``<br />`` which a textarea shows
  literally).

``shortcode_unautop()`` lives with the shortcode grammar (:mod:`.shortcodes.grammar`): it needs
the registered names, and this module needs nothing of shortcodes.
"""

from __future__ import annotations

import re

#: Block-level elements (WordPress's ``$allblocks``).
ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article"
    r"|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)

# get_html_split_regex(): an HTML comment, a CDATA section, or any other tag (possibly unclosed).
_COMMENT = r"!--(?:-(?!->)|[^-])*+(?:-->)?"
_CDATA = r"!\[CDATA\[[^\]]*+(?:\](?!\]>)[^\]]*+)*+(?:\]\]>)?"
HTML_SPLIT_RE = re.compile(r"(<(?:(?=!--)" + _COMMENT + r"|(?=!\[CDATA\[)" + _CDATA + r"|[^>]*>?))")

_BR_PAIR_RE = re.compile(r"<br\s*/?>\s*<br\s*/?>")
_BLOCK_OPEN_RE = re.compile(r"(<" + ALLBLOCKS + r"[\s/>])")
_BLOCK_CLOSE_RE = re.compile(r"(</" + ALLBLOCKS + r">)")
_HR_RE = re.compile(r"(<hr\s*?/?>)")
_PRESERVE_RE = re.compile(r"<(script|style|svg|math|textarea)(?![\w-]).*?</\1>", re.S)
# WordPress's ``(?<!<br />)\s*\n``: the same matches, written to start with a whitespace
# character (every match does) so the regex engine skips ahead to candidates, with the
# lookbehind moved after that character; ``(?<=\n)`` ends the match at the run's last newline.
_NEWLINE_TO_BR_RE = re.compile(r"\s(?<!<br />\s)\s*(?<=\n)")
_NEWLINE_MARK = "<WPPreserveNewline />"
_WPNL = " <!-- wpnl --> "


def html_split(text: str) -> list[str]:
    """``wp_html_split()``: text and tags alternating; odd indexes are tags/comments."""
    return HTML_SPLIT_RE.split(text)


def replace_in_html_tags(text: str, needle: str, replacement: str) -> str:
    """``wp_replace_in_html_tags()`` for one pair: replace only inside tags and comments."""
    parts = html_split(text)
    for i in range(1, len(parts), 2):
        if needle in parts[i]:
            parts[i] = parts[i].replace(needle, replacement)
    return "".join(parts)


def _protect_pre(text: str) -> tuple[str, dict[str, str]]:
    """Swap every ``<pre>...</pre>`` for a placeholder, exactly as WordPress does."""
    if "<pre" not in text:
        return text, {}
    parts = text.split("</pre>")
    last = parts.pop()
    out: list[str] = []
    saved: dict[str, str] = {}
    for part in parts:
        start = part.find("<pre")
        if start == -1:  # malformed HTML: a stray </pre> is dropped, as WordPress does
            out.append(part)
            continue
        name = f"<pre wp-pre-tag-{len(saved)}></pre>"
        saved[name] = part[start:] + "</pre>"
        out.append(part[:start] + name)
    out.append(last)
    return "".join(out), saved


def wpautop(text: str, br: bool = True) -> str:
    """Turn double line breaks into paragraphs and single ones into ``<br />`` like WordPress."""
    if text.strip() == "":
        return ""
    text = text + "\n"
    text, pre_tags = _protect_pre(text)

    text = _BR_PAIR_RE.sub("\n\n", text)
    text = _BLOCK_OPEN_RE.sub(lambda m: "\n\n" + m.group(1), text)
    text = _BLOCK_CLOSE_RE.sub(lambda m: m.group(1) + "\n\n", text)
    text = _HR_RE.sub(lambda m: m.group(1) + "\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    # Newlines inside tags (attributes, comments) must not become paragraphs.
    text = replace_in_html_tags(text, "\n", _WPNL)

    if "<option" in text:
        text = re.sub(r"\s*<option", "<option", text)
        text = re.sub(r"</option>\s*", "</option>", text)
    if "</object>" in text:
        text = re.sub(r"(<object[^>]*>)\s*", r"\1", text)
        text = re.sub(r"\s*</object>", "</object>", text)
        text = re.sub(r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1", text)
    if "<source" in text or "<track" in text:
        text = re.sub(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1", text)
        text = re.sub(r"\s*([<\[]/(?:audio|video)[>\]])", r"\1", text)
        text = re.sub(r"\s*(<(?:source|track)[^>]*>)\s*", r"\1", text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)

    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)

    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(r"<p>\s*(</?" + ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(r"<p>\s*(</?" + ALLBLOCKS + r"[^>]*>)", r"\1", text)
    text = re.sub(r"(</?" + ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text)

    if br:
        text = _PRESERVE_RE.sub(lambda m: m.group(0).replace("\n", _NEWLINE_MARK), text)
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = _NEWLINE_TO_BR_RE.sub("<br />\n", text)
        text = text.replace(_NEWLINE_MARK, "\n")

    text = re.sub(r"(</?" + ALLBLOCKS + r"[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)

    for name, original in pre_tags.items():
        text = text.replace(name, original)
    if "<!-- wpnl -->" in text:
        text = text.replace(_WPNL, "\n").replace("<!-- wpnl -->", "\n")
    return text
