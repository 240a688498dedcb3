"""Pass 2 in a process pool: documents converted in parallel, output identical to one process.

The parent keeps streaming the inputs (the same reader as ``--jobs 1``) and sends documents in
small batches to worker processes; everything else (skipped items, attachments) it handles
itself.  The workers are forked after pass 1, so the index reaches them once, through the pool
initializer, never per task.  Each worker converts and writes its documents and sends back what
the parent needs: the report entries of each document and a journal of the media references
the document made.

Results are applied strictly in input order, so report entries and problems come out as with
one process.  Media use must too: :class:`~migrator.plan.references.References` records,
per canonical media URL, which documents wrote what, and picks a URL's canonical spelling on
first use.  A worker therefore converts each document, with the run's own References (plain or
a target's, inherited through the fork) in journalling mode, against the state the fork
inherited only (its own changes are undone after every document); the parent replays the
journals in input order.  Should a document have picked a canonical spelling that an earlier
document had already fixed differently (the same file linked as ``http://`` and ``https://www.``
before any attachment names it), the parent converts that document again itself, so the bytes
written are exactly those of ``--jobs 1``.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .forking import available, signals_held, worker_signals
from .model import Document, Problem, Report
from .options import Options
from .output.ownership import Ownership
from .plan.index import Entry, SiteIndex
from .plan.references import References

#: Fewer documents than this are converted in the parent (a pool costs more than it saves).
MIN_DOCUMENTS = 64
#: Largest number of documents sent to a worker at once.
MAX_BATCH = 16

Progress = Callable[[int, int], None]
Handle = Callable[..., None]


def use_pool(index: SiteIndex, options: Options) -> bool:
    """Whether pass 2 should run in a pool for this run."""
    return options.jobs > 1 and available() and index.entries.count("document") >= MIN_DOCUMENTS


# ---------------------------------------------------------------------------- media journal


def take(refs: References) -> list[tuple]:
    """The current document's journal; the media state goes back to what it was before it
    (worker side: every document is converted against the state the fork inherited)."""
    journal, refs.journal = refs.journal or [], []
    for event in reversed(journal):
        if event[0] == "key":
            refs._canonical.pop(event[1], None)
        elif event[4]:  # the document created this use
            refs.media.pop(event[1], None)
        elif event[1] in refs.media:
            refs.media[event[1]].written.pop(event[2], None)
    return journal


def conflicts(refs: References, journal: list[tuple]) -> bool:
    """True when the journal chose a canonical spelling the run has already fixed otherwise."""
    for event in journal:
        if event[0] == "key":
            known = refs.known_canonical(event[1])
            if known is not None and known != event[2]:
                return True
    return False


def replay(refs: References, journal: list[tuple]) -> None:
    """Apply a document's journal to the run's References (parent side, in input order)."""
    for event in journal:
        if event[0] == "key":
            refs.fix_canonical(event[1], event[2])
        else:
            _, url, path, written, _new = event
            refs.use_of(url).written[path] = written


# ---------------------------------------------------------------------------- worker side


def _part() -> Report:
    """The report of one document in a worker: its record lists are plain lists, not spools (it
    is pickled to the parent whole; a spool would pickle every record again on both sides)."""
    plain: Callable[[], Any] = list
    return Report(documents=plain(), skipped=plain(), media=plain(), media_files=plain(), problems=plain())


@dataclass
class Outcome:
    """What converting one document added to the report, plus its media journal."""

    report: Report = field(default_factory=_part)
    journal: list[tuple] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # path -> content hash, as written
    note: tuple | None = None  # a document read by the worker itself: Reading.note of it, if written


@dataclass
class Reading:
    """Documents that each process reads for itself from where pass 1 found them (nothing of
    them is sent between processes): ``load(position, entry)`` gives the document as the
    serial reading would (None when the input no longer holds it); ``note(doc)`` is what the
    parent's bookkeeping needs of a document a worker wrote, ``after(doc or None, entry,
    note)`` that bookkeeping (in the parent, in input order; ``doc`` None for a document a
    worker read)."""

    load: Callable[[int, Entry], Document | None]
    note: Callable[[Document], tuple]
    after: Callable[[Document | None, Entry, tuple | None], None]


_worker: dict = {}


class _Pool(multiprocessing.pool.Pool):
    """A process pool whose worker-maintenance thread sleeps until a worker ends or the pool
    changes state.  The standard pool's thread also wakes whenever a result waits in the
    result pipe, and stays awake until the result thread has read it: on a 10k-item export
    that thread spun for 0.5-0.6 s of the parent's CPU (a fifth of its work during pass 2),
    taking the GIL from the threads that do the work.  Results are read by the result thread
    alone; a worker that dies still wakes the maintenance thread (its process sentinel)."""

    def _get_sentinels(self) -> list:
        return [self._change_notifier._reader]  # type: ignore[attr-defined]


def _init(
    index: SiteIndex,
    options: Options,
    out: Path,
    handle: Handle,
    refs: References,
    owner: Ownership | None,
    reading: Reading | None = None,
) -> None:
    """Pool initializer (runs once per worker; with fork the arguments are not copied): the
    run's own References (plain or a target's), journalling from now on."""
    refs.journal = []
    if owner is not None:
        owner.detach()
    worker_signals()  # Ctrl-C is the parent's to handle; the pool ends its workers with SIGTERM
    _worker.update(index=index, options=options, out=out, handle=handle, refs=refs, owner=owner, reading=reading)


def _convert_batch(batch: list[tuple[int, Document | None]]) -> list[Outcome]:
    w = _worker
    outcomes = []
    for position, doc in batch:
        outcome = Outcome()
        entry = w["index"].entries[position]
        if doc is None:  # read here, from where pass 1 found it
            doc = w["reading"].load(position, entry)
            if doc is None:
                outcome.report.problems.append(reread_mismatch(entry))
                outcomes.append(outcome)
                continue
        w["handle"](doc, entry, w["index"], w["options"], w["out"], outcome.report, w["refs"])
        outcome.journal = take(w["refs"])
        if w["owner"] is not None:
            outcome.files = w["owner"].take()
        if w["reading"] is not None and outcome.report.documents:
            outcome.note = w["reading"].note(doc)
        outcomes.append(outcome)
    return outcomes


def reread_mismatch(entry: Entry) -> Problem:
    """The input no longer holds the item pass 1 read there."""
    return Problem(
        "error",
        "reread-mismatch",
        "input changed between the two passes",
        id=entry.id,
        source=entry.source,
        line=entry.line,
    )


# ---------------------------------------------------------------------------- parent side


def merge(report: Report, part: Report) -> None:
    """Append one document's report entries (in the order ``_handle`` made them)."""
    report.documents.extend(part.documents)
    report.skipped.extend(part.skipped)
    report.media.extend(part.media)
    report.media_files.extend(part.media_files)
    report.problems.extend(part.problems)


