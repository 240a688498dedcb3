"""Data files beside the documents: comments, taxonomies, authors.

Approved comments only; never an e-mail address or an IP (``Comment.author_email`` and
``Comment.author_ip`` are not read here at all).  A comment's text is cleaned like a post body
(``transforms.clean``) and a commenter's ``javascript:`` URL is dropped, whether the thread is
appended to the body (``--comments inline``) or written as data for the generator's templates.  Everything is collected while documents are
written (small records) and written once at the end, in a deterministic order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..model import Comment, Document, Report, Site
from ..options import Options
from ..plan.store import Database, TextMap
from ..render.markdown import escape_inline, render_markdown
from ..transforms.clean import clean
from ..transforms.context import Context
from ..transforms import apply_comment_filters
from ..htmltree import parse_html
from ..urls import is_dangerous_url
from ..transforms.wpautop import wpautop
from .writer import atomic_write, resolve_inside

COMMENTS_HEADING = "Comments"


def comment_markdown(content: str) -> str:
    """A stored comment (plain text with line breaks and a little HTML) as Markdown, cleaned as
    a post body is (scripts, event handlers and ``javascript:`` links never survive)."""
    try:
        root = parse_html(wpautop(content))
        clean(root, Context(doc=Document(id="comment")))
        return render_markdown(root).strip()
    except Exception:  # a broken comment never stops the document: its text, escaped
        return escape_inline(content.strip())


def safe_url(url: str) -> str | None:
    """A commenter's URL, or None when it is empty or a script (``javascript:``...)."""
    url = url.strip()
    return None if not url or is_dangerous_url(url) else url


def comment_tree(comments: list[Comment]) -> list[dict]:
    """Approved comments as a thread: each ``{id, author, author_url, date, type, content,
    replies}``; a reply whose parent is not shown moves to the top level."""
    shown = [c for c in comments if c.approved == "1"]
    ids = {c.id for c in shown}
    nodes = {
        c.id: {
            "id": c.id,
            "author": c.author,
            "author_url": safe_url(c.author_url),
            "date": c.date.isoformat() if c.date else None,
            "type": c.type,
            "content": comment_markdown(c.content),
            "replies": [],
        }
        for c in shown
    }
    roots: list[dict] = []
    for c in shown:
        parent = c.parent if c.parent in ids and c.parent != c.id else None
        (nodes[parent]["replies"] if parent else roots).append(nodes[c.id])
    return roots


def _quote(text: str, depth: int) -> str:
    if depth == 0:
        return text
    prefix = "> " * depth
    return "\n".join((prefix + line).rstrip() for line in text.split("\n"))


def inline_comments(doc: Document, body: str, options: Options | None = None) -> str:
    """``--comments inline``: the thread appended under a heading (replies as nested quotes)."""
    tree = comment_tree(apply_comment_filters(doc, options or Options()))
    if not tree:
        return body
    parts: list[str] = []

    def walk(nodes: list[dict], depth: int) -> None:
        for node in nodes:
            when = f" ({node['date'][:10]})" if node["date"] else ""
            name = escape_inline(node["author"]) or "Anonymous"
            parts.append(_quote(f"**{name}**{when}:\n\n{node['content']}", depth))
            walk(node["replies"], depth + 1)

    walk(tree, 0)
    return body.rstrip("\n") + f"\n\n## {COMMENTS_HEADING}\n\n" + "\n\n".join(parts) + "\n"


