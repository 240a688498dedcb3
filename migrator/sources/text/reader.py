"""The text reader: one document per post found in a scrape, every removed line accounted for.

    lines -> page features -> segmentation (segment.py) -> per post: header, text, footer,
    chrome -> kept lines -> structure (structure.py) -> Document

Every line that does not end up in a document's title or text is reported as an ``info``
problem ``text-chrome-removed`` naming the rule that removed it (``--explain`` lists them),
or recorded as image residue (``images:`` front matter, alt text only).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from ...model import Document, Problem, Site, Term
from ...slugs import slugify
from .comments import read_comments
from .dates import day_key, numeric_order
from .lines import SENTENCE_END_RE, Line, is_list_item, load, normalise, unbullet, words
from .meta import Meta, names, parse_date_line
from .residue import is_residue, split_glued
from .page import Page, title_shape
from .segment import Layout, Plan, segment
from .structure import body_html
from .switches import on
from .vocabulary import site_rule_name

CODE_REMOVED = "text-chrome-removed"

sanitize_title = slugify  # the name WordPress uses


def _doc_id(title: str, date, taken: set[str]) -> str:
    key = f"{title}\n{day_key(date)}"
    base = "text-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    doc_id, n = base, 2
    while doc_id in taken:
        doc_id, n = f"{base}-{n}", n + 1
    taken.add(doc_id)
    return doc_id


def _terms(meta: Meta) -> list[Term]:
    out: list[Term] = []
    seen: set[tuple[str, str]] = set()
    for taxonomy, found in (("category", meta.cats), ("post_tag", meta.tags)):
        for name in found:
            key = (taxonomy, name.lower())
            if key not in seen:
                seen.add(key)
                out.append(Term(taxonomy=taxonomy, slug=sanitize_title(name) or name, name=name))
    return out


class Reader:
    """State of one file being read."""

    def __init__(self, path: Path, lines: list[Line], problems: list[Problem]):
        self.path, self.lines, self.problems = path, lines, problems
        self.order = numeric_order([line.norm for line in lines])
        self.page = Page(lines, self.order)
        self.vocab = self._residue_vocab()
        self.ids: set[str] = set()
        self.accounted: set[int] = set()
        self.index_of = {line.no: i for i, line in enumerate(lines)}

    def _residue_vocab(self) -> set[str]:
        """Words of this file's standalone residue lines: they help split glued residue."""
        vocab: set[str] = set()
        for line in self.lines:
            if is_residue(line.norm) and not is_list_item(line.norm):
                vocab.update(w.lower() for w in line.norm.split() if w.isalpha() and len(w) >= 3)
        return vocab

    def removed(self, i: int, rule: str, doc_id: str | None, text: str | None = None) -> None:
        line = self.lines[i]
        self.accounted.add(i)
        shown = text if text is not None else line.text
        self.problems.append(
            Problem("info", CODE_REMOVED, f"{rule}: {shown!r}", id=doc_id, source=str(self.path), line=line.no)
        )

    def chrome_name(self, i: int, fallback: str) -> str:
        rule = self.page.rule[i]
        if self.page.meta[i] is not None:
            return "post-meta"
        if rule is not None:
            return rule.name
        if self.page.residue[i]:
            return "image-residue"
        return fallback

    # -- documents ------------------------------------------------------------------------

    def documents(self) -> list[Document]:
        layout = segment(self.page)
        if not layout.posts:
            for i in range(len(self.lines)):
                self.removed(i, site_rule_name(self.lines[i].norm), None)
            self.problems.append(Problem("warning", "text-no-post", "no post found in the text", source=str(self.path)))
            return []
        docs = [self.document(plan, layout) for plan in layout.posts]
        undated = [d for d in docs if d.date is None]
        if undated and not layout.single:
            self.problems.append(
                Problem(
                    "warning",
                    "text-no-date",
                    f"{len(undated)} of {len(docs)} posts show no date",
                    source=str(self.path),
                    line=self.lines[layout.posts[0].title].no,
                )
            )
        # What is left is chrome around the posts: named by its rule, or by the rule of the
        # block it follows ("sidebar" for the links under "Recent Posts").
        first = layout.posts[0].title
        trail = ""
        for i in range(len(self.lines)):
            if i in self.accounted:
                continue
            owner = self._owner(layout, i, docs)
            if i < first:
                self.removed(i, site_rule_name(self.lines[i].norm), None)
                continue
            name = self.chrome_name(i, "")
            if name and name not in ("post-meta", "image-residue"):
                trail = name
            self.removed(i, name or trail or "trail", owner)
        return docs

    def _owner(self, layout: Layout, i: int, docs: list[Document]) -> str | None:
        """The post a leftover line follows (chrome after its text belongs to it)."""
        owner = None
        for plan, doc in zip(layout.posts, docs):
            if plan.title < i:
                owner = doc.id
        return owner

    def document(self, plan: Plan, layout: Layout) -> Document:
        page = self.page
        title_line = self.lines[plan.title]
        title = normalise(unbullet(title_line.norm))
        meta = Meta()
        dated_by_header = False
        for g in plan.groups:
            meta.merge(g.meta)
            dated_by_header = dated_by_header or (g.meta.date is not None and g.start != plan.footer)
        doc_id = _doc_id(title, meta.date, self.ids)
        self.accounted.add(plan.title)
        key = title.casefold()
        # the date line itself is the post's date, not chrome: not reported as removed
        date_line = next(
            (i for g in plan.groups for i in g.members if parse_date_line(self.lines[i].norm, self.order) is not None),
            None,
        )
        if date_line is not None:
            self.accounted.add(date_line)
        lead_images: list[dict] = []
        for i in plan.lead:
            if i not in self.accounted:
                self._lead_line(i, meta, doc_id, plan, lead_images)
        for g in plan.groups:
            for i in g.members:
                if i not in self.accounted:
                    self.removed(i, "post-meta", doc_id)
        for i in plan.head:
            if i not in self.accounted:
                self.removed(i, self._head_rule(i, key), doc_id)
        stop = plan.footer if plan.footer is not None else plan.end
        kept, images = self.body(range(plan.start, stop), doc_id, meta, key, layout.single)
        if layout.single and on("trailing-navigation"):
            self._trailing_navigation(kept, doc_id)
        tail_end = plan.end
        if layout.single:
            tail_end = min([a for a, _ in layout.zones if a >= plan.start] + [len(self.lines)])
        for i in range(stop, tail_end):
            # meta after the text (a footer, or "Posted in ..." below the share buttons)
            m = page.meta[i]
            if i in self.accounted or m is None or not (m.labelled or i < plan.end):
                continue
            if layout.single and i >= plan.end and _sidebar_before(page, plan.end, i):
                break
            meta.merge(m)
            self.removed(i, "post-meta", doc_id)
        comments = []
        if layout.single:
            for a, b in layout.zones:
                if a >= plan.start:
                    comments += read_comments(self.lines, a, b, self.order, doc_id)
                    for i in range(a, b):
                        if i not in self.accounted:
                            self.removed(i, "comments", doc_id)
        doc = Document(
            id=doc_id,
            type="post",
            status="publish",
            title=title,
            slug=sanitize_title(title),
            content=body_html(kept),
            content_kind="rendered",
            date=meta.date,
            author=meta.author,
            terms=_terms(meta),
            source=str(self.path),
            line=title_line.no,
            comments=comments,
        )
        images = lead_images + images
        if images:
            doc.extra["images"] = images
        if not dated_by_header and layout.single:
            how = "dated from the post's footer" if doc.date else "read as an undated post"
            self.problems.append(
                Problem(
                    "warning",
                    "text-no-date",
                    f"no date line next to the title; {how}",
                    id=doc_id,
                    source=str(self.path),
                    line=title_line.no,
                )
            )
        return doc

    def _trailing_navigation(self, kept: list[Line], doc_id: str) -> None:
        """The links to the previous and next posts closing a single post's text: one or two
        capitalised titles as list items, or (a copy that lost the bullets) two such titles
        on consecutive lines after a blank line."""

        def titled(t: str) -> bool:
            return 2 <= len(t.split()) <= 12 and t[0].isupper() and title_shape(t) > 0

        tail: list[Line] = []
        for line in reversed(kept):
            if not is_list_item(line.norm):
                break
            tail.append(line)
        if not tail and len(kept) >= 3:
            last, before = kept[-1], kept[-2]
            if last.gap == 0 and before.gap > 0 and titled(last.norm) and titled(before.norm):
                tail = [last, before]
        if not 1 <= len(tail) <= 2 or len(tail) == len(kept):
            return
        if all(titled(unbullet(line.norm)) for line in tail):
            for line in tail:
                kept.remove(line)
                self.removed(self.index_of[line.no], "post-navigation", doc_id)

    def _lead_line(self, i: int, meta: Meta, doc_id: str, plan: Plan, images: list[dict]) -> None:
        """A line above the title that belongs to the post: meta (categories printed above
        the title, even without a label), image residue."""
        page = self.page
        m = page.meta[i]
        if m is not None:
            meta.merge(m)
            self.removed(i, "post-meta", doc_id)
            return
        if page.residue[i]:
            if not self.lines[i].norm.startswith("["):
                images.append({"alt": self.lines[i].text})
            self.removed(i, "image-residue", doc_id)
            return
        nxt = i + 1
        if plan.groups and nxt == plan.groups[0].start and not page.prose[i]:
            found = names(_split_camel(self.lines[i].norm))
            if found:
                meta.cats += [c for c in found if c not in meta.cats]
                self.removed(i, "post-meta", doc_id)
                return
        self.removed(i, self.chrome_name(i, "post-lead"), doc_id)

    def _head_rule(self, i: int, key: str) -> str:
        if normalise(unbullet(self.lines[i].norm)).casefold() == key:
            return "title-repeat"
        return self.chrome_name(i, "post-header")

    def body(self, idxs: range, doc_id: str, meta: Meta, key: str, single: bool) -> tuple[list[Line], list[dict]]:
        """Split a post's text into kept lines and image residue; drop the chrome."""
        page = self.page
        kept: list[Line] = []
        kept_at: list[int] = []  # the line index of each kept line
        images: list[dict] = []
        trail: str | None = None
        idxs = [i for i in idxs if i not in self.accounted]
        for pos, i in enumerate(idxs):
            line = self.lines[i]
            norm = line.norm
            if not single and page.in_zone(i):
                kept.append(line)  # a comment block inside the post's own text
                kept_at.append(i)
                self.accounted.add(i)
                continue
            m = page.meta[i]
            rule = page.rule[i]
            if trail is not None:
                if rule is not None and rule.kind in ("end", "comments"):
                    trail = rule.name
                self.removed(i, rule.name if rule is not None else trail, doc_id)
                continue
            if m is not None and (m.labelled or m.strong) and (m.labelled or pos < 2 or pos >= len(idxs) - 2):
                meta.merge(m)
                self.removed(i, "post-meta", doc_id)
                continue
            if (
                rule is not None
                and rule.kind == "end"
                or (rule is not None and rule.kind == "widget" and _widget_closes(page, i, idxs[-1]))
            ):
                trail = rule.name
                self.removed(i, rule.name, doc_id)
                continue
            if rule is not None and rule.kind in ("line", "more"):
                self.removed(i, rule.name, doc_id)
                continue
            text_key = normalise(unbullet(norm)).casefold()
            if text_key == key and (pos < 3 or not kept):
                self.removed(i, "title-repeat", doc_id)
                continue
            if (
                len(key.split()) >= 2
                and text_key != key
                and not page.prose[i]
                and (norm.casefold().startswith(key) or norm.casefold().endswith(key))
                and len(words(norm)) - len(key.split()) <= 6
            ) or page.refers[i]:
                self.removed(i, "title-link", doc_id)
                continue
            if page.label[i] and pos < 3:
                self.removed(i, "post-meta", doc_id)
                continue
            if is_list_item(norm):
                kept.append(line)
                kept_at.append(i)
                self.accounted.add(i)
                continue
            glued = split_glued(line.text, self.vocab)
            if glued:
                head, tail = glued
                images.append({"alt": tail})
                self.removed(i, "image-residue", doc_id, text=tail)  # the rest of the line is text
                kept.append(Line(line.no, head, normalise(head)))
                kept_at.append(i)
                continue
            if page.residue[i]:
                if not line.norm.startswith("["):
                    images.append({"alt": line.text})
                self.removed(i, "image-residue", doc_id)
                continue
            if (
                kept
                and kept[-1].norm == norm
                and len(words(norm)) <= 10
                and not SENTENCE_END_RE.search(norm)
                and line.gap > 0
                and kept_at[-1] == i - 1
            ):
                # the same short line twice: an image's alt text, then its caption
                first = kept.pop()
                images.append({"alt": first.text, "caption": line.text})
                self.removed(kept_at.pop(), "image-residue", doc_id)
                self.removed(i, "image-caption", doc_id)
                continue
            kept.append(line)
            kept_at.append(i)
            self.accounted.add(i)
        return kept, images


