"""The public API: ``read`` yields documents, ``convert`` runs the whole pipeline.

sources -> transforms -> render -> output, in two passes over the inputs: the first builds a
compact index (fates, output paths, attachments), the second converts and writes.  Problems are
collected into the returned :class:`~migrator.model.Report`; nothing here raises for bad input.
"""

from __future__ import annotations

import dataclasses
import gc
import html
import re
from collections.abc import Callable, Iterable, Iterator
from os import PathLike
from pathlib import Path
from urllib.parse import urlsplit

from . import parallel
from .index import Entry, SiteIndex, build_index
from .model import Document, DocumentEntry, MediaEntry, Problem, Rendered, Report, Site, SkippedEntry
from .options import Options
from .output.manifest import read_manifest, write_manifest
from .output.media import ProgressCallback
from .output.media_phase import run_media_phase
from .output.redirects import Redirect, write_redirects
from .output.writer import UnsafePath, atomic_write, resolve_inside
from .render.frontmatter import dump_yaml, front_matter
from .render.markdown import render_markdown
from .sources import InputError, detect, read_inputs
from .transforms import Context, transform
from .transforms.references import References, bundle_layout, decode_path, document_url, file_url

Progress = Callable[[int, int], None]
_TAGS = re.compile(r"<[^>]+>")


def read(inputs: Iterable[str | PathLike], options: Options | None = None,
         problems: list[Problem] | None = None) -> Iterator[Document]:
    """Yield every item of the inputs as a Document (raises sources.InputError if unreadable)."""
    options = options or Options()
    yield from read_inputs([Path(p) for p in inputs], Site(), problems if problems is not None else [],
                           options.source_format)


def convert(inputs: Iterable[str | PathLike], out: str | PathLike, options: Options | None = None,
            progress: Progress | None = None, media_progress: ProgressCallback | None = None,
            **kwargs) -> Report:
    """Convert the inputs into Markdown files under ``out``; return the report.

    Keyword arguments are Options fields (``convert(["export.xml"], "out", include_drafts=True)``).
    ``media_progress`` receives the media downloader's progress events.
    """
    options = options or Options(**kwargs)
    if options.media == "bundle":
        options = dataclasses.replace(options, layout=bundle_layout(options.layout))
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
    gc.freeze()  # the index lives all run: keep it out of every garbage collection (and copy-on-write)
    out.mkdir(parents=True, exist_ok=True)
    previous = read_manifest(out) if options.media != "link" else None  # only downloads use it
    refs = References(index, options)
    total = len(index.entries)
    docs = read_inputs(paths, Site(), [], options.source_format)
    if parallel.use_pool(index, options):  # worker processes; this consumes ``docs``
        parallel.convert_parallel(docs, index, options, out, report, refs, _handle, progress)
    for done, (doc, entry) in enumerate(zip(docs, index.entries), start=1):
        _handle(doc, entry, index, options, out, report, refs)
        if progress:
            progress(done, total)
    run_media_phase(refs, report, out, previous, media_progress)
    if options.redirects:
        write_redirects(redirects(refs, report), list(options.redirects), out)
    write_manifest(report, out)
    gc.unfreeze()
    return report


def redirects(refs: References, report: Report) -> list[Redirect]:
    """Old URL -> new URL for every written document and every attachment page."""
    written = {d.id for d in report.documents}
    out: list[Redirect] = []
    for entry in refs.index.entries:
        if entry.id in written and entry.path:
            new = document_url(entry.path, refs.base_url)
            out.extend(Redirect(old, new, entry.id) for old in refs.old_paths(entry))
    media = {m.id: m for m in report.media}
    for entry in refs.index.entries:
        m = media.get(entry.id)
        if m is None or entry.disposition != "media":
            continue
        parent = refs.index.by_id.get(entry.parent)
        if m.path:
            new = file_url(m.path, refs.base_url)
            upload = refs.absolute(m.url)
            if refs.is_own(upload):  # the old upload URL itself -> the local copy
                out.append(Redirect(decode_path(urlsplit(upload).path), new, entry.id))
        elif parent is not None and parent.id in written and parent.path:
            new = document_url(parent.path, refs.base_url)
        else:
            new = refs.canonical_media(m.url)
        out.extend(Redirect(old, new, entry.id) for old in refs.old_paths(entry))
    return out


def _handle(doc: Document, entry: Entry, index: SiteIndex, options: Options, out: Path, report: Report,
            refs: References | None = None) -> None:
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
        rendered = convert_document(doc, index, options, refs)
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


def convert_document(doc: Document, index: SiteIndex, options: Options,
                     refs: References | None = None) -> Rendered:
    """One document through transforms and render (touches no file; ``refs`` records media use)."""
    refs = refs or References(index, options)
    ctx = Context(doc=doc, options=options, site=index.site, attachments=index.attachments,
                  reusable_blocks=index.reusable_blocks)
    soup = transform(ctx)
    entry = index.by_id.get(doc.id)
    doc_path = entry.path if entry is not None and entry.path else f"{doc.id}.md"
    refs.rewrite(soup, ctx, doc_path)
    render_warnings: list[Problem] = []
    body = render_markdown(soup, options.figure_style, render_warnings)
    soup.decompose()  # break the tree's reference cycles now: freed at once, not by the cyclic GC
    for w in render_warnings:
        ctx.report(w.code, w.message, w.severity)
    featured = index.attachments.get(doc.meta.get("_thumbnail_id", "").strip())
    featured_url = featured.url if featured else doc.extra.get("featured_image")
    if featured_url:
        featured_url = refs.media_ref(refs.absolute(featured_url, doc.link), doc_path)
    slug = doc.slug or (Path(entry.path).stem if entry and entry.path else doc.id)
    fm = front_matter(doc, slug=slug, excerpt=plain_text(doc.excerpt), featured_image=featured_url,
                      aliases=refs.old_paths(entry) if entry is not None else None,
                      redirect_key=options.redirect_key)
    return Rendered(doc=doc, front_matter=fm, body=body, warnings=ctx.problems)


def plain_text(fragment: str) -> str:
    """An HTML fragment (an excerpt) as one line of plain text."""
    return re.sub(r"\s+", " ", html.unescape(_TAGS.sub(" ", fragment))).strip()
