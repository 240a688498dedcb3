"""Caddy: ``redir [matcher] to [code]`` with path matchers and named matchers (path, query)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl

from .base import Exists, Hit, Request, RuleSet
from .tokens import Statement, parse, text_of


_CADDY_CODES = {"permanent": 301, "temporary": 302, "html": 200}


def read_caddy(text: str, path: Path) -> RuleSet:
    rules = RuleSet("caddy", path)
    statements = parse(text, caddy=True)
    matchers: dict[str, list[Statement]] = {}
    for stmt in _flatten(statements):
        if stmt.name.startswith("@"):
            matchers[stmt.name] = (
                stmt.block
                if stmt.block is not None
                else [Statement(stmt.args[0], stmt.args[1:], stmt.line)]
                if stmt.args
                else []
            )
    for stmt in _flatten(statements):
        if stmt.name == "redir" and stmt.args:
            rules.rules.append(_caddy_redir(stmt, matchers))
        elif not stmt.name.startswith("@") and stmt.block is None and stmt.name not in ("path", "query"):
            rules.unread.append((stmt.line, text_of(stmt)))
    return rules


def _flatten(statements: list[Statement]) -> Iterator[Statement]:
    """Statements, with the contents of site, ``route`` and ``handle`` blocks."""
    for stmt in statements:
        if stmt.block is not None and not stmt.name.startswith("@"):
            yield from _flatten(stmt.block)
        else:
            yield stmt


def _caddy_redir(stmt: Statement, matchers: dict[str, list[Statement]]):
    args = list(stmt.args)
    conditions: list[Statement] = []
    if args[0].startswith("@"):
        conditions = matchers.get(args.pop(0), [Statement("never", [], stmt.line)])
    elif args[0] == "*":
        args.pop(0)
    elif args[0].startswith("/") and len(args) > 1:
        conditions = [Statement("path", [args.pop(0)], stmt.line)]
    target = args[0] if args else ""
    code = args[1] if len(args) > 1 else "302"
    status = int(code) if code.isdigit() else _CADDY_CODES.get(code, 302)

    def rule(request: Request, exists: Exists) -> Hit | None:
        if not target or not all(_caddy_matches(c, request) for c in conditions):
            return None
        new = target.replace("{uri}", request.path + ("?" + request.query if request.query else ""))
        new = new.replace("{path}", request.path).replace("{query}", request.query)
        return Hit(status if status != 200 else 301, new, stmt.line, text_of(stmt))

    return rule


def _caddy_matches(condition: Statement, request: Request) -> bool:
    if condition.name == "path":
        path = request.path.lower()
        return any(fnmatch.fnmatchcase(path, p.lower()) if "*" in p else path == p.lower() for p in condition.args)
    if condition.name == "query":
        wanted: dict[str, set[str]] = {}
        for pair in condition.args:
            key, _, value = pair.partition("=")
            wanted.setdefault(key, set()).add(value)
        values = dict(parse_qsl(request.query, keep_blank_values=True))
        return all(key in values and ("*" in options or values[key] in options) for key, options in wanted.items())
    return False  # a matcher not modelled here (header, method, remote_ip...) never matches