def _sidebar_before(page: Page, a: int, b: int) -> bool:
    """Is there a sidebar widget or the page footer between lines a and b?"""
    for i in range(a, b):
        rule = page.rule[i]
        if rule is not None and (
            rule.name in ("footer", "search")
            or (rule.kind == "widget" and not page.prose[i + 1 if i + 1 < len(page) else i])
        ):
            return True
    return False


def _widget_closes(page: Page, i: int, last: int) -> bool:
    """A widget heading inside a post's region closes the text when no prose follows it
    before the end of the region."""
    return not any(page.prose[j] for j in range(i + 1, min(last + 1, i + 40)))


def _split_camel(text: str) -> str:
    """ "ClassicUncategorized" -> "Classic, Uncategorized": names glued by a copy."""
    out = []
    for k, ch in enumerate(text):
        if k and ch.isupper() and text[k - 1].islower():
            out.append(", ")
        out.append(ch)
    return "".join(out)


def read_text(path: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    """Yield one document per post found in the scrape (content_kind="rendered" HTML)."""
    lines = load(Path(path), problems)
    if lines is None:
        return
    found: list[Problem] = []
    try:
        docs = Reader(Path(path), lines, found).documents()
    except Exception as exc:  # a reader bug must not stop the run: report it as data
        for p in found:
            problems.append(p)
        problems.append(Problem("error", "text-reader-failed", f"{type(exc).__name__}: {exc}", source=str(path)))
        return
    for p in sorted(found, key=lambda p: p.line or 0):  # in the order of the file (--explain)
        problems.append(p)
    yield from docs
