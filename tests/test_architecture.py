"""The layers of docs/architecture.md hold: import-linter contracts, and no import cycle at all.

Imports inside functions and under ``TYPE_CHECKING`` count: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "gametheory"


def _module_name(path: Path) -> tuple[str, bool]:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _targets(path: Path) -> set[str]:
    """Every project module (or name in one) that this file imports, anywhere in it."""
    name, is_package = _module_name(path)
    package = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.update(f"{module}.{alias.name}" for alias in node.names)
            found.add(module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {t for t in found if t == "gametheory" or t.startswith("gametheory.")}


def import_graph() -> dict[str, set[str]]:
    modules = {_module_name(p)[0]: p for p in PACKAGE.rglob("*.py")}

    def resolve(target: str) -> str:
        while target not in modules:
            target = target.rpartition(".")[0]
        return target

    return {name: {resolve(t) for t in _targets(path)} - {name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_a_planted_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_module_imports_a_module_that_imports_it_back() -> None:
    graph = import_graph()
    assert "gametheory.model.game" in graph
    assert cycles(graph) == []


def test_only_the_top_package_imports_the_top_package() -> None:
    graph = import_graph()
    offenders = [m for m, targets in graph.items() if "gametheory" in targets]
    assert offenders == []


@pytest.mark.skipif(
    shutil.which("lint-imports") is None, reason="import-linter not installed ([dev] extra)"
)
def test_import_linter_contracts_are_kept() -> None:
    out = subprocess.run(
        [shutil.which("lint-imports") or "lint-imports", "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env=None,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_import_gametheory_loads_no_heavy_library() -> None:
    """Start-up stays light: with the whole API imported, plotting, tables, nashpy and SciPy's
    optimiser are still not loaded; they load when a function needs them."""
    code = (
        "import sys, gametheory; gametheory.solve; "
        "heavy = ('matplotlib', 'pandas', 'jinja2', 'nashpy', 'scipy.optimize', 'pyarrow', "
        "'distributed', 'ipywidgets', 'tqdm'); print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_every_public_name_resolves_and_matches_its_module() -> None:
    import importlib

    import gametheory as gt

    for name in gt.__all__:
        assert getattr(gt, name) is not None, name
    for name, (module, attribute) in gt._EXPORTS.items():
        assert getattr(gt, name) is getattr(
            importlib.import_module(module, "gametheory"), attribute
        )
    with pytest.raises(AttributeError):
        gt.no_such_name  # noqa: B018


def test_first_use_of_the_api_registers_scenario_sweep() -> None:
    code = (
        "import gametheory as gt; sc = gt.load('payoffs/chicken.toml'); "
        "print(len(sc.sweep(grid={'crash': [2.0, 4.0]}).table))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == 6  # chicken has 3 equilibria at each crash cost above 1
