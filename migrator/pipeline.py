"""The public API: ``read`` yields documents, ``convert`` runs the whole pipeline.

sources -> transforms -> render -> output, in two passes over the inputs: the first builds a
compact index (fates, output paths, attachments), the second converts and writes.  Problems are
collected into the returned :class:`~migrator.model.Report`; nothing here raises for bad input.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import html
import re
from collections.abc import Callable, Iterable, Iterator
from os import PathLike
from pathlib import Path

from . import parallel, targets
from .model import Document, DocumentEntry, MediaEntry, Problem, Rendered, Report, Site, SkippedEntry
from .options import Options, OptionsError, make_options
from .output.manifest import MANIFEST, read_manifest, write_manifest
from .output.media import ProgressCallback
from .output.media_phase import run_media_phase
from .output.ownership import OutputConflict, OutputLock, OutputLocked, OutputRefused, Ownership
from .output.redirects import plan_redirects, write_redirects
from .output.sitedata import SiteData
from .output.writer import UnsafePath, atomic_write, resolve_inside
from .plan.index import Entry, SiteIndex, build_index
from .plan.references import References
from .plan.site_urls import bundle_layout
from .plan.store import Database, KeySet
from .privacy import scrub_document, scrub_site
from .render.frontmatter import front_matter
from .render.markdown import page_count, render_markdown
from .sources import InputError, detect, estimate_items, expand, read_inputs, source_input
from .sources.progress import ReadingCallback, metering
from .transforms import Context, apply_excerpt_filters, apply_title_filters, transform
from .urls import is_dangerous_url

Progress = Callable[[int, int], None]
_TAGS = re.compile(r"<[^>]+>")


def read(
    inputs: Iterable[str | PathLike], options: Options | None = None, problems: list[Problem] | None = None, **kwargs
) -> Iterator[Document]:
    """Yield every item of the inputs as a Document (raises :class:`InputError` if an input is
    unreadable).  Keyword arguments are Options fields, on top of ``options``."""
    options = make_options(options, **kwargs)
    yield from read_inputs(
        expand([source_input(p, options) for p in inputs]),
        Site(),
        problems if problems is not None else [],
        options.source_format,
    )


def convert(
    inputs: Iterable[str | PathLike],
    out: str | PathLike,
    options: Options | None = None,
    progress: Progress | None = None,
    media_progress: ProgressCallback | None = None,
    fetch_progress: Callable[[int, int | None], None] | None = None,
    index_progress: Callable[[int, int | None], None] | None = None,
    reading_progress: ReadingCallback | None = None,
    **kwargs,
) -> Report:
    """Convert the inputs into Markdown files under ``out``; return the report.

    Keyword arguments are Options fields (``convert(["export.xml"], "out", include_drafts=True)``),
    on top of ``options`` when both are given (a keyword wins; ``options`` is not changed).
    Options that do not fit (an unknown name, a value not among the choices, an unknown target,
    a bad layout) raise :class:`OptionsError` before anything is read or written; bad input never
    raises (it is in the report).  ``media_progress`` receives the media downloader's progress
    events; ``fetch_progress`` (done, total or None) the reading of live sites (URL inputs);
    ``index_progress`` (items read, an estimate of all or None) pass 1; ``reading_progress``
    what pass 1's readers are doing and how far, as :class:`~migrator.sources.progress.Reading`
    (bytes of the input files, files of a saved site, items of a live site's REST API: where the
    items are not counted in advance); ``progress`` (done, total) pass 2, from (0, total) on.
    """
    options = make_options(options, **kwargs)
    try:
        profile = targets.get_profile(options.target)  # the run's target, looked up once
        options = targets.resolve_options(options, profile)
    except OptionsError:
        raise
    except ValueError as exc:
        raise OptionsError(str(exc)) from None
    ignored: list[Problem] = []  # files of folder inputs that are not read, each with why
    paths = expand([source_input(p, options, fetch_progress) for p in inputs], ignored)
    options = effective_options(options, paths)
    out = Path(out)
    report = Report()
    report.problems.extend(ignored)
    try:
        lock = OutputLock(out)  # one run at a time into one directory: the second refuses at once
    except OutputRefused as exc:
        report.fatal = True
        code = "output-locked" if isinstance(exc, OutputLocked) else "output-not-ours"
        report.problems.append(Problem("error", code, str(exc), source=str(out)))
        return report
    try:
        return _convert_locked(
            paths, out, options, profile, report, progress, media_progress, index_progress, reading_progress
        )
    finally:
        lock.release()


def _convert_locked(
    paths: list,
    out: Path,
    options: Options,
    profile: targets.Profile,
    report: Report,
    progress: Progress | None,
    media_progress: ProgressCallback | None,
    index_progress: Callable[[int, int | None], None] | None = None,
    reading_progress: ReadingCallback | None = None,
) -> Report:
    """:func:`convert` once the output directory is locked."""
    try:
        if not paths:
            raise InputError("-", "no input given")
        for path in paths:
            detect(path, options.source_format)
        counted: Callable[[int], None] | None = None
        if index_progress is not None:
            expected, tell = estimate_items(paths), index_progress
            tell(0, expected)
            counted = lambda n: tell(n, expected)  # noqa: E731
        with metering(paths, reading_progress):  # the readers say how far pass 1 is
            index = build_index(paths, options, report.problems, counted)
        if not index.entries and not (index.site.wxr_version or index.site.base_site_url):
            index.close()
            raise InputError(", ".join(map(str, paths)), "no items found: not a WordPress export or empty")
        if not index.entries:
            report.problems.append(
                Problem(
                    "warning",
                    "no-items",
                    "the export holds no items (only site data)",
                    source=", ".join(map(str, paths)),
                )
            )
    except InputError as exc:
        report.fatal = True
        report.problems.append(Problem("error", "input-unreadable", exc.message, source=exc.path))
        return report
    written = Database(private=True)  # the files this run writes (the parent's own record)
    try:
        _convert_indexed(
            paths, index, out, options, profile, report, progress, media_progress, KeySet(written, "written")
        )
    finally:
        index.close()  # the temporary databases go
        written.close()
    return report


def _convert_indexed(
    paths: list,
    index: SiteIndex,
    out: Path,
    options: Options,
    profile: targets.Profile,
    report: Report,
    progress: Progress | None,
    media_progress: ProgressCallback | None,
    written: KeySet,
) -> None:
    """Pass 2 and the output stage, once the inputs are indexed."""
    previous = read_manifest(out)
    try:
        owner = Ownership(out, previous, force=options.force, written=written)
    except OutputRefused as exc:
        report.fatal = True
        report.problems.append(Problem("error", "output-not-ours", str(exc), source=str(out)))
        return
    scrub_site(index.site, options)  # private data stops here (see migrator/privacy.py)
    refs = targets.make_references(index, options, profile)
    index.db.freeze()  # complete: read without locks from here on, here and in worker processes
    site_data = SiteData(
        index.site, options, profile.data_dir, profile.authors_file, profile.authors_format, profile.site_files
    )
    gc.freeze()  # what lives all run: out of every garbage collection (and copy-on-write)
    total = len(index.entries)
    if progress:
        progress(0, total)  # pass 2 begins: its total is known from here on
    docs = (scrub_document(doc, options) for doc in read_inputs(paths, Site(), [], options.source_format))
    handle = functools.partial(_handle, owner=owner, profile=profile)

    def after(doc: Document, entry: Entry) -> None:
        """Run bookkeeping, in input order, once an item's report entries are in."""
        site_data.add(doc, report)

    if parallel.use_pool(index, options) and index.spans is not None and index.spans.usable:
        # every process reads its own documents where pass 1 found them; the parent reads nothing
        parallel.convert_parallel(
            _entries_only(index),
            index,
            options,
            out,
            report,
            refs,
            handle,
            progress,
            owner=owner,
            reading=_reading(index, options, site_data, report),
        )
        docs = iter(())
    elif parallel.use_pool(index, options):  # worker processes; this consumes ``docs``
        parallel.convert_parallel(
            zip(docs, index.entries), index, options, out, report, refs, handle, progress, after, owner
        )
    elif index.spans is not None and index.spans.usable:
        # one process: each document is read from where pass 1 found it, the other items are
        # their index rows (nothing else of the inputs is read again)
        _convert_serial(
            index, options, out, report, refs, handle, progress, _reading(index, options, site_data, report)
        )
        docs = iter(())
    for done, (doc, entry) in enumerate(zip(docs, index.entries), start=1):
        handle(doc, entry, index, options, out, report, refs)
        after(doc, entry)
        if progress:
            progress(done, total)
    run_media_phase(refs, report, out, previous, media_progress, owner=owner)
    if options.redirects:
        write_redirects(
            plan_redirects(refs, report), options.redirects, out, _owned_writer(owner, report), profile.publish_dir
        )
    try:
        targets.finish(index, options, out, site_data, owner)
    except (OutputConflict, UnsafePath) as exc:
        report.problems.append(Problem("error", "output-conflict", str(exc)))
    _finish(report, out, owner, options.target)
    gc.unfreeze()


