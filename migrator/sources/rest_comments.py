"""Approved comments of a live site, from its REST API (``/wp/v2/comments``).

Read only when the run writes comments (``--comments data|inline``).  An anonymous visitor sees
what the export path writes and no more: approved comments of ``comment`` type (the API shows
pingbacks and trackbacks only to editors), each with its author's name and URL, date, parent
and rendered text.  No e-mail address or IP is in the answer; the avatar URLs (a hash of the
commenter's e-mail address) are not read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..model import Comment
from .dates import parse_wp_date
from .wxr_fields import clean_text


def _date(item: dict):
    local = str(item.get("date") or "").replace("T", " ")
    gmt = str(item.get("date_gmt") or "").replace("T", " ")
    return parse_wp_date(local, gmt)


def comment_from_api(item: dict) -> Comment | None:
    """One comment of the API's answer; None for anything not an approved comment."""
    if not isinstance(item, dict) or item.get("id") is None or item.get("status", "approved") != "approved":
        return None
    content = item.get("content")
    rendered = str(content.get("rendered") or "") if isinstance(content, dict) else ""
    return Comment(
        id=str(item["id"]),
        author=clean_text(str(item.get("author_name") or "")),
        date=_date(item),
        content=rendered,
        parent=str(item.get("parent") or "0"),
        approved="1",
        type=str(item.get("type") or "comment"),
        author_url=str(item.get("author_url") or ""),
        user_id=str(item.get("author") or "0"),
    )


def comments_by_post(read_all: Callable[[str], Iterable]) -> dict[str, list[Comment]]:
    """Every approved comment of the site, by post id, in id order as an export lists them
    (``read_all(route)``: every item of a paginated collection)."""
    found: dict[str, list[Comment]] = {}
    items = [item for item in read_all("wp/v2/comments") if isinstance(item, dict)]
    for item in sorted(items, key=lambda i: _int(i.get("id"))):
        comment = comment_from_api(item)
        if comment is not None:
            found.setdefault(str(item.get("post") or "0"), []).append(comment)
    return found


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
