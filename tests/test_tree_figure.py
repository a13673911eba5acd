"""The tree figure's data, the drawing, and the tree report's order and words.

Expected values come from the textbook games themselves: entry deterrence (Selten 1978: the
subgame-perfect path is enter/accommodate, and the Nash equilibrium 'out' rests on the
incumbent's threat to fight, which is not credible), beer-quiche (Cho and Kreps 1987: the
pooling-on-beer equilibrium passes the intuitive criterion), and complete binary trees whose
leaf count is known in closed form (2**depth).
"""

from __future__ import annotations

import numpy as np
import pytest

from gametheory.model.tree import Chance, Decision, Terminal, Tree
from gametheory.report.render import render_html
from gametheory.report.tree import (
    MAX_DRAWN_LEAVES,
    build_tree_report,
    off_path_words,
    path_words,
    plot_tree,
    tree_details_section,
    tree_figure_data,
    tree_section,
)
from gametheory.solvers.bayesian import pbe_signalling, signalling_tree
from gametheory.solvers.tree import nash_tree, spe, spe_gain

pytest.importorskip("matplotlib")


def entry() -> Tree:
    return Tree.build(
        ("Entrant", "Incumbent"),
        Decision(
            "Entrant",
            {
                "out": Terminal((0, 5)),
                "enter": Decision(
                    "Incumbent", {"accommodate": Terminal((2, 2)), "fight": Terminal((-1, -1))}
                ),
            },
        ),
        title="Entry deterrence",
    )


def beer_quiche() -> Tree:
    def payoffs(t: str, m: str, a: str) -> tuple[float, float]:
        sender = (1 if (t == "strong") == (m == "beer") else 0) + (2 if a == "not duel" else 0)
        return sender, 1 if (a == "duel") == (t == "weak") else 0

    return signalling_tree(
        {"strong": 0.9, "weak": 0.1}, ["beer", "quiche"], ["duel", "not duel"], payoffs
    )


def binary(depth: int, who: int = 0, seed: int = 0) -> Tree:
    rng = np.random.default_rng(seed)

    def node(d: int, w: int) -> Decision | Terminal:
        if d == 0:
            return Terminal(tuple(rng.normal(size=2)))
        return Decision("AB"[w], {"l": node(d - 1, 1 - w), "r": node(d - 1, 1 - w)})

    return Tree.build(("A", "B"), node(depth, who))


def test_layout_spaces_leaves_evenly_and_centres_parents() -> None:
    tree = binary(3)
    data = tree_figure_data(tree)
    pos = data["positions"]
    leaves = sorted(pos[int(t)][0] for t in tree.terminals)
    assert leaves == list(range(8))  # 2**3 leaves at 0..7
    assert pos[0] == (3.5, 0.0)  # the root above the middle, depth downward
    assert {pos[int(t)][1] for t in tree.terminals} == {-3.0}
    assert data["note"] == ""


def test_entry_path_is_bold_and_the_nash_threat_is_marked() -> None:
    tree = entry()
    perfect = spe(tree)
    styles = {e.label: e.style for e in tree_figure_data(tree, perfect)["edges"]}
    assert styles == {"out": "other", "enter": "path", "accommodate": "path", "fight": "other"}
    # 'out' with the threat to fight is a Nash equilibrium that is not subgame perfect.
    nash = nash_tree(tree)
    threat = [eq for eq in nash.equilibria if spe_gain(tree, eq.behaviour) > 1e-7]
    assert threat
    data = tree_figure_data(tree, threat[0])
    styles = {e.label.split(" ")[0]: e.style for e in data["edges"]}
    assert styles["out"] == "path" and styles["fight"] == "threat"
    assert data["threats"] == 1


def test_chance_and_mixed_moves_show_probabilities_and_infosets_are_joined() -> None:
    tree = beer_quiche()
    pbe = pbe_signalling(tree)
    data = tree_figure_data(tree, pbe[0])
    labels = [e.label for e in data["edges"]]
    assert "strong (0.9)" in labels and "weak (0.1)" in labels
    # Two receiver information sets, each joining two nodes, labelled with beliefs.
    texts = sorted(label for label, members in data["infosets"])
    assert len(data["infosets"]) == 2
    assert all(len(members) == 2 for _, members in data["infosets"])
    assert any("mu(weak | quiche) in [0.5, 1]" in t for t in texts)
    assert any("strong 0.9, weak 0.1" in t for t in texts)
    # A mixed move: matching pennies after a chance move gives 0.5 on each move.
    pennies = Tree.build(
        ("A", "B"),
        Decision(
            "A",
            {
                m: Decision(
                    "B",
                    {n: Terminal((1, -1) if m == n else (-1, 1)) for n in ("h", "t")},
                    infoset="B",
                )
                for m in ("h", "t")
            },
        ),
    )
    data = tree_figure_data(pennies, nash_tree(pennies))
    assert sum("(0.5)" in e.label for e in data["edges"]) == 6


