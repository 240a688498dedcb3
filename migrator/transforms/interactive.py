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

from .context import Context
from ..htmltree import Element, Presence, classes, remove, text_of, unwrap

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


def is_decorative_svg(el: Element) -> bool:
    """An ``<svg>`` icon: hidden from assistive technology, or wordless inside a link or button."""
    if str(el.get("aria-hidden", "")).lower() == "true" or str(el.get("role", "")).lower() == "presentation":
        return True
    if next(el.iter(*_SVG_TEXT), None) is not None and text_of(el, strip=True):
        return False
    return any(a.tag in ("a", "button") for a in el.iterancestors())


def is_wordpress_form(el: Element) -> bool:
    """A form WordPress itself prints (comment, search or login form), not one of the author's."""
    names = " ".join(classes(el) + [str(el.get("id") or ""), str(el.get("role") or "")])
    if _WP_FORM.search(names) or "search" in names.lower().split():
        return True
    if _WP_ACTION.search(str(el.get("action") or "")):
        return True
    return any(i.get("name") == "s" for i in el.iter("input"))


def remove_interactive(root: Element, ctx: Context) -> None:
    """Remove WordPress's forms and interactive widgets and decorative icons in place; a form of
    the post's own content keeps its text (only its controls go)."""
    removed = avatars = 0
    presence = Presence(root)
    for el in presence.walk:
        if el is root or presence.removed(el):
            continue
        if el.tag in INTERACTIVE_ELEMENTS and not is_wordpress_form(el):
            removed += 1
            for control in list(el.iter(*FORM_CONTROLS)):
                remove(control)
            unwrap(el)
        elif el.tag in INTERACTIVE_ELEMENTS or any(c in INTERACTIVE_CLASSES for c in classes(el)):
            removed += 1
            remove(el)
        elif el.tag == "svg" and is_decorative_svg(el):
            remove(el)
        elif el.tag == "img" and "avatar" in classes(el):
            avatars += 1
            remove(el)
        else:
            continue
        presence.changed()
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
