"""Gambit .nfg files: both variants read, games written back."""

from __future__ import annotations

import pytest

import gametheory as gt

from .conftest import PAYOFFS

# The example from Gambit's documentation of the payoff version ("Selten (IJGT, 75), Figure 2").
PAYOFF_VERSION = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
{ "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
"""

# The same game in the outcome version, as in Gambit's documentation.
OUTCOME_VERSION = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{
{ "1" "2" "3" }
{ "1" "2" }
}
""

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
"""


def test_payoff_version_profile_order_is_first_player_fastest() -> None:
    game = gt.loads_nfg(PAYOFF_VERSION)
    assert game.players == ("Player 1", "Player 2")
    assert game.shape == (3, 2)
    # Profiles: (1,1)=(1,1), (2,1)=(0,2), (3,1)=(0,2), (1,2)=(1,1), (2,2)=(0,3), (3,2)=(2,0).
    assert game.payoffs[0].tolist() == [[1, 1], [0, 0], [0, 2]]
    assert game.payoffs[1].tolist() == [[1, 1], [2, 3], [2, 0]]


def test_outcome_version_gives_the_same_game() -> None:
    assert (
        gt.loads_nfg(OUTCOME_VERSION).payoffs.tolist()
        == gt.loads_nfg(PAYOFF_VERSION).payoffs.tolist()
    )
    assert gt.loads_nfg(OUTCOME_VERSION).actions == (("1", "2", "3"), ("1", "2"))


def test_null_outcome_rationals_and_escaped_quotes() -> None:
    text = r"""NFG 1 R "a \"quoted\" title" { "A" "B" }
{ { "x" "y" } { "l" "r" } }
{ { "o1" 3/2, -1 } }
1 0 0 1
"""
    game = gt.loads_nfg(text)
    assert game.title == 'a "quoted" title'
    assert game.payoffs[0].tolist() == [[1.5, 0], [0, 1.5]]


def test_three_player_round_trip(tmp_path) -> None:
    import numpy as np

    payoffs = np.arange(3 * 2 * 3 * 2, dtype=float).reshape(3, 2, 3, 2) / 4
    game = gt.Game(("A", "B", "C"), (("a", "b"), ("x", "y", "z"), ("p", "q")), payoffs, "t")
    path = tmp_path / "g.nfg"
    gt.write_nfg(game, path)
    assert gt.read_nfg(path) == game


GAMES = [
    p
    for p in sorted(PAYOFFS.glob("*.toml"))
    if not p.stem.endswith("_ordinal") and "\n[tree" not in p.read_text()
]


@pytest.mark.parametrize("path", GAMES, ids=lambda p: p.stem)
def test_every_bundled_scenario_round_trips_through_nfg(path, tmp_path) -> None:
    game = gt.load(path).game()
    out = tmp_path / f"{path.stem}.nfg"
    gt.write_nfg(game, out)
    again = gt.load(out).game()
    assert again == game
    assert gt.solve(again).to_dict()["equilibria"] == gt.solve(game).to_dict()["equilibria"]


def test_pygambit_reads_what_we_write(tmp_path) -> None:
    pygambit = pytest.importorskip("pygambit", reason="pygambit not installed ([gambit] extra)")
    game = gt.load(PAYOFFS / "battle_of_the_sexes.toml").game()
    out = tmp_path / "bos.nfg"
    gt.write_nfg(game, out)
    theirs = pygambit.read_nfg(str(out))
    assert [str(p) for p in theirs.players] == list(game.players)
    assert theirs.to_arrays()[0].astype(float).tolist() == game.payoffs[0].tolist()