def _convert_serial(
    index: SiteIndex,
    options: Options,
    out: Path,
    report: Report,
    refs: References,
    handle: Callable[..., None],
    progress: Progress | None,
    reading: parallel.Reading,
) -> None:
    """Pass 2 in this process over :func:`_entries_only`, each document read by ``reading``
    (what a worker of :func:`parallel.convert_parallel` does, in input order)."""
    total = len(index.entries)
    for done, (position, (doc, entry)) in enumerate(enumerate(_entries_only(index)), start=1):
        if doc is None:
            doc = reading.load(position, entry)
            if doc is None:
                report.problems.append(parallel.reread_mismatch(entry))
        if doc is not None:
            handle(doc, entry, index, options, out, report, refs)
        reading.after(doc, entry, None)
        if progress:
            progress(done, total)


def _entries_only(index: SiteIndex) -> Iterator[tuple[Document | None, Entry]]:
    """Every entry with a stand-in document made of its index row, or None for a document
    (read by whoever converts it)."""
    for entry in index.entries:
        if entry.disposition == "document":
            yield None, entry
            continue
        att = index.attachments.get(entry.id) if entry.disposition == "media" else None
        yield (
            Document(
                id=entry.id,
                type=entry.type,
                status=entry.status,
                title=entry.title,
                slug=entry.slug,
                parent=entry.parent,
                link=entry.link,
                guid=entry.guid,
                source=entry.source,
                line=entry.line,
                attachment_url=att.url if att is not None else "",
            ),
            entry,
        )


