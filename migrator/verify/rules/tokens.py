"""A tokenizer and block parser shared by the nginx and Caddy readers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass
class Statement:
    name: str
    args: list[str]
    line: int
    block: list["Statement"] | None = None


def tokens(text: str, caddy: bool = False) -> Iterator[tuple[str, int, bool]]:
    """(token, line, quoted) of an nginx or Caddy configuration.  nginx: ``{``, ``}`` and ``;``
    end a word anywhere.  Caddy: a line end is a ``;`` token, braces are structure only as words
    of their own (``{uri}`` is a placeholder).  Inside quotes a backslash escapes only the quote
    and itself (``"\\d+"`` stays a regular expression)."""
    i, line, n = 0, 1, len(text)
    stops = "" if caddy else "{};"
    while i < n:
        ch = text[i]
        if ch == "\n":
            if caddy:
                yield ";", line, False
            line += 1
            i += 1
        elif ch.isspace():
            i += 1
        elif ch == "#" and (i == 0 or text[i - 1].isspace()):
            while i < n and text[i] != "\n":
                i += 1
        elif ch in stops:
            yield ch, line, False
            i += 1
        elif ch in "\"'`":
            j, buf = i + 1, []
            while j < n and text[j] != ch:
                if text[j] == "\\" and j + 1 < n and text[j + 1] in (ch, "\\") and ch != "`":
                    j += 1
                if text[j] == "\n":
                    line += 1
                buf.append(text[j])
                j += 1
            yield "".join(buf), line, True
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in stops:
                j += 1 + (text[j] == "\\")
            word = text[i:j]
            yield word, line, caddy and word not in ("{", "}")
            i = j


def parse(text: str, caddy: bool = False) -> list[Statement]:
    stack: list[list[Statement]] = [[]]
    current: list[tuple[str, bool]] = []
    start = 0
    for token, line, quoted in tokens(text, caddy):
        if not quoted and token in (";", "{", "}"):
            if current:
                words = [t for t, _ in current]
                stmt = Statement(words[0], words[1:], start)
                stack[-1].append(stmt)
                if token == "{":
                    stmt.block = []
                    stack.append(stmt.block)
            if token == "}" and len(stack) > 1:
                stack.pop()
            current = []
            continue
        if not current:
            start = line
        current.append((token, quoted))
    if current:
        words = [t for t, _ in current]
        stack[-1].append(Statement(words[0], words[1:], start))
    return stack[0]


def text_of(stmt: Statement) -> str:
    return " ".join([stmt.name, *stmt.args])
