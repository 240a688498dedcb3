"""Vocabulary of WordPress page markup: every class, id and class word the HTML reader names.

The reader finds posts by structure and scoring; names only help where WordPress markup is
strong.  A name may stand here only when it generalises:

* **core** -- WordPress core prints it (``post_class()``, ``body_class()``, ``comment_class()``,
  ``comment_form()``, the comment walker, ``_navigation_markup()``, ``wp_link_pages()``, the more
  link, default widgets, media and caption markup, every ``wp-block-*`` class of the block
  library), or it belongs to a documented microformat WordPress themes are built on (hAtom /
  hCard: ``hentry``, ``entry-title``, ``entry-content``, ``entry-summary``, ``published``,
  ``updated``, ``author``, ``vcard``, ``fn``);
* **seen** -- otherwise, at least two sources of the shared corpus use it (two themes of the
  theme matrix, or two sites of the scraped pages).  ``tests/sources/test_html_vocabulary.py`` checks
  this against the corpus; ``benchmarks/vocabulary_support.py`` prints the support of every name,
  and ``benchmarks/extraction.py --leave-one-out`` measures each theme with the names only that
  theme supports switched off (:func:`hold_out`).

A *word* matches a class or id one of whose ``-``/``_``-separated parts it is (``share`` matches
``share-row`` and ``post_share``, not ``sharebar``); a *prefix* matches the start of one.
Attribute values defined by standards (``rel`` link types, schema.org ``itemprop`` names) are not
theme vocabulary and live with the code that reads them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

_PARTS = re.compile(r"[-_]+")


@dataclass(frozen=True)
class Literal:
    """One name: ``kind`` is ``class``, ``id``, ``prefix`` (of a class or id) or ``word``."""

    value: str
    kind: str = "class"
    core: bool = False

    def matches(self, token: str, is_id: bool = False) -> bool:
        if self.kind == "class":
            return not is_id and token == self.value
        if self.kind == "id":
            return is_id and token == self.value
        if self.kind == "prefix":
            return token.startswith(self.value)
        return self.value in _PARTS.split(token.lower())


def core(*values: str, kind: str = "class") -> tuple[Literal, ...]:
    return tuple(Literal(v, kind, True) for v in values)


def seen(*values: str, kind: str = "class") -> tuple[Literal, ...]:
    return tuple(Literal(v, kind, False) for v in values)


class Group:
    """A set of names with one meaning, matched against an element's classes and id."""

    def __init__(self, name: str, *parts: tuple[Literal, ...]):
        self.name = name
        self.literals: tuple[Literal, ...] = tuple(lit for part in parts for lit in part)
        self.classes: frozenset[str] = frozenset()
        self.ids: frozenset[str] = frozenset()
        self.prefixes: tuple[str, ...] = ()
        self.words: frozenset[str] = frozenset()
        self.ordered: tuple[str, ...] = ()
        self.version = 0  # changes whenever the active names change
        _GROUPS.append(self)
        self.compile(lambda lit: True)

    def compile(self, allowed: Callable[[Literal], bool]) -> None:
        active = [lit for lit in self.literals if allowed(lit)]
        self.classes = frozenset(lit.value for lit in active if lit.kind == "class")
        self.ids = frozenset(lit.value for lit in active if lit.kind == "id")
        self.prefixes = tuple(lit.value for lit in active if lit.kind == "prefix")
        self.words = frozenset(lit.value for lit in active if lit.kind == "word")
        self.ordered = tuple(lit.value for lit in active if lit.kind == "class")
        self.version += 1

    def token(self, token: str) -> bool:
        """True when the class ``token`` is one of this group's names."""
        if token in self.classes or (self.prefixes and token.startswith(self.prefixes)):
            return True
        return bool(self.words) and not self.words.isdisjoint(_PARTS.split(token.lower()))

    def id(self, value: str) -> bool:
        if not value:
            return False
        if value in self.ids or (self.prefixes and value.startswith(self.prefixes)):
            return True
        return bool(self.words) and not self.words.isdisjoint(_PARTS.split(value.lower()))

    def element(self, el) -> bool:
        """True when one of ``el``'s classes or its id is one of this group's names."""
        cls = el.get("class")
        if cls and any(self.token(t) for t in cls.split()):
            return True
        return self.id(el.get("id") or "")


_GROUPS: list[Group] = []

# --------------------------------------------------------------------------------------------
# Post markup

