"""``gametheory solve FILE``: the equilibria of a scenario or game file."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import functools
import inspect
import json
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ...errors import ScenarioError, SolverError
from ...io import load
from ...model.game import Game
from ...solvers import choose_method, methods, solve
from ..main import COMMANDS
from ..options import add_file, add_format, add_method, add_set, add_tol

__all__ = ["add_parser", "check_options", "parse_options", "run"]

SUMMARY = COMMANDS["solve"].summary


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``solve`` and its options."""
    parser = sub.add_parser("solve", help=SUMMARY, description=SUMMARY)
    add_file(parser, "scenario .toml, tree scenario .toml, Gambit .nfg or .efg file")
    add_set(parser)
    add_method(parser)
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="solver option, e.g. initial_label=2 for lemke_howson (repeatable; values are "
        "read as JSON, else as text)",
    )
    add_tol(parser)
    add_format(parser)
    parser.add_argument(
        "--concept",
        choices=("auto", "nash", "spe", "bne", "pbe", "ce", "cce", "qre"),
        default="auto",
        help="nash: equilibria of the (normal-form) game; spe: subgame-perfect equilibria of a "
        "sequential scenario or a game tree; ce / cce: the welfare-maximising correlated / "
        "coarse correlated equilibrium, each player's payoff range over the set and the "
        "mediator's recommendations; qre: the logit quantal response equilibrium branch and "
        "its limit; bne / pbe (game trees): Bayesian Nash equilibria of a tree with types "
        "drawn at the root / perfect Bayesian equilibria of a signalling game; auto (default): "
        "spe for sequential scenarios and trees, else nash",
    )
    return parser


#: Concepts other than Nash and subgame-perfect equilibria, with the function computing each.
OTHER_CONCEPTS = ("ce", "cce", "qre")


def _run_other_concept(
    args: argparse.Namespace, game: Game, values: Mapping[str, float], path: str
) -> int:
    """Correlated, coarse correlated or logit QRE: print the result (text or JSON)."""
    if args.method != "auto":
        raise ScenarioError(
            f"--method chooses a Nash equilibrium method; --concept {args.concept} has one "
            "method (use --option for its settings)",
            file=path,
        )
    options = parse_options(args.option)
    function: Callable[..., Any]
    if args.concept == "qre":
        from ...solvers.qre import logit_branch

        function = logit_branch
    else:
        from ...solvers.correlated import correlated_equilibrium

        function = functools.partial(correlated_equilibrium, concept=args.concept)
    accepted = _keyword_options(getattr(function, "func", function))
    for key in options:
        if key not in accepted or key == "concept":
            known = ", ".join(k for k in accepted if k != "concept") or "none"
            raise SolverError(
                f"--concept {args.concept} has no option '{key}'; its options: {known}"
            )
    if args.tol is not None:
        options["tol"] = args.tol
    found = function(game, **options)
    if args.format == "json":
        data = found.to_dict()
        data["parameters"] = dict(values)
        print(json.dumps(data, indent=2, allow_nan=False))
    else:
        if game.title:
            print(game.title)
        print(found)
    return 0


