"""The chrome vocabulary: lines a page shows around its posts, as text.

Every rule says where its phrase comes from (``origin``):

* ``wordpress`` -- a string of WordPress itself, its bundled themes or WordPress.com/Jetpack
  (translatable strings such as "Leave a Reply", "Posted on", "Skip to content");
* ``browser`` -- what a browser makes of a page element when it is copied as text (w3m's
  form fields ``[    ]``, rules ``━━━``, image placeholders ``[name]``);
* ``themes`` -- a phrase that third-party themes print; such a rule is kept only if the phrase
  occurs in at least two different themes of the measuring corpus (checked by a test), so no
  rule exists that only one theme needs.

A rule's ``kind`` says what the line means for the post around it:

* ``line``: drop this line only (share buttons, edit links, sticky labels);
* ``end``: the post's own text is over (share and like blocks, post navigation, related
  posts, subscription boxes, search, footers): the lines after it are chrome until the next post;
* ``comments``: the comment section starts (an ``end`` after which no post starts on a page
  that holds one post);
* ``widget``: a sidebar widget heading ("Archives"): an ``end`` only when no prose follows;
* ``more``: a "Read more" link, which ends an excerpt;
* ``site``: site chrome (menus, breadcrumbs), only ever removed outside posts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    origin: str
    rx: re.Pattern


def _r(name: str, kind: str, origin: str, pattern: str) -> Rule:
    return Rule(name, kind, origin, re.compile(rf"^(?:{pattern})$", re.I))


_NETWORKS = (
    r"twitter|x|facebook|linkedin|pinterest|tumblr|reddit|whatsapp|telegram|pocket|email|e-mail"
    r"|print|skype|mastodon|threads|bluesky|google\+?|press this|more|share"
)

RULES: list[Rule] = [
    _r(
        "skip-link",
        "line",
        "wordpress",
        r"skip (?:to|navigation)(?: the)?(?: main| primary)? ?(?:content|navigation|menu|footer|sidebar)?"
        r"|jump to (?:content|navigation)",
    ),
    _r("share", "end", "wordpress", r"share this:?|share this (?:post|article|story):?|share:|share on:?"),
    _r(
        "share",
        "line",
        "wordpress",
        r"(?:share|post|pin|send)(?: it)? (?:on|to|via) (?:" + _NETWORKS + r")(?: \(opens in new window\))?"
        r"|click to (?:share|email|print)[^.]*(?:\(opens in new window\))?|tweet(?: this| on twitter)?|pin it"
        r"|(?:" + _NETWORKS + r") \(opens in new window\)"
        r"|twitter|facebook|linkedin|pinterest|tumblr|reddit|whatsapp|telegram|pocket|email|print|mastodon|bluesky",
    ),
    _r("like", "end", "wordpress", r"like this:?"),
    _r(
        "like",
        "line",
        "wordpress",
        r"like loading\.*…?|loading\.*…?|liked by \d+ (?:people|person|bloggers?)|be the first to like this\.?",
    ),
    _r("ads", "line", "wordpress", r"advertisements?|report this ad|sponsored(?: content)?"),
    _r("edit-link", "line", "wordpress", r"\(?edit\)?(?: (?:“.+”|\".+\"|post|page))?"),
    _r("sticky-label", "line", "wordpress", r"featured(?: post)?|sticky(?: post)?"),
    _r(
        "more-link",
        "more",
        "wordpress",
        r"continue reading(?:.{0,200})?|read more(?: »| →|\.\.\.|…| about .{1,200})?|read the rest of this entry ?»?"
        r"|\(more…\)|\(more\.\.\.\)",
    ),
    _r(
        "related",
        "widget",
        "wordpress",
        r"related(?: posts| articles| stories| reading)?:?|you (?:may|might) also like:?|similar posts:?"
        r"|more (?:stories|posts) (?:from|like this).*|read next|recommended(?: for you)?:?",
    ),
    _r(
        "navigation",
        "end",
        "wordpress",
        r"posts? navigation|(?:[«←] )?(?:go to (?:the )?)?(?:previous|next|older|newer) (?:post|posts|entries|page)(?: ?[»→])?"
        r"|(?:[«←] )?older entries|newer entries(?: [»→])?|page \d+ of \d+"
        r"|(?:page )?\d+ (?:(?:page )?\d+ |… )*(?:… (?:page )?\d+ )?(?:next|older posts)(?: page)?(?: ?[»→])?",
    ),
    _r(
        "comments",
        "comments",
        "wordpress",
        r"(?:\d+|one|two|three|no) (?:thoughts?|responses?|repl(?:y|ies)|comments?) (?:on|to) .+"
        r"|leave a (?:reply|comment)(?: cancel reply)?|comments are closed\.?"
        r"|you must be logged in to post a comment\.?|cancel reply|post a comment|join the discussion"
        r"|\d+ comments?",
    ),
    _r(
        "comment-form",
        "comments",
        "wordpress",
        r"your email address will not be published\.?(?: required fields are marked \*)?|required fields are marked \*"
        r"|(?:\[ *\] )?save my name, email, and website in this browser for the next time i comment\.?"
        r"|\[?post comment\]?|logged in as .{1,60}\. log out\?.*|(?:comment|name|email|website) \*?(?: \[ *\])?",
    ),
    _r(
        "follow",
        "end",
        "wordpress",
        r"get every new post delivered to your inbox\.?|join (?:[\d,]+ )?other (?:followers|subscribers)"
        r"|follow(?:ing)?|follow (?:this )?blog(?: via email)?|subscribe(?: via email| to (?:this )?blog.*)?|sign me up!?"
        r"|enter your email address to (?:follow|subscribe).*|reblog|customi[sz]e|build a website with wordpress\.com"
        r"|already have a wordpress\.com account\?.*",
    ),
    _r(
        "footer",
        "end",
        "wordpress",
        r"blog at wordpress\.com\.?|create a free website or blog at wordpress\.com\.?|(?:proudly )?powered by wordpress\.?"
        r"|.{0,80}\bproudly powered by wordpress.*|theme:? [^.]{1,60} by [^.]{1,60}\.?"
        r"|(?:©|\(c\)|copyright(?: ©)?) ?(?:\d{4}|©).{0,120}"
        r"|privacy & cookies:.*|close and accept|entries \(rss\) and comments \(rss\)\.?|back to top",
    ),
    _r(
        "search",
        "end",
        "wordpress",
        r"search(?: for)?:?|search this (?:site|blog|website)|search …|type your search.*|to search type and hit enter"
        r"|search results for.*",
    ),
    _r(
        "sidebar",
        "widget",
        "wordpress",
        r"recent (?:posts|comments|entries)|archives?|categories|meta|blogroll|links|tags|tag cloud|calendar"
        r"|pages|top posts(?: & pages)?|popular (?:posts|articles)|blog stats|about(?: me| us| the author| this blog)?"
        r"|follow me on .{1,20}|find us on .{1,20}|instagram|newsletter|contact(?: me| us)?",
    ),
    # w3m: a text field "[      ]" (with its label), a checkbox "[ ] label", a button "[Log In]"
    _r(
        "form",
        "line",
        "browser",
        r"[^\[\]]{0,60}\[ {2,}\][^\[\]]{0,80}|\[ \] .{0,160}|(?-i:\[[A-Z][A-Za-z ]{1,30}\]) ?",
    ),
    _r("rule", "line", "browser", r"[━─—=_*-]{5,}"),
    _r(
        "page-links", "line", "wordpress", r"pages?:?(?:,? (?:page )?\d{1,3})+|(?:page )?\d{1,3}|…|\.\.\."
    ),  # wp_link_pages, pagination
    _r("breadcrumbs", "line", "wordpress", r"home ?[»›>/].*|you are here:.*"),
]

SITE_RULES: list[Rule] = [
    _r(
        "menu",
        "site",
        "wordpress",
        r"(?:primary |main |mobile |top |secondary )?(?:menu|navigation)"
        r"|(?:expand|collapse)(?: child)? menu|home|about(?: me| us)?|contact(?: me| us)?|blog|shop|news",
    ),
    _r("breadcrumbs", "site", "wordpress", r"home ?[»›>/].*|you are here:.*"),
]

_disabled: frozenset[str] = frozenset()


@contextmanager
def disabled_rules(patterns: set[str]) -> Iterator[None]:
    """Run with some rules switched off (by pattern text): the leave-one-theme-out benchmark
    measures a theme without the rules that only it attests."""
    global _disabled
    saved = _disabled
    _disabled = frozenset(patterns)
    try:
        yield
    finally:
        _disabled = saved


def active(rules: list[Rule]) -> list[Rule]:
    return [r for r in rules if r.rx.pattern not in _disabled] if _disabled else rules


def rule_for(norm: str, item: str | None = None) -> Rule | None:
    """The first chrome rule a (normalised) line matches; ``item``: the text of a list item
    without its bullet, which ``line`` rules (share buttons, breadcrumbs) and post navigation
    also match."""
    return _rule_for(norm, item, _disabled)


@lru_cache(maxsize=16384)
def _rule_for(norm: str, item: str | None, disabled: frozenset[str]) -> Rule | None:
    for rule in active(RULES):
        if rule.rx.match(norm) or (
            item is not None and (rule.kind == "line" or rule.name == "navigation") and rule.rx.match(item)
        ):
            return rule
    return None


def site_rule(norm: str) -> bool:
    """Is this line site chrome (a menu item, breadcrumbs) when it stands outside a post?"""
    return any(rule.rx.match(norm) for rule in active(SITE_RULES))


def site_rule_name(norm: str) -> str:
    """A name for a line removed outside any post."""
    for rule in active(SITE_RULES + RULES):
        if rule.rx.match(norm):
            return rule.name
    return "site-header"