#: Body classes of single-item views (``body_class()``; ``singular`` is the themes' own).
SINGLE_BODY = Group("single body", core("single", "single-post", "page", "attachment"), seen("singular"))
#: Body classes of listing views (``body_class()``).
INDEX_BODY = Group(
    "index body", core("home", "blog", "archive", "category", "tag", "date", "search", "paged", "author", "tax")
)
#: Post containers when no ``post-N`` marks them (``post_class()``, hAtom, the Query Loop block).
POST_MARKS = Group("post marks", core("hentry", "type-post", "type-page", "wp-block-post"))

#: Content wrappers WordPress markup makes strong: hAtom's ``entry-content`` and the Post
#: Content block.  The first that matches inside a post container wins.
CONTENT = Group("content", core("entry-content", "wp-block-post-content"))
#: Other wrappers themes name the content with; they compete with the scored candidates.
WEAK_CONTENT = Group("weak content", seen("post-content", "entry"))
#: Excerpt wrappers on listings: content found here is partial.
SUMMARY = Group("summary", core("entry-summary", "wp-block-post-excerpt"), seen("excerpt", "summary", kind="word"))
#: The post's title.
TITLE = Group("title", core("entry-title", "wp-block-post-title"), seen("post-title", "single-post-title"))
#: Where themes print a post's date.
DATE = Group(
    "date", core("published", "updated", "wp-block-post-date"), seen("entry-date", "posted-on", "post-date", "date")
)
#: Author bylines (hCard inside them; the Post Author blocks).
AUTHOR = Group(
    "author",
    core("author", "wp-block-post-author", "wp-block-post-author-name", "wp-block-post-author__name"),
    seen("byline"),
    seen("author", "byline", kind="word"),
)
#: Term lists (the Post Terms block; the themes' category and tag lists).
TERMS = Group(
    "terms",
    core("wp-block-post-terms", "taxonomy-category", "taxonomy-post_tag"),
    seen("cat-links", "tags-links", "post-tags"),
)
#: Featured images.
FEATURED = Group("featured", core("wp-post-image", "wp-block-post-featured-image"), seen("post-thumbnail"))
#: The site's name in the page header (``the_custom_logo()``, the Site Title block).
SITE_TITLE = Group(
    "site title",
    core("custom-logo-link", "wp-block-site-title"),
    seen("site-title", "logo"),
    seen("logo", "site-title", kind="id"),
)

# --------------------------------------------------------------------------------------------
# Comments, widgets, navigation

#: Comment lists and forms (``comment_class()``, the comment walker, ``comment_form()``, the
#: Comments blocks; ``comment-N`` ids).
COMMENTS = Group(
    "comments",
    core(
        "comment",
        "comment-body",
        "pingback",
        "trackback",
        "comment-respond",
        "wp-block-comments",
        "wp-block-post-comments",
        "wp-block-post-comments-form",
    ),
    core("respond", kind="id"),
    core("comment-", "div-comment-", kind="prefix"),
    seen("comments-area", "comment-list", "commentlist"),
    seen("comments", kind="id"),
)
#: Widget areas (``register_sidebar()`` wraps every widget in ``widget``).
WIDGETS = Group(
    "widgets",
    core(
        "widget",
        "wp-block-latest-posts",
        "wp-block-latest-comments",
        "wp-block-archives",
        "wp-block-categories",
        "wp-block-tag-cloud",
    ),
    seen("widget-area", "sidebar"),
    seen("secondary", "sidebar", kind="id"),
)

#: Navigation menus (``wp_nav_menu()``, the Navigation block): their labels are the editor's,
#: not the names of what they link to.
MENUS = Group("menus", core("menu-item", "wp-block-navigation", "wp-block-navigation-item"))

# --------------------------------------------------------------------------------------------
# Chrome inside content

