"""The ``migrator`` command.  Thin: parses arguments, calls the public API, shows the report."""

from __future__ import annotations

import argparse
import re
import signal
import sys
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import chain
from pathlib import Path
from typing import NoReturn, get_args

from rich.console import Console
from rich.table import Table

from ._version import __version__
from .check import check_output
from .display import ConvertDisplay, progress_bar
from .inspect import inspect_inputs, render_inspection
from .model import Report
from .options import (
    CommentsMode,
    EmbedStyle,
    FigureStyle,
    FrontMatterFormat,
    LinkStyle,
    FIELDS,
    MediaMode,
    Options,
    did_you_mean,
    make_options,
    RedirectFormat,
    RedirectKey,
    ShortcodeMode,
)
from .pipeline import convert
from .reports import FORMATS as REPORT_FORMATS
from .reports import render
from .sources import FORMATS
from .targets import TARGETS, resolve_options
from .validate import validate
from .verify.command import add_verify_parser, run_verify

REDIRECT_FORMATS: tuple[str, ...] = get_args(RedirectFormat)
#: warning codes the summary names (the most frequent first)
TOP_CODES = 5
#: ``--redirect-key`` choices: the option's values, "" spelled ``none``
REDIRECT_KEYS = tuple(key or "none" for key in get_args(RedirectKey))


class Parser(argparse.ArgumentParser):
    """argparse, with a short error: the mistake, the closest option or choice ("did you mean"),
    and where the full usage is (``--help``) instead of the whole usage."""

    def error(self, message: str) -> NoReturn:  # type: ignore[override]
        m = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if m:
            message += did_you_mean(m.group(1), re.findall(r"'([^']*)'", m.group(2)))
        self.exit(2, f"{self.prog}: error: {message}\n(`{self.prog} --help` lists every option)\n")

    def unrecognized(self, extras: list[str]) -> NoReturn:
        """Arguments this (sub)command does not know, each with the closest option it has."""
        flags = [o[2:] for action in self._actions for o in action.option_strings if o.startswith("--")]
        said = []
        for extra in extras:
            name = extra.split("=", 1)[0]
            hint = did_you_mean(name.lstrip("-"), flags).replace(" (did you mean '", " (did you mean '--")
            said.append(extra + (hint if name.startswith("-") else ""))
        self.error("unrecognized argument" + ("s" if len(said) > 1 else "") + ": " + ", ".join(said))


