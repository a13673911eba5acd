"""Game trees on the command line: ``solve``, ``validate`` and ``show`` on trees.

The commands dispatch here when their file is a Gambit ``.efg`` or a ``.toml`` with a ``[tree]``
table (:func:`is_tree_path`). ``solve`` finds subgame-perfect equilibria by default (``--concept
spe``; the output says it was the default) or Nash equilibria of the reduced normal form
(``--concept nash``); ``--format json`` prints the data documented in ``docs/json-schema.md``
("Game trees"). ``--set`` applies to tree scenarios; ``sweep`` and ``robust`` on trees are in
:mod:`._tree_sweep`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..._format import format_number
from ...errors import ScenarioError
from ...io.efg import read_efg
from ...io.toml_tree import is_tree_file, read_tree_scenario
from ...model.tree import Tree
from ...model.tree_scenario import TreeScenario

__all__ = [
    "TREE_CONCEPTS",
    "is_tree_path",
    "load_tree_file",
    "run_show",
    "run_solve",
    "run_validate",
]

#: Concepts ``solve`` offers on trees.
TREE_CONCEPTS = ("spe", "nash", "bne", "pbe")
_CONCEPT_NAMES = {
    "spe": "subgame-perfect equilibria (spe)",
    "nash": "Nash equilibria (reduced normal form; sequence form for one of a large tree) (nash)",
    "bne": "Bayesian Nash equilibria, with payoffs per type (bne; types drawn at the root)",
    "pbe": "perfect Bayesian equilibria of a signalling game (pbe; pure; hybrid for 2 types)",
}


def is_tree_path(path: str | Path) -> bool:
    """Whether a file is a game tree: a Gambit ``.efg``, or a ``.toml`` with a ``[tree]`` table."""
    suffix = Path(path).suffix.lower()
    if suffix == ".efg":
        return True
    return suffix == ".toml" and is_tree_file(path)


def load_tree_file(
    path: str | Path, assignments: list[tuple[str, float]] | None = None
) -> tuple[Tree, TreeScenario | None, dict[str, float]]:
    """The tree at the given ``--set`` values, its scenario (None for ``.efg``) and the values."""
    if Path(path).suffix.lower() == ".efg":
        if assignments:
            raise ScenarioError(
                "--set applies to tree scenarios (.toml); a Gambit .efg tree has no parameters",
                file=str(path),
            )
        return read_efg(path), None, {}
    scenario = read_tree_scenario(path)
    values = scenario.resolve(dict(assignments or []))
    return scenario.tree(values), scenario, values


def run_solve(args: argparse.Namespace) -> int:
    """``gametheory solve`` on a tree file."""
    from ...solvers.bayesian import bayesian_nash, pbe_signalling
    from ...solvers.tree import nash_tree, spe

    concept = args.concept
    default = concept == "auto"
    if default:
        concept = "spe"
    if concept not in TREE_CONCEPTS:
        raise ScenarioError(
            f"--concept {concept} does not apply to game trees; use one of "
            f"{', '.join(TREE_CONCEPTS)}",
            file=str(args.file),
        )
    if getattr(args, "option", None):
        raise ScenarioError(
            "--option is for normal-form solvers; trees take --concept, --method (nash), --tol",
            file=str(args.file),
        )
    if concept in ("spe", "pbe") and getattr(args, "method", "auto") != "auto":
        raise ScenarioError(
            "--method applies to Nash equilibria (the reduced normal form's solver); "
            "subgame-perfect equilibria are found by backward induction over subgames. Add "
            "--concept nash to choose a method",
            file=str(args.file),
        )
    tree, scenario, values = load_tree_file(args.file, args.set)
    tol = {} if args.tol is None else {"tol": args.tol}
    result: Any
    if concept == "spe":
        result = spe(tree, **tol)
    elif concept == "bne":
        result = bayesian_nash(tree, getattr(args, "method", "auto"), **tol)
    elif concept == "pbe":
        result = pbe_signalling(tree, **tol)
    else:
        result = nash_tree(tree, getattr(args, "method", "auto"), **tol)
    if args.format == "json":
        data: dict[str, Any] = {
            "schema": "gametheory.tree_solve/1",
            "file": str(args.file),
            "title": scenario.title if scenario is not None else tree.title,
            "concept_requested": "default" if default else concept,
            **result.to_dict(),
            "parameters": values,
        }
        data["concept"] = concept
        data["concept_name"] = getattr(result, "concept", _CONCEPT_NAMES[concept])
        print(json.dumps(data, indent=2))
        return 0
    title = scenario.title if scenario is not None else tree.title
    if title:
        print(title)
    note = " (the default for game trees; --concept nash for all Nash equilibria)"
    print(f"concept: {_CONCEPT_NAMES[concept]}{note if default else ''}")
    if values:
        print("parameters: " + ", ".join(f"{k} = {format_number(v)}" for k, v in values.items()))
    print(result)
    return 0


def run_validate(args: argparse.Namespace) -> int:
    """``gametheory validate`` on a tree file: read it and build the tree at the baseline."""
    tree, scenario, _ = load_tree_file(args.file)
    kind = "tree scenario" if scenario is not None else "Gambit .efg tree"
    n = len(scenario.parameters) if scenario is not None else 0
    params = f", {n} parameter{'' if n == 1 else 's'}" if scenario is not None else ""
    recall = "" if tree.has_perfect_recall else ", WITHOUT perfect recall (the solvers need it)"
    print(
        f"{args.file}: OK ({kind}, {tree.n_nodes:,} nodes, {tree.terminals.size:,} terminal, "
        f"{tree.n_infosets:,} information sets{params}{recall})"
    )
    return 0


def run_show(args: argparse.Namespace) -> int:
    """``gametheory show`` on a tree file: the parameters and the tree's outline."""
    tree, scenario, values = load_tree_file(args.file, getattr(args, "set", None))
    if values:
        print("parameters:")
        for name, value in values.items():
            unit = scenario.parameters[name].unit if scenario is not None else ""
            print(f"  {name} = {format_number(value)}{' ' + unit if unit else ''}")
        print()
    print(tree.outline())
    return 0
