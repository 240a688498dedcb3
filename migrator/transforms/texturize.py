"""WordPress's typography filters: ``wptexturize()`` and ``capital_P_dangit()``, ported.

WordPress runs them on what it shows (``the_content``, ``the_title``, ``the_excerpt``,
``comment_text``): straight quotes become curly ones (``it's`` -> ``it’s``, ``"a"`` -> ``“a”``),
``--`` and `` - `` dashes, ``...`` an ellipsis, ``9x9`` a multiplication sign; never inside
``<pre>``, ``<code>``, ``<kbd>``, ``<style>``, ``<script>``, ``<tt>``, HTML comments, tags or
shortcode tags.  The live site's REST API gives the text so; the export gives it as typed, so the
export path runs these filters in WordPress's order (:mod:`.wordpress`) and both agree.

The regular expressions are WordPress 6.1's, rewritten where Python's ``re`` differs from PCRE:
look-behinds of one width each, ``(?(?=...)...)`` conditionals as alternatives, PHP's ``\\Z``
(before a final newline too) as ``\\n?\\Z``, ``\\d`` as ``[0-9]``.  Output uses the character
references WordPress writes (``&#8217;``), so the text stays valid HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

_SP = r"[\r\n\t \xa0]"  # wp_spaces_regexp(): whitespace, U+00A0, &nbsp;
_SPACE_OR_NBSP = rf"(?:{_SP}|&nbsp;)"
_AFTER_SPACE = rf"(?:(?<={_SP})|(?<=&nbsp;))"  # (?<=SPACES)
_NOT_AFTER_SPACE = rf"(?<!{_SP})(?<!&nbsp;)"
_END = r"\n?\Z"  # PHP's \Z

OPEN_Q, CLOSE_Q = "&#8220;", "&#8221;"
APOS, PRIME, DOUBLE_PRIME = "&#8217;", "&#8242;", "&#8243;"
OPEN_SQ, CLOSE_SQ = "&#8216;", "&#8217;"
EN_DASH, EM_DASH = "&#8211;", "&#8212;"
_OQ_FLAG, _OSQ_FLAG, _APOS_FLAG = "<!--oq-->", "<!--osq-->", "<!--apos-->"

_COCKNEY = ("'tain't", "'twere", "'twas", "'tis", "'twill", "'til", "'bout", "'nuff", "'round", "'cause", "'em")
_STATIC = [("...", "&#8230;"), ("``", OPEN_Q), ("''", CLOSE_Q), (" (tm)", " &#8482;")]
_COCKNEY_APOS = [(word, word.replace("'", APOS)) for word in _COCKNEY]  # each holds "'"

_QUOTE_END = rf"(?={_END}|[.,:;!?)}}\-\]]|&gt;|{_SPACE_OR_NBSP})"
_APOS_RULES = [
    # '99' and '99" are ambiguous: an abbreviated year at the end of a quotation
    (re.compile(rf"'([0-9][0-9])'{_QUOTE_END}"), _APOS_FLAG + r"\1" + CLOSE_SQ),
    (re.compile(rf"'([0-9][0-9])\"{_QUOTE_END}"), _APOS_FLAG + r"\1" + CLOSE_Q),
    # '99 '99s '99's (apostrophe), never '9 or '99% or '999 or '99.0
    (re.compile(rf"'(?=[0-9][0-9](?:{_END}|(?![%0-9]|[.,][0-9])))"), _APOS_FLAG),
    # quoted numbers like '0.42'
    (re.compile(rf"(?:\A|{_AFTER_SPACE})'([0-9][.,0-9]*)'"), _OSQ_FLAG + r"\1" + CLOSE_SQ),
    # a single quote at the start, or after (, {, <, [, ", - or a space
    (re.compile(rf"(?:\A|(?<=[(\[{{\"\-])|(?<=&lt;)|{_AFTER_SPACE})'"), _OSQ_FLAG),
    # an apostrophe in a word: no space, double apostrophe or other punctuation around it
    (re.compile(rf"{_NOT_AFTER_SPACE}'(?!{_END}|[.,:;!?\"'(){{}}\[\]\-]|&[lg]t;|{_SPACE_OR_NBSP})"), _APOS_FLAG),
]
_QUOTE_RULES = [
    (re.compile(rf"(?:\A|{_AFTER_SPACE})\"([0-9][.,0-9]*)\""), _OQ_FLAG + r"\1" + CLOSE_Q),
    (re.compile(rf"(?:\A|(?<=[(\[{{\-])|(?<=&lt;)|{_AFTER_SPACE})\"(?!{_SPACE_OR_NBSP})"), _OQ_FLAG),
]
_DASH_RULES = [
    (re.compile(r"---"), EM_DASH),
    (re.compile(rf"(?:\A|{_AFTER_SPACE})--(?={_END}|{_SPACE_OR_NBSP})"), EM_DASH),
    (re.compile(r"(?<!xn)--"), EN_DASH),
    (re.compile(rf"(?:\A|{_AFTER_SPACE})-(?={_END}|{_SPACE_OR_NBSP})"), EN_DASH),
]
_TIMES_HINT = re.compile(r"x(?<=[0-9]x)[0-9]")  # a digit, x, a digit: searched from each "x"
_TIMES = re.compile(r"\b(0[0-9.,]+|[1-9][0-9.,]*)x([0-9][0-9.,]*)\b", re.ASCII)
# case-insensitive after the "&" only: the search then skips ahead to each "&"
_BARE_AMP = re.compile(r"&(?!(?i:#(?:[0-9]+|x[a-f0-9]+);|[a-z1-4]{1,8};))")

_COMMENT = r"!(?:-(?!->)[^\-]*+)*+(?:-->)?"
_HTML = rf"<(?:(?=!--){_COMMENT}|(?!!--)[^>]*>?)"
NO_TEXTURIZE_TAGS = ("pre", "code", "kbd", "style", "script", "tt")
NO_TEXTURIZE_SHORTCODES = ("code",)
_NO_TEXTURIZE_TAG_STARTS = tuple(f"<{name}" for name in NO_TEXTURIZE_TAGS) + tuple(
    f"</{name}" for name in NO_TEXTURIZE_TAGS
)
_NO_TEXTURIZE_SHORTCODE_STARTS = tuple(f"[{name}" for name in NO_TEXTURIZE_SHORTCODES) + tuple(
    f"[/{name}" for name in NO_TEXTURIZE_SHORTCODES
)
_NO_TEXTURIZE_TAG_RE = re.compile("<(?:" + "|".join(NO_TEXTURIZE_TAGS) + ")")
_NAME_SCAN_RE = re.compile(r"\[/?([^<>&/\[\]\x00-\x20=]++)")


def shortcode_tag_names(text: str) -> set[str]:
    """The names written as ``[name`` or ``[/name`` in ``text``: the shortcodes wptexturize may
    have to leave alone, when registered."""
    return set(_NAME_SCAN_RE.findall(text)) if "[" in text else set()


def _shortcode_regex(names: Iterable[str]) -> str:
    tags = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    return rf"\[[/\[]?(?:{tags})(?=[\s\]/])(?:[^\[\]<>]+|<[^\[\]>]*>)*+\]\]?"


def _push_pop(token: str, stack: list[str], disabled: tuple[str, ...]) -> None:
    """``_wptexturize_pushpop_element``: track the open no-texturize elements."""
    if len(token) > 1 and token[1] != "/":
        opening, offset = True, 1
    elif not stack:
        return
    else:
        opening, offset = False, 2
    space = token.find(" ")
    name = token[offset:space] if space != -1 else token[offset:-1]
    if name in disabled:
        if opening:
            stack.append(name)
        elif stack[-1] == name:
            stack.pop()


_PRIME_FLAG = "<!--wp-prime-or-quote-->"
#: For each needle: the quote that ends a quotation, and the prime after a digit.
_PRIME_RES = {
    needle: (re.compile(re.escape(needle) + _QUOTE_END), re.compile(r"(?<=[0-9])" + re.escape(needle)))
    for needle in ("'", '"')
}
_FLAG_ALONE = re.compile(r"(?<![0-9])" + re.escape(_PRIME_FLAG))
_FLAG_AFTER_DIGIT = re.compile(r"(?<=[0-9])" + re.escape(_PRIME_FLAG))


def _primes(text: str, needle: str, prime: str, open_quote: str, close_quote: str) -> str:
    """``wptexturize_primes``: is ``7'`` seven feet or the end of a quotation?"""
    flag = _PRIME_FLAG
    quote, prime_re = _PRIME_RES[needle]
    sentences = text.split(open_quote)
    for key, sentence in enumerate(sentences):
        if needle not in sentence:
            continue
        if key != 0 and close_quote not in sentence:
            sentence, count = quote.subn(flag, sentence)
            if count > 1:
                sentence, count2 = _FLAG_ALONE.subn(close_quote, sentence)
                if count2 == 0:
                    pos = sentence.rfind(flag + ".")
                    if pos == -1:
                        pos = sentence.rfind(flag)
                    sentence = sentence[:pos] + close_quote + sentence[pos + len(flag) :]
                sentence = prime_re.sub(prime, sentence)
                sentence = _FLAG_AFTER_DIGIT.sub(prime, sentence)
                sentence = sentence.replace(flag, close_quote)
            elif count == 1:
                sentence = sentence.replace(flag, close_quote)
                sentence = prime_re.sub(prime, sentence)
            else:
                sentence = prime_re.sub(prime, sentence)
        else:
            sentence = prime_re.sub(prime, sentence)
            sentence = quote.sub(close_quote, sentence)
        if needle == '"':
            sentence = sentence.replace('"', close_quote)
        sentences[key] = sentence
    return open_quote.join(sentences)


def _quotes_and_dashes(text: str) -> str:
    """The steps of wptexturize that look at where a text node starts and ends: apostrophes,
    quotes, primes and dashes (after the static replacements, before ``9x9`` and ``&``)."""
    if "'" in text:
        for old, new in _COCKNEY_APOS:
            text = text.replace(old, new)
        for pattern, repl in _APOS_RULES:
            text = pattern.sub(repl, text)
        text = _primes(text, "'", PRIME, _OSQ_FLAG, CLOSE_SQ)
        text = text.replace(_APOS_FLAG, APOS).replace(_OSQ_FLAG, OPEN_SQ)
    if '"' in text:
        for pattern, repl in _QUOTE_RULES:
            text = pattern.sub(repl, text)
        text = _primes(text, '"', DOUBLE_PRIME, _OQ_FLAG, CLOSE_Q)
        text = text.replace(_OQ_FLAG, OPEN_Q)
    if "-" in text:
        for pattern, repl in _DASH_RULES:
            text = pattern.sub(repl, text)
    return text


def _times(joined: str) -> str:
    """``9x9`` -> ``9&#215;9`` in each node (of nodes joined by ``<``) holding a digit, an ``x``
    and a digit: the pattern, which no search can skip ahead in, runs on those nodes only."""
    out: list[str] = []
    done = 0  # joined[:done] is in out
    for hint in _TIMES_HINT.finditer(joined):
        if hint.start() < done:
            continue  # in the node just done
        start = joined.rfind("<", done, hint.start()) + 1
        end = joined.find("<", hint.end())
        end = len(joined) if end == -1 else end
        out.append(joined[done:start])
        out.append(_TIMES.sub(r"\1&#215;\2", joined[start:end]))
        done = end
    out.append(joined[done:])
    return "".join(out)


def _texturize_nodes(nodes: list[str]) -> list[str]:
    """Each text node texturized, as WordPress does one node after the other.  No node holds a
    ``<`` (it would start a tag), so the steps that look at no node's start or end (the static
    replacements, ``9x9``, a bare ``&``) run once over the nodes joined by ``<``: none of their
    matches can reach across it."""
    joined = "<".join(nodes)
    for old, new in _STATIC:
        if old[1] in joined:  # ".", "`", "'", "(": one character is found faster
            joined = joined.replace(old, new)
    if "'" in joined or '"' in joined or "-" in joined:
        joined = "<".join(map(_quotes_and_dashes, joined.split("<")))
    if "x" in joined:
        joined = _times(joined)
    if "&" in joined:
        joined = _BARE_AMP.sub("&#038;", joined)
    return joined.split("<")


def _text_nodes(parts: list[str], may_stop: bool) -> list[int]:
    """The indexes of the text nodes to texturize in ``parts`` (the split text: text nodes at
    even indexes; at odd ones a tag or comment, or a shortcode), fixing each tag's bare ``&`` on
    the way.  A text node is texturized unless blank or inside an element texturize skips,
    which a tag or shortcode opens (``_wptexturize_pushpop_element``): none can when not
    ``may_stop``."""
    parts[1::2] = [
        _BARE_AMP.sub("&#038;", p) if "&" in p and p[0] == "<" and not p.startswith("<!--") else p for p in parts[1::2]
    ]
    if not may_stop:
        return [i for i in range(0, len(parts), 2) if parts[i] and not parts[i].isspace()]
    tag_stack: list[str] = []
    sc_stack: list[str] = []
    nodes = []
    for i in range(0, len(parts), 2):
        if i:
            tag = parts[i - 1]
            if tag.startswith(_NO_TEXTURIZE_TAG_STARTS):
                _push_pop(tag, tag_stack, NO_TEXTURIZE_TAGS)
            elif tag.startswith(_NO_TEXTURIZE_SHORTCODE_STARTS) and not tag.endswith("]]"):
                _push_pop(tag, sc_stack, NO_TEXTURIZE_SHORTCODES)
        if not tag_stack and not sc_stack and parts[i] and not parts[i].isspace():
            nodes.append(i)
    return nodes


def wptexturize(text: str, shortcodes: Iterable[str] = ()) -> str:
    """``wptexturize($text)`` for HTML; ``shortcodes``: the registered shortcode names (their tags
    are left alone, and nothing inside ``[code]`` is touched)."""
    if not text:
        return text
    found = shortcode_tag_names(text).intersection(shortcodes)
    sc_regex = _shortcode_regex(found) if found else ""
    split = re.compile(f"({_HTML}|{sc_regex})" if sc_regex else f"({_HTML})")
    parts = split.split(text)
    may_stop = "code" in found or _NO_TEXTURIZE_TAG_RE.search(text) is not None
    nodes = _text_nodes(parts, may_stop)
    if nodes:
        for i, node in zip(nodes, _texturize_nodes([parts[i] for i in nodes]), strict=True):
            parts[i] = node
    return "".join(parts)


def capital_p_dangit(text: str, title: bool = False) -> str:
    """``capital_P_dangit()``: "Wordpress" -> "WordPress" (in titles everywhere, in content after a
    space, an opening quote, ``>`` or ``(``)."""
    if "Wordpress" not in text:
        return text
    if title:
        return text.replace("Wordpress", "WordPress")
    for before in (" ", OPEN_SQ, OPEN_Q, ">", "("):
        text = text.replace(before + "Wordpress", before + "WordPress")
    return text


def texturize_plain(text: str) -> str:
    """A plain-text title the way ``the_title`` shows it (wptexturize, trim, capital_P_dangit),
    as plain text again."""
    if not text:
        return text
    shown = wptexturize(html.escape(text, quote=False)).strip()
    return capital_p_dangit(html.unescape(shown), title=True)
