"""The ``migrator`` command.  Thin: parses arguments, calls the public API, shows the report."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .model import Report
from .options import Options
from .pipeline import convert


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="migrator", description="WordPress archives to clean Markdown.")
    parser.add_argument("--version", action="version", version=f"migrator {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    conv = sub.add_parser("convert", help="convert exports or scraped pages into Markdown files")
    conv.add_argument("inputs", nargs="+", metavar="INPUT",
                      help="WXR exports (.xml, .xml.gz), saved HTML pages, text scrapes, or a folder (a saved site)")
    conv.add_argument("-o", "--output", required=True, metavar="OUT", help="output directory")
    conv.add_argument("--layout", default=Options.layout,
                      help="path template: {type} {slug} {id} {year} {month} {day} (default: %(default)s)")
    conv.add_argument("--include-drafts", action="store_true", help="also convert drafts, pending and scheduled posts")
    conv.add_argument("--include-private", action="store_true", help="also convert private and password-protected posts")
    conv.add_argument("--figure-style", choices=["markdown", "html", "hugo"], default="markdown",
                      help="how images with captions are written (default: %(default)s)")
    conv.add_argument("--shortcodes", choices=["convert", "keep"], default="convert",
                      help="convert known shortcodes, or keep them all verbatim (default: %(default)s)")
    conv.add_argument("--from", dest="source_format", choices=["wxr", "html", "text"],
                      help="force the input format instead of detecting it")
    conv.add_argument("--explain", action="store_true",
                      help="list every line or element removed as theme chrome, with the rule that removed it")
    conv.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    add_ci_parsers(sub)
    return parser


def add_ci_parsers(sub: argparse._SubParsersAction) -> None:
    """``validate``, ``check`` and ``inspect``: read-only commands for CI."""
    formats = ["text", "json", "github", "junit"]
    val = sub.add_parser("validate", help="report problems in exports without converting anything")
    val.add_argument("inputs", nargs="+", metavar="INPUT", help="WXR export(s); a split export is one site")
    val.add_argument("--from", dest="source_format", choices=["wxr", "html", "text"],
                     help="force the input format instead of detecting it")
    chk = sub.add_parser("check", help="validate a converted output tree")
    chk.add_argument("output", metavar="OUT", help="output directory of `migrator convert`")
    for p in (val, chk):
        p.add_argument("--format", choices=formats, default="text", help="output format (default: %(default)s)")
        p.add_argument("--fail-on", choices=["error", "warning"], default="error",
                       help="lowest severity that makes the exit code 1 (default: %(default)s)")
    ins = sub.add_parser("inspect", help="summarise an export: counts, authors, terms, shortcodes, blocks")
    ins.add_argument("inputs", nargs="+", metavar="INPUT", help="WXR export(s)")
    ins.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: %(default)s)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("validate", "check", "inspect"):
        return run_ci_command(args)
    console = Console(stderr=True)
    options = Options(
        layout=args.layout, include_drafts=args.include_drafts, include_private=args.include_private,
        figure_style=args.figure_style, shortcodes=args.shortcodes, source_format=args.source_format,
        quiet=args.quiet,
    )
    report = _run_convert(args.inputs, args.output, options, console)
    if report.fatal:
        for p in report.problems:
            if p.code == "input-unreadable":
                console.print(f"[bold red]error:[/] {p.source}: {p.message}", highlight=False, soft_wrap=True)
        return report.exit_code
    if args.explain:
        print_removed(report)
    if not args.quiet:
        print_summary(report, console)
    return report.exit_code


def run_ci_command(args: argparse.Namespace) -> int:
    """Run ``validate``, ``check`` or ``inspect``; the report goes to stdout."""
    from .reports import render

    if args.command == "inspect":
        from .inspect import inspect_inputs, render_inspection

        summary = inspect_inputs(args.inputs)
        sys.stdout.write(render_inspection(summary, args.format))
        return 2 if summary.get("unreadable") else 0
    if args.command == "validate":
        from .validate import validate

        findings = validate(args.inputs, args.source_format)
    else:
        from .check import check_output

        findings = check_output(args.output)
    sys.stdout.write(render(findings, args.format, args.fail_on))
    return findings.exit_code(args.fail_on)


def _run_convert(inputs: list[str], out: str, options: Options, console: Console) -> Report:
    if options.quiet or not console.is_terminal:
        return convert(inputs, out, options)
    columns = (TextColumn("converting"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("convert", total=None, rate="")

        def progress(done: int, total: int) -> None:
            speed = bar.tasks[0].speed
            bar.update(task, completed=done, total=total, rate=f"{speed:,.0f} items/s" if speed else "")

        return convert(inputs, out, options, progress=progress)


def print_removed(report: Report) -> None:
    """``--explain``: every removed line on stdout as ``source:line: [id] rule: text``."""
    for p in report.problems:
        if p.code == "text-chrome-removed":
            where = f"{p.source}:{p.line}" if p.line else (p.source or "")
            print(f"{where}: [{p.id or '-'}] {p.message}")


def print_summary(report: Report, console: Console) -> None:
    """A summary table: documents, skipped by reason, media, warnings and errors."""
    table = Table(title="migrator summary", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(len(report.documents)))
    for reason, count in sorted(Counter(s.reason for s in report.skipped).items()):
        table.add_row(f"skipped: {reason}", str(count))
    table.add_row("media", str(len(report.media)))
    severities = Counter(p.severity for p in report.problems)
    table.add_row("warnings", str(severities.get("warning", 0)))
    table.add_row("errors", str(severities.get("error", 0)))
    console.print(table)
    for p in report.problems:
        if p.severity == "error":
            where = f"{p.source}:{p.line}" if p.line else (p.source or "")
            item = f" (item {p.id})" if p.id else ""
            console.print(f"[red]error[/] {where}{item}: {p.code}: {p.message}", highlight=False, soft_wrap=True)


if __name__ == "__main__":
    sys.exit(main())
