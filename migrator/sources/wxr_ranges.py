"""Pass 1's lean reading of one large WXR file in several processes (``--jobs N``).

The file is cut into ``N`` byte ranges, each starting at an ``<item>`` that directly follows
another item's ``</item>`` (:func:`plan_ranges`).  The parent parses the first range itself
and hands its items on as it goes; each other range is parsed by a forked worker, which writes
its records to a temporary file in frames (a length, then a pickled batch; a frame of length 0
ends the range) and tells the parent of each on a pipe.  The parent takes a worker's frames as
they are written, in range order, while the worker is still parsing: where it reaches the end
of what is written, it sleeps until the worker tells of the next frame or ends (its exit is
what makes the end of its file final).  The ranges are sized for that (:func:`_shares`): the
parent's own range is the smallest, so that it reaches each worker's records about as fast as
they come.  The order-dependent work (channel fields, authors known at each item, problems,
spans, and everything after: ids, slugs, the index) stays in the parent, in input order.

A range is parsed as the one-process reading parses its part of the file, so its items come
out the same, line numbers included (past line 65535 libxml2 gives an element the line its
first text ends on, or 65535 when it has not read that far yet: what it has read depends on
where its reads end): a range after the first is parsed inside the start tags of the file's
root and channel (:func:`~migrator.sources.wxr_index._wrapper`), after as many line breaks as
precede it in the file, in reads that end where the one-process reading's 32 KiB reads end.

Each range is checked: it is well-formed up to its end, with the channel's end tags added (so
the next range starts where the parser is between two children of the one channel), its items'
parent is that channel, in the namespaces the cut assumed, and the byte scanner finds exactly
its items, on their lines.  The parent takes a range's records only once the range before it
has passed those checks (its start is then a place between two children of the channel), so
the records a range gives before it fails are what the one-process reading gives there, as
with the parent's own range.  A worker that fails (an item without an id, which a worker
cannot number), dies, or leaves a frame cut short or unreadable has the rest of its range
parsed by the parent (the records already taken skipped).  A range that fails there too (a
file that is not well-formed, a cut that fell inside a CDATA section or a comment, ...) ends
the ranged reading: the file is read again by one process (:func:`_file_items`), skipping the
items already given, and that reading decides as it always does, :class:`FullReadNeeded`
included.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import multiprocessing
import multiprocessing.connection
import os
import pickle
import re
import struct
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lxml import etree

from ..forking import available, signals_held, worker_signals
from ..model import Document, Problem, Site
from .wxr_items import PARSER_SETTINGS, _channel_field, qname
from .wxr_index import (
    CHUNK,
    FileReader,
    SourceFile,
    Spans,
    _as_is,
    _file_items,
    _lean_item,
    _lean_read,
    _same_line,
    _wrapper,
    scan_items,
)
from .xmlsafe import CleanStream

#: A file smaller than this is read by one process (a fork costs more than it saves).
MIN_BYTES = 2 << 20
#: Indexing an item (in the parent) against parsing it (anywhere), and taking a worker's item
#: (reading it from the worker's file) against parsing it: how the ranges are sized (:func:`_shares`).
ADD_COST = 0.4
TAKE_COST = 0.04
#: What lxml's ``iterparse`` asks of its source at a time.
READ = 32768
#: Items a worker writes at a time.
BATCH = 128
#: A range's end: ``</item>``, then white space, then the start of the next range's first item.
_CUT = re.compile(rb"</item\s*>\s*(<item[\s>/])")
_CLOSER = b"</channel></rss>"

#: One item of a range: (channel fields met before it, as XML; the item; its problems; its
#: span in the file; its number in the range, from 1)
Record = tuple[list[bytes], Document, list[Problem], tuple[int, int, int], int]


class _Unranged(Exception):
    """This range cannot be read by itself as the one-process reading reads it."""


@dataclass
class Plan:
    """How one file is read in ranges."""

    codec: str  # the file's encoding, as the stream names it (a spelling of UTF-8)
    wrapper: str  # the start tags a range after the first is parsed inside
    nsmap: dict  # the channel's namespaces
    cuts: list[int]  # where each range starts (the first at 0)
    size: int

    def ranges(self) -> list[tuple[int, int]]:
        return list(zip(self.cuts, [*self.cuts[1:], self.size]))


def plan_ranges(path: Path, jobs: int) -> Plan | None:
    """Where to cut ``path`` for ``jobs`` processes; None when it is read by one (small, not
    plain UTF-8 the parser reads as it is, a default namespace, no place to cut...)."""
    size = path.stat().st_size
    if jobs < 2 or size < MIN_BYTES or not available():
        return None
    with open(path, "rb") as raw:
        quiet: list[Problem] = []
        stream = CleanStream(raw, str(path), quiet)
        if not _as_is(path, stream, not quiet):
            return None
        codec = stream.codec
    nsmap = _channel_nsmap(path)
    if nsmap is None or None in nsmap:
        return None
    targets = [int(size * share) for share in _shares(jobs)]
    cuts = [0]
    with open(path, "rb") as fh:
        for target in targets:
            cut = _cut_after(fh, max(target, cuts[-1] + 1))
            if cut is None:
                break
            cuts.append(cut)
    if len(cuts) < 2:
        return None
    return Plan(codec, _wrapper(nsmap), nsmap, cuts, size)


def _shares(jobs: int) -> list[float]:
    """Where each range after the first starts, as a share of the file.  The parent parses its
    own range and indexes every item, taking a worker's items as they are written (faster than
    the worker parses them): so the first range is the smallest, the size for the parent to
    reach the second range's end when its worker does (``(1 - ADD_COST - TAKE_COST) / (1 +
    ADD_COST)`` of it), and each later range ``1 / (1 - ADD_COST - TAKE_COST)`` times the one
    before it, for the parent to reach its end when its worker does, after the range before."""
    spare = 1 - ADD_COST - TAKE_COST
    sizes = [spare / (1 + ADD_COST)] + [spare**-k for k in range(jobs - 1)]
    return list(itertools.accumulate(size / sum(sizes) for size in sizes[:-1]))


def _cut_after(fh: IO[bytes], offset: int) -> int | None:
    """The first place at or after ``offset`` where an item starts right after another ends."""
    window = CHUNK
    while True:
        fh.seek(offset)
        data = fh.read(window)
        found = _CUT.search(data)
        if found is not None:
            return offset + found.start(1)
        if len(data) < window:
            return None
        window *= 2


def _channel_nsmap(path: Path) -> dict | None:
    """The namespaces of the element holding the first item (as the one-process reading
    takes them), from the head of the file; None when there is no item under an ``<rss>``."""
    try:
        with open(path, "rb") as fh:
            return _first_item_nsmap(etree.iterparse(fh, events=("start",), **PARSER_SETTINGS))
    except etree.XMLSyntaxError:
        return None


def _first_item_nsmap(events: Iterator[tuple[str, etree._Element]]) -> dict | None:
    for _, elem in events:
        parent = elem.getparent()
        if parent is None:
            if qname(elem.tag) != "rss":
                return None
        elif parent.getparent() is not None and parent.getparent().getparent() is None:
            if qname(elem.tag) == "item":
                return dict(parent.nsmap)
    return None


# ---------------------------------------------------------------------------- one range


class _RangeStream:
    """What the parser reads of one range: ``prelude``, then the file's bytes from ``start`` to
    ``end`` in reads that end where the one-process reading's reads end, with ``closer`` added
    to the last."""

    def __init__(self, fd: int, start: int, end: int, prelude: bytes, closer: bytes):
        self.fd, self.pos, self.end = fd, start, end
        self.prelude, self.closer = prelude, closer

    def read(self, n: int = READ) -> bytes:
        if self.prelude:
            data, self.prelude = self.prelude[:n], self.prelude[n:]
            return data
        data = b""
        if self.pos < self.end:
            stop = min(self.end, (self.pos // READ + 1) * READ)
            data = os.pread(self.fd, stop - self.pos, self.pos)
            self.pos = self.pos + len(data) if data else self.end
        if self.pos >= self.end:
            data, self.closer = data + self.closer, b""
        return data


class _Slice:
    """The file's bytes from ``start`` to ``end``, as a stream (for the byte scanner)."""

    def __init__(self, fd: int, start: int, end: int):
        self.fd, self.pos, self.end = fd, start, end

    def read(self, n: int) -> bytes:
        data = os.pread(self.fd, max(0, min(n, self.end - self.pos)), self.pos)
        self.pos += len(data)
        return data


