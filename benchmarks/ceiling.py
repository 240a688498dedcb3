"""The most any split of one conversion over N processes can gain on this machine, measured.

    python benchmarks/ceiling.py EXPORT [--copies 2] [--rounds 3] [--jobs 2]

Runs ``migrator convert EXPORT --jobs 1`` alone, then ``--copies`` independent copies of the
same run at once (each into its own folder), taking turns ``--rounds`` times; with ``--jobs N``
also a ``--jobs N`` run each round.  Prints the fastest of each and

- the ceiling: ``copies x alone / together`` (wall), how much faster N independent processes
  get through N conversions than one process gets through one.  No process pool splitting one
  conversion can do better: its workers share nothing and still compete for the same caches,
  memory and host;
- the CPU one conversion costs alone and as one of the copies (on a virtual machine, a busy
  neighbour core can make each process slower, which no spinning-loop test shows);
- ``--jobs N``'s speed-up over ``--jobs 1``, beside the ceiling.

Only runs that take turns compare on a machine whose speed drifts from minute to minute.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_package


def _argv(export: Path, out: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "migrator", "convert", str(export), "-o", str(out), "--jobs", str(jobs), "-q"]


def _together(export: Path, work: Path, copies: int, jobs: int = 1) -> tuple[float, list[float]]:
    """Wall seconds until every copy is done, and each copy's CPU seconds (itself and its workers)."""
    for n in range(copies):
        shutil.rmtree(work / f"out-{n}", ignore_errors=True)
    start = time.perf_counter()
    procs = [subprocess.Popen(_argv(export, work / f"out-{n}", jobs), cwd=work) for n in range(copies)]
    cpus = []
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        if proc.returncode:
            raise SystemExit(f"a run failed (exit {proc.returncode}): {' '.join(proc.args)}")  # type: ignore[arg-type]
        cpus.append(usage.ru_utime + usage.ru_stime)
    return time.perf_counter() - start, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export", type=Path)
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="also time one --jobs N run each round")
    args = parser.parse_args()
    export = args.export.resolve()
    compile_package()  # as an installed copy (see bytecode.py)
    work = Path(tempfile.mkdtemp(prefix="migrator-ceiling-"))
    alone: list[tuple[float, float]] = []
    together: list[tuple[float, list[float]]] = []
    pooled: list[tuple[float, float]] = []
    try:
        for _ in range(args.rounds):
            wall, cpus = _together(export, work, 1)
            alone.append((wall, cpus[0]))
            print(f"alone: wall {wall:.1f} s, CPU {cpus[0]:.1f} s", flush=True)
            wall, cpus = _together(export, work, args.copies)
            together.append((wall, cpus))
            print(f"{args.copies} at once: wall {wall:.1f} s, CPU " + ", ".join(f"{c:.1f}" for c in cpus), flush=True)
            if args.jobs > 1:
                wall, cpus = _together(export, work, 1, args.jobs)
                pooled.append((wall, cpus[0]))
                print(f"--jobs {args.jobs}: wall {wall:.1f} s, CPU {cpus[0]:.1f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best_alone = min(w for w, _ in alone)
    best_together = min(w for w, _ in together)
    cpu_alone = min(c for _, c in alone)
    cpu_copy = min(min(cs) for _, cs in together)
    print(f"fastest alone: wall {best_alone:.1f} s, CPU {cpu_alone:.1f} s")
    print(f"fastest {args.copies} at once: wall {best_together:.1f} s, CPU per copy from {cpu_copy:.1f} s")
    print(
        f"ceiling: {args.copies * best_alone / best_together:.2f}x "
        f"({args.copies} x {best_alone:.1f} s / {best_together:.1f} s); a copy's CPU {cpu_copy / cpu_alone:.2f}x alone"
    )
    if pooled:
        best_pool = min(w for w, _ in pooled)
        print(f"--jobs {args.jobs}: {best_alone / best_pool:.2f}x --jobs 1 ({best_pool:.1f} s)")


if __name__ == "__main__":
    main()
