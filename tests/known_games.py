"""A typed table of games from the literature with their known equilibria.

Each entry names its source. Expected equilibria are written as exact fractions taken from the
source (or derived by hand from the indifference conditions, where the source says so), never
computed by this project.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction as F


@dataclass(frozen=True)
class KnownGame:
    name: str
    source: str
    A: list[list[float]]
    B: list[list[float]]
    # Every extreme equilibrium as (x, y); payoffs as (row, column).
    equilibria: list[tuple[list[F], list[F]]]
    payoffs: list[tuple[F, F]]
    # True when the equilibria are isolated (no continuum), so the list is the whole set.
    isolated: bool = True


KNOWN_GAMES: list[KnownGame] = [
    KnownGame(
        "prisoners_dilemma",
        "Osborne (2004), An Introduction to Game Theory, ch. 2: unique equilibrium (Fink, Fink)",
        A=[[2, 0], [3, 1]],
        B=[[2, 3], [0, 1]],
        equilibria=[([F(0), F(1)], [F(0), F(1)])],
        payoffs=[(F(1), F(1))],
    ),
    KnownGame(
        "battle_of_the_sexes",
        "Osborne (2004), ch. 2 and 4: (B,B), (S,S) and the mixed ((2/3,1/3),(1/3,2/3))",
        A=[[2, 0], [0, 1]],
        B=[[1, 0], [0, 2]],
        equilibria=[
            ([F(1), F(0)], [F(1), F(0)]),
            ([F(0), F(1)], [F(0), F(1)]),
            ([F(2, 3), F(1, 3)], [F(1, 3), F(2, 3)]),
        ],
        payoffs=[(F(2), F(1)), (F(1), F(2)), (F(2, 3), F(2, 3))],
    ),
    KnownGame(
        "matching_pennies",
        "Osborne (2004), ch. 2 and 4: unique equilibrium, each plays each side with 1/2",
        A=[[1, -1], [-1, 1]],
        B=[[-1, 1], [1, -1]],
        equilibria=[([F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)])],
        payoffs=[(F(0), F(0))],
    ),
    KnownGame(
        "stag_hunt",
        "Osborne (2004), ch. 2: (Stag,Stag), (Hare,Hare); mixed 1/2 from indifference 2p = 1",
        A=[[2, 0], [1, 1]],
        B=[[2, 1], [0, 1]],
        equilibria=[
            ([F(1), F(0)], [F(1), F(0)]),
            ([F(0), F(1)], [F(0), F(1)]),
            ([F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)]),
        ],
        payoffs=[(F(2), F(2)), (F(1), F(1)), (F(1), F(1))],
    ),
    KnownGame(
        "chicken_crash_10",
        "Hawk-Dove/Chicken (Osborne 2004, ch. 4): swerve with (c-1)/c = 9/10 by indifference",
        A=[[0, -1], [1, -10]],
        B=[[0, 1], [-1, -10]],
        equilibria=[
            ([F(1), F(0)], [F(0), F(1)]),
            ([F(0), F(1)], [F(1), F(0)]),
            ([F(9, 10), F(1, 10)], [F(9, 10), F(1, 10)]),
        ],
        payoffs=[(F(-1), F(1)), (F(1), F(-1)), (F(-1, 10), F(-1, 10))],
    ),
    KnownGame(
        "rock_paper_scissors",
        "Standard zero-sum game (e.g. Osborne 2004, ch. 4): unique equilibrium, uniform play",
        A=[[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
        B=[[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
        equilibria=[([F(1, 3)] * 3, [F(1, 3)] * 3)],
        payoffs=[(F(0), F(0))],
    ),
    KnownGame(
        "von_stengel_3x2",
        "von Stengel (2007), Algorithmic Game Theory ch. 3, the 3x2 example of section 3.2: "
        "three equilibria",
        A=[[3, 3], [2, 5], [0, 6]],
        B=[[3, 2], [2, 6], [3, 1]],
        equilibria=[
            ([F(1), F(0), F(0)], [F(1), F(0)]),
            ([F(4, 5), F(1, 5), F(0)], [F(2, 3), F(1, 3)]),
            ([F(0), F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]),
        ],
        payoffs=[(F(3), F(3)), (F(3), F(14, 5)), (F(4), F(8, 3))],
    ),
    KnownGame(
        "von_stengel_degenerate_3x2",
        "von Stengel (2007), ch. 3, section 3.6 degenerate example (B[0][1] = 3): the top row "
        "has two best responses, giving a segment of equilibria plus an isolated one",
        A=[[3, 3], [2, 5], [0, 6]],
        B=[[3, 3], [2, 6], [3, 1]],
        equilibria=[
            ([F(1), F(0), F(0)], [F(1), F(0)]),
            ([F(1), F(0), F(0)], [F(2, 3), F(1, 3)]),
            ([F(0), F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]),
        ],
        payoffs=[(F(3), F(3)), (F(3), F(3)), (F(4), F(8, 3))],
        isolated=False,
    ),
    KnownGame(
        "nashpy_support_enumeration_pitfall",
        "DESIGN.md section 9 (checked with Gambit): nondegenerate, unique equilibrium "
        "((21/38,17/38,0),(0,72/77,5/77)); nashpy's support enumeration returns nothing",
        A=[[80, 79, 97], [8, 84, 25], [38, 6, 29]],
        B=[[25, 57, 40], [27, 38, 59], [8, 27, 36]],
        equilibria=[([F(21, 38), F(17, 38), F(0)], [F(0), F(72, 77), F(5, 77)])],
        payoffs=[(F(6173, 77), F(1843, 38))],
    ),
]