def _line_at(fd: int, offset: int) -> int:
    """The line ``offset`` is on (LF only, as libxml2 and the scanner count)."""
    line, pos = 1, 0
    while pos < offset:
        data = os.pread(fd, min(4 * CHUNK, offset - pos), pos)
        if not data:
            break
        line += data.count(b"\n")
        pos += len(data)
    return line


def read_range(
    path: Path,
    plan: Plan,
    number: int,
    site: Site,
    first: int | None,
    channel: Callable[[str, etree._Element, Site], None] | None = None,
) -> Iterator[Record]:
    """The items of range ``number`` of ``plan``, as the one-process reading reads them.
    ``first``: how many items of the file come before the range (None: not known, and an item
    that needs its number, one without an id, stops the reading).  ``channel``: what to do with
    a channel field (default: fold it into ``site``; the record then holds no fields).  Raises
    :class:`_Unranged` where the range cannot be read by itself."""
    start, end = plan.ranges()[number]
    source = str(path)
    fields: list[bytes] = []
    state: dict = {"parent": None, "before": 0}

    def item(
        elem: etree._Element, site: Site, source: str, line: int | None, index: int, problems: list[Problem]
    ) -> Document | None:
        parent = elem.getparent()
        if parent is not state["parent"]:
            state["parent"] = parent
            if parent is None or parent.getprevious() is not None or dict(parent.nsmap) != plan.nsmap:
                raise _Unranged("an item outside the channel the cut assumed")
        told = len(problems)
        doc = _lean_item(elem, source, line, index + (first or 0), problems)
        if first is None and any(p.code == "missing-id" for p in problems[told:]):
            raise _Unranged("an item without an id, numbered by its place in the file")
        return doc

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        line = _line_at(fd, start)
        prelude = b"" if start == 0 else (plan.wrapper + "\n" * (line - 1)).encode("utf-8")
        closer = _CLOSER if end < plan.size else b""
        stream = _RangeStream(fd, start, end, prelude, closer)
        scanner = scan_items(_Slice(fd, start, end))  # type: ignore[arg-type]  # it reads like a file
        found: list[Problem] = []
        take = channel or _channel_field
        if channel is None:
            record_field = take
        else:

            def record_field(name: str, elem: etree._Element, site: Site) -> None:
                fields.append(etree.tostring(elem))

        count = 0
        for doc in _lean_read(stream, source, site, found, item, record_field):  # type: ignore[arg-type]
            count += 1
            span = next(scanner, None)
            if span is None or not _same_line(span[2] + line - 1, doc.line):
                raise _Unranged("the scanner and the parser disagree")
            yield fields[:], doc, found[:], (span[0] + start, span[1] + start, doc.line or 0), count
            fields.clear()
            found.clear()
        if next(scanner, None) is not None:
            raise _Unranged("the scanner found more items")
        if fields:  # channel fields after the range's last item
            yield fields[:], None, [], (0, 0, 0), 0  # type: ignore[misc]
    except _Unranged:
        raise
    except Exception as exc:  # noqa: BLE001 - not well-formed, not an export, unreadable...
        raise _Unranged(f"{type(exc).__name__}: {exc}") from exc
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------- workers


