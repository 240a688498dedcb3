"""What only works on the running WordPress is not content: forms and WordPress's interactive
widgets, and icons that only decorate.

A live site's rendered content (and a saved page) holds the comment form (``comment_form()``: the
"Leave a Reply" title, its "Cancel reply" link, the Name/Email labels), search and login forms,
the Login/out block's link back to ``wp-login.php``.  None of it can work on a static site, and an
export does not have it (they are dynamic blocks there), so it is removed, reported once
(``interactive-removed``).  Decorative SVG icons (``aria-hidden``, or without any text, inside a
link or a button) go too: they carry no text and would break the Markdown link around them.

Avatars (``get_avatar()``: ``<img class="avatar ...">`` in comment lists, the Avatar and Latest
Comments blocks) are named by a hash of the person's e-mail address (Gravatar); like the address
itself they never reach the output (``avatar-removed``), as on the export path, which has none.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from .context import Context

#: Class names of WordPress's interactive wrappers: the comment form, the Login/out block.
INTERACTIVE_CLASSES = ("comment-respond", "wp-block-loginout")
#: Elements that only work where they were served.
INTERACTIVE_ELEMENTS = ("form",)
#: Controls of a form written in a post's own content: the form's text (headings, paragraphs,
#: labels) is the author's and is kept, the controls go.
FORM_CONTROLS = ("input", "select", "textarea", "button")
#: How WordPress's own forms (comments, search, login) are told apart from an author's form.
_WP_FORM = re.compile(r"comment-form|commentform|search-form|searchform|wp-block-search|loginform|login-form", re.I)
_WP_ACTION = re.compile(r"wp-comments-post\.php|wp-login\.php|[?&]s=", re.I)
_SVG_TEXT = ("title", "text", "desc")
#: Whether a document's HTML may hold any of it (most do not: no tree walk for them).
_MAY_HOLD = re.compile(r"<(?:form|svg)\b|\bavatar\b")


def may_hold(lowered: str) -> bool:
    """Whether HTML (lower-cased) may hold what :func:`remove_interactive` removes: plain
    substring tests first (a regular expression of alternatives costs a millisecond a page)."""
    if "comment-respond" in lowered or "wp-block-loginout" in lowered:
        return True
    return ("<form" in lowered or "<svg" in lowered or "avatar" in lowered) and _MAY_HOLD.search(lowered) is not None


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class")
    return value if isinstance(value, list) else str(value or "").split()


def is_decorative_svg(tag: Tag) -> bool:
    """An ``<svg>`` icon: hidden from assistive technology, or wordless inside a link or button."""
    if str(tag.get("aria-hidden", "")).lower() == "true" or str(tag.get("role", "")).lower() == "presentation":
        return True
    if tag.find(_SVG_TEXT) is not None and tag.get_text(strip=True):
        return False
    return tag.find_parent(("a", "button")) is not None


def is_wordpress_form(tag: Tag) -> bool:
    """A form WordPress itself prints (comment, search or login form), not one of the author's."""
    names = " ".join(_classes(tag) + [str(tag.get("id") or ""), str(tag.get("role") or "")])
    if _WP_FORM.search(names) or "search" in names.lower().split():
        return True
    if _WP_ACTION.search(str(tag.get("action") or "")):
        return True
    return tag.find("input", attrs={"name": "s"}) is not None


def remove_interactive(soup: BeautifulSoup | Tag, ctx: Context) -> None:
    """Remove WordPress's forms and interactive widgets and decorative icons in place; a form of
    the post's own content keeps its text (only its controls go)."""
    removed = avatars = 0
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        if tag.name in INTERACTIVE_ELEMENTS and not is_wordpress_form(tag):
            removed += 1
            for control in tag.find_all(FORM_CONTROLS):
                control.decompose()
            tag.unwrap()
        elif tag.name in INTERACTIVE_ELEMENTS or any(c in INTERACTIVE_CLASSES for c in _classes(tag)):
            removed += 1
            tag.decompose()
        elif tag.name == "svg" and is_decorative_svg(tag):
            tag.decompose()
        elif tag.name == "img" and "avatar" in _classes(tag):
            avatars += 1
            tag.decompose()
    if removed:
        ctx.report(
            "interactive-removed",
            f"{removed} form(s) or interactive widget(s) removed (comment form, "
            "search, login): they only work on the running WordPress",
            "info",
        )
    if avatars:
        ctx.report(
            "avatar-removed",
            f"{avatars} avatar image(s) left out: a Gravatar URL is a hash of the person's e-mail address",
            "info",
        )
