"""Problem output formats shared by ``validate`` and ``check``: text, json, github, junit.

A :class:`Findings` is what a validation run produced: the inputs looked at, the checks run
(each a name and the problem codes it may emit) and the problems found.  Formatters are pure
functions of it returning a string; nothing here reads files.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .model import Problem
from .xmlquote import escape, quoteattr

SCHEMA_VERSION = 1
SEVERITIES = ("error", "warning", "info")
_RANK = {"info": 0, "warning": 1, "error": 2}
FORMATS = ("text", "json", "github", "junit")


@dataclass
class Check:
    """One named check and the problem codes it can report."""

    name: str
    codes: tuple[str, ...]
    description: str = ""


@dataclass
class Findings:
    """The result of ``validate`` or ``check``: problems as data, plus what was looked at."""

    command: str
    inputs: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # inputs that could not be read at all
    counts: dict = field(default_factory=dict)  # command-specific counts for the summary (verify)
    notes: list[str] = field(default_factory=list)  # summary lines printed before the verdict

    def reaches(self, fail_on: str) -> list[Problem]:
        """Problems at or above the ``fail_on`` severity."""
        floor = _RANK[fail_on]
        return [p for p in self.problems if _RANK.get(p.severity, 0) >= floor]

    def exit_code(self, fail_on: str = "error") -> int:
        """2: an input could not be read; 1: a problem reaches ``fail_on``; else 0."""
        if self.unreadable:
            return 2
        return 1 if self.reaches(fail_on) else 0

    def summary(self) -> dict:
        counts = Counter(p.severity for p in self.problems)
        return {
            "inputs": len(self.inputs),
            "problems": len(self.problems),
            "error": counts.get("error", 0),
            "warning": counts.get("warning", 0),
            "info": counts.get("info", 0),
            "unreadable": len(self.unreadable),
            "by_code": dict(sorted(Counter(p.code for p in self.problems).items())),
            **({"counts": self.counts} if self.counts else {}),
        }

    def check_of(self, code: str) -> str:
        """The name of the check that emits ``code`` (``other`` when none declares it)."""
        for check in self.checks:
            if code in check.codes:
                return check.name
        return "other"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Deterministic order: by source, line, code, item id, message."""
    return sorted(problems, key=lambda p: (p.source or "", p.line or 0, p.code, p.id or "", p.message))


def render(findings: Findings, fmt: str, fail_on: str = "error") -> str:
    if fmt == "json":
        return to_json(findings, fail_on)
    if fmt == "github":
        return to_github(findings)
    if fmt == "junit":
        return to_junit(findings, fail_on)
    return to_text(findings, fail_on)


# -- json -------------------------------------------------------------------------------------


def to_dict(findings: Findings, fail_on: str = "error") -> dict:
    return {
        "version": SCHEMA_VERSION,
        "command": findings.command,
        "fail_on": fail_on,
        "exit_code": findings.exit_code(fail_on),
        "inputs": [{"path": p, "readable": p not in findings.unreadable} for p in findings.inputs],
        "checks": [{"name": c.name, "codes": list(c.codes)} for c in findings.checks],
        "problems": [dict(p.as_dict(), check=findings.check_of(p.code)) for p in sort_problems(findings.problems)],
        "summary": findings.summary(),
    }


def to_json(findings: Findings, fail_on: str = "error") -> str:
    return json.dumps(to_dict(findings, fail_on), ensure_ascii=False, indent=2) + "\n"


# -- github -----------------------------------------------------------------------------------


