"""Netlify ``_redirects``: first matching line wins; placeholders, splats, query parameters,
``!`` forcing a rule over an existing file."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from .base import Exists, Hit, Request, RuleSet, norm


def read_netlify(text: str, path: Path) -> RuleSet:
    rules = RuleSet("netlify", path)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        rule = _netlify_rule(line, number)
        if rule is None:
            rules.unread.append((number, raw))
        else:
            rules.rules.append(rule)
    return rules


def _netlify_rule(line: str, number: int):
    tokens = line.split()
    if len(tokens) < 2 or not tokens[0].startswith("/"):
        return None  # domain-level rules (https://host/...) never match a site path
    source, rest = tokens[0], tokens[1:]
    params: list[tuple[str, str]] = []
    while rest and "=" in rest[0] and not rest[0].startswith(("/", "http://", "https://")):
        key, _, value = rest.pop(0).partition("=")
        params.append((unquote(key), unquote(value)))
    if not rest:
        return None
    target, rest = rest[0], rest[1:]
    status, forced = 301, False
    if rest and re.fullmatch(r"\d{3}!?", rest[0]):
        status, forced = int(rest[0].rstrip("!")), rest[0].endswith("!")
        rest = rest[1:]
    conditional = bool(rest)  # Country=, Language=, Role=, Cookie=: not known here
    pattern = _netlify_pattern(unquote(source))

    def rule(request: Request, exists: Exists) -> Hit | None:
        if conditional:
            return None
        m = pattern.fullmatch(norm(request.path))
        if m is None:
            return None
        values = {k: v for k, v in m.groupdict().items() if v is not None}
        args = request.args()
        for key, value in params:
            if key not in args:
                return None
            if value.startswith(":"):
                values[value[1:]] = args[key]
            elif args[key] != value:
                return None
        if not forced and exists(request.path):
            return None  # shadowing: the file is served, the rule is not applied
        new = re.sub(r":([A-Za-z_][A-Za-z0-9_]*)", lambda g: values.get(g.group(1), g.group(0)), target)
        return Hit(status, new if status != 404 else "", number, line)

    return rule


def _netlify_pattern(source: str) -> re.Pattern:
    out = []
    for segment in norm(source).split("/"):
        if segment == "*":
            out.append("(?P<splat>.*)")
        elif segment.startswith(":") and re.fullmatch(r":[A-Za-z_][A-Za-z0-9_]*", segment):
            out.append(f"(?P<{segment[1:]}>[^/]+)")
        else:
            out.append(re.escape(segment))
    text = "/".join(out)
    if text.endswith("/(?P<splat>.*)"):  # /news/* also matches /news
        text = text[: -len("/(?P<splat>.*)")] + "(?:/(?P<splat>.*))?"
    return re.compile(text or "/")