#: Exact names of chrome: sharing, likes and related posts (Jetpack), navigation
#: (``_navigation_markup()``, ``wp_link_pages()``), more links, comments, meta blocks, ads.
CHROME = Group(
    "chrome",
    core(
        "more-link",
        "post-navigation",
        "posts-navigation",
        "navigation",
        "nav-links",
        "post-nav-links",
        "comment-navigation",
        "comments-link",
        "post-edit-link",
        "wp-block-read-more",
        "wp-block-post-excerpt__more-text",
        "wp-block-post-excerpt__more-link",
        "wp-block-post-navigation-link",
        "wp-block-query-pagination",
        "wp-block-social-links",
        "wp-block-post-author-biography",
        "wp-block-post-terms",
        "wp-block-post-date",
        "wp-block-post-author",
    ),
    seen(
        "sharedaddy",
        "sd-sharing-enabled",
        "sd-sharing",
        "sd-block",
        "sd-like",
        "sd-content",
        "jetpack-likes-widget-wrapper",
        "post-likes-widget-placeholder",
        "jp-relatedposts",
        "sd-like-enabled",
        "pagination",
        "comments-area",
        "comment-list",
        "commentlist",
        "skip-link",
        "entry-meta",
        "entry-footer",
        "post-meta",
        "adsbygoogle",
        "wpa",
        "widget_blog_subscription",
        "author-bio",
        "cat-links",
        "tags-links",
        "post-tags",
    ),
    seen(
        "sd-sharing",
        "sharedaddy",
        "jp-related",
        "share-",
        "sharing-",
        "subscribe-",
        "fb-like",
        "twitter-share",
        kind="prefix",
    ),
    core("respond", kind="id"),
    seen(
        "comments",
        "jp-relatedposts",
        "jp-post-flair",
        "related-posts",
        "disqus_thread",
        "subscribe",
        "likes-other-gravatars",
        kind="id",
    ),
    seen("share", "sharing", "social", "likes", "subscribe", "newsletter", "related", "signup", "popup", kind="word"),
)
#: Wrappers plugins append after the post text (sharing, likes, related posts, comments): from
#: the first of them on, the rest of the content is chrome too.
END_MARKERS = Group(
    "end markers",
    core("comment-respond"),
    core("respond", kind="id"),
    seen("sharedaddy", "sd-sharing-enabled", "sd-like-enabled", "jp-relatedposts", "comments-area"),
    seen("comments", "jp-post-flair", "jp-relatedposts", "disqus_thread", kind="id"),
)
#: Text for screen readers only (core's ``screen-reader-text`` and the themes' kin).
ASSISTIVE = Group("assistive", core("screen-reader-text"), seen("assistive", kind="word"))
#: The page links of a paginated post (``wp_link_pages()``).
PAGE_LINKS = Group("page links", core("post-page-numbers"))
#: Links that lead from an excerpt to the whole post.
MORE = Group("more", core("more-link", "wp-block-read-more", "wp-block-post-excerpt__more-link"))

# --------------------------------------------------------------------------------------------
# Scoring words (readability-style class weights)

#: Words in class names and ids of containers that hold a post's text.
POSITIVE = Group("positive", seen("content", "entry", "post", "article", "body", "text", "main", kind="word"))
#: Words in class names and ids of chrome (readability's "unlikely candidates").
NEGATIVE = Group(
    "negative",
    seen(
        "comment",
        "comments",
        "sidebar",
        "widget",
        "footer",
        "meta",
        "menu",
        "nav",
        "related",
        "share",
        "sharing",
        "social",
        "breadcrumb",
        "popup",
        "cookie",
        "banner",
        "subscribe",
        "newsletter",
        "likes",
        "author",
        kind="word",
    ),
)


#: Classes and class prefixes core prints that the code tests directly: ``post_class()`` and
#: ``body_class()`` tokens with a value in them, and the embed block's wrapper.
CORE_CLASSES = frozenset(
    {"post-password-required", "type-page", "type-attachment", "wp-block-embed", "wp-block-embed__wrapper"}
)
CORE_PREFIXES = (
    "post-",
    "type-",
    "status-",
    "format-",
    "category-",
    "tag-",
    "author-",
    "has-",
    "postid-",
    "page-id-",
    "single-format-",
    "paged-",
    "single-paged-",
    "page-paged-",
    "is-type-",
    "is-provider-",
    "wp-block-embed-",
    "wp-",
)


def literals() -> Iterator[Literal]:
    """Every name of the vocabulary (once each)."""
    seen_ = set()
    for group in _GROUPS:
        for lit in group.literals:
            if lit not in seen_:
                seen_.add(lit)
                yield lit


def groups() -> list[Group]:
    return list(_GROUPS)


@contextmanager
def hold_out(allowed: Callable[[Literal], bool]):
    """Use only the names ``allowed`` accepts (leave-one-theme-out runs), then all again."""
    for group in _GROUPS:
        group.compile(allowed)
    try:
        yield
    finally:
        for group in _GROUPS:
            group.compile(lambda lit: True)
