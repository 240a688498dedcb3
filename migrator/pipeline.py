"""The public API: ``read`` yields documents, ``convert`` runs the whole pipeline.

sources -> transforms -> render -> output, in two passes over the inputs: the first builds a
compact index (fates, output paths, attachments), the second converts and writes.  Problems are
collected into the returned :class:`~migrator.model.Report`; nothing here raises for bad input.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from os import PathLike
from pathlib import Path

from .index import Entry, SiteIndex, build_index
from .model import Document, DocumentEntry, MediaEntry, Problem, Rendered, Report, Site, SkippedEntry
from .options import Options
from .output.manifest import write_manifest
from .output.writer import UnsafePath, atomic_write, resolve_inside
from .render.frontmatter import dump_yaml, front_matter
from .render.markdown import render_markdown
from .sources import InputError, detect, read_inputs
from .transforms import Context, transform

Progress = Callable[[int, int], None]
_TAGS = re.compile(r"<[^>]+>")


def read(inputs: Iterable[str | PathLike], options: Options | None = None,
         problems: list[Problem] | None = None) -> Iterator[Document]:
    """Yield every item of the inputs as a Document (raises sources.InputError if unreadable)."""
    options = options or Options()
    yield from read_inputs([Path(p) for p in inputs], Site(), problems if problems is not None else [],
                           options.source_format)


def convert(inputs: Iterable[str | PathLike], out: str | PathLike, options: Options | None = None,
            progress: Progress | None = None, **kwargs) -> Report:
    """Convert the inputs into Markdown files under ``out``; return the report.

    Keyword arguments are Options fields (``convert(["export.xml"], "out", include_drafts=True)``).
    """
    options = options or Options(**kwargs)
    paths = [Path(p) for p in inputs]
    out = Path(out)
    report = Report()
    try:
        if not paths:
            raise InputError("-", "no input given")
        for path in paths:
            detect(path, options.source_format)
        index = build_index(paths, options, report.problems)
        if not index.entries:
            raise InputError(", ".join(map(str, paths)), "no items found: not a WordPress export or empty")
    except InputError as exc:
        report.fatal = True
        report.problems.append(Problem("error", "input-unreadable", exc.message, source=exc.path))
        return report
    out.mkdir(parents=True, exist_ok=True)
    total = len(index.entries)
    docs = read_inputs(paths, Site(), [], options.source_format)
    for done, (doc, entry) in enumerate(zip(docs, index.entries), start=1):
        _handle(doc, entry, index, options, out, report)
        if progress:
            progress(done, total)
    write_manifest(report, out)
    return report


def _handle(doc: Document, entry: Entry, index: SiteIndex, options: Options, out: Path, report: Report) -> None:
    """Put one item into the report (and, for documents, on disk); never raises."""
    if doc.id != entry.id:
        report.problems.append(Problem("error", "reread-mismatch", "input changed between the two passes",
                                       id=doc.id, source=doc.source, line=doc.line))
        return
    if entry.disposition == "skip":
        report.skipped.append(SkippedEntry(doc.id, doc.type, doc.status, doc.title, entry.reason, doc.source))
        return
    if entry.disposition == "media":
        url = doc.attachment_url or doc.guid
        report.media.append(MediaEntry(doc.id, url, None, "linked", source=doc.source, title=doc.title,
                                       parent=doc.parent))
        return
    try:
        rendered = convert_document(doc, index, options)
        data = (dump_yaml(rendered.front_matter) + "\n" + rendered.body).encode("utf-8")
        atomic_write(resolve_inside(out, entry.path or ""), data)
    except UnsafePath as exc:
        report.problems.append(Problem("error", "unsafe-path", str(exc), id=doc.id, source=doc.source, line=doc.line))
        return
    except Exception as exc:  # one broken item never stops the others
        report.problems.append(Problem("error", "conversion-failed", f"{type(exc).__name__}: {exc}",
                                       id=doc.id, source=doc.source, line=doc.line))
        report.skipped.append(SkippedEntry(doc.id, doc.type, doc.status, doc.title, "conversion-failed", doc.source))
        return
    report.problems.extend(rendered.warnings)
    report.documents.append(DocumentEntry(
        id=doc.id, type=doc.type, status=doc.status, title=doc.title, slug=doc.slug or Path(entry.path or "").stem,
        date=doc.date.isoformat() if doc.date else None, path=entry.path or "", source=doc.source,
        source_url=doc.link, warnings=[f"{w.code}: {w.message}" for w in rendered.warnings],
    ))


def convert_document(doc: Document, index: SiteIndex, options: Options) -> Rendered:
    """One document through transforms and render (pure: touches no file)."""
    ctx = Context(doc=doc, options=options, site=index.site, attachments=index.attachments,
                  reusable_blocks=index.reusable_blocks)
    soup = transform(ctx)
    render_warnings: list[Problem] = []
    body = render_markdown(soup, options.figure_style, render_warnings)
    for w in render_warnings:
        ctx.report(w.code, w.message, w.severity)
    featured = index.attachments.get(doc.meta.get("_thumbnail_id", "").strip())
    entry = index.by_id.get(doc.id)
    slug = doc.slug or (Path(entry.path).stem if entry and entry.path else doc.id)
    fm = front_matter(doc, slug=slug, excerpt=plain_text(doc.excerpt),
                      featured_image=featured.url if featured else doc.extra.get("featured_image"))
    return Rendered(doc=doc, front_matter=fm, body=body, warnings=ctx.problems)


def plain_text(fragment: str) -> str:
    """An HTML fragment (an excerpt) as one line of plain text."""
    return re.sub(r"\s+", " ", html.unescape(_TAGS.sub(" ", fragment))).strip()