def _reading(index: SiteIndex, options: Options, site_data: SiteData, report: Report) -> parallel.Reading:
    """How pass 2 reads documents from their place in the inputs (:mod:`migrator.parallel`)."""
    spans = index.spans
    assert spans is not None
    comments = options.comments != "none"  # else nothing reads a document's comments

    def load(position: int, entry: Entry) -> Document | None:
        doc = spans.document(position, comments)
        if doc is None:
            return None
        doc.id = entry.id  # as distinct_ids named it
        return scrub_document(doc, options)

    def after(doc: Document | None, entry: Entry, note: tuple | None) -> None:
        if entry.disposition == "document":
            site_data.add(doc, report, note)

    return parallel.Reading(load, site_data.note, after)


def _owned_writer(owner: Ownership, report: Report) -> Callable[[str, Iterable[str]], None]:
    """Write a streamed file (a redirect map) through ``owner``; a conflict is reported."""

    def write(rel: str, chunks: Iterable[str]) -> None:
        try:
            owner.write_chunks(rel, chunks)
        except (OutputConflict, UnsafePath) as exc:
            report.problems.append(Problem("error", "output-conflict", str(exc)))

    return write


def _finish(report: Report, out: Path, owner: Ownership, target: str = "plain") -> None:
    """Remove stale files of earlier runs, write the manifest, drop the journal."""
    report.problems.extend(owner.remove_stale())
    if not owner.may_write(MANIFEST):
        report.problems.append(
            Problem("error", "output-conflict", f"{MANIFEST} exists and was not created by migrator; not written")
        )
        return
    write_manifest(report, out, owner.files(), target, owner.hashes())
    owner.finish()


def effective_options(options: Options, paths: list[Path]) -> Options:
    """Options implied by others: ``media_from`` means downloading (copying) media; a saved site
    (a folder with ``wp-content/uploads``) brings its own images; without ``--media``, media are
    downloaded for a site-generator target (the new site must not break the day the old one is
    switched off) and linked for plain Markdown; bundles change the layout."""
    if options.media in ("", "link") and not options.media_from:
        uploads = next(
            (
                p / "wp-content" / "uploads"
                for p in paths
                if isinstance(p, Path) and p.is_dir() and (p / "wp-content" / "uploads").is_dir()
            ),
            None,
        )
        if uploads is not None:
            options = dataclasses.replace(options, media_from=str(uploads))
    if not options.media:
        download = options.media_from or options.target not in ("", "plain")
        options = dataclasses.replace(options, media="download" if download else "link")
    if options.media_from and options.media == "link":
        options = dataclasses.replace(options, media="download")
    if options.media == "bundle":
        options = dataclasses.replace(options, layout=bundle_layout(options.layout))
    return options


