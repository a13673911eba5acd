"""The ``gametheory`` command line.

Commands: ``solve``, ``show``, ``validate``, ``sweep``, ``bargain``, ``whatif``, ``report`` and
``methods``.

Every error caused by input (a bad file, a bad override, an unknown method) is printed as one line
``error: FILE:LINE, key 'KEY': what was expected`` on standard error, with exit status 2; no
traceback is shown.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._format import format_number
from ._version import __version__
from .errors import GameTheoryError, ScenarioError
from .io import load
from .model.scenario import Scenario
from .solvers import methods, solve

__all__ = ["main"]

EXIT_OK = 0
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130


def _parse_set(items: Sequence[str]) -> dict[str, float]:
    """``["tariff=0.8", "x=2"]`` -> ``{"tariff": 0.8, "x": 2.0}``."""
    values: dict[str, float] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ScenarioError(f"--set expects NAME=VALUE, got {item!r}")
        try:
            values[name] = float(raw)
        except ValueError:
            raise ScenarioError(f"--set {name}: expected a number, got {raw.strip()!r}") from None
    return values


def _parse_options(items: Sequence[str]) -> dict[str, object]:
    """``--option initial_label=3`` -> ``{"initial_label": 3}`` (JSON values, else strings)."""
    options: dict[str, object] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise ScenarioError(f"--option expects NAME=VALUE, got {item!r}")
        try:
            options[name.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            options[name.strip()] = raw
    return options


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gametheory",
        description="Model negotiations as games: solve scenario files and Gambit .nfg games.",
    )
    parser.add_argument("--version", action="version", version=f"gametheory {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    solve_p = sub.add_parser("solve", help="compute the equilibria of a scenario or game file")
    solve_p.add_argument("file", help="scenario .toml or Gambit .nfg file")
    solve_p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter (repeatable)",
    )
    solve_p.add_argument(
        "--method", default="auto", help="solver to use (see 'gametheory methods'); default: auto"
    )
    solve_p.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="solver option, e.g. initial_label=2 (repeatable)",
    )
    solve_p.add_argument(
        "--tol", type=float, default=None, help="relative regret tolerance (default 1e-9)"
    )
    solve_p.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="output format (default: table)",
    )
    solve_p.add_argument(
        "--concept",
        choices=("auto", "nash", "spe"),
        default="auto",
        help="nash: equilibria of the (normal-form) game; spe: subgame-perfect equilibria of a "
        "sequential scenario; auto (default): spe for sequential scenarios, else nash",
    )

    show_p = sub.add_parser("show", help="print the labelled payoff table")
    show_p.add_argument("file")
    show_p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")

    validate_p = sub.add_parser("validate", help="check a scenario or game file")
    validate_p.add_argument("file")

    sub.add_parser("methods", help="list the available solvers")

    sweep_p = sub.add_parser(
        "sweep", help="solve a scenario over a grid or a random sample of parameter values"
    )
    sweep_p.add_argument("file", help="scenario .toml file")
    design = sweep_p.add_mutually_exclusive_group(required=True)
    design.add_argument(
        "--grid",
        action="append",
        metavar="NAME=START:STOP:NUM",
        help="grid values for a parameter (repeatable; or NAME=V1,V2,...)",
    )
    design.add_argument("--sample", type=int, metavar="N", help="number of random points")
    sweep_p.add_argument("--lhs", action="store_true", help="Latin-hypercube sample")
    sweep_p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sweep_p.add_argument(
        "--vary", action="append", metavar="NAME", help="sample only these parameters"
    )
    sweep_p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="fix a parameter that does not vary (repeatable)",
    )
    sweep_p.add_argument("--method", default="auto")
    sweep_p.add_argument("--out", help="results file (.parquet or .csv), written chunk by chunk")
    sweep_p.add_argument("--chunk-size", type=int, default=None, help="points per chunk")
    where = sweep_p.add_mutually_exclusive_group()
    where.add_argument("--processes", type=int, metavar="N", help="use N local processes")
    where.add_argument(
        "--workers", type=int, metavar="N", help="start a local Dask cluster of N workers"
    )
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="use a running Dask cluster, e.g. tcp://host:8786"
    )
    sweep_p.add_argument(
        "--resume", action="store_true", help="continue an interrupted sweep stored at --out"
    )
    sweep_p.add_argument("--overwrite", action="store_true", help="replace existing results")
    sweep_p.add_argument("--quiet", action="store_true", help="no progress bar")

    bargain_p = sub.add_parser(
        "bargain", help="bargaining solutions of a two-player game, or alternating offers"
    )
    bargain_p.add_argument("file", nargs="?", help="scenario .toml or Gambit .nfg file")
    bargain_p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    bargain_p.add_argument(
        "--disagreement",
        default="equilibrium",
        help="U1,U2, 'equilibrium' (default: the first listed) or 'minmax'",
    )
    bargain_p.add_argument(
        "--equilibrium",
        type=int,
        default=0,
        help="which equilibrium is the disagreement point (from 0)",
    )
    bargain_p.add_argument(
        "--discount",
        type=float,
        nargs=2,
        metavar=("D1", "D2"),
        help="Rubinstein alternating offers with these discount factors",
    )
    bargain_p.add_argument("--rounds", type=int, help="with --discount: a deadline after N rounds")
    bargain_p.add_argument("--days", type=float, help="days until the deadline")
    bargain_p.add_argument(
        "--period",
        type=float,
        default=7.0,
        help="with --days: days per round of offers (default 7)",
    )
    bargain_p.add_argument(
        "--rate",
        type=float,
        nargs=2,
        metavar=("R1", "R2"),
        help="with --days: yearly discount rates (default 0.1 0.1)",
    )
    bargain_p.add_argument(
        "--first", type=int, choices=(1, 2), default=1, help="who proposes first (1 or 2)"
    )
    bargain_p.add_argument(
        "--threats", action="store_true", help="also solve Nash's variable-threat game"
    )
    bargain_p.add_argument("--format", choices=("table", "json"), default="table")

    report_p = sub.add_parser("report", help="write a self-contained HTML or Markdown report")
    report_p.add_argument("file", help="scenario .toml or Gambit .nfg file")
    report_p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    report_p.add_argument(
        "--sweep",
        metavar="RESULTS",
        help="a sweep's results (.parquet or .csv) for the maps section",
    )
    report_p.add_argument("--method", default="auto")
    report_p.add_argument("--out", required=True, help="report file, .html or .md")
    report_p.add_argument(
        "--target",
        action="append",
        metavar="PLAYER=ACTION",
        help="target outcome for the 'what would it take' section",
    )

    whatif_p = sub.add_parser(
        "whatif", help="what it would take for a target outcome to be an equilibrium"
    )
    whatif_p.add_argument("file")
    whatif_p.add_argument(
        "--target",
        action="append",
        required=True,
        metavar="PLAYER=ACTION",
        help="the target action of each player (repeat per player)",
    )
    whatif_p.add_argument(
        "--margin",
        type=float,
        default=0.1,
        help="every deviation must lose at least this much (default 0.1)",
    )
    whatif_p.add_argument(
        "--norm", choices=("l1", "max"), default="l1", help="how payoff changes are measured"
    )
    whatif_p.add_argument(
        "--vary",
        action="append",
        metavar="NAME",
        help="parameters allowed to change (default: all with ranges)",
    )
    whatif_p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    whatif_p.add_argument("--seed", type=int, default=0, help="seed of the random search")
    whatif_p.add_argument("--format", choices=("table", "json"), default="table")
    return parser


def _describe_parameters(scenario: Scenario, values: dict[str, float]) -> str:
    if not values:
        return ""
    lines = ["parameters:"]
    for name, value in values.items():
        prm = scenario.parameters[name]
        unit = f" {prm.unit}" if prm.unit else ""
        lines.append(f"  {name} = {format_number(value)}{unit}")
    return "\n".join(lines)


def _cmd_solve(args: argparse.Namespace) -> int:
    scenario = load(args.file)
    values = scenario.resolve(_parse_set(args.set))
    concept = args.concept
    if concept == "auto":
        concept = "spe" if scenario.timing == "sequential" else "nash"
    if concept == "spe":
        from .analysis.negotiation.sequential import spe

        found = spe(scenario, values)
        if args.format == "json":
            data = found.to_dict()
            data["parameters"] = values
            print(json.dumps(data, indent=2))
        else:
            print(scenario.title)
            print(found)
        return EXIT_OK
    game = scenario.game(values)
    options = _parse_options(args.option)
    kwargs: dict[str, object] = dict(options)
    if args.tol is not None:
        kwargs["tol"] = args.tol
    try:
        result = solve(game, args.method, **kwargs)  # type: ignore[arg-type]
    except TypeError as exc:
        raise ScenarioError(f"bad solver option for method '{args.method}': {exc}") from None
    result = result.with_parameters(values)
    if args.format == "json":
        print(result.to_json())
    else:
        print(result)
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    scenario = load(args.file)
    values = scenario.resolve(_parse_set(args.set))
    game = scenario.game(values)
    described = _describe_parameters(scenario, values)
    if described:
        print(described)
        print()
    print(game)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    scenario = load(args.file)
    game = scenario.game()
    shape = "x".join(str(n) for n in game.shape)
    print(
        f"{args.file}: OK ({scenario.form} form, {shape} game, "
        f"{len(scenario.parameters)} parameters)"
    )
    return EXIT_OK


def _cmd_methods(args: argparse.Namespace) -> int:
    del args
    print("auto: picks one of the methods below by game size and says which")
    for name, info in sorted(methods().items()):
        scope = "2 players" if info.two_player_only else "N players"
        print(f"{name}: {info.summary} [{scope}; finds {info.finds}]")
    return EXIT_OK


def _parse_grid(items: Sequence[str]) -> dict[str, list[float]]:
    """``["tariff=0:1:5"]`` -> ``{"tariff": [0, 0.25, 0.5, 0.75, 1]}``; ``NAME=1,2,3`` lists."""
    grid: dict[str, list[float]] = {}
    for item in items:
        name, sep, spec = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ScenarioError(f"--grid expects NAME=START:STOP:NUM, got {item!r}")
        try:
            if ":" in spec:
                start, stop, num = spec.split(":")
                count = int(num)
                if count < 1:
                    raise ValueError
                grid[name] = np.linspace(float(start), float(stop), count).tolist()
            else:
                grid[name] = [float(v) for v in spec.split(",")]
        except ValueError:
            raise ScenarioError(
                f"--grid {name}: expected START:STOP:NUM (NUM a positive whole number) or "
                f"V1,V2,..., got {spec!r}"
            ) from None
    return grid


def _cmd_sweep(args: argparse.Namespace) -> int:
    from .sweeps import DEFAULT_CHUNK, sweep

    scenario = load(args.file)
    executor, workers = "inline", None
    if args.processes:
        executor, workers = "processes", args.processes
    elif args.workers or args.scheduler:
        executor, workers = "dask", args.workers
    options: dict[str, Any] = {
        "fixed": _parse_set(args.set),
        "method": args.method,
        "chunk_size": args.chunk_size or DEFAULT_CHUNK,
        "executor": executor,
        "workers": workers,
        "scheduler": args.scheduler,
        "out": args.out,
        "resume": args.resume,
        "overwrite": args.overwrite,
        "progress": not args.quiet,
    }
    design: dict[str, Any]
    if args.grid:
        design = {"grid": _parse_grid(args.grid)}
    else:
        design = {
            "sample": args.sample,
            "seed": args.seed,
            "sampling": "lhs" if args.lhs else "uniform",
            "params": args.vary,
        }
    try:
        result = sweep(scenario, **design, **options)
    except KeyboardInterrupt:
        if args.out:
            print(
                f"interrupted: finished chunks are kept in {args.out}.parts; run the same "
                "command with --resume to continue",
                file=sys.stderr,
            )
        raise
    summary = result.summary()
    print(f"{result.design.size:,} points ({result.design.kind}); outcomes by share:")
    for row in summary.head(20).itertuples(index=False):
        print(f"  {row.share:7.2%}  {row.outcome}")
    if len(summary) > 20:
        print(f"  ... and {len(summary) - 20} more outcomes")
    if args.out:
        print(f"results: {args.out}")
    return EXIT_OK


def _parse_target(items: Sequence[str]) -> dict[str, str]:
    """``["US=maintain+extend", "China=withhold+expedite"]`` -> a {player: action} dict."""
    target: dict[str, str] = {}
    for item in items:
        player, sep, action = item.partition("=")
        if not sep or not player.strip() or not action.strip():
            raise ScenarioError(f"--target expects PLAYER=ACTION, got {item!r}")
        target[player.strip()] = action.strip()
    return target


def _cmd_bargain(args: argparse.Namespace) -> int:
    from .analysis.negotiation.bargaining import (
        alternating_offers,
        bargain,
        discount_factor,
        rubinstein,
        variable_threat,
    )

    if args.discount:
        d1, d2 = args.discount
        if args.days is not None:
            raise ScenarioError("give either --discount or --days with --rate, not both")
        first = args.first - 1
        offers = (
            alternating_offers(args.rounds, d1, d2, first)
            if args.rounds
            else rubinstein(d1, d2, first)
        )
        data = offers.to_dict()
        if args.format == "json":
            print(json.dumps(data, indent=2))
        else:
            horizon = f"deadline after {args.rounds} rounds" if args.rounds else "no deadline"
            print(f"alternating offers, player {args.first} proposes first, {horizon}")
            print(f"shares: player 1 {offers.shares[0]:.6g}, player 2 {offers.shares[1]:.6g}")
        return EXIT_OK
    if args.days is not None:
        rates = args.rate or [0.1, 0.1]
        delta = (discount_factor(args.period, rates[0]), discount_factor(args.period, rates[1]))
        rounds = max(1, int(args.days // args.period))
        offers = alternating_offers(rounds, delta[0], delta[1], args.first - 1)
        if args.format == "json":
            print(json.dumps(offers.to_dict(), indent=2))
        else:
            print(
                f"{args.days:g} days to the deadline in rounds of {args.period:g} days: "
                f"{rounds} rounds; per-round discount factors {delta[0]:.6f}, {delta[1]:.6f}"
            )
            print(f"shares: player 1 {offers.shares[0]:.6g}, player 2 {offers.shares[1]:.6g}")
        return EXIT_OK
    if not args.file:
        raise ScenarioError("give a scenario file, or --discount D1 D2, or --days N")
    scenario = load(args.file)
    game = scenario.game(scenario.resolve(_parse_set(args.set)))
    disagreement: Any = args.disagreement
    if "," in disagreement:
        try:
            disagreement = [float(v) for v in disagreement.split(",")]
        except ValueError:
            raise ScenarioError(
                "--disagreement expects U1,U2, 'equilibrium' or 'minmax'; "
                f"got {args.disagreement!r}"
            ) from None
    result = bargain(game, disagreement, equilibrium=args.equilibrium)
    threat = variable_threat(game) if args.threats else None
    if args.format == "json":
        data = result.to_dict()
        if threat is not None:
            data["variable_threat"] = threat.to_dict()
        print(json.dumps(data, indent=2))
    else:
        print(result)
        if threat is not None:
            p1, p2 = threat.players
            print(
                f"variable threats: {p1} threatens {_mix(threat.threats[0])}, "
                f"{p2} threatens {_mix(threat.threats[1])}; disagreement "
                f"({threat.disagreement[0]:.4g}, {threat.disagreement[1]:.4g}); outcome "
                f"{p1} {threat.outcome[0]:.4g}, {p2} {threat.outcome[1]:.4g}"
            )
    return EXIT_OK


def _mix(strategy: dict[str, float]) -> str:
    return " + ".join(
        (f"{p:.3g} {a}" if p < 1 - 1e-9 else a) for a, p in strategy.items() if p > 1e-9
    )


def _cmd_whatif(args: argparse.Namespace) -> int:
    from .analysis.negotiation.whatif import parameter_change, payoff_change

    scenario = load(args.file)
    values = scenario.resolve(_parse_set(args.set))
    target = _parse_target(args.target)
    payoffs = payoff_change(scenario.game(values), target, margin=args.margin, norm=args.norm)
    params = (
        parameter_change(
            scenario, target, margin=args.margin, fixed=values, vary=args.vary, rng=args.seed
        )
        if scenario.parameters and scenario.timing == "simultaneous"
        else None
    )
    if args.format == "json":
        data = {
            "payoff_change": payoffs.to_dict(),
            "parameter_change": params.to_dict() if params else None,
        }
        print(json.dumps(data, indent=2))
    else:
        print(payoffs.sentence())
        if params is not None:
            print(params.sentence())
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    try:
        from .report import build_report, write_report
    except ImportError:
        raise ScenarioError(
            "reports need matplotlib and Jinja2: pip install 'gametheory[report]'"
        ) from None
    scenario = load(args.file)
    target = _parse_target(args.target) if args.target else None
    report = build_report(
        scenario, _parse_set(args.set), sweep=args.sweep, method=args.method, target=target
    )
    path = write_report(report, args.out)
    print(f"report written to {path} ({len(report.sections)} sections)")
    return EXIT_OK


_COMMANDS = {
    "solve": _cmd_solve,
    "show": _cmd_show,
    "validate": _cmd_validate,
    "methods": _cmd_methods,
    "sweep": _cmd_sweep,
    "bargain": _cmd_bargain,
    "whatif": _cmd_whatif,
    "report": _cmd_report,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except GameTheoryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