def build_parser() -> Parser:
    parser = Parser(prog="migrator", description="WordPress archives to clean Markdown.")
    parser.add_argument("--version", action="version", version=f"migrator {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    conv = sub.add_parser("convert", help="convert exports or scraped pages into Markdown files")
    conv.add_argument(
        "inputs",
        nargs="+",
        type=path_argument,
        metavar="INPUT",
        help="WXR exports (.xml, .xml.gz), saved HTML pages, text scrapes, a folder (a saved site), "
        "or the http(s) URL of a live WordPress site",
    )
    conv.add_argument("-o", "--output", required=True, type=path_argument, metavar="OUT", help="output directory")
    conv.add_argument(
        "--layout",
        default=Options.layout,
        help="path template: {type} {slug} {id} {year} {month} {day} (default: %(default)s)",
    )
    conv.add_argument("--include-drafts", action="store_true", help="also convert drafts, pending and scheduled posts")
    conv.add_argument(
        "--include-private", action="store_true", help="also convert private and password-protected posts"
    )
    conv.add_argument(
        "--embed-style",
        choices=get_args(EmbedStyle),
        default=Options.embed_style,
        help="embeds, audio and video as links, or as <iframe>/<audio>/<video> HTML (default: %(default)s)",
    )
    conv.add_argument(
        "--figure-style",
        choices=get_args(FigureStyle),
        default=Options.figure_style,
        help="how images with captions are written (default: %(default)s)",
    )
    conv.add_argument(
        "--shortcodes",
        choices=get_args(ShortcodeMode),
        default=Options.shortcodes,
        help="convert known shortcodes, or keep them all verbatim (default: %(default)s)",
    )
    conv.add_argument(
        "--no-texturize",
        dest="texturize",
        action="store_false",
        help="keep quotes, dashes and ellipses of an export as typed (WordPress shows them curly: "
        "wptexturize; for sites that turn it off)",
    )
    conv.add_argument(
        "--from",
        "--source-format",
        dest="source_format",
        choices=FORMATS,
        help="force the input format instead of detecting it",
    )
    conv.add_argument(
        "--explain",
        action="store_true",
        help="list every line or element removed as theme chrome, with the rule that removed it",
    )
    conv.add_argument(
        "-j",
        "--jobs",
        type=parse_jobs,
        default=None,
        metavar="N",
        help="convert documents in N processes (default: the number of CPUs)",
    )
    conv.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    conv.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty directory without a migrator manifest "
        "(files migrator did not create are still never touched)",
    )
    conv.add_argument(
        "--include-private-data",
        action="store_true",
        help="keep commenter/author e-mails, IP addresses and post passwords (left out by default)",
    )
    ref = conv.add_argument_group("links, media and redirects")
    ref.add_argument(
        "--old-url",
        dest="old_urls",
        action="append",
        default=[],
        metavar="URL",
        help="an earlier address of the site; links to it count as internal (repeatable)",
    )
    ref.add_argument(
        "--link-style",
        choices=get_args(LinkStyle),
        default=Options.link_style,
        help="internal links as relative file paths or site-absolute URLs (default: %(default)s)",
    )
    ref.add_argument(
        "--base-url",
        default=Options.base_url,
        metavar="URL",
        help="URL prefix of the new site, for absolute links and redirects (default: %(default)s)",
    )
    ref.add_argument(
        "--media",
        choices=get_args(MediaMode),
        default=Options.media,
        help="keep media URLs, download them into media/, or write page bundles "
        "(default: download with --target, link without)",
    )
    ref.add_argument("--media-from", metavar="DIR", help="copy media from a local wp-content/uploads folder")
    ref.add_argument(
        "--media-jobs",
        type=int,
        default=Options.media_jobs,
        metavar="N",
        help="parallel downloads (default: %(default)s)",
    )
    ref.add_argument(
        "--max-media-size",
        type=parse_size,
        default=Options.max_media_size,
        metavar="SIZE",
        help="largest media file accepted, e.g. 50M (default: 50M)",
    )
    ref.add_argument(
        "--media-host",
        dest="media_hosts",
        action="append",
        default=[],
        metavar="HOST",
        help="another host media may be downloaded from, e.g. cdn.example.com or *.example.net",
    )
    ref.add_argument(
        "--allow-private-hosts",
        action="store_true",
        help="allow media downloads and live-site reads from loopback and private addresses (local servers)",
    )
    ref.add_argument(
        "--redirect-key",
        choices=REDIRECT_KEYS,
        default=Options.redirect_key,
        help="front matter key listing old paths: aliases (Hugo), redirect_from (Jekyll), none",
    )
    ref.add_argument(
        "--redirects",
        action="append",
        default=[],
        metavar="FORMAT",
        type=parse_formats,
        help="write a redirect map: netlify, nginx, apache, caddy, csv (repeatable or comma-separated)",
    )
    add_target_arguments(conv)
    live = conv.add_argument_group("live sites (URL inputs)")
    live.add_argument(
        "--rate",
        type=float,
        default=Options.rate,
        metavar="N",
        help="at most N requests per second to one host (default: %(default)s)",
    )
    live.add_argument(
        "--cache",
        "--http-cache",
        dest="http_cache",
        metavar="DIR",
        help="keep every HTTP answer in DIR; a re-run or an interrupted run fetches nothing again",
    )
    http = conv.add_argument_group("HTTP (live sites and media downloads)")
    http.add_argument(
        "--timeout",
        "--http-timeout",
        dest="http_timeout",
        type=parse_seconds,
        default=Options.http_timeout,
        metavar="SECONDS",
        help="give up on a request after SECONDS without an answer (default: %(default)s)",
    )
    http.add_argument(
        "--max-fetch-time",
        "--http-max-time",
        dest="http_max_time",
        type=parse_seconds,
        default=Options.http_max_time,
        metavar="SECONDS",
        help="give up on a URL (a media file, a page) after SECONDS in all, however slowly it "
        "arrives: every attempt and the pauses between them (default: %(default)s)",
    )
    http.add_argument(
        "--retries",
        "--http-retries",
        dest="http_retries",
        type=parse_retries,
        default=Options.http_retries,
        metavar="N",
        help="try a request that failed for a passing reason (a dropped connection, a timeout "
        "on a host that answers, 429 or 5xx) N more times, with growing pauses (default: %(default)s)",
    )
    add_ci_parsers(sub)
    add_verify_parser(sub)
    return parser


