"""Hostile inputs on game trees: ``.efg`` files and the command line on them.

Every bad file must give one ``ScenarioError`` naming the file and line (exit 2 and one
``error:`` line from the command line, no traceback); the fast ``.efg`` reader must give the
same tree as the token-by-token reader on every layout the format allows.
"""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.io import efg as efg_module
from gametheory.io.efg import dumps_efg, loads_efg

HEAD = 'EFG 2 R "t" { "A" "B" }\n""\n'


def _random_efg(seed: int, nodes: int = 300) -> str:
    """A random two-player tree with chance, shared information sets and inner outcomes."""
    rng = random.Random(seed)
    lines = [HEAD]
    outcome = 0
    budget = [nodes]
    sets: dict[tuple[int, int], int] = {}  # (player, moves) -> a set number to share

    def node(depth: int) -> None:
        nonlocal outcome
        budget[0] -= 1
        if depth > 6 or budget[0] <= 0 or (depth > 0 and rng.random() < 0.3):
            outcome += 1
            a, b = rng.randint(-9, 9), rng.random() * 10 - 5
            lines.append(f't "z{outcome}" {outcome} "o" {{ {a}, {b!r} }}\n')
            return
        width = rng.randint(1, 3)
        if rng.random() < 0.2:
            probs = " ".join(f'"c{i}" 1/{width}' for i in range(width))
            outcome += 1  # a fresh chance set number
            lines.append(f'c "" {outcome} "" {{ {probs} }} 0\n')
        else:
            player = rng.randint(1, 2)
            key = (player, width)
            number = sets.get(key) if rng.random() < 0.3 else None
            if number is None:
                number = len(sets) + 10 + rng.randint(0, 10**6)
                sets[key] = number
            moves = " ".join(f'"m{i}"' for i in range(width))
            inner = ""
            if rng.random() < 0.2:
                outcome += 1
                inner = ' "inner" { 1, -1 }'
                lines.append(
                    f'p "n" {player} {number} "s{number}" {{ {moves} }} {outcome}{inner}\n'
                )
            else:
                lines.append(f'p "n" {player} {number} "s{number}" {{ {moves} }} 0\n')
        for _ in range(width):
            node(depth + 1)

    node(0)
    return "".join(lines)


