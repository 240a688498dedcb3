"""Dynamic blocks: their HTML only exists when WordPress serves the page (from the database or
the theme), so they are left out and reported (``dynamic-block``, one report per name)."""

from __future__ import annotations

from .parser import Block
from .table import BlockRenderer

#: Dynamic blocks by exact name ...
DYNAMIC = (
    "core/archives",
    "core/avatar",
    "core/calendar",
    "core/categories",
    "core/latest-comments",
    "core/latest-posts",
    "core/legacy-widget",
    "core/loginout",
    "core/rss",
    "core/search",
    "core/tag-cloud",
    "core/template-part",
    "core/pattern",
    "core/read-more",
    "core/home-link",
    "core/widget-group",
    "core/breadcrumbs",
)
#: ... and by prefix.
DYNAMIC_PREFIXES = (
    "core/post-",
    "core/query",
    "core/comment",
    "core/site-",
    "core/navigation",
    "core/page-list",
    "core/term-",
    "core/terms-",
)
#: Dynamic blocks whose own render is their inner blocks (the per-item templates inside them,
#: post-template and comment-template, are dynamic and dropped).
DYNAMIC_CONTAINERS = ("core/query", "core/comments")
#: The class names (prefixes) WordPress gives the HTML of those blocks when it renders them
#: (``core/latest-posts`` -> ``wp-block-latest-posts``, ``wp-block-latest-posts__list``): what a
#: live site's rendered content holds that the export cannot give.
DYNAMIC_CLASS_PREFIXES = tuple(
    sorted({"wp-block-" + name.split("/", 1)[1] for name in DYNAMIC + DYNAMIC_PREFIXES if name.startswith("core/")})
)


#: What WordPress renders in place of a dynamic block that failed (``core/rss``: "RSS Error: ...").
DYNAMIC_ERROR_CLASS = "components-placeholder"


def is_dynamic_output(classes: list[str] | str | None) -> bool:
    """Whether an element with these classes is the rendered output of a dynamic block (or the
    error notice WordPress shows when one fails)."""
    if not classes:
        return False
    names = classes.split() if isinstance(classes, str) else classes
    return any(c.startswith(DYNAMIC_CLASS_PREFIXES) or c == DYNAMIC_ERROR_CLASS for c in names)


def dynamic(block: Block, r: BlockRenderer) -> str:
    """Left out, counted for the report."""
    r.note_dynamic(block.name or "")
    return ""


def dynamic_container(block: Block, r: BlockRenderer) -> str:
    """Rendered by WordPress as their saved content with dynamic children filled in: the static
    inner blocks (headings, paragraphs) are kept, the dynamic ones dropped.  The legacy form
    (a ``legacy`` attribute) is dynamic through and through."""
    if block.attrs.get("legacy"):
        return dynamic(block, r)
    r.note_dynamic(block.name or "")
    return "\n" + r.inner(block) + "\n"
