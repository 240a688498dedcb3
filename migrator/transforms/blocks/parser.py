"""The block parser: block-editor content to a tree of :class:`Block` s, as WordPress's
``WP_Block_Parser`` (wp-includes/class-wp-block-parser.php) builds it.

The same delimiter grammar, the same tree (``inner_blocks`` plus ``inner_content`` chunks where
``None`` marks an inner block's place), freeform HTML between blocks.  Two deliberate
differences in error recovery: WordPress gives up at a closer with no open block and emits the
rest of the document as raw HTML; we skip that stray closer and carry on, so later blocks are
still rendered (the visible result is the same for static blocks).  And when several blocks are
left open at the end, WordPress moves each to the top level (repeating the inner ones' HTML
inside their parents); we close them nested instead.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

# PCRE's \s without the /u flag: ASCII whitespace only (Python's \s would also match U+00A0).
_WS = "[ \\t\\n\\x0b\\f\\r]"
_DELIM_START = re.compile(
    rf"<!--{_WS}+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*){_WS}+"
)
_ATTRS_END = re.compile(rf"\}}{_WS}+(?P<void>/)?-->")
_DELIM_END = re.compile(r"(?P<void>/)?-->")


@dataclass
class Block:
    """One parsed block; ``name`` is None for freeform HTML."""

    name: str | None
    attrs: dict = field(default_factory=dict)
    inner_blocks: list[Block] = field(default_factory=list)
    inner_html: str = ""
    inner_content: list[str | None] = field(default_factory=list)


@dataclass
class _Token:
    kind: str  # "opener", "closer", "void"
    name: str
    attrs: dict
    start: int
    length: int
    bad_json: bool = False


@dataclass
class _Frame:
    block: Block
    token_start: int
    token_length: int
    prev_offset: int
    leading_html_start: int | None


def has_blocks(text: str) -> bool:
    """True when the content carries block markup, exactly like WordPress's ``has_blocks()``."""
    return "<!-- wp:" in text


class _AttrsEnds:
    """Finds the end of a JSON attributes run; remembers the last answer (linear on junk input)."""

    def __init__(self, doc: str) -> None:
        self.doc = doc
        self.last: re.Match[str] | None = None
        self.none_after = len(doc) + 1

    def after(self, pos: int) -> re.Match[str] | None:
        if pos >= self.none_after:
            return None
        if self.last is not None and pos <= self.last.start():
            return self.last
        self.last = _ATTRS_END.search(self.doc, pos)
        if self.last is None:
            self.none_after = pos
        return self.last


def _next_token(doc: str, offset: int, ends: _AttrsEnds | None = None) -> _Token | None:
    """The next block delimiter at or after ``offset``, as WordPress's tokenizer finds it."""
    ends = ends or _AttrsEnds(doc)
    pos = offset
    while True:
        m = _DELIM_START.search(doc, pos)
        if m is None:
            return None
        end = m.end()
        attrs: dict = {}
        bad_json = False
        tail = None
        if doc.startswith("{", end):
            tail = ends.after(end)
            if tail is not None:
                raw = doc[end : tail.start() + 1]
                try:
                    decoded = json.loads(raw)
                except ValueError:
                    decoded = None
                if isinstance(decoded, dict):
                    attrs = decoded
                else:
                    bad_json = True
        else:
            tail = _DELIM_END.match(doc, end)
        if tail is None:
            pos = m.start() + 1
            continue
        name = (m.group("namespace") or "core/") + m.group("name")
        if tail.group("void"):
            kind = "void"
        elif m.group("closer"):
            kind = "closer"
        else:
            kind = "opener"
        return _Token(kind, name, attrs, m.start(), tail.end() - m.start(), bad_json)


