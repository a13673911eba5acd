"""Limits are checked before anything is allocated or computed, and bad files get one clear error.

Each case here was found by a hostile-input review (issue 9): before the fix it hung, ran out of
memory, overflowed or raised a traceback. Every case must end in a ``GameTheoryError`` naming the
file, quickly.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import gametheory as gt
from gametheory.io.nfg import MAX_PROFILES
from gametheory.io.toml_scenario import MAX_DEPTH, MAX_FILE_BYTES

from .conftest import PAYOFFS

HEADER = 'NFG 1 R "g" { "A" "B" }'


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    # Opening a FIFO for reading would block until a writer comes: run in a subprocess with a
    # timeout so a regression fails instead of hanging the suite.
    code = f"import gametheory as gt; gt.load({str(fifo)!r})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "not a regular file" in out.stderr


def test_a_device_behind_a_scenario_name_is_refused(tmp_path):
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    with pytest.raises(gt.ScenarioError, match="not a regular file"):
        gt.load(link)


def test_a_directory_is_refused(tmp_path):
    folder = tmp_path / "dir.nfg"
    folder.mkdir()
    with pytest.raises(gt.ScenarioError, match="is a directory"):
        gt.load(folder)


def test_a_file_over_the_limit_is_refused_after_reading_at_most_the_limit(tmp_path):
    big = tmp_path / "big.toml"
    with open(big, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 10)  # sparse: costs no disk
    with pytest.raises(gt.ScenarioError, match="larger than"):
        gt.load(big)


def test_invalid_utf8_is_one_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'title = "\xff"')
    with pytest.raises(gt.ScenarioError, match="not UTF-8"):
        gt.load(bad)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 400, 3000, 100_000])
def test_deep_nesting_is_refused(depth):
    with pytest.raises(gt.ScenarioError, match="nested"):
        gt.load_string("x = " + "[" * depth + "]" * depth)


def test_strategy_counts_are_checked_before_names_are_made():
    with pytest.raises(gt.ScenarioError, match="pure profiles"):
        gt.loads_nfg(HEADER + " { 1000000000 1 }")


def test_many_players_cannot_overflow_the_profile_count():
    players = " ".join(f'"p{i}"' for i in range(63))
    with pytest.raises(gt.ScenarioError, match=f"{MAX_PROFILES:,}"):
        gt.loads_nfg(f'NFG 1 R "g" {{ {players} }} {{ {"2 " * 63}}}')


@pytest.mark.parametrize("word", ["1e999999999", "1e999", "-1e400", "9" * 400, "1/0"])
def test_numbers_beyond_float64_are_refused_quickly(word):
    with pytest.raises(gt.ScenarioError, match="payoff 1 of 2"):
        gt.loads_nfg(HEADER + " { 1 1 } " + word + " 0")


def test_a_huge_exponent_as_a_strategy_count_is_refused():
    with pytest.raises(gt.ScenarioError, match="number of strategies"):
        gt.loads_nfg(HEADER + " { 1e999999999 1 }")


def test_the_fast_path_and_the_token_path_agree():
    # Plain numbers go through one vectorised conversion; a single rational sends the whole
    # list through the token-by-token path. Both must read the same game (Gambit's order:
    # the first player's strategy changes fastest).
    rng = np.random.default_rng(3)
    values = rng.integers(-9, 10, size=12)
    plain = gt.loads_nfg(HEADER + " { 3 2 } " + " ".join(map(str, values)))
    mixed = gt.loads_nfg(
        HEADER + " { 3 2 } " + " ".join(map(str, values[:-1])) + f" {values[-1] * 2}/2"
    )
    assert np.array_equal(plain.payoffs, mixed.payoffs)
    # Profile (r, c) is entry r + 3 c; player p's payoff is at offset p within it.
    assert plain.payoffs[1, 2, 1] == values[2 * (2 + 3 * 1) + 1]


def test_a_large_numeric_game_loads_into_a_numeric_scenario(tmp_path):
    rng = np.random.default_rng(0)
    game = gt.Game.from_arrays(rng.integers(-50, 50, (300, 300)), rng.integers(-50, 50, (300, 300)))
    gt.write_nfg(game, tmp_path / "big.nfg")
    scenario = gt.load(tmp_path / "big.nfg")
    assert all(entry.dtype == np.float64 for entry in scenario.payoffs.values())
    assert np.array_equal(scenario.game().payoffs, game.payoffs)


def test_numeric_and_expression_matrices_give_the_same_game():
    players = {"R": ["a", "b"], "C": ["c", "d"]}
    numbers = gt.Scenario.from_matrices(players, {"R": [[1, 2], [3, 4]], "C": [[0, 1], [1, 0]]})
    texts = gt.Scenario.from_matrices(
        players, {"R": [["1", "2"], ["3", "2*2"]], "C": [[0, 1], [1, 0]]}
    )
    assert np.array_equal(numbers.game().payoffs, texts.game().payoffs)


SCENARIO_WITH = """
schema_version = 1
title = "t"
[parameters]
{name} = 1.0
[players.R]
actions = ["a", "b"]
[players.C]
actions = ["c", "d"]
[payoffs]
R = [["{expr}", 0], [0, 1]]
C = [[1, 0], [0, 1]]
"""


def test_a_full_width_parameter_name_is_refused():
    # Python's parser reads identifiers in NFKC form, so 'ｘ' in an expression would mean 'x'.
    with pytest.raises(gt.ScenarioError, match="NFKC"):
        gt.load_string(SCENARIO_WITH.format(name='"ｘ"', expr="2"))


def test_a_full_width_name_in_an_expression_is_refused():
    with pytest.raises(gt.GameTheoryError, match="NFKC"):
        gt.load_string(SCENARIO_WITH.format(name="x", expr="ｘ * 2"))


def test_a_look_alike_override_names_the_real_parameter():
    scenario = gt.load_string(SCENARIO_WITH.format(name="x", expr="x * 2"))
    with pytest.raises(gt.ScenarioError, match="did you mean 'x'"):
        scenario.game(**{"ｘ": 0.0})


def test_bundled_files_still_load():
    for path in PAYOFFS.iterdir():
        if path.stem.endswith("_ordinal"):
            assert gt.GraphModel.read(path).n_states > 0
            with pytest.raises(gt.ScenarioError, match=r"ordinal scenario.*gametheory stability"):
                gt.load(path)
        elif path.suffix == ".toml" and "\n[tree" in path.read_text():
            assert gt.load_tree(path).n_nodes > 1
            with pytest.raises(gt.ScenarioError, match="load_tree"):
                gt.load(path)
        elif path.suffix in {".toml", ".nfg"}:
            gt.load(path).game()
