"""Comments of an export are shown as WordPress shows them (``comment_text``: wptexturize), as
the live site's API gives them, inline and as data, with one worker or several; ``--no-texturize``
keeps them as typed."""

from __future__ import annotations

import json
from pathlib import Path

import migrator
from conftest import FIXTURES

TYPED = 'It\'s "great" -- really...'
SHOWN = "It’s “great” — really…"


def _export(tmp_path: Path) -> Path:
    text = (FIXTURES / "sample-export.xml").read_text(encoding="utf-8")
    assert text.count("Thank you, Ines! Try it at low tide next time.") == 1
    path = tmp_path / "in.xml"
    path.write_text(text.replace("Thank you, Ines! Try it at low tide next time.", TYPED), encoding="utf-8")
    return path


def _thread_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("comments/*.json")))


def test_comments_are_texturized_inline_and_as_data(tmp_path: Path) -> None:
    export = _export(tmp_path)
    assert migrator.convert([export], tmp_path / "inline", comments="inline", jobs=1).exit_code == 0
    inline = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "inline").rglob("*.md"))
    assert SHOWN in inline and TYPED not in inline
    for jobs in (1, 2):
        out = tmp_path / f"data-{jobs}"
        assert migrator.convert([export], out, comments="data", jobs=jobs).exit_code == 0
        contents = [json.loads(p.read_text(encoding="utf-8")) for p in out.rglob("comments/*.json")]
        assert SHOWN in json.dumps(contents, ensure_ascii=False)
    assert _thread_text(tmp_path / "data-1") == _thread_text(tmp_path / "data-2")


def test_no_texturize_keeps_comments_as_typed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert migrator.convert([_export(tmp_path)], out, comments="data", texturize=False, jobs=1).exit_code == 0
    assert 'It\'s \\"great\\" -- really...' in _thread_text(out)