def parse_options(items: Sequence[str]) -> dict[str, Any]:
    """``--option initial_label=3`` -> ``{"initial_label": 3}`` (JSON values, else strings)."""
    options: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise ScenarioError(f"--option expects NAME=VALUE, got {item!r}")
        try:
            options[name.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            options[name.strip()] = raw
    return options


def _keyword_options(function: Callable[..., object]) -> list[str]:
    """A function's keyword-only parameters other than ``tol``: the options it takes."""
    return [
        name
        for name, p in inspect.signature(function).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and name != "tol"
    ]


def _matches(value: object, hint: object) -> bool:
    """Whether a JSON value fits a type annotation (unknown kinds of annotation fit)."""
    if hint is Any:
        return True
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    for kind in typing.get_args(hint) if union else (hint,):
        if not isinstance(kind, type):
            return True  # Literal[...], generics: not checked here; the solver checks them
        if isinstance(value, bool) and kind is not bool:
            continue
        if kind is float and isinstance(value, int):
            return True
        if isinstance(value, kind):
            return True
    return False


def _type_name(hint: object) -> str:
    if isinstance(hint, type):
        return hint.__name__
    return str(hint).replace("typing.", "")


def check_options(game: Game, method: str, options: Mapping[str, object]) -> None:
    """Refuse options the solver does not take, or values of the wrong type, by name.

    ``auto`` is resolved first (the options must suit the method it picks for this game).
    Unknown method names are left to :func:`~gametheory.solvers.solve`, which lists the known
    ones.
    """
    if not options:
        return
    name = choose_method(game)[0] if method == "auto" else method
    if name not in methods():
        return
    which = f"method '{name}'" if method != "auto" else f"method 'auto' (which chose '{name}')"
    if "tol" in options:
        raise SolverError(f"bad solver option for {which}: give the tolerance with --tol")
    # The solver's own options, and those solve() takes for every method (e.g. max_work).
    own, common = _keyword_options(methods()[name].function), _keyword_options(solve)
    accepted = [*own, *common]
    hints: dict[str, Any] = {}
    for function in (solve, methods()[name].function):
        # An annotation that cannot be evaluated: check names only.
        with contextlib.suppress(NameError, TypeError):
            hints.update(typing.get_type_hints(function))
    for key, value in options.items():
        if key not in accepted:
            close = difflib.get_close_matches(key, accepted, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            known = ", ".join(own) if own else "none"
            also = f"; every method takes {', '.join(common)}" if common else ""
            raise SolverError(
                f"bad solver option for {which}: unknown option '{key}'{hint} "
                f"(options of {name}: {known}{also})"
            )
        expected = hints.get(key, Any)
        if not _matches(value, expected):
            raise SolverError(
                f"bad solver option for {which}: {key} must be {_type_name(expected)}, "
                f"got {value!r}"
            )


def run(args: argparse.Namespace) -> int:
    """Solve and print the equilibria."""
    from ._tree import is_tree_path, run_solve

    if is_tree_path(args.file):
        if args.concept in OTHER_CONCEPTS:
            raise ScenarioError(
                f"--concept {args.concept} applies to normal-form games (scenarios and .nfg "
                "files), not to game trees",
                file=str(args.file),
            )
        return run_solve(args)  # a game tree: .efg, or a .toml with a [tree] table
    if args.concept in ("bne", "pbe"):
        raise ScenarioError(
            f"--concept {args.concept} applies to game trees (.efg files and tree scenarios), "
            "where types are drawn by chance",
            file=str(args.file),
        )
    scenario = load(args.file)
    values = scenario.resolve(dict(args.set))
    concept = args.concept
    if concept in OTHER_CONCEPTS:
        return _run_other_concept(args, scenario.game(values), values, str(scenario.path))
    if concept == "auto":
        concept = "spe" if scenario.timing == "sequential" else "nash"
    if concept == "spe":
        given = [
            flag
            for flag, used in (
                ("--method", args.method != "auto"),
                ("--option", bool(args.option)),
                ("--tol", args.tol is not None),
            )
            if used
        ]
        if given:
            raise ScenarioError(
                f"{', '.join(given)} apply to Nash equilibria; subgame-perfect equilibria are "
                "found by backward induction. Add --concept nash to solve the normal form "
                "with a chosen method",
                file=scenario.path,
            )
        from ...analysis.negotiation.sequential import spe

        found = spe(scenario, values)
        if args.format == "json":
            data = found.to_dict()
            data["parameters"] = values
            print(json.dumps(data, indent=2))
        else:
            print(scenario.title)
            print(found)
        return 0
    game = scenario.game(values)
    options = parse_options(args.option)
    check_options(game, args.method, options)
    if args.tol is not None:
        options["tol"] = args.tol
    result = solve(game, args.method, **options).with_parameters(values)
    if args.format == "json":
        print(result.to_json())
    else:
        print(result)
    return 0
