"""``gametheory bargain``: bargaining solutions of a two-player game, or alternating offers.

Three modes: a scenario or game ``FILE`` (axiomatic solutions over its payoffs, optionally
Nash's variable threats); ``--discount D1 D2`` (Rubinstein's alternating offers, with a deadline
after ``--rounds N``); or ``--days N`` (a deadline in calendar time, with ``--period`` days per
round and yearly rates, ``--rate``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

from ..._format import format_number
from ...analysis.negotiation.bargaining import (
    BargainingResult,
    alternating_offers,
    bargain,
    discount_factor,
    rubinstein,
    variable_threat,
)
from ...errors import BargainingError, ScenarioError
from ...io import load
from ...model.game import Game
from ...solvers import solve
from ..main import COMMANDS
from ..options import add_file, add_format, add_set, bounded_float, positive_int

__all__ = ["DEFAULT_PERIOD", "DEFAULT_RATE", "MAX_ROUNDS", "add_parser", "rounds", "run"]

SUMMARY = COMMANDS["bargain"].summary

#: Longest finite horizon solved by backward induction, in rounds.
MAX_ROUNDS = 10_000
#: Days per round of offers, and yearly discount rates, when ``--days`` is given alone.
DEFAULT_PERIOD = 7.0
DEFAULT_RATE = (0.1, 0.1)

_LONGER = (
    "for a longer horizon use the infinite-horizon (Rubinstein) split, which the "
    "finite-horizon split converges to"
)


def rounds(text: str) -> int:
    """An argparse type: a number of rounds from 1 to :data:`MAX_ROUNDS`."""
    try:
        return positive_int(MAX_ROUNDS)(text)
    except argparse.ArgumentTypeError as exc:
        raise argparse.ArgumentTypeError(f"{exc}; {_LONGER}: leave out --rounds") from None


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``bargain`` and its options."""
    parser = sub.add_parser("bargain", help=SUMMARY, description=SUMMARY)
    add_file(
        parser,
        "scenario .toml or Gambit .nfg file of a two-player game (not with --discount or --days)",
        optional=True,
    )
    add_set(parser)
    parser.add_argument(
        "--disagreement",
        default="equilibrium",
        metavar="POINT",
        help="the disagreement point: U1,U2, 'equilibrium' (default; see --equilibrium) or "
        "'minmax' (each player's security level)",
    )
    parser.add_argument(
        "--equilibrium",
        type=positive_int(),
        default=None,
        metavar="K",
        help="with --disagreement equilibrium: the K-th equilibrium, numbered from 1 as "
        "'gametheory solve' lists them (default 1)",
    )
    parser.add_argument(
        "--discount",
        type=bounded_float(0, 1),
        nargs=2,
        metavar=("D1", "D2"),
        help="Rubinstein alternating offers with these per-round discount factors, each "
        "strictly between 0 and 1",
    )
    parser.add_argument(
        "--rounds",
        type=rounds,
        metavar="N",
        help=f"with --discount: a deadline after N rounds (1 to {MAX_ROUNDS:,}; default: no "
        "deadline)",
    )
    parser.add_argument(
        "--days",
        type=bounded_float(0),
        metavar="N",
        help="alternating offers with a deadline N days away (a positive number)",
    )
    parser.add_argument(
        "--period",
        type=bounded_float(0),
        default=None,
        metavar="DAYS",
        help=f"with --days: days per round of offers (default {DEFAULT_PERIOD:g})",
    )
    parser.add_argument(
        "--rate",
        type=bounded_float(0),
        nargs=2,
        metavar=("R1", "R2"),
        help="with --days: yearly discount rates, positive "
        f"(default {DEFAULT_RATE[0]:g} {DEFAULT_RATE[1]:g})",
    )
    parser.add_argument(
        "--first", type=int, choices=(1, 2), default=1, help="who proposes first (1 or 2)"
    )
    parser.add_argument(
        "--threats", action="store_true", help="also solve Nash's variable-threat game"
    )
    add_format(parser)
    return parser


def _check_combinations(args: argparse.Namespace) -> None:
    offers = args.discount is not None or args.days is not None
    if args.discount is not None and args.days is not None:
        raise ScenarioError("give either --discount or --days with --rate, not both")
    if offers and args.file:
        raise ScenarioError(
            "give either a scenario file (bargaining over its payoffs) or --discount/--days "
            "(alternating offers over a pie of size 1), not both"
        )
    if offers and args.threats:
        raise ScenarioError("--threats needs a scenario file")
    if args.rounds is not None and args.discount is None:
        raise ScenarioError(
            "--rounds goes with --discount (with --days the rounds are --days / --period)"
        )
    for flag, value in (("--period", args.period), ("--rate", args.rate)):
        if value is not None and args.days is None:
            raise ScenarioError(f"{flag} goes with --days")
    if args.equilibrium is not None and args.disagreement != "equilibrium":
        raise ScenarioError("--equilibrium goes with --disagreement equilibrium")