def _same(a: gt.Tree, b: gt.Tree) -> None:
    assert a.players == b.players and a.title == b.title
    for name in ("parent", "kind", "infoset", "infoset_owner", "probability", "payoffs"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert a.move_labels == b.move_labels
    assert a.infoset_labels == b.infoset_labels
    assert a.node_labels == b.node_labels


def _token_tree(text: str) -> gt.Tree:
    title, players, nodes = efg_module._token_read(text, "x.efg")
    return efg_module._to_tree(nodes, players, title)


@pytest.mark.parametrize("seed", range(12))
def test_fast_reader_equals_token_reader_on_random_trees(seed: int) -> None:
    text = _random_efg(seed)
    try:
        expected = _token_tree(text)
    except gt.GameTheoryError:  # a random shared set may break perfect structure: same error
        with pytest.raises(gt.GameTheoryError):
            loads_efg(text)
        return
    assert efg_module._fast_read(text) is not None
    _same(loads_efg(text), expected)


def test_fast_reader_equals_token_reader_on_gambit_catalog() -> None:
    """pygambit's catalog trees as pygambit writes them: both readers, the same tree."""
    gbt = pytest.importorskip("pygambit")
    slugs = list(gbt.catalog.games(is_tree=True)["Game"])
    assert len(slugs) >= 20
    fast = 0
    for slug in slugs:
        text = gbt.catalog.load(slug).to_efg()
        fast += efg_module._fast_read(text) is not None
        _same(loads_efg(text), _token_tree(text))
    assert fast >= len(slugs) // 2  # Gambit's own layout takes the fast path


@pytest.mark.parametrize(
    "layout",
    [
        lambda t: t.replace(" }", "}").replace("{ ", "{"),  # no spaces inside braces
        lambda t: t.replace('" ', '",'),  # commas between tokens
        lambda t: t.replace("\n", "\n\n  \t"),  # blank lines and indentation
        lambda t: t.replace(' "o" ', ' "o\nsecond line" '),  # a string over two lines
        lambda t: t.replace(' "o" ', ' "o {x} \\" y" '),  # braces and escaped quote inside
        lambda t: t.replace("} 0\n", "} +0\n", 1),  # a signed outcome number
    ],
)
def test_unusual_layouts_read_the_same(layout) -> None:
    text = _random_efg(3)
    assert layout(text) != text
    _same(loads_efg(layout(text)), _token_tree(layout(text)))


def test_a_string_across_the_scan_cut_is_read_whole(monkeypatch) -> None:
    """The token reader scans in pieces cut after a newline; a string may span the cut."""
    monkeypatch.setattr(efg_module, "_CHUNK", 8)
    text = HEAD + 'p "" 1 1 "a\nlong\nname" { "x\ny" "z" } 0\nt "" 1 "" { 1, 2 }\nt "" 0\n'
    tree = _token_tree(text)
    assert tree.move_labels[1:] == ("x\ny", "z")
    assert tree.infoset_labels == ("a\nlong\nname",)


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("", 1, "expected 'EFG'"),
        ("\x00\x01EFG", 1, "expected 'EFG'"),
        ('EFG 2 R "t" { "A"', 1, "closing the list of players"),
        (HEAD + 'p "" 1 1 "" { "a" "b } 0\nt "" 0\nt "" 0\n', 5, "never closed"),
        (HEAD + 't "" 1 "" { inf, 1 }\n', 3, "found 'inf'"),
        (HEAD + 't "" 1 "" { nan, 1 }\n', 3, "found 'nan'"),
        (HEAD + 't "" 1 "" { 1_0, 1 }\n', 3, "found '1_0'"),
        (HEAD + 'p "" 1 \u0661 "" { "a" } 0\nt "" 0\n', 3, "information set number"),
        (HEAD + 't "" 1 "" { 1e309, 1 }\n', 3, "outside the range"),
        (HEAD + 't "" 1 "" { ' + "9" * 500 + ", 1 }\n", 3, "outside the range"),
        (HEAD + 't "" 1 "" { 1/0, 1 }\n', 3, "found '1/0'"),
        (HEAD + 'c "" 1 "" { "a" -1 "b" 2 } 0\nt "" 0\nt "" 0\n', 3, "not between 0 and 1"),
        (HEAD + 'c "" 1 "" { "a" 0.5 "b" 0.6 } 0\nt "" 0\nt "" 0\n', 3, "sum to 1.1"),
        (HEAD + 'p "" 0 1 "" { "a" } 0\nt "" 0\n', 3, "player number"),
        (HEAD + 'p "" 1 99999999999 "" { "a" } 0\nt "" 0\n', 3, "information set number"),
        (HEAD + 't "" 1 "" { 1, 1 }\nt "" 0\n', 4, "end of the file after"),
        (HEAD + 't "" 1 "" { 1, 1 }1\n', 3, "end of the file after"),
        (HEAD + 't "" 1t "" 0\n', 3, "outcome number"),
        (
            HEAD + 'p "" 1 1 "" { "a" "b" } 0\np "" 2 1 "" { "x" "y" } 0\nt "" 0\nt "" 0\n'
            'p "" 2 1 "" { "x" "y" "z" } 0\nt "" 0\nt "" 0\nt "" 0\n',
            7,
            "tell its nodes apart",
        ),
        (
            HEAD + 'p "" 1 1 "" { "a" "b" } 1 "" { 1e308, 1 }\nt "" 2 "" { 1e308, 1 }\nt "" 0\n',
            4,
            "sum to a payoff beyond the range",
        ),
        (
            HEAD + 'p "" 1 1 "" { "a" "b" } 1 "" { -1e308, 1 }\nt "" 0\nt "" 1 "" { -1e308, 1 }\n',
            5,
            "sum to a payoff beyond the range",
        ),
    ],
)
def test_bad_files_name_the_line(body: str, line: int, message: str) -> None:
    with pytest.raises(gt.ScenarioError, match=message) as caught:
        loads_efg(body, source="bad.efg")
    assert caught.value.line == line, str(caught.value)
    assert str(caught.value).startswith(f"bad.efg:{line}:")


