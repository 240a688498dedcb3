"""A repairing byte stream in front of the XML parser.

:class:`CleanStream` reads a raw export and hands lxml UTF-8 bytes in which

* the encoding is settled: a BOM wins, then the XML declaration, except that a file declared as
  a single-byte encoding (ISO-8859-1, windows-1252...) whose bytes are valid UTF-8 is read as
  UTF-8; bytes that are not valid UTF-8 in a UTF-8 file are read as windows-1252.  A
  declaration the bytes cannot be in (UTF-16 or UTF-32 without a byte order mark, EBCDIC: the
  declaration itself was readable as ASCII) or that names no text encoding (``hex``, UTF-7) is
  reported and the file is read by its bytes.  The declaration handed on always says UTF-8;
* a ``<!DOCTYPE ...>`` before the root element is removed with its internal subset, so no
  entity is ever declared, expanded or fetched (WXR never has one);
* with ``repair=True`` (the second reading of a broken file) also: characters XML 1.0
  forbids (``\\x00-\\x08``, ``\\x0b``, ``\\x0c``, ``\\x0e-\\x1f``, U+FFFE, U+FFFF, lone
  surrogates) are removed (``\\x0b`` and ``\\x0c`` become a space), a bare ``&`` becomes
  ``&amp;``, HTML named entities (``&nbsp;``) become numeric references, unknown entities are
  kept as text, a ``<![CDATA[`` literally nested inside CDATA is kept as text, and a stray
  ``]]>`` outside CDATA becomes ``]]&gt;``.

Every repair keeps line breaks where they were, so lxml's line numbers stay those of the file,
and every repair is reported as a :class:`~migrator.model.Problem` with its line.
"""

from __future__ import annotations

import codecs
import io
import re
from html.entities import html5
from typing import IO

from ..model import Problem

_CHUNK = 1 << 16  # 64 KiB: a decoded chunk (up to 4 bytes a character) stays off mmap (page faults)
_MAX_REPORTS = 20  # per problem code; then one summary line
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_DECL = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_DECL_ENCODING = re.compile(r"""(<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])""")
_TOKEN = re.compile(
    r"<!\[CDATA\[|\]\]>|<!--|-->|<!DOCTYPE|<item[\s>]|</item\s*>|<[A-Za-z_]"
    r"|&(?:#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,7};|[A-Za-z][A-Za-z0-9._-]{0,40};)?"
)
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_REAL_CLOSE = re.compile(r"\s*(?:</|<!\[CDATA\[|$)")
_SINGLE_BYTE = {
    "iso-8859-1",
    "iso8859-1",
    "latin-1",
    "latin1",
    "windows-1252",
    "cp1252",
    "us-ascii",
    "ascii",
    "iso-8859-15",
    "iso8859-15",
}


#: Codecs never used even when declared: UTF-7 turns ASCII text into markup (``+ADw-``).
_UNSUPPORTED = frozenset({"utf-7"})
_ASCII_PROBE = b'<?xml version="1.0" encoding="x"?><rss>'


def _reads_ascii(codec: str) -> bool:
    """Whether ``codec`` reads the ASCII bytes of an XML declaration as themselves (with the
    error handler the stream uses)."""
    try:
        codecs.getincrementaldecoder(codec)("migrator-cp1252").decode(_ASCII_PROBE, final=True)
        return _ASCII_PROBE.decode(codec) == _ASCII_PROBE.decode("ascii")
    except (UnicodeError, LookupError, TypeError, ValueError):
        return False


def _cp1252_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: undecodable UTF-8 bytes read as windows-1252 (latin-1 for holes)."""
    bad = err.object[err.start : err.end]
    _COUNT[0] += len(bad)
    return "".join(bytes([b]).decode("cp1252", errors="replace").replace("\ufffd", chr(b)) for b in bad), err.end


_COUNT = [0]
codecs.register_error("migrator-cp1252", _cp1252_fallback)


def sniff_encoding(head: bytes) -> tuple[str, int, str | None]:
    """(Python codec, BOM length, declared encoding) from the first bytes of a file."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return codec, len(bom), None
    if head.startswith(b"<\x00\x00\x00?\x00\x00\x00"):
        return "utf-32-le", 0, None
    if head.startswith(b"\x00\x00\x00<\x00\x00\x00?"):
        return "utf-32-be", 0, None
    if head.startswith(b"<\x00?\x00"):
        return "utf-16-le", 0, None
    if head.startswith(b"\x00<\x00?"):
        return "utf-16-be", 0, None
    m = _DECL.match(head[:512].decode("latin-1"))
    declared = m.group(1) if m else None
    return "utf-8", 0, declared


