"""Pass 1's lean reading of WXR files, and each item's place in its file.

:func:`index_items` reads the fields the index needs (id, type, status, title, slug, dates,
parent, links, an attachment's URL, caption and alt text, a reusable block's content) and
nothing else: no comments, no post meta, no modified date, no author lookup.  Every problem the
full reader reports while reading (encoding, ``missing-id``, ``mojibake-*``, ``unsafe-slug``,
``id-renamed``) is reported the same way, in the same order.

Beside it, a byte scanner (:func:`scan_items`) finds where each ``<item>`` starts and ends in
the file, and the two are checked against each other item by item (start line, count), so
that a later reader can parse one item from its bytes alone (:class:`Spans`): pass 1 asks for
the full item only when two items share an id (:func:`~migrator.sources.ids.distinct_ids`
compares everything they hold), and ``--jobs N`` workers read their own documents.

Only a plain export takes this road: an uncompressed file, strictly well-formed, in UTF-8 or a
single-byte encoding.  Anything else (a syntax error anywhere, a gzip file, UTF-16) raises
:class:`FullReadNeeded` before the index is used, and the caller reads the inputs the usual way.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO

from lxml import etree

from ..model import Document, Problem, Site
from ..slugs import clean_slug
from ..xmlquote import quoteattr
from . import safe_slugs
from .dates import parse_wp_date
from .ids import distinct_ids, fingerprint
from .wxr_items import (
    PARSER_SETTINGS,
    ItemReader,
    NotAnExport,
    _channel_field,
    _int,
    _item,
    drop,
    item_children,
    item_id,
    item_meta,
    qname,
)
from .wxr_fields import clean_text, decode_slug
from .xmlsafe import CleanStream, sniff_encoding

#: Bytes read at a time by the scanner.
CHUNK = 1 << 20
_TOKEN = re.compile(rb"<!\[CDATA\[|<!--|<\?|<item[\s>/]|</item\s*>")
_CLOSE = {b"<![CDATA[": b"]]>", b"<!--": b"-->", b"<?": b"?>"}
#: Encodings in which every byte below 0x80 is that ASCII character, whatever surrounds it: an
#: item's bytes can be found, cut out and decoded on their own.
_RANGEABLE = {"utf-8", "ascii", "latin-1", "iso8859-1", "cp1252"}


class FullReadNeeded(Exception):
    """The lean reading cannot give what the full reader would: read the inputs in full."""


def plain_export(path: object) -> bool:
    """Whether ``path`` may be read lean: a file (not compressed); the reader still checks its
    content."""
    return isinstance(path, Path) and path.is_file() and path.suffix.lower() != ".gz"


def _rangeable(codec: str) -> bool:
    name = codecs.lookup(codec).name
    return name in _RANGEABLE or name.startswith(("iso8859-", "cp125"))


def _lines(data: bytes, start: int, end: int) -> int:
    """Line breaks in ``data[start:end]`` as libxml2 counts an element's line (LF only: a lone
    CR is no line of its own there)."""
    return data.count(b"\n", start, end)


def scan_items(raw: IO[bytes]) -> Iterator[tuple[int, int, int]]:
    """(start, end, line) of every ``<item>...</item>`` of a well-formed export, in order: byte
    offsets in the file, the line its start tag is on.  CDATA sections, comments and processing
    instructions are skipped whole.  Stops at an item inside an item, a stray ``</item>`` or an
    unclosed section: the caller sees too few items (the file is then not read by ranges).

    Between items each token is looked at; an item's body is matched at once
    (:data:`_BODY`: an export's items hold a score of CDATA sections each)."""
    buf = b""
    base = 0  # file offset of buf[0]
    pos = 0  # where the next search starts in buf
    counted, line = 0, 1  # line is the line of buf[counted]
    eof = False
    want = CHUNK  # bytes to read next: doubled while one item does not fit (linear overall)
    while True:
        m = _TOKEN.search(buf, pos)
        if m is not None and (eof or m.end() < len(buf)):  # a match at the very end may go on
            tok = m.group()
            closer = _CLOSE.get(tok)
            if closer is not None:
                end = buf.find(closer, m.end())
                if end >= 0:
                    pos = end + len(closer)
                    continue
                if eof:
                    return
            elif tok.startswith(b"<item"):
                body = _BODY.match(buf, m.end())
                if body is not None:
                    line += _lines(buf, counted, m.start())
                    counted = m.start()
                    yield base + m.start(), base + body.end(), line
                    pos, want = body.end(), CHUNK
                    continue
                stop = _BODY_LOOP.match(buf, m.end()).end()  # type: ignore[union-attr]  # it matches "" at least
                if eof or _OPEN_ITEM.match(buf, stop):
                    return  # never closed, or an item inside an item
                want = max(CHUNK, 2 * (len(buf) - m.start()))
            else:
                return  # a stray </item>
        elif eof:
            return
        else:
            pos = max(pos, len(buf) - 16)  # no token starts before this (the longest is short)
        if m is not None:
            pos = min(pos, m.start())
        data = raw.read(want)
        if not data:
            eof = True
            continue
        keep = pos
        line += _lines(buf, counted, keep) if counted < keep else 0
        counted = max(counted, keep) - keep
        buf = buf[keep:] + data
        base += keep
        pos = 0


#: What an item's body may hold, up to its ``</item>``: text, whole CDATA sections, comments
#: and processing instructions, and any ``<`` that starts none of :data:`_TOKEN`'s tokens (the
#: tokens the scanner looks at one by one between items, here matched in one go).
_BODY_PARTS = (
    rb"(?:[^<]++"
    rb"|<!\[CDATA\[[^\]]*+(?:\](?!\]>)[^\]]*+)*+\]\]>"
    rb"|<!--.*?-->"
    rb"|<\?.*?\?>"
    rb"|<(?!!\[CDATA\[|!--|\?|item[\s>/]|/item\s*>))*+"
)
_BODY_LOOP = re.compile(_BODY_PARTS, re.DOTALL)
_BODY = re.compile(_BODY_PARTS + rb"</item\s*>", re.DOTALL)
_OPEN_ITEM = re.compile(rb"<item[\s>/]")


# ---------------------------------------------------------------------------- where items are


@dataclass
class SourceFile:
    """One input file read lean: how to cut its items out of it."""

    path: Path
    source: str
    codec: str = "utf-8"
    wrapper: str = ""  # the start tags an item is parsed inside (the namespaces in scope)
    #: every item can be cut out of the file (None while pass 1 reads it: each item's own span
    #: is checked as it is recorded)
    rangeable: bool | None = None
    #: pass 1 parsed the file's own bytes (:func:`_as_is`): they are UTF-8, an item's bytes are
    #: what the stream would hand on
    as_is: bool = False


@dataclass
class Spans:
    """Where every item of the lean-read inputs is: a row per item in the index database
    (``spans`` table: file, byte range, start line, number in its file, authors known then,
    the id it was read with)."""

    db: object  # migrator.plan.store.Database
    site: Site = field(default_factory=Site)  # the site being read (its authors, in the order met)
    files: list[SourceFile] = field(default_factory=list)
    authors: list = field(default_factory=list)  # (login, Author): a copy of site.authors
    _sites: dict[int, Site] = field(default_factory=dict)
    #: file number -> descriptor, opened on first use (workers are forked: they share them,
    #: and ``os.pread`` moves no offset)
    _fds: dict[int, int] = field(default_factory=dict, repr=False)

    def add(
        self, position: int, file: int, span: tuple[int, int, int] | None, ordinal: int, authors: int, raw_id: str
    ) -> None:
        start, end, line = span if span is not None else (-1, -1, 0)
        self.db.run(
            "INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # type: ignore[attr-defined]
            (position, file, start, end, line, ordinal, authors, raw_id),
        )

    @property
    def usable(self) -> bool:
        """Whether every item can be read from its bytes."""
        return bool(self.files) and all(f.rangeable for f in self.files)

    def document(self, position: int, comments: bool = True) -> Document | None:
        """The item at ``position`` as the full reader reads it (before :func:`distinct_ids`
        renames it: with the id it was read with), or None when its bytes no longer hold it.
        ``comments=False``: without its comments (a run that does not write them)."""
        row = self.db.one(
            "SELECT file, start, end, line, ordinal, authors, raw_id FROM spans "  # type: ignore[attr-defined]
            "WHERE pos = ?",
            (position,),
            remember=False,  # each item is read once: its row would only push useful answers out
        )
        if row is None:
            return None
        number, start, end, line, ordinal, authors, raw_id = row
        spec = self.files[number]
        if spec.rangeable is False or start < 0:
            return None
        try:
            data = os.pread(self._fd(number), end - start, start)
            if spec.as_is:  # valid UTF-8 (the parser took it in pass 1): no need to decode it
                wrapped = spec.wrapper.encode("utf-8") + data + b"</channel></rss>"
            else:
                text = data.decode(spec.codec, "migrator-cp1252")
                wrapped = (spec.wrapper + text + "</channel></rss>").encode("utf-8")
            doc = _one_item(wrapped, self._site(authors), spec.source, line, ordinal, comments)
        except Exception:  # noqa: BLE001 - the file changed or cannot be read: None
            return None
        if doc is None or doc.id != raw_id:
            return None
        if doc.slug:
            doc.slug = clean_slug(doc.slug)  # as read_inputs gives it
        return doc

    def _fd(self, number: int) -> int:
        fd = self._fds.get(number)
        if fd is None:
            fd = self._fds[number] = os.open(self.files[number].path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        return fd

    def close(self) -> None:
        """Close the files opened to read items (they are opened again if read later)."""
        for fd in self._fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds.clear()

    def _site(self, authors: int) -> Site:
        """A site knowing the first ``authors`` authors (what the full reader knew then)."""
        site = self._sites.get(authors)
        if site is None:
            if len(self.authors) < authors:  # pass 1 still reading: its authors so far
                self.authors = list(self.site.authors.items())
            if len(self._sites) > 64:
                self._sites.clear()
            site = self._sites[authors] = Site(authors=dict(islice(self.authors, authors)))
        return site

    def fingerprint(self, position: int) -> int:
        """:func:`~migrator.sources.ids.fingerprint` of the item at ``position`` (pass 1 asks
        only when an id is met again)."""
        doc = self.document(position)
        if doc is None:
            raise FullReadNeeded(f"item {position} cannot be read from its bytes")
        return fingerprint(doc)


def _one_item(
    wrapped: bytes, site: Site, source: str, line: int, ordinal: int, comments: bool = True
) -> Document | None:
    """The one ``<item>`` of ``wrapped`` (an item cut out of its file, in :func:`_wrapper`'s
    tags) as the full reader reads it there: parsed whole, with the same parser settings as the
    streaming reader (:func:`~migrator.sources.wxr_items._iterparse`), without its event per element.
    None when the wrapper holds anything but one item.  Raises XMLSyntaxError."""
    root = etree.fromstring(wrapped, etree.XMLParser(**PARSER_SETTINGS))
    channel = root[0] if len(root) == 1 else None
    if channel is None or len(channel) != 1 or qname(channel[0].tag) != "item" or qname(root.tag) != "rss":
        return None
    elem = channel[0]
    # the wrapper puts the item's start tag on line 1: its line in the file is ``line``
    item_line = elem.sourceline + line - 1 if elem.sourceline else None
    return _item(elem, site, source, item_line, ordinal, [], comments)


# ---------------------------------------------------------------------------- the lean reading


#: ``read_file(number, path, site, problems, spans, position)``: the items of one file, the
#: first at ``position`` (:func:`_file_items`, or by ranges: :mod:`~migrator.sources.wxr_ranges`)
FileReader = Callable[[int, Path, Site, list[Problem], "Spans", int], Iterator[Document]]


def index_items(
    paths: list[Path], site: Site, problems: list[Problem], spans: Spans, read_file: FileReader | None = None
) -> Iterator[Document]:
    """The items of plain WXR files as lean Documents (index fields only), with the problems and
    ids of :func:`migrator.sources.read_inputs`; each item's place goes into ``spans``.  Raises
    :class:`FullReadNeeded` where the full reader is needed (see the module docstring).

    ``read_file``: how each file is read (default: :func:`_file_items`, by this process)."""
    read = read_file or _file_items

    def items() -> Iterator[Document]:
        position = 0
        for number, path in enumerate(paths):
            for doc in read(number, path, site, problems, spans, position):
                position += 1
                yield doc
        spans.authors = list(site.authors.items())  # as read: a later scrub changes nothing here

    return distinct_ids(safe_slugs(items(), problems), problems, fingerprint_at=spans.fingerprint)


def _file_items(
    number: int, path: Path, site: Site, problems: list[Problem], spans: Spans, position: int, skip: int = 0
) -> Iterator[Document]:
    """The items of one file (its first at ``position``), read in one go.  ``skip``: the first
    items were already given (by :mod:`~migrator.sources.wxr_ranges`): they are read again
    without their problems, spans or a yield."""
    source = str(path)
    spec = SourceFile(path, source)
    spans.files.append(spec)
    state: dict = {"nsmap": None, "mixed": False, "authors": 0, "ordinal": 0, "parent": False}

    def lean(
        elem: etree._Element, site: Site, source: str, line: int | None, index: int, problems: list[Problem]
    ) -> Document | None:
        parent = elem.getparent()
        if parent is not state["parent"]:  # the same parent has the same namespaces
            state["parent"] = parent
            nsmap = parent.nsmap if parent is not None else {}
            if state["nsmap"] is None:
                state["nsmap"] = nsmap
                spec.wrapper = _wrapper(nsmap)
            elif nsmap != state["nsmap"]:
                state["mixed"] = True  # items under different namespace declarations
        state["authors"], state["ordinal"] = len(site.authors), index
        return _lean_item(elem, source, line, index, problems)

    try:
        with open(path, "rb") as raw, open(path, "rb") as scan_raw, open(path, "rb") as direct:
            told = len(problems)
            stream = CleanStream(raw, source, problems)
            spec.codec = stream.codec
            spec.as_is = _as_is(path, stream, len(problems) == told)
            parsed: IO[bytes] | CleanStream = direct if spec.as_is else stream
            scanner = scan_items(scan_raw) if _rangeable(stream.codec) else iter(())
            spec.rangeable = None if _rangeable(stream.codec) else False
            aligned = True
            found: list[Problem] = []  # the problems of the item being read
            for doc in _lean_read(parsed, source, site, found, lean):
                span = next(scanner, None) if aligned else None
                if span is None or not _same_line(span[2], doc.line) or state["mixed"] or None in state["nsmap"]:
                    aligned, span = False, None
                if span is not None:
                    span = (span[0], span[1], doc.line or 0)  # the line as the parser gives it
                if skip:
                    skip -= 1
                    found.clear()
                    position += 1
                    continue
                problems.extend(found)
                found.clear()
                spans.add(position, number, span, state["ordinal"], state["authors"], doc.id)
                position += 1
                yield doc
            spec.rangeable = aligned and next(scanner, None) is None and _rangeable(stream.codec)
    except etree.XMLSyntaxError as exc:
        raise FullReadNeeded(f"{source}: not well-formed") from exc
    except Exception as exc:
        if isinstance(exc, FullReadNeeded):
            raise
        raise FullReadNeeded(f"{source}: {type(exc).__name__}") from exc


def _as_is(path: Path, stream: CleanStream, quiet: bool) -> bool:
    """Whether the parser may read the file's own bytes instead of ``stream``: a UTF-8 file
    without a byte order mark, declaring no other encoding, whose prolog holds no DOCTYPE,
    about which the stream had nothing to say (``quiet``).  What the stream would hand on is
    then the file's bytes, as long as they are valid UTF-8; where they are not, the parser
    stops with an encoding error (libxml2 takes no byte sequence Python's decoder refuses),
    and the file is read in full, where the stream repairs them."""
    if not quiet or codecs.lookup(stream.codec).name != "utf-8":
        return False
    with open(path, "rb") as fh:
        head = fh.read(4096)
    codec, bom, declared = sniff_encoding(head)
    if codec != "utf-8" or bom or (declared is not None and declared.lower() != "utf-8"):
        return False
    return _plain_prolog(head)


def _plain_prolog(head: bytes) -> bool:
    """Whether ``head`` reaches its root element's start tag through nothing but white space,
    an XML declaration, comments and processing instructions (the stream changes nothing in
    such a prolog but the declared encoding's spelling)."""
    pos = 0
    while True:
        while pos < len(head) and head[pos] in b" \t\r\n":
            pos += 1
        if head.startswith(b"<?", pos):
            end = head.find(b"?>", pos + 2)
            if end < 0:
                return False
            pos = end + 2
        elif head.startswith(b"<!--", pos):
            end = head.find(b"-->", pos + 4)
            if end < 0:
                return False
            pos = end + 3
        else:
            return head[pos : pos + 1] == b"<" and bool(_NAME_START.match(head, pos + 1))


_NAME_START = re.compile(rb"[A-Za-z_]")


#: The elements :func:`_lean_read` is told of: ``<rss>``, ``<item>`` and the channel's fields
#: (:func:`~migrator.sources.wxr_items._channel_field`), in any namespace where the field is a
#: WordPress one; each is checked by its qualified name as the full reader checks it.
_LEAN_TAGS = (
    "rss",
    "item",
    "title",
    "link",
    "description",
    "language",
    "generator",
    "{*}wxr_version",
    "{*}base_site_url",
    "{*}base_blog_url",
    "{*}author",
    "{*}category",
    "{*}tag",
    "{*}term",
)


def _lean_read(
    stream: IO[bytes] | CleanStream,
    source: str,
    site: Site,
    problems: list[Problem],
    item: ItemReader,
    channel: Callable[[str, etree._Element, Site], None] = _channel_field,
) -> Iterator[Document]:
    """What :func:`~migrator.sources.wxr_items._read` yields for a well-formed export, with the
    parser telling only of the elements named in :data:`_LEAN_TAGS` (an item's other ~25
    elements, its post meta and comments cost no event and no Python object).  An element's
    depth is not counted but asked of the tree: an item, or a channel field, is a grandchild
    of the root, as in the full reader.  Raises NotAnExport or XMLSyntaxError as it does (the
    caller reads such a file in full).  ``channel(name, element, site)`` takes each channel
    field."""
    root: etree._Element | None = None
    current: etree._Element | None = None  # the item being read (its start seen)
    item_line: int | None = None
    anonymous = 0
    etree.clear_error_log()
    context = etree.iterparse(stream, events=("start", "end"), tag=_LEAN_TAGS, recover=False, **PARSER_SETTINGS)
    for event, elem in context:
        if root is None:
            root = elem.getroottree().getroot()
            if qname(root.tag) != "rss":
                raise NotAnExport(f"root element is <{qname(root.tag) or '?'}>, not <rss>")
        if current is not None:  # inside an item: only its end matters
            if event == "end" and elem is current:
                current = None
                anonymous += 1
                doc = item(elem, site, source, item_line, anonymous, problems)
                if doc is not None:
                    yield doc
                drop(elem)
            continue
        if elem is root or not _grandchild(elem, root):
            continue
        if event == "start":
            if elem.tag == "item":
                current = elem
                item_line = elem.sourceline or None
            continue
        channel(qname(elem.tag), elem, site)
        drop(elem)
    if root is None and (context.root is None or qname(context.root.tag) != "rss"):
        raise NotAnExport("no <rss> root")


def _grandchild(elem: etree._Element, root: etree._Element) -> bool:
    parent = elem.getparent()
    return parent is not None and parent.getparent() is root


def _wrapper(nsmap: dict) -> str:
    """The start tags that put an item back in its namespaces."""
    return (
        "<rss"
        + "".join(f" xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in sorted(nsmap.items()) if prefix is not None)
        + "><channel>"
    )


def _same_line(scanned: int, parsed: int | None) -> bool:
    """Whether the scanner's start line of an item is the parser's.  Past line 65535 libxml2
    keeps no exact line of an element: it gives the line where its first text ends (the same or
    later), or, when the parser had not yet read that far, 65535 itself; the count of items is
    what makes the two lists one then."""
    if scanned == parsed:
        return True
    return parsed is not None and scanned >= 65535 and (parsed >= scanned or parsed == 65535)


#: The children of an item :func:`_lean_item` reads (by local name: each is then told apart by its
#: qualified name, as the full reader does); an item's comments, author, modification dates...
#: are passed over without an object made for them.
_LEAN_FIELDS = (
    "title",
    "link",
    "guid",
    "category",
    "{*}encoded",
    "{*}post_id",
    "{*}post_type",
    "{*}status",
    "{*}post_name",
    "{*}post_date",
    "{*}post_date_gmt",
    "{*}post_parent",
    "{*}menu_order",
    "{*}post_password",
    "{*}attachment_url",
    "{*}postmeta",
)


def _lean_item(elem: etree._Element, source: str, line: int | None, index: int, problems: list[Problem]) -> Document:
    """The index's fields of one item, with the problems the full reader reports for it."""
    f, terms, postmeta, _ = item_children(elem, _LEAN_FIELDS)
    post_id = item_id(f, source, line, index, problems, terms)
    doc_type = f.get("wp:post_type", "").strip() or "post"
    attachment = doc_type == "attachment"
    return Document(
        id=post_id,
        type=doc_type,
        status=f.get("wp:status", "").strip() or "publish",
        title=clean_text(f.get("title", "")),
        slug=decode_slug(f.get("wp:post_name", "")),
        content=f.get("content:encoded", "") if doc_type == "wp_block" else "",
        excerpt=f.get("excerpt:encoded", "").strip() if attachment else "",
        date=parse_wp_date(f.get("wp:post_date", ""), f.get("wp:post_date_gmt", "")),
        parent=f.get("wp:post_parent", "").strip() or "0",
        menu_order=_int(f.get("wp:menu_order", "")),
        password=f.get("wp:post_password", "").strip(),
        link=f.get("link", "").strip(),
        guid=f.get("guid", "").strip(),
        attachment_url=f.get("wp:attachment_url", "").strip(),
        meta=item_meta(postmeta) if attachment else {},
        source=source,
        line=line,
    )
