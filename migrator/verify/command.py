"""The ``migrator verify`` subcommand: its arguments, progress on stderr, the report on stdout."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..options import Options
from ..reports import FORMATS, render
from ..sources import FORMATS as INPUT_FORMATS
from . import FORMATS as MAP_FORMATS
from . import VerifyOptions, verify


def add_verify_parser(sub: argparse._SubParsersAction) -> None:
    ver = sub.add_parser(
        "verify",
        help="prove the built new site answers every old URL with the same content",
        description="Check that the built new site answers every old URL of every published "
        "item (directly, through the redirect maps convert wrote, or through alias "
        "pages) with the same content, and that its images and internal links exist.",
    )
    ver.add_argument(
        "old",
        nargs="+",
        metavar="OLD",
        help="what was converted: export(s), a saved site folder or the address of the live WordPress",
    )
    ver.add_argument(
        "new", metavar="NEW", help="the built site: a folder (public/, _site/, output/, site/, dist/) or its address"
    )
    ver.add_argument(
        "--converted",
        metavar="DIR",
        help="the folder convert wrote (default: NEW's parent when it holds manifest.json)",
    )
    ver.add_argument(
        "--base-url",
        default="",
        metavar="URL",
        help="the new site's base URL (default: from the generator configuration --scaffold wrote)",
    )
    ver.add_argument(
        "--redirects",
        action="append",
        default=None,
        metavar="FORMAT",
        type=_formats,
        help="apply only these redirect maps: netlify, nginx, apache, caddy or none "
        "(repeatable or comma-separated; default: every map found)",
    )
    ver.add_argument("--format", choices=FORMATS, default="text", help="output format (default: %(default)s)")
    ver.add_argument(
        "--fail-on",
        choices=["error", "warning"],
        default="error",
        help="lowest severity that makes the exit code 1 (default: %(default)s)",
    )
    grp = ver.add_argument_group("content thresholds")
    grp.add_argument(
        "--min-recall",
        type=float,
        default=VerifyOptions.min_recall,
        metavar="R",
        help="share of the old words the new page must have (default: %(default)s)",
    )
    grp.add_argument(
        "--min-precision",
        type=float,
        default=VerifyOptions.min_precision,
        metavar="P",
        help="share of the new page's words that must be in the old content (default: %(default)s)",
    )
    grp.add_argument(
        "--max-missing",
        type=int,
        default=VerifyOptions.max_missing,
        metavar="N",
        help="longest run of consecutive old words the new page may lack (default: %(default)s)",
    )
    net = ver.add_argument_group("addresses (OLD or NEW given as a URL)")
    net.add_argument(
        "--old-url",
        action="append",
        default=[],
        metavar="URL",
        help="an earlier address of the old site; its URLs count as the site's (repeatable)",
    )
    net.add_argument(
        "--allow-private-hosts", action="store_true", help="allow loopback and private addresses (a local server)"
    )
    net.add_argument(
        "--rate",
        type=float,
        default=Options.rate,
        metavar="N",
        help="at most N requests per second to one host (default: %(default)s)",
    )
    net.add_argument(
        "--timeout",
        type=float,
        default=Options.http_timeout,
        metavar="SECONDS",
        help="give up on a request after SECONDS (default: %(default)s)",
    )
    net.add_argument("--cache", metavar="DIR", help="keep the old site's HTTP answers in DIR for re-runs")
    ver.add_argument(
        "--from",
        dest="source_format",
        choices=INPUT_FORMATS,
        help="force the format of OLD instead of detecting it",
    )
    ver.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    for fmt in formats:
        if fmt not in (*MAP_FORMATS, "none"):
            raise argparse.ArgumentTypeError(
                f"unknown redirect map {fmt!r} (choose from {', '.join(MAP_FORMATS)}, none)"
            )
    return formats


def run_verify(args: argparse.Namespace) -> int:
    for name in ("min_recall", "min_precision"):
        if not 0 <= getattr(args, name) <= 1:
            print(f"migrator verify: error: --{name.replace('_', '-')} must be between 0 and 1", file=sys.stderr)
            return 2
    redirects = None if args.redirects is None else [f for group in args.redirects for f in group if f != "none"]
    options = VerifyOptions(
        converted=args.converted,
        base_url=args.base_url,
        redirects=redirects,
        min_recall=args.min_recall,
        min_precision=args.min_precision,
        max_missing=args.max_missing,
        old_urls=args.old_url,
        source_format=args.source_format,
        allow_private_hosts=args.allow_private_hosts,
        rate=args.rate,
        timeout=args.timeout,
        cache=args.cache,
    )
    console = Console(stderr=True)
    if args.quiet or not console.is_terminal:
        findings = verify(args.old, args.new, options)
    else:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            tasks: dict[str, int] = {}

            def callback(name: str):
                def update(done: int, total: int | None) -> None:
                    if name not in tasks:
                        tasks[name] = bar.add_task(name, total=None)
                    bar.update(tasks[name], completed=done, total=total)

                return update

            findings = verify(
                args.old,
                args.new,
                options,
                progress=callback("verifying"),
                fetch_progress=callback("reading the old site"),
            )
    sys.stdout.write(render(findings, args.format, args.fail_on))
    return findings.exit_code(args.fail_on)
