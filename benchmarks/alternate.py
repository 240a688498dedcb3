"""Two checkouts of migrator timed against each other, their runs taking turns.

    python benchmarks/alternate.py EXPORT BEFORE_TREE AFTER_TREE [--jobs 1,2] [--rounds 3]

Runs ``migrator convert EXPORT`` from each tree (``PYTHONPATH=<tree>``, with this interpreter)
for each ``--jobs`` value, one after the other, ``--rounds`` times, and prints each run's wall
and CPU seconds (the process and its workers) and the fastest of each.  On a shared or virtual
machine whose speed drifts from minute to minute, only runs that take turns like this compare.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_package


def _run(tree: Path, export: Path, jobs: int, out: Path) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "migrator", "convert", str(export), "-o", str(out), "--jobs", str(jobs), "-q"],
        env=dict(os.environ, PYTHONPATH=str(tree)),
        cwd=out.parent,
        check=False,
    )
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export", type=Path)
    parser.add_argument("trees", type=Path, nargs=2, metavar="TREE")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for tree in args.trees:
        compile_package(tree.resolve())  # as installed copies (see bytecode.py)
    work = Path(tempfile.mkdtemp(prefix="migrator-alternate-"))
    runs: dict[tuple[str, int], list[tuple[float, float]]] = {}
    try:
        for _ in range(args.rounds):
            for jobs in map(int, args.jobs.split(",")):
                for number, tree in enumerate(args.trees):
                    wall, cpu = _run(tree.resolve(), args.export.resolve(), jobs, work / f"out-{number}-{jobs}")
                    runs.setdefault((str(tree), jobs), []).append((wall, cpu))
                    print(f"{tree} --jobs {jobs}: wall {wall:.1f} s, CPU {cpu:.1f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for (tree, jobs), times in runs.items():
        print(
            f"fastest {tree} --jobs {jobs}: wall {min(w for w, _ in times):.1f} s, CPU {min(c for _, c in times):.1f} s"
        )


if __name__ == "__main__":
    main()
