"""WordPress's filter chain (``apply_content_filters``) alone, over the converted documents of
some exports: its CPU time, or its instruction count under callgrind (which does not drift with
the host's load).

    python benchmarks/filters.py EXPORT... [--loops N]        # fastest of N passes, CPU seconds
    # instructions of one pass (after a warm-up pass), the rest of the run not instrumented
    valgrind --tool=callgrind --instr-atstart=no python benchmarks/filters.py --callgrind EXPORT...

``PYTHONPATH`` chooses the ``migrator`` package measured (another checkout's, for a before).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from pathlib import Path

from migrator import pipeline
from migrator.model import Site
from migrator.options import Options
from migrator.plan.index import build_index
from migrator.sources import read_inputs
from migrator.transforms import apply_content_filters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exports", nargs="+", type=Path)
    parser.add_argument("--loops", type=int, default=3)
    parser.add_argument("--callgrind", action="store_true", help="instrument one pass only (callgrind_control)")
    args = parser.parse_args(argv)
    options = Options(jobs=1)
    documents = []
    for path in args.exports:
        index = build_index([path], options, [])
        for doc in read_inputs([path], Site(), [], None):
            entry = index.by_id.get(doc.id)
            if entry is not None and entry.disposition == "document":
                documents.append((doc, index))

    def one_pass() -> float:
        start = time.process_time()
        for doc, index in documents:
            apply_content_filters(pipeline.document_context(doc, index, options))
        return time.process_time() - start

    one_pass()  # warm-up: compiled patterns, caches
    if args.callgrind:
        subprocess.run(["callgrind_control", "--instr=on", str(os.getpid())], check=True, capture_output=True)
        spent = one_pass()
        subprocess.run(["callgrind_control", "--instr=off", str(os.getpid())], check=True, capture_output=True)
        print(f"{len(documents)} documents, one pass instrumented ({spent:.1f} s under valgrind)")
        return 0
    best = min(one_pass() for _ in range(args.loops))
    print(f"{len(documents)} documents, filter chain: {best:.3f} s CPU (fastest of {args.loops})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