def escape_data(value: str) -> str:
    """Escape a workflow-command message (``%``, CR, LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow-command property value (also ``:`` and ``,``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def github_line(p: Problem) -> str:
    props = []
    if p.source:
        props.append("file=" + escape_property(p.source))
    if p.line:
        props.append(f"line={p.line}")
    props.append("title=" + escape_property(p.code))
    message = p.message + (f" (item {p.id})" if p.id else "")
    return f"::{_GITHUB_LEVEL.get(p.severity, 'notice')} {','.join(props)}::{escape_data(message)}"


def to_github(findings: Findings) -> str:
    lines = [github_line(p) for p in sort_problems(findings.problems)]
    return "".join(line + "\n" for line in lines)


# -- junit ------------------------------------------------------------------------------------


def to_junit(findings: Findings, fail_on: str = "error") -> str:
    """One testsuite per input, one testcase per check; failures for problems reaching fail_on."""
    reaching = {id(p) for p in findings.reaches(fail_on)}
    suites: list[str] = []
    total_tests = total_failures = 0
    for source in findings.inputs:
        mine = [p for p in sort_problems(findings.problems) if input_of(findings, p) == source]
        cases: list[str] = []
        failures = 0
        for check in findings.checks:
            hits = [p for p in mine if p.code in check.codes and id(p) in reaching]
            others = [p for p in mine if p.code in check.codes and id(p) not in reaching]
            name = quoteattr(check.name)
            body = ""
            if hits:
                failures += 1
                text = "\n".join(_problem_text(p) for p in hits)
                body += (
                    f"<failure type={quoteattr(hits[0].code)} "
                    f"message={quoteattr(f'{len(hits)} problem(s) at or above {fail_on}')}>"
                    f"{escape(text)}</failure>"
                )
            if others:
                body += f"<system-out>{escape(chr(10).join(_problem_text(p) for p in others))}</system-out>"
            cases.append(
                f"    <testcase classname={quoteattr(findings.command + '.' + source)} name={name}>{body}</testcase>"
                if body
                else f"    <testcase classname={quoteattr(findings.command + '.' + source)} name={name}/>"
            )
        total_tests += len(cases)
        total_failures += failures
        suites.append(
            f'  <testsuite name={quoteattr(source)} tests="{len(cases)}" failures="{failures}" '
            f'errors="0">\n' + "\n".join(cases) + "\n  </testsuite>"
        )
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name={quoteattr("migrator " + findings.command)} '
        f'tests="{total_tests}" failures="{total_failures}">\n'
    )
    return head + "\n".join(suites) + ("\n" if suites else "") + "</testsuites>\n"


def input_of(findings: Findings, problem: Problem) -> str:
    """The input a problem belongs to: its source, or the input directory holding it."""
    source = problem.source or ""
    for path in findings.inputs:
        if source == path or source.startswith(path.rstrip("/\\") + "/") or source.startswith(path + "\\"):
            return path
    return findings.inputs[0] if findings.inputs else ""


def _problem_text(p: Problem) -> str:
    where = f"{p.source}:{p.line}" if p.line else (p.source or "")
    item = f" item {p.id}" if p.id else ""
    return f"{p.severity} {p.code} {where}{item}: {p.message}"


# -- text -------------------------------------------------------------------------------------


def to_text(findings: Findings, fail_on: str = "error", width: int = 120) -> str:
    """A rich table of problems and a summary line, rendered to plain text."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    problems = sort_problems(findings.problems)
    if problems:
        table = Table(title=f"migrator {findings.command}", show_lines=False)
        for col in ("severity", "code", "where", "item", "message"):
            table.add_column(col, overflow="fold")
        for p in problems:
            where = f"{p.source}:{p.line}" if p.line else (p.source or "")
            table.add_row(*(Text(v) for v in (p.severity, p.code, where, p.id or "", p.message)))
        console.print(table)
    s = findings.summary()
    for note in findings.notes:
        console.print(Text(note))
    verdict = "FAILED" if findings.exit_code(fail_on) else "OK"
    console.print(
        Text(
            f"{verdict}: {s['inputs']} input(s), {s['error']} error(s), {s['warning']} warning(s), "
            f"{s['info']} info (failing on {fail_on})"
        )
    )
    return console.export_text()
