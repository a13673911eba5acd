"""Every stability concept against a brute force written here from the definitions.

The brute force uses no project code beyond reading the model's states, options,
irreversibilities and ranks: moves are rebuilt from the option form, and the opponents'
responses are enumerated as legal sequences (nobody moves twice in a row) by a search over
(state, last mover) pairs, as in Fang, Hipel and Kilgour (1993) and Kilgour and Hipel (2005).
Coalition concepts follow our reading of Kilgour, Hipel, Fang and Peng (2001): a coalition
improvement is a state reached by a legal sequence of the members' moves that every member
strictly prefers.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.analysis.ordinal import (
    CONCEPTS,
    GraphModel,
    Option,
    analyse,
    coalitions,
    limited_move,
)
from gametheory.errors import ScenarioError


@st.composite
def graph_models(draw):
    n_dm = draw(st.integers(2, 4))
    dms = [f"D{k}" for k in range(n_dm)]
    options = []
    for d in dms:
        for k in range(draw(st.integers(1, 2))):
            size = draw(st.sampled_from([2, 2, 3]))
            alts = ("N", "Y") if size == 2 else ("a", "b", "c")
            options.append(Option(f"{d.lower()}o{k}", d, alts))
    while int(np.prod([len(o.alternatives) for o in options])) > 72:
        # keep the brute force quick: drop a DM's second option
        extra = [k for k, o in enumerate(options) if o.name.endswith("o1")]
        if extra:
            options.pop(extra[-1])
        else:  # four three-way chips: make one yes/no
            k = next(k for k, o in enumerate(options) if not o.yes_no)
            options[k] = Option(options[k].name, options[k].dm)
    # infeasibility: conjunctions of two literals
    infeasible = []
    for _ in range(draw(st.integers(0, 2))):
        a, b = draw(st.lists(st.sampled_from(options), min_size=2, max_size=2, unique=True))
        lit = [f"{o.name}.{draw(st.sampled_from(o.alternatives))}" for o in (a, b)]
        infeasible.append(" and ".join(lit))
    irreversible = {}
    for o in options:
        if draw(st.booleans()) and draw(st.booleans()):
            alt = draw(st.sampled_from(o.alternatives))
            irreversible[f"{o.name}.{alt}"] = draw(st.sampled_from(["take", "drop"]))
    seed = draw(st.integers(0, 2**32 - 1))
    first = f"{options[0].name}.{options[0].alternatives[0]}"
    try:
        probe = GraphModel.build(
            dms, options, infeasible=infeasible, statements={d: [first] for d in dms}
        )
    except ScenarioError:  # every state infeasible
        infeasible = []
        probe = GraphModel.build(dms, options, statements={d: [first] for d in dms})
    rng = np.random.default_rng(seed)
    values = {d: rng.integers(0, 4, size=probe.n_states).tolist() for d in dms}
    return GraphModel.build(
        dms, options, infeasible=infeasible, irreversible=irreversible, values=values
    )


class Brute:
    """Stability straight from the definitions."""

    def __init__(self, model: GraphModel) -> None:
        self.m = model
        self.states = [tuple(map(int, row)) for row in model.states]
        self.index = {s: k for k, s in enumerate(self.states)}
        self.n = len(self.states)
        self.rank = model.ranks
        self.n_dm = len(model.decision_makers)
        self.moves = [self._moves(d) for d in range(self.n_dm)]

    def _allowed(self, k, before, after):
        option = self.m.options[k]
        for item in self.m.irreversible:
            if item.option != option.name:
                continue
            a = option.alternatives.index(item.alternative)
            if item.direction == "take" and before == a and after != a:
                return False
            if item.direction == "drop" and before != a and after == a:
                return False
        return True

    def _moves(self, d):
        dm = self.m.decision_makers[d]
        out = []
        for s, state in enumerate(self.states):
            targets = set()
            for t, other in enumerate(self.states):
                if t == s:
                    continue
                ok = True
                for k, option in enumerate(self.m.options):
                    if state[k] != other[k] and (
                        option.dm != dm or not self._allowed(k, state[k], other[k])
                    ):
                        ok = False
                        break
                if ok:
                    targets.add(t)
            out.append(targets)
        return out

    def ui(self, d, s):
        return {t for t in self.moves[d][s] if self.rank[d][t] > self.rank[d][s]}

    def reach(self, members, s, improving):
        seen_pairs = set()
        frontier = [(s, None)]
        reached = set()
        while frontier:
            state, last = frontier.pop()
            for j in members:
                if j == last:
                    continue
                targets = self.ui(j, state) if improving else self.moves[j][state]
                for t in targets:
                    if (t, j) not in seen_pairs:
                        seen_pairs.add((t, j))
                        reached.add(t)
                        frontier.append((t, j))
        return reached

    def stable(self, concept, i, s):
        r = self.rank[i]
        others = [j for j in range(self.n_dm) if j != i]
        for s1 in self.ui(i, s):
            if concept == "nash":
                return False
            if concept == "gmr":
                ok = any(r[s2] <= r[s] for s2 in self.reach(others, s1, False))
            elif concept == "smr":
                ok = any(
                    r[s2] <= r[s] and all(r[s3] <= r[s] for s3 in self.moves[i][s2])
                    for s2 in self.reach(others, s1, False)
                )
            elif concept == "seq":
                ok = any(r[s2] <= r[s] for s2 in self.reach(others, s1, True))
            else:  # sim
                ok = False
                choices = [[None, *sorted(self.ui(j, s))] for j in others]
                for combo in itertools.product(*choices):
                    combined = list(self.states[s1])
                    for j, t in zip(others, combo, strict=True):
                        if t is None:
                            continue
                        dm = self.m.decision_makers[j]
                        for k, option in enumerate(self.m.options):
                            if option.dm == dm:
                                combined[k] = self.states[t][k]
                    target = self.index.get(tuple(combined))
                    if target is not None and r[target] <= r[s]:
                        ok = True
                        break
            if not ok:
                return False
        return True

    def coalition(self, group, s):
        """(coalition Nash, coalition SEQ) stability of s for the coalition."""
        improvements = [
            t
            for t in self.reach(group, s, False)
            if all(self.rank[k][t] > self.rank[k][s] for k in group)
        ]
        outsiders = [j for j in range(self.n_dm) if j not in group]
        cseq = all(
            any(
                any(self.rank[k][s2] <= self.rank[k][s] for k in group)
                for s2 in self.reach(outsiders, s1, True)
            )
            for s1 in improvements
        )
        return not improvements, cseq


@settings(deadline=None)
@given(graph_models())
def test_every_concept_matches_the_brute_force(model):
    brute = Brute(model)
    result = analyse(model)
    for concept in CONCEPTS:
        expected = np.array(
            [[brute.stable(concept, i, s) for s in range(brute.n)] for i in range(brute.n_dm)]
        )
        np.testing.assert_array_equal(result.stable[concept], expected, err_msg=concept)


@settings(deadline=None)
@given(graph_models())
def test_coalitions_match_the_brute_force(model):
    brute = Brute(model)
    result = coalitions(model)
    for k, group in enumerate(result.coalitions):
        expected = [brute.coalition(list(group), s) for s in range(brute.n)]
        np.testing.assert_array_equal(result.cnash[k], [e[0] for e in expected], err_msg=str(group))
        np.testing.assert_array_equal(result.cseq[k], [e[1] for e in expected], err_msg=str(group))


@given(graph_models())
def test_implications_between_concepts(model):
    # Fang, Hipel and Kilgour (1993), sec. 4: Nash implies SEQ and SMR, SMR implies GMR,
    # SEQ implies GMR.
    result = analyse(model)
    s = result.stable
    assert not (s["nash"] & ~s["seq"]).any()
    assert not (s["nash"] & ~s["smr"]).any()
    assert not (s["smr"] & ~s["gmr"]).any()
    assert not (s["seq"] & ~s["gmr"]).any()
    assert not (s["nash"] & ~s["sim"]).any()


@st.composite
def two_dm_models(draw):
    model = draw(graph_models())
    if len(model.decision_makers) != 2:
        from hypothesis import assume

        assume(False)
    return model


@settings(deadline=None)
@given(two_dm_models(), st.integers(1, 5))
def test_limited_move_matches_the_recursive_definition(model, horizon):
    # Kilgour (1985); Fang, Hipel and Kilgour (1993): G_0(i, s) = s; G_h(i, s) is the
    # anticipated outcome G_{h-1}(j, s1) of i's best move s1 if i prefers it to s, else s.
    # Ties between equally good anticipated outcomes: the lowest-numbered state (our rule).
    brute = Brute(model)
    rank = model.ranks

    def anticipated(h, i, s):
        if h == 0:
            return s
        options = [
            (rank[i][out], -out)
            for s1 in brute.moves[i][s]
            if rank[i][out := anticipated(h - 1, 1 - i, s1)] > rank[i][s]
        ]
        return -max(options)[1] if options else s

    result = limited_move(model, horizon)
    for i in range(2):
        expected = [anticipated(horizon, i, s) == s for s in range(brute.n)]
        np.testing.assert_array_equal(result.stable[f"l{horizon}"][i], expected)


@settings(deadline=None)
@given(two_dm_models())
def test_limited_move_of_one_step_is_nash(model):
    np.testing.assert_array_equal(
        limited_move(model, 1).stable["l1"], analyse(model, ("nash",)).stable["nash"]
    )