def _handle(
    doc: Document,
    entry: Entry,
    index: SiteIndex,
    options: Options,
    out: Path,
    report: Report,
    refs: References | None = None,
    owner: Ownership | None = None,
    profile: targets.Profile | None = None,
) -> None:
    """Put one item into the report (and, for documents, on disk); never raises."""
    if doc.id != entry.id:
        report.problems.append(
            Problem(
                "error",
                "reread-mismatch",
                "input changed between the two passes",
                id=doc.id,
                source=doc.source,
                line=doc.line,
            )
        )
        return
    if entry.disposition == "skip":
        report.skipped.append(SkippedEntry(doc.id, doc.type, doc.status, doc.title, entry.reason, doc.source))
        return
    if entry.disposition == "media":
        url = doc.attachment_url or doc.guid
        report.media.append(
            MediaEntry(doc.id, url, None, "linked", source=doc.source, title=doc.title, parent=doc.parent)
        )
        return
    try:
        rendered = convert_document(doc, index, options, refs, profile, entry)
        data = targets.serialize(rendered.front_matter, rendered.body, options).encode("utf-8")
        if owner is not None:
            owner.write(entry.path or "", data)
        else:
            atomic_write(resolve_inside(out, entry.path or ""), data)
    except UnsafePath as exc:
        report.problems.append(Problem("error", "unsafe-path", str(exc), id=doc.id, source=doc.source, line=doc.line))
        return
    except OutputConflict as exc:
        report.problems.append(
            Problem("error", "output-conflict", str(exc), id=doc.id, source=doc.source, line=doc.line)
        )
        report.skipped.append(SkippedEntry(doc.id, doc.type, doc.status, doc.title, "output-conflict", doc.source))
        return
    except Exception as exc:  # one broken item never stops the others
        if owner is not None and entry.path:
            owner.keep(entry.path)  # an earlier run's file of this item is not stale
        report.problems.append(
            Problem(
                "error",
                "conversion-failed",
                f"{type(exc).__name__}: {exc}",
                id=doc.id,
                source=doc.source,
                line=doc.line,
            )
        )
        report.skipped.append(SkippedEntry(doc.id, doc.type, doc.status, doc.title, "conversion-failed", doc.source))
        return
    report.problems.extend(rendered.warnings)
    report.documents.append(
        DocumentEntry(
            id=doc.id,
            type=doc.type,
            status=doc.status,
            title=rendered.doc.title,  # as shown (the_title)
            slug=doc.slug or Path(entry.path or "").stem,
            date=doc.date.isoformat() if doc.date else None,
            path=entry.path or "",
            source=doc.source,
            source_url=doc.link,
            warnings=[f"{w.code}: {w.message}" for w in rendered.warnings],
            pages=page_count(rendered.body),
        )
    )


def document_context(doc: Document, index: SiteIndex, options: Options) -> Context:
    """What the transforms of ``doc`` know of the run: its options and what pass 1 indexed."""
    return Context(
        doc=doc, options=options, site=index.site, attachments=index.attachments, reusable_blocks=index.reusable_blocks
    )


def convert_document(
    doc: Document,
    index: SiteIndex,
    options: Options,
    refs: References | None = None,
    profile: targets.Profile | None = None,
    entry: Entry | None = None,
) -> Rendered:
    """One document through transforms and render (touches no file; ``refs`` records media use).

    ``refs`` and ``profile`` are the run's (``convert`` passes them); without them, plain
    References and the profile of ``options.target``.  ``entry``: the document's index entry
    when the caller has it (else it is looked up by id)."""
    refs = refs or References(index, options)
    profile = profile or targets.get_profile(options.target)
    ctx = document_context(doc, index, options)
    root = transform(ctx)
    title, excerpt = apply_title_filters(ctx), apply_excerpt_filters(ctx)
    if title != doc.title or excerpt != doc.excerpt:
        doc = dataclasses.replace(doc, title=title, excerpt=excerpt)
    if entry is None or entry.id != doc.id:
        entry = index.by_id.get(doc.id)
    doc_path = entry.path if entry is not None and entry.path else f"{doc.id}.md"
    refs.rewrite(root, ctx, doc_path)
    targets.mark_template_syntax(root, options)  # the source's {{< >}} is printed by Hugo, never run
    render_warnings: list[Problem] = []
    body = render_markdown(root, options.figure_style, render_warnings, options.embed_style)
    for w in render_warnings:
        ctx.report(w.code, w.message, w.severity)
    featured = index.attachments.get(doc.meta.get("_thumbnail_id", "").strip())
    featured_url = featured.url if featured else doc.extra.get("featured_image")
    if featured_url and is_dangerous_url(featured_url):
        featured_url = None  # javascript:/data: never reaches the front matter
    if featured_url:
        featured_url = refs.media_ref(refs.absolute(featured_url, doc.link), doc_path)
    if is_dangerous_url(doc.link):
        doc = dataclasses.replace(doc, link="")
    slug = doc.slug or (Path(entry.path).stem if entry and entry.path else doc.id)
    fm = front_matter(
        doc,
        slug=slug,
        excerpt=plain_text(doc.excerpt),
        featured_image=featured_url,
        aliases=refs.old_paths(entry) if entry is not None else None,
        redirect_key=options.redirect_key,
    )
    fm, body = targets.adapt(fm, body, doc, entry, refs, options, index.site, profile)
    return Rendered(doc=doc, front_matter=fm, body=body, warnings=ctx.problems)


def plain_text(fragment: str) -> str:
    """An HTML fragment (an excerpt) as one line of plain text."""
    return re.sub(r"\s+", " ", html.unescape(_TAGS.sub(" ", fragment))).strip()
