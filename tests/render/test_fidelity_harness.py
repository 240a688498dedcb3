"""The fidelity harness measures what it claims (and the corpus meets the targets)."""

from __future__ import annotations

import sys
from pathlib import Path

from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import fidelity  # noqa: E402


def test_score_detects_lost_text_and_elements() -> None:
    source = BeautifulSoup("<p>One <a href='/x'>two</a> three</p><ul><li>four</li></ul>", "html.parser")
    good = fidelity.score_document("good", source, "One [two](/x) three\n\n- four\n")
    assert good.recall == 1.0 and good.precision == 1.0 and good.counts["links"] == (1, 1)
    bad = fidelity.score_document("bad", source, "One two\n\nfour extra\n")
    assert bad.recall == 0.75 and bad.precision == 0.75
    assert bad.counts["links"] == (1, 0) and bad.counts["list items"] == (1, 0)


def test_corpus_meets_fidelity_targets(corpus: Path) -> None:
    totals = fidelity.totals(fidelity.score_inputs(fidelity.expand([str(corpus / "wxr")])))
    assert totals["token recall"] >= 0.99 and totals["token precision"] >= 0.98
    for key in fidelity.ELEMENTS:
        assert totals[f"{key} preserved"] >= 0.98, key
