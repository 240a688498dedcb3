"""The HTML reader names only classes that generalise (migrator/sources/html/vocabulary.py).

Every class, id, prefix and class word of the vocabulary is printed by WordPress core (or a
documented microformat) or used by at least two sources of the shared corpus (two themes of the
theme matrix or two scraped sites): no rule exists that one theme or one page needs.  And the
reader's other modules name no class outside the vocabulary.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from migrator.sources.html import vocabulary as V

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "migrator" / "sources" / "html"
sys.path.insert(0, str(ROOT / "benchmarks"))

#: String constants shaped like class names that are something else.
NOT_CLASSES = {
    "site-icon": "a file name fragment of site icons (URL test, not a class)",
    "data-migrator-drop": "the reader's own marker attribute",
    "application-name": "a <meta name> of the head",
    "utf-8": "an encoding",
    "utf-16": "an encoding",
}
_CLASSLIKE = re.compile(r"^[a-z][a-z0-9_]*(?:-[a-z0-9_]+)+-?$")


def test_every_name_is_core_or_used_by_two_corpus_sources(corpus):
    import vocabulary_support

    lonely = {}
    for lit in V.literals():
        if lit.core:
            continue
        used = vocabulary_support.support(lit, corpus)
        if len(used) < 2:
            lonely[f"{lit.kind} {lit.value}"] = sorted(used)
    assert not lonely, f"names only one source (or none) uses: {lonely}"


def test_holding_a_theme_out_switches_its_own_names_off(corpus):
    import vocabulary_support

    theme = "theme:oceanwp"
    own = [lit for lit in V.literals() if not lit.core and not vocabulary_support.supported(lit, corpus, without=theme)]
    with V.hold_out(lambda lit: vocabulary_support.supported(lit, corpus, without=theme)):
        active = {(g.name, v) for g in V.groups() for v in (*g.classes, *g.ids, *g.prefixes, *g.words)}
    for lit in own:
        assert not any(v == lit.value for _, v in active)
    everything = {(g.name, v) for g in V.groups() for v in (*g.classes, *g.ids, *g.prefixes, *g.words)}
    assert len(everything) == len({(g.name, lit.value) for g in V.groups() for lit in g.literals})


def _constants(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("module", sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "vocabulary.py"))
def test_no_module_names_a_class_outside_the_vocabulary(module):
    known = {lit.value for lit in V.literals()} | V.CORE_CLASSES | set(NOT_CLASSES)
    stray = [
        c
        for c in _constants(PACKAGE / module)
        if _CLASSLIKE.match(c)
        and c not in known
        and not c.startswith(V.CORE_PREFIXES)
        and not c.startswith(("data-", "aria-", "html-"))
    ]
    assert not stray, f"{module} names {stray}: put them in vocabulary.py (core, or used by two sources)"