class _Worker:
    """One forked process parsing one range into a temporary file, in frames (:func:`_put`)
    the parent takes as they are written.  Each frame is told on a pipe: the parent waiting for
    the next one sleeps until it is written or the worker ends."""

    def __init__(self, path: Path, plan: Plan, number: int):
        self.path, self.plan, self.number = path, plan, number
        self.out = tempfile.TemporaryFile()
        self.told, tell = os.pipe()
        try:
            context = multiprocessing.get_context("fork")
            self.process = context.Process(
                target=_work, args=(path, plan, number, self.out.fileno(), tell), daemon=True
            )
            self.process.start()
        except BaseException:
            os.close(self.told)
            self.out.close()
            raise
        finally:
            os.close(tell)  # the worker's end only: the pipe ends when the worker does

    def records(self, site: Site, before: int) -> Iterator[Record]:
        """The range's records as the worker writes them; should it fail or die, the rest of
        the range as the parent reads it itself (``before``: the items of the file before it).
        Raises :class:`_Unranged` as :func:`read_range` does."""
        taken = 0
        try:
            for batch in self._batches():
                taken += len(batch)
                yield from batch
            return
        except _WorkerFailed:
            self.stop()  # should it still be at work: its core is the parent's now
        records = read_range(self.path, self.plan, self.number, site, before, channel=_channel_field)
        yield from itertools.islice(records, taken, None)  # the same records, the first ones given

    def _batches(self) -> Iterator[list[Record]]:
        """The worker's batches, each once it is written whole; raises :class:`_WorkerFailed`
        when the worker ends without its end frame (failed, killed, its file cut short)."""
        fd, pos, ended = self.out.fileno(), 0, False
        while True:
            head = os.pread(fd, _HEAD.size, pos)
            size = _HEAD.unpack(head)[0] if len(head) == _HEAD.size else None
            if size == 0:
                return  # the end frame: the range was read to its end, and checked
            if size is None or pos + _HEAD.size + size > os.fstat(fd).st_size:  # not written whole yet
                if ended:
                    raise _WorkerFailed
                ended = self._wait()
                continue
            data = os.pread(fd, size, pos + _HEAD.size)
            pos += _HEAD.size + size
            try:
                batch = pickle.loads(data)
            except Exception as exc:  # noqa: BLE001 - a frame that is not what was written
                raise _WorkerFailed from exc
            yield batch

    def _wait(self) -> bool:
        """Sleep until the worker tells of a frame or ends; True once it has ended (what its file
        holds then is all it wrote)."""
        ready = multiprocessing.connection.wait([self.told, self.process.sentinel])
        if self.told in ready and os.read(self.told, 4096):
            return self.process.sentinel in ready
        self.process.join()  # ended, or ending: its end of the pipe is closed
        return True

    def stop(self) -> None:
        if self.process.exitcode is None:
            self.process.kill()
        self.process.join()
        if self.told >= 0:
            os.close(self.told)
            self.told = -1
        self.out.close()