class CleanStream(io.RawIOBase):
    """File-like ``read(n)`` over a raw export, repaired as described in the module docstring."""

    def __init__(self, raw: IO[bytes], source: str, problems: list[Problem], repair: bool = False):
        super().__init__()
        self.source = source
        self.problems = problems
        self.repair = repair
        self.line = 1  # line of the text being filtered
        self.open_item: int | None = None  # start line of an <item> not yet closed
        self.eof = False
        self._counts: dict[str, int] = {}
        self._buffer = bytearray()
        self._carry = ""
        self._in_cdata = False
        self._cdata_depth = 0
        self._in_comment = False
        self._prolog = True  # before the root element: a DOCTYPE may appear
        self._in_doctype = False
        self._doctype_brackets = 0
        self._doctype_quote = ""
        self._first = True
        head = raw.read(4096)
        codec, bom, declared = sniff_encoding(head)
        rest = io.BufferedReader(_Prefixed(head[bom:], raw), buffer_size=_CHUNK)  # type: ignore[arg-type]
        if bom:
            self._report("info", "bom", f"byte order mark ({codec}) removed")
        if declared and codec == "utf-8":
            codec = self._choose_codec(declared, rest)
        self._text = io.TextIOWrapper(rest, encoding=codec, errors="migrator-cp1252", newline="")

    @property
    def codec(self) -> str:
        """The encoding the file is read in (decoded with the ``migrator-cp1252`` handler)."""
        return self._text.encoding

    # -- io.RawIOBase --------------------------------------------------------------------------
    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        while not self._buffer and not self.eof:
            self._fill()
        n = min(len(b), len(self._buffer))
        b[:n] = self._buffer[:n]
        del self._buffer[:n]
        return n

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        if size is None or size < 0:
            while not self.eof:
                self._fill()
            data, self._buffer = bytes(self._buffer), bytearray()
            return data
        while len(self._buffer) < size and not self.eof:
            self._fill()
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    # -- decoding ------------------------------------------------------------------------------
    def _choose_codec(self, declared: str, rest: io.BufferedReader) -> str:
        name = declared.lower()
        try:
            info = codecs.lookup(name)
        except LookupError:
            info = None
        if info is None or not getattr(info, "_is_text_encoding", True) or info.name in _UNSUPPORTED:
            self._report(
                "warning",
                "encoding-unknown",
                f"declared encoding {declared!r} is unknown or not a text encoding; read as UTF-8",
            )
            return "utf-8"
        if not _reads_ascii(info.name):
            # the declaration itself was read as ASCII, so the bytes are not in this encoding
            # (UTF-16/UTF-32 without a byte order mark, EBCDIC...): the bytes win
            self._report(
                "warning",
                "encoding-mismatch",
                f"declared {declared!r} but the bytes are ASCII-compatible (no byte order mark); read as UTF-8",
            )
            return "utf-8"
        if name.replace("_", "-") in _SINGLE_BYTE:
            sample = rest.peek(_CHUNK)[:_CHUNK]
            if any(b >= 0x80 for b in sample):
                try:
                    sample.decode("utf-8")
                except UnicodeDecodeError as exc:
                    if exc.start < len(sample) - 4:  # not just a sequence cut at the sample's end
                        return "cp1252" if name in ("iso-8859-1", "iso8859-1", "latin-1", "latin1") else name
                self._report(
                    "warning", "encoding-mismatch", f"declared {declared!r} but the bytes are UTF-8; read as UTF-8"
                )
                return "utf-8"
            return "cp1252" if name in ("iso-8859-1", "iso8859-1", "latin-1", "latin1") else name
        return name

    def _fill(self) -> None:
        before = _COUNT[0]
        fast = not self.repair and not self._prolog and not self._in_doctype and not self._carry
        text = self._text.read(_CHUNK) if fast else self._text.readline(_CHUNK)
        lines = text.count("\n") + text.count("\r") - text.count("\r\n")
        if _COUNT[0] != before:
            where = f" (lines {self.line}-{self.line + lines})" if fast and lines else ""
            self._report(
                "warning",
                "encoding-repaired",
                f"{_COUNT[0] - before} byte(s) not valid UTF-8 read as windows-1252{where}",
            )
        if not text:
            self.eof = True
            text, self._carry = self._carry, ""
            if text:
                self._buffer += self._filter(text).encode("utf-8")
            if self.repair and self._in_cdata:  # cut off inside CDATA: keep the text read so far
                self._buffer += b"]]>"
            self._summarise()
            return
        if fast:  # no scanning, so no need to stop at line ends
            self._buffer += text.encode("utf-8")
            self.line += lines
            return
        text = self._carry + text
        self._carry = ""
        if not text.endswith(("\n", "\r")):  # a long line cut by the chunk size: keep a partial token
            tail = max(text.rfind(c, len(text) - 48) for c in "<&]-")
            if tail > 0:
                text, self._carry = text[:tail], text[tail:]
        if self._first:
            self._first = False
            text = text.lstrip("\ufeff")
            text = _DECL_ENCODING.sub(lambda m: m.group(1) + "UTF-8" + m.group(3), text, count=1)
        self._buffer += self._filter(text).encode("utf-8")
        self.line += text.count("\n") + text.count("\r") - text.count("\r\n")

    # -- filtering -----------------------------------------------------------------------------
    def _filter(self, text: str) -> str:
        if not self.repair and not self._prolog and not self._in_doctype:
            return text  # fast path: past the prolog, a strict reading needs no scanning
        if self._in_doctype:
            pos, consumed = self._skip_doctype(text, 0)
            return consumed + self._filter(text[pos:]) if pos < len(text) else consumed
        if self.repair and _INVALID.search(text):
            count = len(_INVALID.findall(text))
            text = _INVALID.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", text)
            self._report("warning", "invalid-char-removed", f"{count} character(s) not allowed in XML removed")
        out: list[str] = []
        pos = 0
        for m in _TOKEN.finditer(text):
            tok = m.group()
            if self._in_comment:
                if tok == "-->":
                    self._in_comment = False
                continue
            if self._in_cdata:
                if tok == "<![CDATA[":
                    self._cdata_depth += 1
                    if self.repair:
                        self._report("warning", "nested-cdata", "<![CDATA[ nested inside CDATA kept as text")
                elif tok == "]]>":
                    if self.repair and self._cdata_depth > 1 and not _REAL_CLOSE.match(text, m.end()):
                        self._cdata_depth -= 1
                        out.append(text[pos : m.start()] + "]]]]><![CDATA[>")
                        pos = m.end()
                    else:
                        self._in_cdata = False
                        self._cdata_depth = 0
                continue
            if tok == "<![CDATA[":
                self._in_cdata, self._cdata_depth = True, 1
            elif tok == "<!--":
                self._in_comment = True
            elif tok == "<!DOCTYPE":
                if self._prolog:
                    out.append(text[pos : m.start()])
                    pos, consumed = self._skip_doctype(text, m.start())
                    return "".join(out) + consumed + (self._filter(text[pos:]) if pos < len(text) else "")
            elif tok.startswith("<item"):
                self._prolog = False
                self.open_item = self.line + _lines_before(text, m.start())
            elif tok.startswith("</item"):
                self.open_item = None
            elif tok.startswith("<"):
                self._prolog = False
            elif tok == "]]>":
                if self.repair:
                    out.append(text[pos : m.start()] + "]]&gt;")
                    pos = m.end()
                    self._report("warning", "stray-cdata-end", "]]> outside CDATA escaped", m.start(), text)
            elif tok.startswith("&") and self.repair:
                fixed = self._entity(tok)
                if fixed != tok:
                    out.append(text[pos : m.start()] + fixed)
                    pos = m.end()
                    code = "bare-ampersand" if tok == "&" else "undefined-entity"
                    self._report("warning", code, f"{tok!r} outside CDATA repaired as {fixed!r}", m.start(), text)
        out.append(text[pos:])
        return "".join(out)

    def _skip_doctype(self, text: str, start: int) -> tuple[int, str]:
        """Drop a DOCTYPE (possibly spanning lines) from ``start``; keep only its line breaks."""
        if not self._in_doctype:
            self._in_doctype = True
            self._doctype_brackets = 0
            self._doctype_quote = ""
            self._report(
                "warning",
                "doctype-removed",
                "<!DOCTYPE> removed: entities and DTDs are never expanded or fetched",
                start,
                text,
            )
        i = start
        while i < len(text):
            c = text[i]
            if self._doctype_quote:
                if c == self._doctype_quote:
                    self._doctype_quote = ""
            elif c in "\"'":
                self._doctype_quote = c
            elif c == "[":
                self._doctype_brackets += 1
            elif c == "]":
                self._doctype_brackets -= 1
            elif c == ">" and self._doctype_brackets <= 0:
                self._in_doctype = False
                i += 1
                break
            i += 1
        removed = text[start:i]
        return i, "\n" * removed.count("\n")

    def _entity(self, tok: str) -> str:
        if tok == "&":
            return "&amp;"
        name = tok[1:-1]
        if name.startswith("#"):
            try:
                value = int(name[2:], 16) if name[1:2] in ("x", "X") else int(name[1:])
            except ValueError:
                return "&amp;" + tok[1:]
            ok = (
                value in (9, 10, 13)
                or 0x20 <= value <= 0xD7FF
                or 0xE000 <= value <= 0xFFFD
                or 0x10000 <= value <= 0x10FFFF
            )
            return tok if ok else "&amp;" + tok[1:]
        if name in _XML_ENTITIES:
            return tok
        char = html5.get(name + ";")
        if char:
            return "".join(f"&#{ord(c)};" for c in char)
        return "&amp;" + tok[1:]

    # -- reporting -----------------------------------------------------------------------------
    def _report(self, severity: str, code: str, message: str, offset: int = 0, text: str = "") -> None:
        n = self._counts[code] = self._counts.get(code, 0) + 1
        if n > _MAX_REPORTS:
            return
        line = self.line + _lines_before(text, offset) if text else self.line
        self.problems.append(Problem(severity, code, message, source=self.source, line=line))  # type: ignore[arg-type]

    def _summarise(self) -> None:
        for code, n in sorted(self._counts.items()):
            if n > _MAX_REPORTS:
                self.problems.append(
                    Problem("warning", code, f"{n - _MAX_REPORTS} more like this not listed", source=self.source)
                )


