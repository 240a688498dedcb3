"""The house's one direction of imports, read from the code itself with ``ast``.

The layers (docs/architecture.md), lowest first; a module may import its own layer and the
layers below it, never one above:

    foundation -> net -> sources -> plan -> transforms -> render -> output -> targets -> commands

and no module takes part in an import circle (imports inside functions included: a circle
hidden in a function is still a circle).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "migrator"

#: (layer, module prefixes), lowest first.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "foundation",
        (
            "migrator._version",
            "migrator.model",
            "migrator.options",
            "migrator.spool",
            "migrator.bounded",
            "migrator.urls",
            "migrator.media_urls",
            "migrator.slugs",
            "migrator.policy",
            "migrator.privacy",
            "migrator.codes",
            "migrator.htmltree",
            "migrator.xmlquote",
            "migrator.forking",
        ),
    ),
    ("net", ("migrator.net",)),
    ("sources", ("migrator.sources",)),
    ("plan", ("migrator.plan",)),
    ("transforms", ("migrator.transforms",)),
    ("render", ("migrator.render",)),
    ("output", ("migrator.output",)),
    ("targets", ("migrator.targets",)),
    (
        "commands",
        (
            "migrator.pipeline",
            "migrator.parallel",
            "migrator.validate",
            "migrator.inspect",
            "migrator.check",
            "migrator.reports",
            "migrator.verify",
            "migrator.cli",
            "migrator.__main__",
            "migrator.entry",
            "migrator",
        ),
    ),
)

#: Imports inside functions allowed anyway (optional third-party imports are not policed): the
#: command's entry point loads the tool inside its Ctrl-C guard (migrator/entry.py).
KNOWN_HIDDEN: frozenset[tuple[str, str]] = frozenset({("migrator.entry", "migrator.cli")})


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def imports(name: str, path: Path, known: Iterable[str]) -> list[tuple[str, bool]]:
    """(imported project module, inside a function) for every import of ``path``."""
    known = set(known)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside.update(id(n) for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom)))
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # ``from package import module`` imports the module; ``from module import name`` the module
            targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in known else source for a in node.names]
        else:
            continue
        for target in targets:
            if target == "migrator" or target.startswith("migrator."):
                while target not in known and "." in target:
                    target = target.rpartition(".")[0]
                found.append((target, id(node) in inside))
    return found


def layer_of(module: str) -> int:
    best, rank = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    return rank


@functools.cache
def _graph() -> dict[str, tuple[tuple[str, bool], ...]]:
    mods = modules()
    return {name: tuple(imports(name, path, mods)) for name, path in mods.items()}


def graph() -> dict[str, list[tuple[str, bool]]]:
    """Module -> its imports of project modules (a fresh copy: the tree is read once)."""
    return {name: list(targets) for name, targets in _graph().items()}


def upward(edges: dict[str, list[tuple[str, bool]]]) -> list[str]:
    """Every import that runs back up the layers."""
    bad = []
    for module, targets in sorted(edges.items()):
        for target, _ in targets:
            if layer_of(target) > layer_of(module):
                bad.append(f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})")
    return bad


def circles(edges: dict[str, list[tuple[str, bool]]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), import edges in KNOWN_HIDDEN left out."""
    succ = {m: sorted({t for t, _ in ts if t != m and (m, t) not in KNOWN_HIDDEN}) for m, ts in edges.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in succ.get(node, []):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(succ):
        if node not in index:
            visit(node)
    return groups


def test_every_module_has_a_layer() -> None:
    assert [m for m in modules() if layer_of(m) < 0] == []


def test_the_reader_sees_the_imports(tmp_path: Path) -> None:
    edges = graph()
    assert ("migrator.plan.index", False) in edges["migrator.pipeline"]
    assert ("migrator.net", False) in edges["migrator.output.media"]
    assert ("migrator.parallel", False) in edges["migrator.pipeline"]  # ``from . import parallel``
    hidden = tmp_path / "hidden.py"
    hidden.write_text("def f():\n    from .wpautop import wpautop\n", encoding="utf-8")
    known = {"migrator.transforms.wpautop"}
    assert imports("migrator.transforms.hidden", hidden, known) == [("migrator.transforms.wpautop", True)]


def test_imports_run_downward_only() -> None:
    assert upward(graph()) == []


def test_no_import_circles() -> None:
    assert circles(graph()) == []


def test_no_project_imports_inside_functions() -> None:
    hidden = [f"{m} -> {t}" for m, ts in graph().items() for t, inside in ts if inside and (m, t) not in KNOWN_HIDDEN]
    assert hidden == []


@pytest.mark.parametrize(
    "edge, kind",
    [
        (("migrator.sources.live", "migrator.output.media"), "upward"),
        (("migrator.model", "migrator.pipeline"), "circle"),
    ],
)
def test_the_checks_catch_a_violation(edge: tuple[str, str], kind: str) -> None:
    edges = graph()
    edges[edge[0]] = [*edges[edge[0]], (edge[1], False)]
    if kind == "upward":
        assert upward(edges) == [f"{edge[0]} (sources) imports {edge[1]} (output)"]
    else:
        assert any(edge[0] in group and edge[1] in group for group in circles(edges))