@dataclass
class SiteData:
    """Collects what the data files need while documents are written."""

    site: Site
    options: Options
    data_dir: str = ""
    authors_file: str = "authors.json"
    authors_format: str = "json"
    #: ``taxonomies.json`` and the authors file are written (a site generator's data files)
    site_files: bool = False
    #: ``--comments data``: each thread's JSON, on disk (a thread per document, however many)
    comments: TextMap | None = None
    term_counts: dict[tuple[str, str], int] = field(default_factory=dict)
    logins: set[str] = field(default_factory=set)

    _last_id: str | None = None  # the id of the document recorded last

    def add(self, doc: Document | None, report: Report, note: tuple | None = None) -> None:
        """Record one document if it was written (the document, or its :meth:`note` made where
        it was converted), once: a duplicate of the document written last (the same id) is not
        counted again."""
        doc_id = note[0] if note is not None else doc.id if doc is not None else None
        if doc_id is None or not report.documents or report.documents[-1].id != doc_id or self._last_id == doc_id:
            return
        if note is None:
            assert doc is not None
            note = self.note(doc)
        self._last_id = doc_id
        doc_id, thread, terms, login = note
        if thread is not None:
            if self.comments is None:
                self.comments = TextMap(Database(private=True), "comments")
            # keyed so that the database's order is (length of the id, id): 2 < 10
            self.comments[f"{len(doc_id):010d} {doc_id}"] = thread
        for key in terms:
            self.term_counts[key] = self.term_counts.get(key, 0) + 1
        if login:
            self.logins.add(login)

    def note(self, doc: Document) -> tuple:
        """What the data files need of one written document (small; made where it was converted):
        (id, its comment thread as JSON or None, its terms' keys, its author's login)."""
        thread = None
        if self.options.comments == "data":
            tree = comment_tree(apply_comment_filters(doc, self.options))
            thread = _json(tree).decode("utf-8") if tree else None
        return doc.id, thread, [(term.taxonomy, term.slug) for term in doc.terms], doc.author_login

    def taxonomies(self) -> list[dict]:
        """Every term of the site: taxonomy, slug, name, parent slug, description, count."""
        out = []
        seen: set[tuple[str, str]] = set()
        for term in self.site.terms:
            key = (term.taxonomy, term.slug)
            if key in seen or term.taxonomy == "nav_menu":
                continue
            seen.add(key)
            out.append(
                {
                    "taxonomy": term.taxonomy,
                    "slug": term.slug,
                    "name": term.name,
                    "parent": term.parent or None,
                    "description": term.description or None,
                    "count": self.term_counts.get(key, 0),
                }
            )
        return out

    def authors(self) -> dict[str, dict]:
        """Authors by login: display name, login, url (their old archive page); no e-mail."""
        base = (self.site.base_blog_url or self.site.link or "").rstrip("/")
        out: dict[str, dict] = {}
        for login in sorted(self.site.authors):
            author = self.site.authors[login]
            out[login] = {
                "name": author.display_name or login,
                "login": login,
                "url": f"{base}/author/{login}/" if base else None,
            }
        return out

    def files(self) -> Iterator[tuple[str, bytes]]:
        """(relative path, content) of every data file, streamed."""
        if self.comments is not None:
            for key, thread in self.comments.items():
                doc_id = key.split(" ", 1)[1]
                yield f"{self.data_dir or ''}comments/{doc_id}.json", thread.encode("utf-8")
        files: dict[str, bytes] = {}
        if self.site_files:
            files[f"{self.data_dir}taxonomies.json"] = _json(self.taxonomies())
            authors = self.authors()
            if self.authors_format == "material":
                # Material's blog templates print author names as HTML
                material = {
                    login: {"name": html_text(a["name"]), "description": "", "avatar": "", "url": a["url"]}
                    for login, a in authors.items()
                }
                files[self.authors_file] = yaml.safe_dump(
                    {"authors": material}, allow_unicode=True, sort_keys=False
                ).encode("utf-8")
            else:
                files[f"{self.data_dir}{self.authors_file}"] = _json(authors)
        yield from files.items()

    def write(self, out: Path, owner=None) -> int:
        """Write the data files (through ``owner``, which records them as ours, when given);
        returns how many."""
        written = 0
        for rel, data in self.files():
            if owner is not None:
                owner.write(rel, data)
            else:
                atomic_write(resolve_inside(out, rel), data)
            written += 1
        if self.comments is not None:
            self.comments.db.close()
            self.comments = None
        return written


_HTML_SPECIAL = str.maketrans({"<": "&lt;", '"': "&quot;"})


def html_text(value):
    """Text a theme prints as HTML: ``<`` (which opens markup) and ``"`` (which ends an
    attribute) as character references, in lists and mappings of text too.  ``&`` and ``>``
    stay: they start nothing, and the generator's slugs of names such as ``News & Events`` stay
    as they were."""
    if isinstance(value, str):
        return value.translate(_HTML_SPECIAL)
    if isinstance(value, list):
        return [html_text(v) for v in value]
    if isinstance(value, dict):
        return {k: html_text(v) for k, v in value.items()}
    return value


def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