def _lines_before(text: str, offset: int) -> int:
    head = text[:offset]
    return head.count("\n") + head.count("\r") - head.count("\r\n")


class _Prefixed(io.RawIOBase):
    """``head`` followed by the rest of ``raw``."""

    def __init__(self, head: bytes, raw: IO[bytes]):
        super().__init__()
        self._head = head
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._raw.read(len(b))
        b[: len(data)] = data
        return len(data)


# -- mojibake -----------------------------------------------------------------------------------

MOJIBAKE = re.compile(
    "Ã[\u0080-\u00bf]|â€[\u0080-\u00bf\u2018-\u201e\u2020-\u2026\u2122\u0153\u0161\u017e]|Â[\u00a0-\u00bf]"
)


def _may_be_mojibake(text: str) -> bool:
    """False when :data:`MOJIBAKE` cannot match: none of its three leading characters occurs
    (substring tests are much faster than the regular expression's scan)."""
    return "Ã" in text or "â€" in text or "Â" in text


def repair_mojibake(text: str) -> tuple[str, bool | None]:
    """Undo UTF-8 read as windows-1252/Latin-1 (``CafÃ©`` -> ``Café``) when unambiguous.

    Returns (text, True) when repaired, (text, False) when it looks damaged but no unambiguous
    repair exists (left as is), (text, None) when it looks fine.  Uses ftfy's ``fix_encoding``,
    which only undoes encoding mix-ups and is conservative about ambiguous cases.
    """
    if not _may_be_mojibake(text) or not MOJIBAKE.search(text):
        return text, None
    import ftfy

    fixed = ftfy.fix_encoding(text)
    if fixed != text and not MOJIBAKE.search(fixed):
        return fixed, True
    return text, False