def add_target_arguments(conv: argparse.ArgumentParser) -> None:
    """``--target``, ``--scaffold``, ``--front-matter``, ``--comments``, ``--taxonomy``."""
    grp = conv.add_argument_group("site-generator targets")
    grp.add_argument(
        "--target",
        choices=TARGETS,
        default=Options.target,
        help="write for a site generator: paths, front matter, links (default: %(default)s)",
    )
    grp.add_argument(
        "--scaffold",
        action="store_true",
        help="also write the generator's minimal configuration so the output builds as it stands",
    )
    grp.add_argument(
        "--front-matter",
        "--front-matter-format",
        dest="front_matter_format",
        choices=get_args(FrontMatterFormat),
        default="",
        help="front matter format (toml: Hugo only; default: the target's own)",
    )
    grp.add_argument(
        "--comments",
        choices=get_args(CommentsMode),
        default=Options.comments,
        help="approved comments: not written, as JSON data files, or appended to the body",
    )
    grp.add_argument(
        "--taxonomy",
        dest="taxonomy_keys",
        action="append",
        default=[],
        metavar="TAXONOMY=KEY",
        type=parse_taxonomy,
        help="write a custom taxonomy under its own front matter key, e.g. product_cat=collections",
    )


def parse_taxonomy(text: str) -> tuple[str, str]:
    name, sep, key = text.partition("=")
    if not sep or not name.strip() or not key.strip():
        raise argparse.ArgumentTypeError(f"expected TAXONOMY=KEY, got {text!r}")
    return name.strip(), key.strip()


def add_ci_parsers(sub: argparse._SubParsersAction) -> None:
    """``validate``, ``check`` and ``inspect``: read-only commands for CI."""
    val = sub.add_parser("validate", help="report problems in exports without converting anything")
    val.add_argument(
        "inputs", nargs="+", type=path_argument, metavar="INPUT", help="WXR export(s); a split export is one site"
    )
    val.add_argument(
        "--from",
        "--source-format",
        dest="source_format",
        choices=FORMATS,
        help="force the input format instead of detecting it",
    )
    chk = sub.add_parser("check", help="validate a converted output tree")
    chk.add_argument("output", type=path_argument, metavar="OUT", help="output directory of `migrator convert`")
    for p in (val, chk):
        p.add_argument("--format", choices=REPORT_FORMATS, default="text", help="output format (default: %(default)s)")
        p.add_argument(
            "--fail-on",
            choices=["error", "warning"],
            default="error",
            help="lowest severity that makes the exit code 1 (default: %(default)s)",
        )
    ins = sub.add_parser("inspect", help="summarise an export: counts, authors, terms, shortcodes, blocks")
    ins.add_argument("inputs", nargs="+", type=path_argument, metavar="INPUT", help="WXR export(s)")
    ins.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: %(default)s)")


