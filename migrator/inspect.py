"""``migrator inspect``: what is in an export (one streaming pass, counters only)."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .urls import urlsplit  # never raise on malformed URLs
from .model import Problem, Site
from .sources import InputError, expand, read_inputs
from .transforms.blocks import block_names, parse_blocks
from .transforms.shortcodes import ShortcodeRegistry, default_registry, shortcodes_used

_SRC = re.compile(r"""\b(?:src|href)\s*=\s*["'](https?://[^"']+)""", re.I)
_MEDIA_EXT = re.compile(r"\.(jpe?g|png|gif|webp|svg|avif|bmp|mp3|m4a|ogg|wav|mp4|m4v|mov|webm|pdf|zip)(\?|$)", re.I)


def inspect_inputs(
    inputs: list[str | Path], top: int = 10, shortcode_registry: ShortcodeRegistry | None = None
) -> dict:
    """A summary of the inputs as plain data (JSON-ready, deterministic).

    Shortcodes are those of ``shortcode_registry`` (the built-in ones if not given) and the
    unknown ones that look like shortcodes, as ``validate`` and ``convert`` see them.
    """
    registry = shortcode_registry if shortcode_registry is not None else default_registry()
    site = Site()
    problems: list[Problem] = []
    types: Counter = Counter()
    statuses: Counter = Counter()
    by_type_status: Counter = Counter()
    authors: Counter = Counter()
    terms: Counter = Counter()
    shortcodes: Counter = Counter()
    blocks: Counter = Counter()
    media_hosts: Counter = Counter()
    dates: list[str] = []
    unreadable: list[dict] = []
    for path in [p for p in expand([Path(p) for p in inputs]) if isinstance(p, Path)]:  # as convert reads them
        try:
            for doc in read_inputs([path], site, problems):
                types[doc.type] += 1
                statuses[doc.status] += 1
                by_type_status[f"{doc.type}/{doc.status}"] += 1
                if doc.author_login:
                    authors[doc.author_login] += 1
                for t in doc.terms:
                    terms[f"{t.taxonomy}:{t.slug}"] += 1
                if doc.type == "attachment" and (doc.attachment_url or doc.guid):
                    media_hosts[urlsplit(doc.attachment_url or doc.guid).hostname or ""] += 1
                if doc.type not in ("attachment", "revision"):
                    shortcodes.update(shortcodes_used(doc.content, registry))
                    if "<!-- wp:" in doc.content:
                        block_names(parse_blocks(doc.content), blocks)
                    for m in _SRC.finditer(doc.content):
                        if _MEDIA_EXT.search(urlsplit(m.group(1)).path):
                            media_hosts[urlsplit(m.group(1)).hostname or ""] += 1
                if doc.date and doc.type not in ("attachment", "revision", "nav_menu_item"):
                    dates.append(doc.date.isoformat())
        except InputError as exc:
            unreadable.append({"path": str(path), "message": exc.message})
        except OSError as exc:
            unreadable.append({"path": str(path), "message": str(exc)})
    return {
        "version": 1,
        "inputs": [str(p) for p in inputs],
        "unreadable": unreadable,
        "site": {
            "title": site.title,
            "link": site.link,
            "base_site_url": site.base_site_url,
            "base_blog_url": site.base_blog_url,
            "language": site.language,
            "generator": site.generator,
        },
        "wxr_version": site.wxr_version,
        "items": sum(types.values()),
        "types": _sorted(types),
        "statuses": _sorted(statuses),
        "by_type_status": _sorted(by_type_status),
        "authors": [
            {"login": a.login, "display_name": a.display_name, "items": authors.get(a.login, 0)}
            for a in site.authors.values()
        ],
        "top_terms": _sorted(terms, top),
        "shortcodes": _sorted(shortcodes),
        "blocks": _sorted(blocks),
        "media_hosts": _sorted(media_hosts),
        "date_range": {"first": min(dates) if dates else None, "last": max(dates) if dates else None},
        "problems": len(problems),
    }


def _sorted(counter: Counter, limit: int | None = None) -> dict[str, int]:
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(items[:limit] if limit else items)


def render_inspection(summary: dict, fmt: str = "text", width: int = 100) -> str:
    if fmt == "json":
        return json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    head = Table(title="site", show_header=False)
    head.add_column("key")
    head.add_column("value", overflow="fold")
    for key, value in (
        ("title", summary["site"]["title"]),
        ("link", summary["site"]["link"]),
        ("WXR version", summary["wxr_version"]),
        ("items", str(summary["items"])),
        ("first date", summary["date_range"]["first"] or ""),
        ("last date", summary["date_range"]["last"] or ""),
    ):
        head.add_row(Text(key), Text(value or ""))
    console.print(head)
    for title, data in (
        ("items by type/status", summary["by_type_status"]),
        ("top terms", summary["top_terms"]),
        ("shortcodes", summary["shortcodes"]),
        ("blocks", summary["blocks"]),
        ("media hosts", summary["media_hosts"]),
    ):
        if not data:
            continue
        table = Table(title=title)
        table.add_column("name", overflow="fold")
        table.add_column("count", justify="right")
        for name, count in data.items():
            table.add_row(Text(name), str(count))
        console.print(table)
    if summary["authors"]:
        table = Table(title="authors")
        for col in ("login", "display name", "items"):
            table.add_column(col)
        for a in summary["authors"]:
            table.add_row(Text(a["login"]), Text(a["display_name"]), str(a["items"]))
        console.print(table)
    return console.export_text()  # unreadable inputs: the CLI says so on stderr
