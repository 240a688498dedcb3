"""Apache: mod_rewrite (``RewriteEngine``, ``RewriteCond``, ``RewriteRule`` and its flags, with
mod_rewrite's own escaping of redirect targets) and mod_alias (``Redirect``, ``RedirectMatch``)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote

from .base import REDIRECT_STATUSES, Exists, Hit, Request, RuleSet


_APACHE_STATUS = {"permanent": 301, "temp": 302, "seeother": 303, "gone": 410}
_APACHE_SUBST = re.compile(r"\\(.)|\$(\d)|%(\d)|%\{(\w+)\}")
#: What mod_rewrite leaves as it is when it escapes a redirect target (no [NE] flag).
_APACHE_SAFE = "/:@!$&'()*+,;=-._~"


def read_apache(text: str, path: Path) -> RuleSet:
    rules = RuleSet("apache", path)
    directory = path.name == ".htaccess"
    lines: list[tuple[int, str]] = []
    pending = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        line, pending = (pending + raw).strip(), ""
        if line and not line.startswith("#"):
            lines.append((number, line))
    program: list[tuple[str, int, list[str], str]] = []
    for number, line in lines:
        words = _apache_words(line)
        name = words[0].lower()
        if name.startswith("<") or name in ("rewritebase", "rewriteoptions"):
            continue
        if name in (
            "rewriteengine",
            "rewritecond",
            "rewriterule",
            "redirect",
            "redirectmatch",
            "redirectpermanent",
            "redirecttemp",
        ):
            program.append((name, number, words[1:], line))
        else:
            rules.unread.append((number, line))
    rules.rules.append(lambda request, exists: _apache_run(program, request, exists, directory))
    return rules


def _apache_flags(words: list[str]) -> dict[str, str]:
    if not words or not (words[-1].startswith("[") and words[-1].endswith("]")):
        return {}
    out = {}
    for flag in words[-1][1:-1].split(","):
        key, _, value = flag.strip().partition("=")
        out[key.strip().upper()] = value.strip()
    return out


def _apache_run(program: list, request: Request, exists: Exists, directory: bool) -> Hit | None:
    engine = False
    conds: list[tuple[list[str], int]] = []
    path = request.path
    query = request.query
    for name, number, args, line in program:
        if name == "rewriteengine":
            engine = bool(args) and args[0].lower() == "on"
        elif name == "rewritecond":
            conds.append((args, number))
        elif name == "rewriterule":
            pending, conds = conds, []
            if not engine or len(args) < 2:
                continue
            hit, path, query, stop = _apache_rule(args, pending, path, query, request, exists, directory, number, line)
            if hit is not None:
                return hit
            if stop:
                break
        else:
            hit = _apache_alias(name, args, path, query, number, line)
            if hit is not None:
                return hit
    if path != request.path or query != request.query:
        return Hit(200, path + ("?" + query if query else ""), 0, "internal rewrite")
    return None


def _apache_rule(args, conds, path, query, request, exists, directory, number, line):
    flags = _apache_flags(args)
    nocase = "NC" in flags or "NOCASE" in flags
    pattern, substitution = args[0], args[1]
    negate = pattern.startswith("!")
    subject = path.lstrip("/") if directory else path
    try:
        m = re.search(pattern[1:] if negate else pattern, subject, re.I if nocase else 0)
    except re.error:
        return None, path, query, False
    if (m is None) != negate:
        return None, path, query, False
    groups = (m.group(0), *m.groups()) if m is not None and not negate else ()
    cond_groups = _apache_conds(conds, path, query, exists)
    if cond_groups is None:
        return None, path, query, False

    def expand(text: str) -> str:
        return _apache_expand(text, groups, cond_groups, path, query)

    if "F" in flags or "FORBIDDEN" in flags:
        return Hit(403, "", number, line), path, query, True
    if "G" in flags or "GONE" in flags:
        return Hit(410, "", number, line), path, query, True
    if substitution == "-":
        return None, path, query, "L" in flags or "END" in flags
    new = expand(substitution)
    new_path, has_query, new_query = new.partition("?")
    if has_query:
        query = new_query + ("&" + query if ("QSA" in flags and query) else "")
    elif "QSD" in flags:
        query = ""
    if not new_path.startswith(("/", "http://", "https://")):
        new_path = "/" + new_path
    redirect = "R" in flags or "REDIRECT" in flags or new_path.startswith(("http://", "https://"))
    if redirect:
        code = flags.get("R") or flags.get("REDIRECT") or "302"
        status = int(code) if code.isdigit() else 302
        if "NE" not in flags and "NOESCAPE" not in flags:  # mod_rewrite escapes what it sends, "%" too
            new_path = quote(new_path, safe=_APACHE_SAFE)
        return Hit(status, new_path + ("?" + query if query else ""), number, line), path, query, True
    return None, unquote(new_path), query, "L" in flags or "END" in flags


def _apache_expand(text: str, groups: tuple, cond_groups: tuple, path: str, query: str) -> str:
    """A substitution: ``\\x`` literal, ``$N`` rule and ``%N`` condition back-references, ``%{VAR}``."""

    def one(m: re.Match) -> str:
        literal, rule_ref, cond_ref, var = m.groups()
        if literal is not None:
            return literal
        if var is not None:
            return {"QUERY_STRING": query, "REQUEST_URI": path}.get(var, "")
        found, n = (groups, int(rule_ref)) if rule_ref is not None else (cond_groups, int(cond_ref))
        return (found[n] or "") if n < len(found) else ""

    return _APACHE_SUBST.sub(one, text)


def _apache_words(line: str) -> list[str]:
    """A directive's words: whitespace-separated, ``"..."`` quoted; backslashes kept (they are
    the regex's and the substitution's own escapes)."""
    words: list[str] = []
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"|(\S+)', line):
        words.append(m.group(1).replace('\\"', '"') if m.group(1) is not None else m.group(2))
    return words


def _apache_conds(conds: list, path: str, query: str, exists: Exists) -> tuple | None:
    """Back-references of the last matching condition, or None when the conditions fail."""
    groups: tuple = ()
    result = True
    previous_or = False
    for args, _number in conds:
        if len(args) < 2:
            return None
        flags = _apache_flags(args)
        test = re.sub(
            r"%\{(\w+)\}",
            lambda g: {"QUERY_STRING": query, "REQUEST_URI": path, "REQUEST_FILENAME": path}.get(g.group(1), ""),
            args[0],
        )
        pattern = args[1]
        negate = pattern.startswith("!")
        pattern = pattern[1:] if negate else pattern
        if pattern in ("-f", "-d", "-F", "-s", "-l", "-U", "-e"):
            ok = exists(test)
        elif pattern.startswith("="):
            ok = test == pattern[1:]
        else:
            try:
                m = re.search(pattern, test, re.I if "NC" in flags or "NOCASE" in flags else 0)
            except re.error:
                return None
            ok = m is not None
            if ok and not negate:
                groups = (m.group(0), *m.groups())
        ok = ok != negate
        result = (result or ok) if previous_or else (result and ok)
        previous_or = "OR" in flags or "ORNEXT" in flags
    return groups if result else None


def _apache_alias(name: str, args: list[str], path: str, query: str, number: int, line: str) -> Hit | None:
    status = 302 if name != "redirectpermanent" else 301
    if name == "redirecttemp":
        status = 302
    if args and (args[0].isdigit() or args[0].lower() in _APACHE_STATUS) and name in ("redirect", "redirectmatch"):
        status = int(args[0]) if args[0].isdigit() else _APACHE_STATUS[args[0].lower()]
        args = args[1:]
    if not args:
        return None
    target = args[1] if len(args) > 1 else ""
    if name == "redirectmatch":
        try:
            m = re.search(args[0], path)
        except re.error:
            return None
        if m is None:
            return None
        groups = (m.group(0), *m.groups())
        target = re.sub(
            r"\$(\d)", lambda g: (groups[int(g.group(1))] or "") if int(g.group(1)) < len(groups) else "", target
        )
    else:
        source = unquote(args[0]).rstrip("/")
        if not (path == source or path.startswith(source + "/") or path == source + "/"):
            return None
        target = target.rstrip("/") + path[len(source) :] if target else ""
    if status not in REDIRECT_STATUSES:
        return Hit(status, "", number, line)
    return Hit(status, target + ("?" + query if query and "?" not in target else ""), number, line)