def path_argument(text: str) -> str:
    """An input or output path as given: an empty one is refused (it would stand for the current
    folder: what a script passing an unset variable, ``migrator convert "$EXPORT" -o "$OUT"``,
    never means)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty path (an unset variable?)")
    return text


def parse_size(text: str) -> int:
    """``50M``, ``200k``, ``1G`` or plain bytes."""
    value = text.strip().upper().removesuffix("B").removesuffix("I")
    factor = 1
    if value[-1:] in ("K", "M", "G"):
        factor = 1024 ** ("KMG".index(value[-1]) + 1)
        value = value[:-1]
    try:
        size = int(float(value) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}") from None
    if size <= 0:
        raise argparse.ArgumentTypeError(f"size must be positive: {text!r}")
    return size


def count_at_least(minimum: int) -> Callable[[str], int]:
    """An argument type: a whole number, ``minimum`` or more."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {text!r}")
        return value

    return parse


parse_jobs = count_at_least(1)
parse_retries = count_at_least(0)


def parse_seconds(text: str) -> float:
    """A positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {text!r}")
    return value


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    for fmt in formats:
        if fmt not in REDIRECT_FORMATS:
            raise argparse.ArgumentTypeError(
                f"unknown redirect format {fmt!r} (choose from {', '.join(REDIRECT_FORMATS)})"
            )
    return formats


def main(argv: Sequence[str] | None = None) -> int:
    """The ``migrator`` command.  Ctrl-C and SIGTERM end it cleanly (exit 130 / 143): its
    temporary files and folders are removed, no traceback."""
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("migrator: interrupted", file=sys.stderr)
        return 130
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


def _terminated(signum: int, frame: object) -> None:
    print("migrator: terminated", file=sys.stderr)
    raise SystemExit(143)  # unwinds like Ctrl-C: every finally block runs


def _main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:  # said by the subcommand that was given, with what it would know
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        subparsers.choices[args.command].unrecognized(extras)
    if args.command in ("validate", "check", "inspect"):
        return run_ci_command(args)
    if args.command == "verify":
        return run_verify(args)
    console = Console(stderr=True)
    try:
        options = convert_options(args)
        resolve_options(options)
    except ValueError as exc:
        console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return 2
    try:
        report = _run_convert(args.inputs, args.output, options, console)
    except KeyboardInterrupt:
        print(
            f"migrator: interrupted. Run the same command again to finish the job: what is written in "
            f"{args.output} is kept and recognised, the rest is converted.",
            file=sys.stderr,
        )
        return 130
    if report.fatal:
        for p in report.problems:
            if p.severity == "error":  # the reason, and what the reader found (a broken file's line)
                where = f"{p.source}:{p.line}" if p.line else p.source
                console.print(f"[bold red]error:[/] {where}: {p.message}", highlight=False, soft_wrap=True)
        return report.exit_code
    if args.explain:
        print_removed(report)
    if not args.quiet:
        print_summary(report, console, args.output)
    return report.exit_code


def convert_options(args: argparse.Namespace) -> Options:
    """The Options of ``convert``'s arguments: each flag's destination is the Options field of
    its name (``--http-cache`` is ``http_cache``); only a few values change form on the way."""
    values = {name: value for name, value in vars(args).items() if name in FIELDS}
    values["redirect_key"] = "" if args.redirect_key == "none" else args.redirect_key
    values["redirects"] = [f for group in args.redirects for f in group]
    values["taxonomy_keys"] = dict(args.taxonomy_keys)
    if args.jobs is None:
        del values["jobs"]  # the default: every CPU
    return make_options(**values)


def run_ci_command(args: argparse.Namespace) -> int:
    """Run ``validate``, ``check`` or ``inspect``; the report goes to stdout."""
    if args.command == "inspect":
        summary = inspect_inputs(args.inputs)
        unreadable = summary.get("unreadable") or []
        if args.format == "json" or len(unreadable) < len(args.inputs):  # no empty table for nothing read
            sys.stdout.write(render_inspection(summary, args.format))
        for u in unreadable:
            print(f"migrator inspect: error: {u['path']}: {u['message']}", file=sys.stderr)
        return 2 if unreadable else 0
    if args.command == "validate":
        findings = validate(args.inputs, args.source_format)
    else:
        findings = check_output(args.output)
    sys.stdout.write(render(findings, args.format, args.fail_on))  # the report (the product) on stdout
    for p in findings.problems:  # and why an input could not be read at all, on stderr too
        if p.code == "input-unreadable":
            print(f"migrator {args.command}: error: {p.source}: {p.message}", file=sys.stderr)
    return findings.exit_code(args.fail_on)


def _run_convert(inputs: list[str], out: str, options: Options, console: Console) -> Report:
    if options.quiet or not console.is_terminal:
        return convert(inputs, out, options)
    with progress_bar(console) as bar:
        display = ConvertDisplay(bar)
        return convert(
            inputs,
            out,
            options,
            progress=display.convert,
            index_progress=display.index,
            reading_progress=display.reading,
            media_progress=display.media(),
        )


def print_removed(report: Report) -> None:
    """``--explain``: every removed line on stdout as ``source:line: [id] rule: text``."""
    for p in report.problems:
        if p.code == "text-chrome-removed":
            where = f"{p.source}:{p.line}" if p.line else (p.source or "")
            print(f"{where}: [{p.id or '-'}] {p.message}")


def print_summary(report: Report, console: Console, out: str = "OUT") -> None:
    """A summary table: documents, skipped by reason, media, warnings and errors; then the most
    frequent warning codes, where the full list is, and every error."""
    table = Table(title="migrator summary", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(len(report.documents)))
    for reason, count in sorted(Counter(s.reason for s in report.skipped).items()):
        table.add_row(f"skipped: {reason}", str(count))
    table.add_row("media", str(len(report.media)))
    if report.media_files:
        table.add_row("other media files", str(len(report.media_files)))
    failed = sum(m.status == "failed" for m in chain(report.media, report.media_files))
    if failed:
        table.add_row("media failed", str(failed))
    severities = Counter(p.severity for p in report.problems)
    table.add_row("warnings", str(severities.get("warning", 0)))
    table.add_row("errors", str(severities.get("error", 0)))
    console.print(table)
    warnings = Counter(p.code for p in report.problems if p.severity == "warning")
    if warnings:
        top = sorted(warnings.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"{code} {n}" for code, n in top[:TOP_CODES])
        more = f" and {len(top) - TOP_CODES} more code(s)" if len(top) > TOP_CODES else ""
        console.print(f"[yellow]warnings[/]: {shown}{more}", highlight=False, soft_wrap=True)
        console.print(
            f'every problem, with its item, file and line: {Path(out) / "manifest.json"} ("problems"; '
            f"the codes: docs/problems.md); `migrator check {out}` checks the written files",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )
    ignored = [p for p in report.problems if p.code == "input-ignored"]
    for p in ignored[: TOP_CODES * 2]:  # files of a folder input that were not read, and why
        console.print(f"[yellow]ignored[/] {p.source}: {p.message}", highlight=False, soft_wrap=True)
    if len(ignored) > TOP_CODES * 2:
        console.print(
            f"[yellow]ignored[/] {len(ignored) - TOP_CODES * 2} more file(s): see manifest.json", highlight=False
        )
    for p in report.problems:
        if p.severity == "error":
            where = f"{p.source}:{p.line}" if p.line else (p.source or "")
            item = f" (item {p.id})" if p.id else ""
            console.print(f"[red]error[/] {where}{item}: {p.code}: {p.message}", highlight=False, soft_wrap=True)


if __name__ == "__main__":
    sys.exit(main())
