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
BLOCK_NAMES = (
    "table", "thead", "tfoot", "caption", "col", "colgroup", "tbody", "tr", "td", "th", "div", "dl", "dd", "dt",
    "ul", "ol", "li", "pre", "form", "map", "area", "blockquote", "address", "style", "p", "h[1-6]", "hr",
    "fieldset", "legend", "section", "article", "aside", "hgroup", "header", "footer", "nav", "figure",
    "figcaption", "details", "menu", "summary",
)  # fmt: skip


def _by_first_letter(names: tuple[str, ...]) -> str:
    """An alternation of ``names`` grouped by first letter (``t(?:able|head|...)``): the same
    matches as ``(?:table|thead|...)`` wherever a name is followed by what ends it, tried in
    fewer steps at each ``<``."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name[0], []).append(name[1:])
    branches = []
    for first, rests in groups.items():
        if rests == [""]:
            branches.append(first)
        else:
            branches.append(first + "(?:" + "|".join(rest for rest in sorted(rests, key=len, reverse=True)) + ")")
    return "(?:" + "|".join(branches) + ")"


ALLBLOCKS = _by_first_letter(BLOCK_NAMES)

# get_html_split_regex(): an HTML comment, a CDATA section, or any other tag (possibly unclosed).
_COMMENT = r"!--(?:-(?!->)|[^-])*+(?:-->)?"
_CDATA = r"!\[CDATA\[[^\]]*+(?:\](?!\]>)[^\]]*+)*+(?:\]\]>)?"
HTML_SPLIT_RE = re.compile(r"(<(?:(?=!--)" + _COMMENT + r"|(?=!\[CDATA\[)" + _CDATA + r"|[^>]*>?))")

_BR_PAIR_RE = re.compile(r"<br\s*/?>\s*<br\s*/?>")
# WordPress's "(<ALLBLOCKS[\s/>])" -> "\n\n$1" as the "<" such a tag starts (no match of it holds
# another "<"): a fixed replacement, which needs no call per match.
_BLOCK_OPEN_RE = re.compile(r"<(?=" + ALLBLOCKS + r"[\s/>])")
_BLOCK_CLOSE_RE = re.compile(r"(</" + ALLBLOCKS + r">)")
_HR_RE = re.compile(r"(<hr\s*?/?>)")
_PRESERVE_RE = re.compile(r"<(script|style|svg|math|textarea)(?![\w-]).*?</\1>", re.S)
_SPACES_RE = re.compile(r"\s*")
# A newline with whitespace before or after it (found from each newline: "\n" comes first).
_SPACE_BY_NEWLINE_RE = re.compile(r"\n(?:(?<=\s\n)|\s)")
_NEWLINE_MARK = "<WPPreserveNewline />"
_WPNL = " <!-- wpnl --> "


def html_split(text: str) -> list[str]:
    """``wp_html_split()``: text and tags alternating; odd indexes are tags/comments."""
    return HTML_SPLIT_RE.split(text)


def html_text(text: str) -> str:
    """The text nodes of :func:`html_split` joined: every tag, comment and CDATA section taken
    out (without making the list)."""
    return HTML_SPLIT_RE.sub("", text)


# A "<" with a newline before the next ">": where a tag (not a comment or CDATA section, which
# may hold a ">") of html_split() holding a newline starts, if one does.
_NEWLINE_BEFORE_GT_RE = re.compile(r"<[^>\n]*+\n")


def _newline_in_tags(text: str) -> bool:
    """Whether a tag, comment or CDATA section of :func:`html_split` may hold a newline: False only
    when none does.  A tag ends at its first ``>``; a comment at the first ``-->`` after its
    ``<!--``, a CDATA section at the first ``]]>`` after its ``<![CDATA[`` (each, looked at from
    every such opener, even one inside another tag, where it starts nothing)."""
    if _NEWLINE_BEFORE_GT_RE.search(text):
        return True
    for opener, closer in (("<!--", "-->"), ("<![CDATA[", "]]>")):
        start = text.find(opener)
        while start != -1:
            end = text.find(closer, start + len(opener))
            if text.find("\n", start, len(text) if end == -1 else end) != -1:
                return True
            start = text.find(opener, start + 1)
    return False


def replace_in_html_tags(text: str, needle: str, replacement: str) -> str:
    """``wp_replace_in_html_tags()`` for one pair: replace only inside tags and comments."""
    if needle == "\n" and not _newline_in_tags(text):
        return text
    parts = html_split(text)
    for i in range(1, len(parts), 2):
        if needle in parts[i]:
            parts[i] = parts[i].replace(needle, replacement)
    return "".join(parts)


def _newlines_to_br(text: str) -> str:
    """WordPress's ``preg_replace('|(?<!<br />)\\s*\\n|', "<br />\\n", $text)``, found from the
    newlines rather than tried at every space: in a run of whitespace holding a newline, what
    goes from the run's start (its second character after a ``<br />``) to its last newline
    becomes ``<br />\\n``; the spaces after that newline stay."""
    if not _SPACE_BY_NEWLINE_RE.search(text):  # each run is one newline: after a <br />, it stays
        return text.replace("\n", "<br />\n").replace("<br /><br />\n", "<br />\n")
    out: list[str] = []
    copied = 0  # text before this is in out
    newline = text.find("\n")
    while newline != -1:
        start = newline
        while start > copied and text[start - 1].isspace():
            start -= 1
        end = _SPACES_RE.match(text, newline).end()
        if start >= 6 and text[start - 6 : start] == "<br />":
            start += 1
        last = text.rfind("\n", start, end)
        if last != -1:
            out.append(text[copied:start])
            out.append("<br />\n")
            copied = last + 1
        newline = text.find("\n", end)
    out.append(text[copied:])
    return "".join(out)


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


def _group1(m: re.Match) -> str:
    return m.group(1)


def _after_block_closers(text: str) -> str:
    """WordPress's ``(</ALLBLOCKS>)`` -> ``$1\n\n``: a blank line after each closing block tag."""
    parts = _BLOCK_CLOSE_RE.split(text)
    parts[1::2] = [tag + "\n\n" for tag in parts[1::2]]
    return "".join(parts)


def _last_p(text: str) -> str:
    """WordPress's ``\n</p>$`` -> ``</p>``: ``$`` is the end or before a newline ending the
    text, the only two places it can match."""
    if text.endswith("\n</p>"):
        return text[:-5] + "</p>"
    if text.endswith("\n</p>\n"):
        return text[:-6] + "</p>\n"
    return text


# The patterns of wpautop()'s steps, in its order.
_OPTION_BEFORE_RE = re.compile(r"\s*<option")
_OPTION_AFTER_RE = re.compile(r"</option>\s*")
_OBJECT_OPEN_RE = re.compile(r"(<object[^>]*>)\s*")
_OBJECT_CLOSE_RE = re.compile(r"\s*</object>")
_OBJECT_INNER_RE = re.compile(r"\s*(</?(?:param|embed)[^>]*>)\s*")
_MEDIA_OPEN_RE = re.compile(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*")
_MEDIA_CLOSE_RE = re.compile(r"\s*([<\[]/(?:audio|video)[>\]])")
_MEDIA_INNER_RE = re.compile(r"\s*(<(?:source|track)[^>]*>)\s*")
_FIGCAPTION_OPEN_RE = re.compile(r"\s*(<figcaption[^>]*>)")
_FIGCAPTION_CLOSE_RE = re.compile(r"</figcaption>\s*")
_NEWLINES_RE = re.compile(r"\n\n+")
_PARAGRAPH_SPLIT_RE = re.compile(r"\n\s*\n")
_EMPTY_P_RE = re.compile(r"<p>\s*</p>")
_UNCLOSED_P_RE = re.compile(r"<p>([^<]+)</(div|address|form)>")
_P_AROUND_BLOCK_RE = re.compile(r"<p>\s*(</?" + ALLBLOCKS + r"[^>]*>)\s*</p>")
_P_AROUND_LI_RE = re.compile(r"<p>(<li.+?)</p>")
_P_BLOCKQUOTE_RE = re.compile(r"<p><blockquote([^>]*)>", re.I)
_P_BEFORE_BLOCK_RE = re.compile(r"<p>\s*(</?" + ALLBLOCKS + r"[^>]*>)")
# WordPress's "(</?ALLBLOCKS[^>]*>)\s*</p>", its tag's end looked at (the same ">" as the
# pattern's) before the tag's name among the block names: most tags are followed by no "</p>".
_P_AFTER_BLOCK_RE = re.compile(r"(<(?=[^>]*>\s*</p>)/?" + ALLBLOCKS + r"[^>]*>)\s*</p>")
_BR_AFTER_BLOCK_RE = re.compile(r"(</?" + ALLBLOCKS + r"[^>]*>)\s*<br />")
_BR_BEFORE_BLOCK_RE = re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)")
_PRESERVED = ("<script", "<style", "<svg", "<math", "<textarea")
#: The tags the optional steps below need (each skipped without them), found in one search:
#: the steps before them neither make nor break one.
_STEP_TAGS_RE = re.compile(
    r"<(?:br|hr|option|/object>|source|track|figcaption|/div>|/address>|/form>|li|/blockquote>"
    r"|script|style|svg|math|textarea)"
)


def wpautop(text: str, br: bool = True) -> str:
    """Turn double line breaks into paragraphs and single ones into ``<br />`` like WordPress.

    Each step is WordPress's; a step is skipped where the text lacks what its pattern needs
    (``if "<br" in tags``), which changes nothing but the time it takes."""
    if not text or text.isspace():
        return ""
    text = text + "\n"
    text, pre_tags = _protect_pre(text)
    tags = set(_STEP_TAGS_RE.findall(text))

    if "<br" in tags:
        text = _BR_PAIR_RE.sub("\n\n", text)
    text = _BLOCK_OPEN_RE.sub("\n\n<", text)
    text = _after_block_closers(text)
    if "<hr" in tags:
        text = _HR_RE.sub(lambda m: m.group(1) + "\n\n", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")

    # Newlines inside tags (attributes, comments) must not become paragraphs.
    text = replace_in_html_tags(text, "\n", _WPNL)

    if "<option" in tags:
        text = _OPTION_BEFORE_RE.sub("<option", text)
        text = _OPTION_AFTER_RE.sub("</option>", text)
    if "</object>" in tags:
        text = _OBJECT_OPEN_RE.sub(_group1, text)
        text = _OBJECT_CLOSE_RE.sub("</object>", text)
        text = _OBJECT_INNER_RE.sub(_group1, text)
    if "<source" in tags or "<track" in tags:
        text = _MEDIA_OPEN_RE.sub(_group1, text)
        text = _MEDIA_CLOSE_RE.sub(_group1, text)
        text = _MEDIA_INNER_RE.sub(_group1, text)
    if "<figcaption" in tags:
        text = _FIGCAPTION_OPEN_RE.sub(_group1, text)
        text = _FIGCAPTION_CLOSE_RE.sub("</figcaption>", text)

    if "\n\n\n" in text:
        text = _NEWLINES_RE.sub("\n\n", text)
    paragraphs = [p for p in _PARAGRAPH_SPLIT_RE.split(text) if p]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)

    text = _EMPTY_P_RE.sub("", text)
    if "</div>" in tags or "</address>" in tags or "</form>" in tags:
        text = _UNCLOSED_P_RE.sub(r"<p>\1</p></\2>", text)
    text = _P_AROUND_BLOCK_RE.sub(_group1, text)
    if "<li" in tags and "<p><li" in text:
        text = _P_AROUND_LI_RE.sub(_group1, text)
    if "<p><" in text or "<P><" in text:
        text = _P_BLOCKQUOTE_RE.sub(r"<blockquote\1><p>", text)
    if "</blockquote>" in tags:
        text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _P_BEFORE_BLOCK_RE.sub(_group1, text)
    text = _P_AFTER_BLOCK_RE.sub(_group1, text)

    if br:
        if not tags.isdisjoint(_PRESERVED):
            text = _PRESERVE_RE.sub(lambda m: m.group(0).replace("\n", _NEWLINE_MARK), text)
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = _newlines_to_br(text)
        text = text.replace(_NEWLINE_MARK, "\n")

    if "<br />" in text:
        text = _BR_AFTER_BLOCK_RE.sub(_group1, text)
        text = _BR_BEFORE_BLOCK_RE.sub(_group1, text)
    text = _last_p(text)

    for name, original in pre_tags.items():
        text = text.replace(name, original)
    if "<!-- wpnl -->" in text:
        text = text.replace(_WPNL, "\n").replace("<!-- wpnl -->", "\n")
    return text
