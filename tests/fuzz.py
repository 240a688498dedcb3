"""Run the fuzz targets of ``tests/fuzz_targets.py`` for a while (default 10 minutes).

    PYTHONPATH=. python tests/fuzz.py --seconds 600

Each round runs every target for ``--examples`` fresh random examples (hypothesis, no example
database, a new seed each round) until the time is up; the first failure stops the run with
hypothesis' minimal failing example and exit code 1.  Prints one summary line at the end.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402

import fuzz_targets as ft  # noqa: E402

TARGETS = {
    "wxr": (ft.fuzz_wxr, ft.mutated(ft.WXR_SEEDS)),
    "html": (ft.fuzz_html, ft.mutated(ft.HTML_SEEDS)),
    "text": (ft.fuzz_text, ft.mutated(ft.TEXT_SEEDS)),
    "render": (ft.fuzz_render, ft.html_fragments),
    "encoding": (ft.fuzz_encoding, ft.encoded_exports),
    "layout": (ft.fuzz_layout, ft.layout_cases),
    "nesting": (ft.fuzz_nesting, ft.nestings),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--examples", type=int, default=100, help="examples per target per round")
    parser.add_argument("--targets", default=",".join(TARGETS))
    args = parser.parse_args(argv)
    names = [n for n in args.targets.split(",") if n]
    conf = settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    runners = {n: conf(given(TARGETS[n][1])(TARGETS[n][0])) for n in names}
    counts = dict.fromkeys(names, 0)
    end = time.monotonic() + args.seconds
    start = time.monotonic()
    rounds = 0
    while time.monotonic() < end:
        rounds += 1
        for name in names:
            try:
                runners[name]()
            except Exception as exc:
                traceback.print_exc()  # with hypothesis' minimal failing example as a note
                print(f"FAIL {name} after {sum(counts.values())} examples: {type(exc).__name__}: {exc}")
                return 1
            counts[name] += args.examples
            if time.monotonic() >= end:
                break
    total = ", ".join(f"{n} {c}" for n, c in counts.items())
    print(f"OK: {rounds} rounds in {time.monotonic() - start:.0f} s, no failure; examples: {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