class _WorkerFailed(Exception):
    """A worker ended without writing its whole range."""


#: A frame's head: the size of the pickled batch of records after it (0: the range's end).
_HEAD = struct.Struct("<Q")


def _put(out: int, tell: int, batch: list[Record] | None) -> None:
    """Write one frame (a batch of records; None: the range's end) and tell the parent."""
    data = pickle.dumps(batch, pickle.HIGHEST_PROTOCOL) if batch is not None else b""
    view = memoryview(_HEAD.pack(len(data)) + data)
    while view:
        view = view[os.write(out, view) :]
    with contextlib.suppress(BlockingIOError):  # the pipe is full: the parent has been told
        os.write(tell, b".")


def _work(path: Path, plan: Plan, number: int, out: int, tell: int) -> None:
    """A worker's life: parse a range, write its records, end (0: done, 3: failed)."""
    worker_signals()
    code = 3
    try:
        os.set_blocking(tell, False)
        batch: list[Record] = []
        for record in read_range(path, plan, number, Site(), None, channel=_channel_field):
            batch.append(record)
            if len(batch) >= BATCH:
                _put(out, tell, batch)
                batch = []
        if batch:
            _put(out, tell, batch)
        _put(out, tell, None)
        code = 0
    except BaseException:  # noqa: BLE001 - the parent reads the rest of the range itself
        pass
    os._exit(code)  # nothing of the parent's (its database, its files) is closed or flushed here


# ---------------------------------------------------------------------------- the parent


def file_reader(jobs: int) -> FileReader:
    """How pass 1 reads each file with ``--jobs``: by ranges when ``jobs`` > 1."""
    return functools.partial(ranged_file_items, jobs=jobs) if jobs > 1 else _file_items


def ranged_file_items(
    number: int, path: Path, site: Site, problems: list[Problem], spans: Spans, position: int, jobs: int
) -> Iterator[Document]:
    """:func:`~migrator.sources.wxr_index._file_items` (the items of one file, the first at
    ``position``) with the file parsed by ``jobs`` processes where it is worth it."""
    plan = plan_ranges(path, jobs)
    if plan is None:
        yield from _file_items(number, path, site, problems, spans, position)
        return
    source = str(path)
    spec = SourceFile(path, source, plan.codec, plan.wrapper, None, True)
    spans.files.append(spec)
    given = 0
    workers: list[_Worker] = []
    try:
        try:
            with signals_held():
                for n in range(1, len(plan.cuts)):
                    workers.append(_Worker(path, plan, n))
        except Exception as exc:  # noqa: BLE001 - no process to be had (a daemonic process...)
            raise _Unranged(f"no worker: {type(exc).__name__}") from exc
        for n in range(len(plan.cuts)):
            before = given
            records = workers[n - 1].records(site, before) if n else read_range(path, plan, n, site, before)
            for fields, doc, found, span, ordinal in records:
                for xml in fields:
                    elem = etree.fromstring(xml, etree.XMLParser(**PARSER_SETTINGS))
                    _channel_field(qname(elem.tag), elem, site)
                if doc is None:
                    continue
                problems.extend(found)
                spans.add(position + given, number, span, before + ordinal, len(site.authors), doc.id)
                given += 1
                yield doc
        spec.rangeable = True
    except _Unranged:
        spans.files.remove(spec)
        for worker in workers:
            worker.stop()
        yield from _file_items(number, path, site, problems, spans, position, skip=given)
    finally:
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.stop()
