"""Shared test fixtures: the third-party corpus beside the repository, and Markdown rendering."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    """``../shared/corpus`` (real third-party data); the test is skipped when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus not present")
    return CORPUS


@pytest.fixture
def ctrl_c_reaches_children():
    """The processes a test starts get Ctrl-C (SIGINT) with its usual meaning even when the suite
    runs where it is ignored (a background job of a script: ``make test &``), which every child
    would inherit: Ctrl-C's default action restored for the test (a handler is not inherited)."""
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def md_html(markdown: str) -> str:
    """Render Markdown the way a CommonMark site generator would (tables enabled)."""
    return MarkdownIt("commonmark").enable("table").render(markdown)


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (yaml, body) of a produced Markdown file."""
    assert text.startswith("---\n"), text[:80]
    end = text.index("\n---\n", 3)
    return text[4 : end + 1], text[end + 5 :]


def run_cli(*args: str, cwd: Path | None = None) -> "subprocess.CompletedProcess[str]":
    """Run ``python -m migrator ARGS`` in a real subprocess (the installed or checked-out package)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "migrator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )


def without_code(markdown: str) -> str:
    """Markdown with fenced code blocks removed (their text is verbatim source)."""
    import re

    return re.sub(r"(?ms)^(\s*)(`{3,}|~{3,}).*?^\1\2\s*$", "", markdown)


def export_past_65535(path: Path, items: int = 4200) -> Path:
    """An export of ``items`` copies of fixtures/validate/clean.xml's item (ids 1000...) running
    past line 65535, where libxml2 keeps no exact element line: in this layout it gives one item
    the line 65535 itself."""
    clean = (FIXTURES / "validate" / "clean.xml").read_text()
    head, rest = clean.split("<item>", 1)
    first = "<item>" + rest.split("</item>")[0] + "</item>\n"
    copies = [
        first.replace("<wp:post_id>10<", f"<wp:post_id>{1000 + i}<").replace("morning-at-the-quay", f"m-{i}")
        for i in range(items)
    ]
    path.write_text(head + "".join(copies) + "</channel>\n</rss>\n")
    return path