def test_ten_thousand_deep_tree_reads_without_recursion() -> None:
    parts = [HEAD]
    for k in range(10_000):
        parts.append(f'p "" 1 {k + 1} "" {{ "stop" "go" }} 0\nt "" {k + 1} "" {{ {k}, 0 }}\n')
    parts.append('t "" 20000 "" { -1, 0 }\n')
    tree = loads_efg("".join(parts))
    assert tree.n_nodes == 20_001
    assert tree.payoffs[-1].tolist() == [-1.0, 0.0]  # the deepest terminal, last breadth first


def test_round_trip_of_a_written_tree_takes_the_fast_path() -> None:
    tree = loads_efg(_random_efg(5))
    text = dumps_efg(tree)
    assert efg_module._fast_read(text) is not None
    _same(loads_efg(text), tree)


@pytest.mark.parametrize("command", [["validate"], ["solve"], ["solve", "--concept", "nash"]])
def test_cli_gives_one_error_line_and_exit_2(tmp_path, command: list[str]) -> None:
    bad = tmp_path / "over.efg"
    bad.write_text(
        HEAD + 'p "" 1 1 "" { "a" "b" } 1 "" { 1e308, 1 }\nt "" 2 "" { 1e308, 1 }\nt "" 0\n'
    )
    run = subprocess.run(
        [sys.executable, "-m", "gametheory", command[0], str(bad), *command[1:]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"error: {bad}:4: the outcomes on the path to this terminal node sum to a payoff "
        "beyond the range of a 64-bit float (magnitudes up to about 1.8e308)"
    ]


def test_a_correlation_given_as_a_table_names_its_own_line(tmp_path) -> None:
    """``a.b.c = r`` under [correlations] was reported at the line of parameter ``b``."""
    text = (
        'schema_version = 1\ntitle = "c"\n[parameters]\n'
        'a = { value = 1, min = 0, max = 2, distribution = "uniform" }\n'
        'b = { value = 1, min = 0, max = 2, distribution = "uniform" }\n'
        "[players.R]\nactions = ['x', 'y']\n[players.C]\nactions = ['x', 'y']\n"
        "[payoffs]\nR = [[1, 0], [0, 1]]\nC = [[1, 0], [0, 1]]\n"
        "[correlations]\na.b.c = 0.5\n"
    )
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(gt.ScenarioError, match="strictly between -1 and 1") as caught:
        gt.load(path)
    assert caught.value.line == 14, str(caught.value)


_MUTATION_SOURCE = _random_efg(7, nodes=40)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cuts=st.lists(
        st.tuples(
            st.integers(0, len(_MUTATION_SOURCE)),
            st.integers(0, 6),
            st.sampled_from(["", " ", "\n", '"', "{", "}", ",", "0", "1/3", "-", "e9", "t", "p"]),
        ),
        max_size=4,
    )
)
def test_mutated_files_give_the_token_readers_tree_or_one_error(cuts) -> None:
    """Random edits of a valid file: the fast path never disagrees with the token reader,
    and anything wrong is one ScenarioError with a line (more examples with
    HYPOTHESIS_PROFILE=thorough)."""
    text = _MUTATION_SOURCE
    for at, drop, insert in cuts:
        text = text[:at] + insert + text[at + drop :]
    try:
        expected = _token_tree(text)
    except gt.ScenarioError as exc:
        with pytest.raises(gt.ScenarioError) as caught:
            loads_efg(text, source="x.efg")
        assert str(caught.value) == str(exc)
        return
    except gt.GameTheoryError:
        with pytest.raises(gt.GameTheoryError):
            loads_efg(text, source="x.efg")
        return
    _same(loads_efg(text, source="x.efg"), expected)