def test_large_tree_draws_only_the_path_and_its_siblings() -> None:
    tree = binary(7)  # 128 leaves > 60
    assert tree.terminals.size > MAX_DRAWN_LEAVES
    result = spe(tree)
    data = tree_figure_data(tree, result)
    # Path of 7 moves: the root, the 7 nodes on the path and the 7 siblings beside it.
    assert len(data["positions"]) == 1 + 7 + 7
    assert "only the equilibrium path" in data["note"]
    cut = [text for kind, text in data["nodes"].values() if kind == "cut"]
    assert len(cut) == 6 and all(text.endswith("...") for text in cut)
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    assert plot_tree(tree, result, ax=ax) is ax


def test_plot_tree_draws_on_the_axes_given() -> None:
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    tree = entry()
    assert plot_tree(tree, spe(tree), ax=ax) is ax
    texts = {t.get_text() for t in ax.texts}
    assert {"enter", "accommodate", "2, 2", "Entrant", "Incumbent"} <= texts


def test_words_lead_with_the_path_and_say_what_happens_off_it() -> None:
    tree = entry()
    eq = spe(tree)[0]
    assert path_words(tree, eq.behaviour) == [
        "Entrant enter \u2192 Incumbent accommodate (payoffs Entrant 2, Incumbent 2)"
    ]
    # In the Nash equilibrium 'out' with a sure fight, the incumbent's node is off the path.
    out = next(
        e
        for e in nash_tree(tree).equilibria
        if e.strategy("Entrant:1")["out"] == 1 and e.strategy("Incumbent:1")["fight"] == 1
    )
    lines, total = off_path_words(tree, out.behaviour)
    assert total == 1 and lines[0].startswith("after Entrant enter, Incumbent would fight")
    section = tree_section(tree)
    assert section.paragraphs[0].startswith("Predicted play (subgame-perfect equilibrium)")
    assert any("not subgame perfect" in p and "fight" in p for p in section.paragraphs)
    assert len(section.figures) == 2 and section.figures[0].svg.startswith("<svg")
    assert not section.tables


def test_signalling_report_leads_with_the_intuitive_pbe_and_folds_long_tables() -> None:
    report = build_tree_report(beer_quiche(), "Beer-quiche")
    lead, details = report.sections
    assert (
        "perfect Bayesian equilibrium, pooling; passes the intuitive criterion"
        in (lead.paragraphs[0])
    )
    assert "Sender sends: if strong, beer; if weak, beer." in lead.paragraphs[0]
    assert "Receiver answers: after beer, not duel" in lead.paragraphs[0]
    assert "mu(weak | quiche) in [0.5, 1]" in lead.paragraphs[1]
    assert details.tables[0].caption.startswith("Perfect Bayesian")
    html = render_html(report)
    assert html.index("Predicted play") < html.index("<svg") < html.index("Perfect Bayesian")
    big = tree_details_section(binary(5))
    assert any(t.fold for t in big.tables)  # 31 information sets: folded


def test_chance_tree_without_signalling_structure_reports_spe() -> None:
    tree = Tree.build(
        ("A",),
        Chance(
            {
                "rain": (0.25, Decision("A", {"umbrella": Terminal((1,)), "none": Terminal((0,))})),
                "sun": (0.75, Decision("A", {"umbrella": Terminal((0,)), "none": Terminal((1,))})),
            }
        ),
    )
    section = tree_section(tree, figure=False)
    assert "with probability 0.75: chance: sun \u2192 A none" in section.paragraphs[0]
    assert not section.figures


def test_report_of_a_large_tree_caps_words_and_tables() -> None:
    # A complete ternary tree of depth 7: (3**7 - 1) / 2 = 1,093 decision nodes, each its own
    # information set, 3**7 = 2,187 leaves; drawn as its path (7 moves) and the siblings.
    b, d = 3, 7
    sizes = [b**k for k in range(d + 1)]
    n = sum(sizes)
    inner = n - sizes[-1]
    assert inner == (3**7 - 1) // 2
    parent = np.concatenate([[-1], np.repeat(np.arange(inner), b)])
    kind = np.where(np.arange(n) < inner, 1, 0)
    depth = np.concatenate([np.full(s, k) for k, s in enumerate(sizes)])
    infoset = np.where(kind == 1, np.arange(n), -1)
    rng = np.random.default_rng(0)
    tree = Tree(
        ("A", "B"),
        parent,
        kind,
        infoset,
        depth[:inner] % 2,
        np.ones(n),
        rng.normal(size=(sizes[-1], 2)),
    )
    report = build_tree_report(tree, "large")
    lead, details = report.sections
    # 1,093 information sets - 7 on the path = 1,086 off it; 6 in words, 1,080 more.
    assert "(1,080 more in the details)" in lead.paragraphs[1]
    assert "only the equilibrium path" in lead.figures[0].caption
    behaviour = details.tables[1]
    assert len(behaviour.rows) == 500 and behaviour.fold
    assert "the first 500 of 1,093 information sets" in behaviour.caption