def parse_blocks(doc: str, issues: list[str] | None = None) -> list[Block]:
    """Parse ``doc`` into top-level blocks like ``parse_blocks()``; never raises.

    Irregularities (invalid JSON attributes, unclosed blocks, stray or mismatched closers) are
    appended to ``issues`` as messages.
    """
    issues = issues if issues is not None else []
    output: list[Block] = []
    stack: list[_Frame] = []
    offset = 0

    def freeform(text: str) -> Block:
        return Block(None, {}, [], text, [text])

    def add_inner_block(block: Block, token_start: int, token_length: int, last_offset: int | None = None) -> None:
        parent = stack[-1]
        parent.block.inner_blocks.append(block)
        chunk = doc[parent.prev_offset : token_start]
        if chunk:
            parent.block.inner_html += chunk
            parent.block.inner_content.append(chunk)
        parent.block.inner_content.append(None)
        parent.prev_offset = last_offset if last_offset else token_start + token_length

    def add_block_from_stack(end_offset: int | None = None) -> None:
        top = stack.pop()
        chunk = doc[top.prev_offset : end_offset] if end_offset is not None else doc[top.prev_offset :]
        if chunk:
            top.block.inner_html += chunk
            top.block.inner_content.append(chunk)
        if top.leading_html_start is not None:
            output.append(freeform(doc[top.leading_html_start : top.token_start]))
        output.append(top.block)

    def close_nested(closer_start: int, closer_length: int) -> None:
        top = stack.pop()
        chunk = doc[top.prev_offset : closer_start]
        if chunk:  # WordPress appends even an empty chunk here; it renders the same
            top.block.inner_html += chunk
            top.block.inner_content.append(chunk)
        top.prev_offset = closer_start + closer_length
        add_inner_block(top.block, top.token_start, top.token_length, closer_start + closer_length)

    ends = _AttrsEnds(doc)
    while True:
        token = _next_token(doc, offset, ends)
        if token is None:
            if not stack:
                if offset < len(doc):
                    output.append(freeform(doc[offset:]))
                break
            for frame in stack:
                issues.append(f"block {frame.block.name} is never closed")
            # WordPress unwinds several open blocks to the top level, which repeats the inner
            # blocks' HTML inside their parents; we close them at the end of the document instead.
            while len(stack) > 1:
                close_nested(len(doc), 0)
            add_block_from_stack()
            break
        if token.bad_json:
            issues.append(f"invalid JSON attributes in block {token.name}")
        leading = offset if token.start > offset else None
        if token.kind == "void":
            block = Block(token.name, token.attrs)
            if not stack:
                if leading is not None:
                    output.append(freeform(doc[leading : token.start]))
                output.append(block)
            else:
                add_inner_block(block, token.start, token.length)
            offset = token.start + token.length
        elif token.kind == "opener":
            stack.append(
                _Frame(Block(token.name, token.attrs), token.start, token.length, token.start + token.length, leading)
            )
            offset = token.start + token.length
        else:  # closer
            if not stack:
                # WordPress stops here and emits the rest as raw HTML; we drop the stray closer.
                issues.append(f"closing delimiter of {token.name} without an open block")
                if leading is not None:
                    output.append(freeform(doc[leading : token.start]))
                offset = token.start + token.length
                continue
            if stack[-1].block.name != token.name:
                issues.append(f"block {stack[-1].block.name} closed by {token.name}")
            if len(stack) == 1:
                add_block_from_stack(token.start)
            else:
                close_nested(token.start, token.length)
            offset = token.start + token.length
    return output


def raw_html(block: Block) -> str:
    """A block's saved HTML with its inner blocks' HTML in place, without recursion."""
    out: list[str] = []
    stack = [(iter(block.inner_content), iter(block.inner_blocks))]
    while stack:
        chunks, inner = stack[-1]
        chunk = next(chunks, False)
        if chunk is False:
            stack.pop()
        elif chunk is None:
            child = next(inner, None)
            if child is not None:
                stack.append((iter(child.inner_content), iter(child.inner_blocks)))
        else:
            out.append(chunk)
    return "".join(out)


def walk(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block of a tree, inner ones too, in document order (no recursion: any depth)."""
    stack = [iter(blocks)]
    while stack:
        block = next(stack[-1], None)
        if block is None:
            stack.pop()
            continue
        yield block
        if block.inner_blocks:
            stack.append(iter(block.inner_blocks))


def block_names(blocks: Iterable[Block], into: Counter | None = None) -> Counter:
    """Every block name (nested too) with its count; freeform HTML is not counted."""
    names = into if into is not None else Counter()
    names.update(b.name for b in walk(blocks) if b.name)
    return names
