"""WordPress eXtended RSS (WXR 1.0-1.2) reader: every item of an export as a Document, and a
broken export read as far as it can be.

The items and channel fields are read by :mod:`.wxr_items` (streaming, memory flat).  This
module opens the file and, when it is not well-formed, reads it again: repaired, then item by
item (see :func:`read_wxr`).
"""

from __future__ import annotations

import bisect
import gzip
import io
import re
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from lxml import etree

from ..model import Document, Problem, Site
from .ids import doc_key, id_hash, merge_sorted
from .progress import listening, open_told
from .wxr_items import NotAnExport, _read
from .xmlsafe import CleanStream

__all__ = ["NotAnExport", "SeenIds", "read_wxr", "split_items", "syntax_error"]


def _open(path: Path) -> IO[bytes]:
    if listening():  # pass 1 of convert: say how far into the file the reading is
        return open_told(path)
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def read_wxr(path: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    """Yield every item of the export as a :class:`Document`; fill ``site`` from the channel.

    Three readings at most, each skipping the items already yielded:

    1. strict, over the file with its encoding settled and any DOCTYPE removed
       (:class:`~migrator.sources.xmlsafe.CleanStream`);
    2. if that fails (reported as ``xml-syntax`` with its line): strict again over the repaired
       stream (invalid characters removed, bare ``&`` escaped, nested CDATA kept as text...,
       each repair reported with its line).  A file that ends before ``</rss>`` is reported as
       ``xml-truncated``; every complete item before the cut has been read by then;
    3. if the repaired file is still not well-formed: item by item (:func:`split_items`), each
       item parsed on its own, strictly or else in lxml's recover mode (``xml-item-broken``).

    ``xml-syntax`` is an error only when data may have been lost (a cut, an item or the channel
    read in recover mode); when every item was read whole after repairs it is a warning (the
    repairs themselves are warnings too).  See docs/problems.md.
    """
    source = str(path)
    seen = SeenIds()
    try:
        with _open(path) as raw:
            stream = CleanStream(raw, source, problems)
            for doc in _read(stream, site, problems, recover=False):
                seen.add(doc_key(doc))
                yield doc
        return
    except etree.XMLSyntaxError as exc:
        msg, first_line = syntax_error(exc)
    except NotAnExport:
        raise
    recovery = _Recovery()
    syntax = [Problem("error", "xml-syntax", f"XML is not well-formed ({msg})", source=source, line=first_line)]
    try:
        yield from _reread(path, site, problems, seen, syntax, recovery)
    finally:
        lost = recovery.lost
        for p in syntax:
            p.severity = "error" if lost else "warning"
            p.message += "; recovered what could be read" if lost else "; repaired: every item was read whole"
        problems.extend(syntax)
        problems.extend(recovery.problems)


class _Recovery:
    """What the re-readings of a broken file found: whether data may have been lost, and the
    problems to report once that is known."""

    def __init__(self) -> None:
        self.lost = False
        self.problems: list[Problem] = []


def _reread(
    path: Path, site: Site, problems: list[Problem], seen: SeenIds, syntax: list[Problem], recovery: _Recovery
) -> Iterator[Document]:
    """Readings 2 and 3 of :func:`read_wxr`."""
    source = str(path)
    first_line = syntax[0].line
    repair_problems: list[Problem] = []
    item_problems: list[Problem] = []
    error_line: int | None = None
    try:
        with _open(path) as raw:
            stream = CleanStream(raw, source, repair_problems, repair=True)
            for doc in _read(stream, site, item_problems, recover=False):
                yield from _recovered(doc, seen, item_problems, problems)
        return
    except etree.XMLSyntaxError as exc:
        msg, error_line = syntax_error(exc)
        if stream.eof and stream.open_item is not None:
            recovery.lost = True
            recovery.problems.append(
                Problem(
                    "error",
                    "xml-truncated",
                    f"the file ends inside the item starting at line {stream.open_item} "
                    "(cut off?); what it holds is read in recover mode and may be incomplete",
                    source=source,
                    line=stream.line,
                )
            )
        elif stream.eof and _cut_at_end(exc, error_line, stream.line):
            if _unclosed(exc) == {"rss"}:  # only </rss> is missing: nothing follows </channel>
                recovery.problems.append(
                    Problem(
                        "warning",
                        "xml-truncated",
                        "the file ends after </channel> without </rss> (cut off?); nothing is lost",
                        source=source,
                        line=stream.line,
                    )
                )
            else:
                recovery.lost = True
                recovery.problems.append(
                    Problem(
                        "error",
                        "xml-truncated",
                        "the file ends before </channel> (cut off between items?); every "
                        "item before the cut is read, anything after it is lost",
                        source=source,
                        line=stream.line,
                    )
                )
            return  # every complete item was read before the parser ran out of input
        elif error_line != first_line:
            syntax.append(
                Problem(
                    "error",
                    "xml-syntax",
                    f"XML is not well-formed ({msg}) even after repairs; the rest is read item by item",
                    source=source,
                    line=error_line,
                )
            )
    except NotAnExport:
        recovery.lost = True  # the repaired file does not even look like an export any more
        return
    finally:
        _merge(problems, repair_problems)
    # 3. item by item: one broken item cannot take the others with it
    yield from _item_by_item(path, site, problems, seen, error_line, recovery)


def _cut_at_end(exc: etree.XMLSyntaxError, line: int | None, last_line: int) -> bool:
    """Whether a failed parse ran out of input (the file ends before its elements are closed)."""
    types = {entry.type_name for entry in exc.error_log}
    return bool(types & {"ERR_TAG_NOT_FINISHED", "ERR_DOCUMENT_END", "ERR_LTSLASH_REQUIRED"}) or (
        line is not None and line >= last_line
    )


_UNCLOSED = re.compile(r"Premature end of data in tag (\S+)")


def _unclosed(exc: etree.XMLSyntaxError) -> set[str]:
    """The elements a parse that ran out of input left open (libxml2 names each)."""
    return {m.group(1) for entry in exc.error_log if (m := _UNCLOSED.search(entry.message or ""))}


def _lossless(exc: etree.XMLSyntaxError) -> bool:
    """Whether every error of a failed strict parse is a namespace error (a namespace URI
    libxml2 refuses, an undeclared prefix): recover mode then reads the same text."""
    entries = list(exc.error_log)
    return bool(entries) and all(entry.domain_name == "NAMESPACE" for entry in entries)


class SeenIds:
    """The items yielded so far (:func:`doc_key`), 8 bytes each (a set of strings would cost
    ~80: on a healthy export this is only ever added to; it is looked at only after a syntax
    error)."""

    #: recent ids are kept in a set; past this many they join the sorted array
    RECENT = 4096

    def __init__(self) -> None:
        self._hashes = array("q")  # sorted
        self._recent: set[int] = set()

    _hash = staticmethod(id_hash)

    def add(self, item_id: str) -> None:
        self._recent.add(self._hash(item_id))
        if len(self._recent) >= self.RECENT:
            (self._hashes,) = merge_sorted([self._hashes], ((h,) for h in sorted(self._recent)))
            self._recent.clear()

    def __contains__(self, item_id: str) -> bool:
        wanted = self._hash(item_id)
        if wanted in self._recent:
            return True
        at = bisect.bisect_left(self._hashes, wanted)
        return at < len(self._hashes) and self._hashes[at] == wanted


def _recovered(
    doc: Document, seen: SeenIds, item_problems: list[Problem], problems: list[Problem]
) -> Iterator[Document]:
    """Yield ``doc`` of a re-reading unless already yielded, with its own problems."""
    mine = [p for p in item_problems if p.id in (None, doc.id)]
    item_problems.clear()
    key = doc_key(doc)
    if key in seen:
        return
    seen.add(key)
    problems.extend(mine)
    problems.append(
        Problem(
            "warning",
            "recovered-item",
            "item read after repairing the XML; check its content",
            id=doc.id,
            source=doc.source,
            line=doc.line,
        )
    )
    yield doc


_SPLIT = re.compile(r"<!\[CDATA\[|\]\]>|<!--|-->|<item[\s>/]|</item\s*>")
_RSS_OPEN = re.compile(r"<rss\b[^>]*>")


def split_items(text: str) -> tuple[str, list[tuple[int, int]]]:
    """(text before the first item, [(start, end) of every ``<item>``]), CDATA-aware.  An item
    without ``</item>`` ends where the next one starts (or at the end of the text)."""
    spans: list[tuple[int, int]] = []
    in_cdata = in_comment = False
    start: int | None = None
    first: int | None = None
    for m in _SPLIT.finditer(text):
        tok = m.group()
        if in_cdata or in_comment:
            if tok == ("]]>" if in_cdata else "-->"):
                in_cdata = in_comment = False
            continue
        if tok == "<![CDATA[":
            in_cdata = True
        elif tok == "<!--":
            in_comment = True
        elif tok.startswith("<item"):
            first = m.start() if first is None else first
            if start is not None:
                spans.append((start, m.start()))
            start = m.start()
        elif tok.startswith("</item") and start is not None:
            spans.append((start, m.end()))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return (text[:first] if first is not None else text), spans


def _item_by_item(
    path: Path, site: Site, problems: list[Problem], seen: SeenIds, error_line: int | None, recovery: _Recovery
) -> Iterator[Document]:
    """Read each ``<item>`` of the repaired text on its own: strictly, else in recover mode.

    Holds the repaired file in memory (this is the last resort for a broken file).  Marks
    ``recovery`` lost when an item or the channel needed recover mode for more than namespace
    errors, or when the repaired file broke (``error_line``) outside every item."""
    source = str(path)
    with _open(path) as raw:
        text = CleanStream(raw, source, [], repair=True).read().decode("utf-8")
    head, spans = split_items(text)
    m = _RSS_OPEN.search(head)
    rss_open = re.sub(r"[\r\n]", " ", m.group()) if m else "<rss>"
    channel_head = head[m.end() :] if m else head
    channel = rss_open + channel_head + "</channel></rss>"
    try:
        _parse_quietly(channel, source, Site(), [], recover=False)
    except etree.XMLSyntaxError as exc:
        recovery.lost = recovery.lost or not _lossless(exc)
    except NotAnExport:
        pass
    _parse_quietly(channel, source, site, [], recover=True)
    head_lines = head.count("\n") + 1
    covered = error_line is None or error_line <= head_lines
    line, pos = 1, 0
    for index, (start, end) in enumerate(spans, start=1):
        line += text.count("\n", pos, start)
        pos = start
        if error_line is not None and line <= error_line <= line + text.count("\n", start, end):
            covered = True
        wrapped = rss_open + "<channel>" + text[start:end] + "</channel></rss>"
        item_problems: list[Problem] = []
        try:
            docs = _parse_quietly(wrapped, source, site, item_problems, recover=False, line=line, index=index)
        except etree.XMLSyntaxError as exc:
            msg, err_line = syntax_error(exc)
            lossless = _lossless(exc)
            recovery.lost = recovery.lost or not lossless
            problems.append(
                Problem(
                    "warning" if lossless else "error",
                    "xml-item-broken",
                    f"item not well-formed ({msg}); read in recover mode"
                    + ("; only namespace errors, nothing lost" if lossless else ""),
                    source=source,
                    line=line + (err_line or 1) - 1,
                )
            )
            item_problems = []
            docs = _parse_quietly(wrapped, source, site, item_problems, recover=True, line=line, index=index)
        for doc in docs:
            yield from _recovered(doc, seen, item_problems, problems)
    if not covered:
        recovery.lost = True  # what broke the file lies between items: dropped, whatever it was


def _parse_quietly(
    text: str, source: str, site: Site, problems: list[Problem], recover: bool, line: int = 1, index: int = 1
) -> list[Document]:
    """Parse a small well-wrapped piece; in recover mode never raises."""
    stream = io.BytesIO(text.encode("utf-8"))
    try:
        return list(_read(stream, site, problems, recover, source=source, line_offset=line - 1, first_index=index))
    except (etree.XMLSyntaxError, NotAnExport):
        if not recover:
            raise
        return []


def syntax_error(exc: etree.XMLSyntaxError) -> tuple[str, int | None]:
    """The first real error of a failed parse: (message, line).  lxml's own ``msg``/``lineno``
    sometimes name a follow-up error ("no element found", line 0)."""
    for entry in exc.error_log:
        if entry.line > 0 and entry.message:
            return entry.message.strip(), entry.line
    return exc.msg, exc.lineno or None


def _merge(problems: list[Problem], new: list[Problem]) -> None:
    """Add the problems of a re-reading that were not reported by an earlier one."""
    known = {(p.code, p.line, p.message) for p in problems}
    problems.extend(p for p in new if (p.code, p.line, p.message) not in known)
