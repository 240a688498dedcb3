"""CPU time of pass 1 and of reading every document back from its byte range.

Usage:  python benchmarks/pass1.py EXPORT.xml [pass1|both|none]

``pass1``: ``build_index`` only; ``both`` (default): then ``Spans.document`` and
``scrub_document`` of every document (what pass 2 reads); ``none``: the imports only (to
subtract, counting instructions under valgrind).  Prints CPU seconds (``process_time``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from migrator.options import Options
from migrator.plan.index import build_index
from migrator.privacy import scrub_document


def main(argv: list[str]) -> int:
    path, what = Path(argv[0]), argv[1] if len(argv) > 1 else "both"
    options = Options()
    if what == "none":
        return 0
    clock = time.process_time
    start = clock()
    index = build_index([path], options, [])
    out: dict[str, object] = {"pass1": round(clock() - start, 3)}
    if what == "both" and index.spans is not None and index.spans.usable:
        index.db.freeze()
        start, docs = clock(), 0
        for position, entry in enumerate(index.entries):
            if entry.disposition == "document":
                doc = index.spans.document(position)
                if doc is not None:
                    scrub_document(doc, options)
                    docs += 1
        out.update(load=round(clock() - start, 3), docs=docs)
    elif what == "both":
        out["load"] = "spans not usable: pass 2 reads the export in full"
    print(out)
    index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
