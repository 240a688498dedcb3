"""nginx: server-level ``if``/``rewrite``/``return``, then the location (``=``, prefix, ``^~``,
regex) and its statements."""

from __future__ import annotations

import re
from pathlib import Path

from .base import REDIRECT_STATUSES, Hit, Request, RuleSet
from .tokens import Statement, parse, text_of


def read_nginx(text: str, path: Path) -> RuleSet:
    statements = parse(text)
    server = next((s.block for s in statements if s.name == "server" and s.block is not None), statements)
    rules = RuleSet("nginx", path)
    rules.rules.append(lambda request, exists: _nginx_server(server, request))
    for stmt in server:
        if stmt.name not in (
            "location",
            "if",
            "return",
            "rewrite",
            "server",
            "listen",
            "server_name",
            "root",
            "index",
            "include",
            "try_files",
            "error_page",
        ):
            rules.unread.append((stmt.line, " ".join([stmt.name, *stmt.args])))
    return rules


def _nginx_server(statements: list[Statement], request: Request) -> Hit | None:
    uri = re.sub(r"/{2,}", "/", request.path)
    hit, uri = _nginx_run(statements, request, uri, top=True)
    if hit is not None:
        return hit
    location = _nginx_location(statements, uri)
    if location is None:
        return None
    stmt, captures = location
    hit, new_uri = _nginx_run(stmt.block or [], request, uri, captures=captures)
    if hit is None and new_uri != uri:
        return Hit(200, new_uri + ("?" + request.query if request.query else ""), stmt.line, text_of(stmt))
    return hit


def _nginx_run(
    statements: list[Statement], request: Request, uri: str, top: bool = False, captures: tuple = ()
) -> tuple[Hit | None, str]:
    """Run the rewrite-phase statements of a block: (a final answer or None, the URI now)."""
    for stmt in statements:
        if stmt.name == "return" and stmt.args:
            return _nginx_return(stmt, request, uri, captures), uri
        if stmt.name == "if" and stmt.block is not None:
            ok, caps = _nginx_condition(stmt.args, request, uri)
            if ok:
                hit, uri = _nginx_run(stmt.block, request, uri, captures=caps or captures)
                if hit is not None:
                    return hit, uri
        elif stmt.name == "rewrite" and len(stmt.args) >= 2:
            m = re.search(stmt.args[0], uri)
            if m is None:
                continue
            groups = (m.group(0), *m.groups())
            new = _nginx_expand(stmt.args[1], request, uri, groups)
            flag = stmt.args[2] if len(stmt.args) > 2 else ""
            if flag in ("permanent", "redirect") or new.startswith(("http://", "https://")):
                if "?" not in new and request.query and not stmt.args[1].endswith("?"):
                    new += "?" + request.query
                return Hit(301 if flag == "permanent" else 302, new.rstrip("?"), stmt.line, text_of(stmt)), uri
            uri = new.split("?", 1)[0]
            if flag in ("last", "break"):
                return None, uri
    return None, uri


def _nginx_return(stmt: Statement, request: Request, uri: str, captures: tuple) -> Hit:
    args = stmt.args
    if args[0].isdigit():
        code = int(args[0])
        target = _nginx_expand(args[1], request, uri, captures) if len(args) > 1 else ""
    else:
        code, target = 302, _nginx_expand(args[0], request, uri, captures)
    if code not in REDIRECT_STATUSES:
        target = ""
    return Hit(code, target, stmt.line, text_of(stmt))


def _nginx_expand(value: str, request: Request, uri: str, captures: tuple) -> str:
    args = request.args()

    def var(m: re.Match) -> str:
        name = m.group(1) or m.group(2)
        if name.isdigit():
            n = int(name)
            return captures[n] if n < len(captures) and captures[n] is not None else ""
        if name.startswith("arg_"):
            return args.get(name[4:], "")
        return {
            "args": request.query,
            "query_string": request.query,
            "is_args": "?" if request.query else "",
            "uri": uri,
            "document_uri": uri,
            "request_uri": request.path + ("?" + request.query if request.query else ""),
        }.get(name, "")

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", var, value)


def _nginx_condition(args: list[str], request: Request, uri: str) -> tuple[bool, tuple]:
    words = list(args)
    if words and words[0].startswith("("):
        words[0] = words[0][1:]
    if words and words[-1].endswith(")"):
        words[-1] = words[-1][:-1]
    words = [w for w in words if w != ""]
    if not words:
        return False, ()
    value = _nginx_expand(words[0], request, uri, ())
    if len(words) == 1:
        return value not in ("", "0"), ()
    op, operand = words[1], " ".join(words[2:])
    if op == "=":
        return value == operand, ()
    if op == "!=":
        return value != operand, ()
    if op in ("~", "~*", "!~", "!~*"):
        try:
            m = re.search(operand, value, re.I if op.endswith("*") else 0)
        except re.error:
            return False, ()
        ok = (m is not None) != op.startswith("!")
        return ok, ((m.group(0), *m.groups()) if m is not None else ())
    return False, ()


def _nginx_location(statements: list[Statement], uri: str) -> tuple[Statement, tuple] | None:
    prefix: tuple[int, Statement, bool] | None = None
    regexes: list[Statement] = []
    for stmt in statements:
        if stmt.name != "location" or stmt.block is None or not stmt.args:
            continue
        mod, target = (stmt.args[0], stmt.args[1]) if len(stmt.args) > 1 else ("", stmt.args[0])
        if mod == "=":
            if uri == target:
                return stmt, ()
        elif mod in ("~", "~*"):
            regexes.append(stmt)
        elif mod in ("", "^~") and uri.startswith(target):
            if prefix is None or len(target) > prefix[0]:
                prefix = (len(target), stmt, mod == "^~")
    if prefix is not None and prefix[2]:
        return prefix[1], ()
    for stmt in regexes:
        try:
            m = re.search(stmt.args[1], uri, re.I if stmt.args[0] == "~*" else 0)
        except re.error:
            continue
        if m is not None:
            return stmt, (m.group(0), *m.groups())
    return (prefix[1], ()) if prefix is not None else None