def _shares(shares: tuple[float, float]) -> str:
    return f"shares: player 1 {format_number(shares[0], 6)}, player 2 {format_number(shares[1], 6)}"


def _below_one(factor: float) -> str:
    """A discount factor to six places, or more where six would round it up to 1."""
    for digits in range(6, 17):
        text = f"{factor:.{digits}f}".rstrip("0")
        if float(text) < 1:
            return text
    return repr(factor)


def _offers(args: argparse.Namespace) -> int:
    first = args.first - 1
    if args.discount is not None:
        d1, d2 = args.discount
        if args.rounds:
            offers = alternating_offers(args.rounds, d1, d2, first)
        else:
            offers = rubinstein(d1, d2, first)
        if args.format == "json":
            print(json.dumps(offers.to_dict(), indent=2))
        else:
            horizon = f"deadline after {args.rounds} rounds" if args.rounds else "no deadline"
            print(f"alternating offers, player {args.first} proposes first, {horizon}")
            print(_shares(offers.shares))
        return 0
    period = DEFAULT_PERIOD if args.period is None else args.period
    rates = args.rate or DEFAULT_RATE
    delta = (discount_factor(period, rates[0]), discount_factor(period, rates[1]))
    whole = args.days // period
    if whole > MAX_ROUNDS:
        raise BargainingError(
            f"--days {format_number(args.days)} in rounds of {format_number(period)} days is "
            f"{whole:,.0f} rounds; the limit is {MAX_ROUNDS:,}. {_LONGER[0].upper()}"
            f"{_LONGER[1:]}: gametheory bargain --discount {_below_one(delta[0])} "
            f"{_below_one(delta[1])}"
        )
    n_rounds = max(1, int(whole))
    offers = alternating_offers(n_rounds, delta[0], delta[1], first)
    if args.format == "json":
        print(json.dumps(offers.to_dict(), indent=2))
    else:
        print(
            f"{args.days:g} days to the deadline in rounds of {period:g} days: "
            f"{n_rounds} rounds; per-round discount factors {delta[0]:.6f}, {delta[1]:.6f}"
        )
        print(_shares(offers.shares))
    return 0


def _disagreement(text: str) -> Any:
    if "," not in text:
        return text
    try:
        point = [float(v) for v in text.split(",")]
    except ValueError:
        point = []
    if len(point) != 2:
        raise ScenarioError(
            f"--disagreement expects U1,U2, 'equilibrium' or 'minmax'; got {text!r}"
        )
    return point


def _bargain_at_equilibrium(game: Game, number: int) -> BargainingResult:
    """Bargaining from the payoffs of equilibrium ``number`` (from 1, as ``solve`` lists)."""
    equilibria = solve(game).equilibria
    if not 1 <= number <= len(equilibria):
        raise BargainingError(
            f"equilibrium {number} does not exist; the game has {len(equilibria)} listed "
            "equilibria (numbered from 1)"
        )
    eq = equilibria[number - 1]
    result = bargain(game, list(eq.payoffs))
    return dataclasses.replace(result, source=f"equilibrium {number}: {eq.describe()}")


def _mix(strategy: dict[str, float]) -> str:
    return " + ".join(
        (f"{format_number(p, 3)} {a}" if p < 1 - 1e-9 else a)
        for a, p in strategy.items()
        if p > 1e-9
    )


def run(args: argparse.Namespace) -> int:
    """Print the bargaining solutions or the alternating-offers split."""
    _check_combinations(args)
    if args.discount is not None or args.days is not None:
        return _offers(args)
    if not args.file:
        raise ScenarioError("give a scenario file, or --discount D1 D2, or --days N")
    scenario = load(args.file)
    game = scenario.game(scenario.resolve(dict(args.set)))
    disagreement = _disagreement(args.disagreement)
    if disagreement == "equilibrium":
        if game.n_players != 2:
            raise BargainingError(
                f"bargaining needs a two-player game; this one has {game.n_players}"
            )
        result = _bargain_at_equilibrium(game, args.equilibrium or 1)
    else:
        result = bargain(game, disagreement)
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
            d, u = threat.disagreement, threat.outcome
            print(
                f"variable threats: {p1} threatens {_mix(threat.threats[0])}, "
                f"{p2} threatens {_mix(threat.threats[1])}; disagreement "
                f"({format_number(d[0])}, {format_number(d[1])}); outcome "
                f"{p1} {format_number(u[0])}, {p2} {format_number(u[1])}"
            )
    return 0