def adopt(owner: Ownership, part: Report, path: str | None, files: dict[str, str] | None = None) -> None:
    """The parent's ownership learns what a worker did with one document's file (and its hash)."""
    files = files or {}
    for document in part.documents:
        owner.adopt(document.path, files.get(document.path, ""))
    if path and any(s.reason == "conversion-failed" for s in part.skipped):
        owner.keep(path)  # an earlier run's file of this item is not stale


def convert_parallel(
    items: Iterable[tuple[Document | None, Entry]],
    index: SiteIndex,
    options: Options,
    out: Path,
    report: Report,
    refs: References,
    handle: Handle,
    progress: Progress | None = None,
    after: Callable[[Document, Entry], None] | None = None,
    owner: Ownership | None = None,
    reading: Reading | None = None,
) -> None:
    """Pass 2 with ``options.jobs`` worker processes; same report and files as the serial loop.

    ``items`` pairs every index entry, in order, with its document as read again; with
    ``reading``, a document entry's document is None: the worker reads it (see
    :class:`Reading`, whose ``after`` then replaces ``after``).  ``after(doc, entry)`` runs in
    the parent for every item, in input order, once its report entries are in; ``owner`` (the
    run's file ownership) learns the files the workers wrote."""
    jobs = max(1, options.jobs)
    documents = index.entries.count("document")
    batch_size = max(1, min(MAX_BATCH, documents // (jobs * 8)))
    limit = jobs * 3  # batches in flight: bounds memory whatever the export's size
    total = len(index.entries)
    context = multiprocessing.get_context("fork")
    # (remote, position, doc, entry) in input order
    pending: deque[tuple[bool, int, Document | None, Entry]] = deque()
    futures: deque = deque()  # (AsyncResult, batch) in submission order
    ready: deque[Outcome | None] = deque()
    batch: list[tuple[int, Document]] = []
    done = 0

    with ExitStack() as stack:  # the pool ends with this block, a held signal's too
        with signals_held():
            pool = stack.enter_context(
                _Pool(jobs, _init, (index, options, out, handle, refs, owner, reading), context=context)
            )

        def submit() -> None:
            nonlocal batch
            if batch:
                futures.append((pool.apply_async(_convert_batch, (batch,)), len(batch)))
                batch = []

        def collect() -> None:
            result, size = futures.popleft()
            try:
                ready.extend(result.get())
            except Exception:  # noqa: BLE001 - a lost batch is converted here instead
                ready.extend([None] * size)

        def apply(final: bool) -> None:
            nonlocal done
            while pending:
                remote, position, doc, entry = pending[0]
                if remote and not ready:
                    if not futures and final:
                        submit()
                    if not futures or not (final or len(futures) > limit or futures[0][0].ready()):
                        return
                    collect()
                pending.popleft()
                outcome = ready.popleft() if remote else None
                if outcome is not None and owner is not None:
                    adopt(owner, outcome.report, entry.path, outcome.files)  # the worker wrote it for this run
                note = None
                if outcome is None or conflicts(refs, outcome.journal):
                    if doc is None and reading is not None:
                        doc = reading.load(position, entry)
                    if doc is None:
                        report.problems.append(reread_mismatch(entry))
                    else:
                        handle(doc, entry, index, options, out, report, refs)
                else:
                    replay(refs, outcome.journal)
                    merge(report, outcome.report)
                    note = outcome.note
                if reading is not None:
                    reading.after(doc, entry, note)
                elif after is not None:
                    after(doc, entry)
                done += 1
                if progress:
                    progress(done, total)

        for position, (doc, entry) in enumerate(items):
            remote = (doc is None or doc.id == entry.id) and entry.disposition == "document"
            pending.append((remote, position, doc, entry))
            if remote:
                batch.append((position, doc))
                if len(batch) >= batch_size:
                    submit()
            apply(final=False)
        submit()
        apply(final=True)


__all__ = [
    "Outcome",
    "Reading",
    "reread_mismatch",
    "take",
    "available",
    "conflicts",
    "convert_parallel",
    "merge",
    "replay",
    "use_pool",
]
