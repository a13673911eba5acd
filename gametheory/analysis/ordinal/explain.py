"""Why a state is stable, how the conflict can get there, and what would make it an equilibrium.

* :func:`sanctions`: for each unilateral improvement (UI) of a DM from a state, the shortest
  legal chain of opponents' moves (for SEQ, their UIs) that ends in a state the DM does not
  prefer to where it started, or None when the improvement cannot be sanctioned.
* :func:`evolution`: a shortest path of UIs (nobody moving twice in a row) from the status quo
  to a state, the status quo analysis of Li, Hipel, Kilgour, Fang and Fraser (2004) and Xu,
  Kilgour, Hipel and Kemkes (2010) with unit-length arcs.
* :func:`inverse`: the smallest edit of one DM's prioritisation statements (drop one, negate
  one, move one; then pairs of such edits) that makes a target state an equilibrium under a
  concept, in the spirit of inverse GMCR (Kinsara, Kilgour and Hipel 2015), restricted to the
  statement list.

Cost: each sanction or path is a breadth-first search over (state, last mover) pairs,
``O(DMs x arcs)``; :func:`inverse` re-ranks one DM and re-analyses one concept per candidate
edit, ``O(K**2)`` candidates at depth one and their pairs at depth two (capped).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from ...errors import ScenarioError
from .model import GraphModel, _dense, _Resolver
from .stability import CONCEPTS, analyse

__all__ = [
    "Edit",
    "Sanction",
    "Step",
    "describe_move",
    "evolution",
    "inverse",
    "sanctions",
    "state_name",
    "with_statements",
]

#: Most candidate edits :func:`inverse` tries.
MAX_INVERSE_CANDIDATES = 20_000


@dataclass(frozen=True)
class Step:
    """One move: ``mover`` takes the conflict from ``source`` to ``target`` (state indices)."""

    mover: int
    source: int
    target: int


@dataclass(frozen=True)
class Sanction:
    """A DM's unilateral improvement from a state and the opponents' answer to it.

    Parameters
    ----------
    dm
        The DM that improves.
    state
        Where it starts.
    improvement
        The state its UI leads to.
    response
        The opponents' moves after it, in order (empty if none exists).
    sanctioned
        Whether the response ends in a state the DM does not prefer to ``state``.
    concept
        ``"gmr"``, ``"smr"`` or ``"seq"``: which answers count.
    """

    dm: int
    state: int
    improvement: int
    response: tuple[Step, ...]
    sanctioned: bool
    concept: str = "seq"

    @property
    def outcome(self) -> int:
        """Where the response leaves the conflict."""
        return self.response[-1].target if self.response else self.improvement

    def describe(self, model: GraphModel) -> str:
        """The sanction in words."""
        dm = model.decision_makers[self.dm]
        first = describe_move(model, Step(self.dm, self.state, self.improvement))
        if not self.sanctioned:
            kind = "improving move of their own" if self.concept == "seq" else "move"
            return (
                f"{first}, which {dm} prefers, and the others have no {kind} (or chain of them) "
                f"that leaves {dm} no better off than at {state_name(model, self.state)}."
            )
        chain = "; then ".join(describe_move(model, step) for step in self.response)
        return (
            f"{first}, which {dm} prefers; but {chain}, reaching "
            f"{state_name(model, self.outcome)}, which {dm} does not prefer to "
            f"{state_name(model, self.state)}."
        )


@dataclass(frozen=True)
class Edit:
    """A change to one DM's prioritisation statements found by :func:`inverse`."""

    dm: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    changes: tuple[str, ...]


def state_name(model: GraphModel, state: int) -> str:
    """A state's name for sentences: ``"state 5 (NYNNY)"``.

    When that label is long, the choices per decision maker are shown instead
    (``"state 23 (US: maintain+extend / China: withhold)"``), or just ``"state 23"``.
    """
    label = model.labels[state]
    if len(label) <= 24:
        return f"state {state + 1} ({label})"
    label = choices(model, state)
    return f"state {state + 1} ({label})" if len(label) <= 100 else f"state {state + 1}"


def choices(model: GraphModel, state: int) -> str:
    """Each decision maker's chosen alternatives joined with '+' (yes/no options by name)."""
    parts = []
    for dm in model.decision_makers:
        chosen = []
        for k, option in enumerate(model.options):
            if option.dm != dm:
                continue
            value = int(model.states[state, k])
            if option.yes_no:
                if value:
                    chosen.append(option.name)
            else:
                chosen.append(option.alternatives[value])
        parts.append(f"{dm}: {'+'.join(chosen) or 'nothing'}")
    return " / ".join(parts)


def describe_move(model: GraphModel, step: Step) -> str:
    """``"US relaxes ai_chips (maintain -> relax)"``-style words for one move."""
    dm = model.decision_makers[step.mover]
    parts = []
    for k, option in enumerate(model.options):
        a, b = int(model.states[step.source, k]), int(model.states[step.target, k])
        if a == b:
            continue
        if option.yes_no:
            parts.append(f"{'takes' if b == 1 else 'drops'} {option.name}")
        elif option.name == option.dm:  # a matrix game's player: its action is its option
            parts.append(f"switches {option.alternatives[a]} -> {option.alternatives[b]}")
        else:
            parts.append(f"sets {option.name} {option.alternatives[a]} -> {option.alternatives[b]}")
    joined = parts[:1] + [
        part[len("sets ") :] if part.startswith("sets ") and prev.startswith("sets ") else part
        for prev, part in itertools.pairwise(parts)
    ]
    return f"{dm} " + " and ".join(joined)


def _adjacency(
    model: GraphModel, dms: Sequence[int], improving: bool
) -> list[list[tuple[int, int]]]:
    out: list[list[tuple[int, int]]] = [[] for _ in range(model.n_states)]
    for j in dms:
        src, dst = model.improvements(j) if improving else model.moves(j)
        for a, b in zip(src.tolist(), dst.tolist(), strict=True):
            out[a].append((j, b))
    return out


def _legal_bfs(
    adjacency: list[list[tuple[int, int]]], start: int, goal: NDArray[np.bool_]
) -> tuple[Step, ...] | None:
    """Shortest legal sequence (no DM twice in a row) from ``start`` to a ``goal`` state."""
    parent: dict[tuple[int, int], tuple[int, int] | None] = {(start, -1): None}
    queue = deque([(start, -1)])
    while queue:
        node = queue.popleft()
        state, last = node
        for mover, target in adjacency[state]:
            if mover == last or (target, mover) in parent:
                continue
            parent[(target, mover)] = node
            if goal[target]:
                steps = []
                current: tuple[int, int] | None = (target, mover)
                while current is not None and current[1] != -1:
                    previous = parent[current]
                    assert previous is not None
                    steps.append(Step(current[1], previous[0], current[0]))
                    current = previous
                return tuple(reversed(steps))
            queue.append((target, mover))
    return None


def sanctions(
    model: GraphModel, state: int, dm: str | int, concept: str = "seq"
) -> tuple[Sanction, ...]:
    """Each unilateral improvement of ``dm`` from ``state`` and its sanction, if any.

    Parameters
    ----------
    model
        The graph model.
    state
        The state index.
    dm
        The DM whose improvements are examined.
    concept
        ``"gmr"`` (any opponents' moves), ``"seq"`` (their improvements only) or ``"smr"``
        (any moves, ending where the DM cannot escape to anything it prefers to ``state``).
    """
    if concept not in ("gmr", "seq", "smr"):
        raise ScenarioError(f"sanctions are defined for gmr, seq and smr, not {concept!r}")
    i = model.dm_index(dm)
    rank = model.ranks[i]
    others = [j for j in range(len(model.decision_makers)) if j != i]
    adjacency = _adjacency(model, others, improving=concept == "seq")
    goal = rank <= rank[state]
    if concept == "smr":
        src, dst = model.moves(i)
        escape = np.zeros(model.n_states, dtype=bool)
        escape[src[rank[dst] > rank[state]]] = True
        goal &= ~escape
    out = []
    src, dst = model.improvements(i)
    for s1 in dst[src == state].tolist():
        chain = _legal_bfs(adjacency, s1, goal)
        out.append(Sanction(i, state, s1, chain or (), chain is not None, concept))
    return tuple(out)


def evolution(model: GraphModel, target: int, start: int | None = None) -> tuple[Step, ...] | None:
    """A shortest path of unilateral improvements from ``start`` (default the status quo).

    Returns None if ``target`` cannot be reached that way, and ``()`` if it is the start.
    """
    begin = model.status_quo if start is None else start
    if begin is None:
        raise ScenarioError("the model has no status quo; give start=")
    if begin == target:
        return ()
    adjacency = _adjacency(model, range(len(model.decision_makers)), improving=True)
    goal = np.zeros(model.n_states, dtype=bool)
    goal[target] = True
    return _legal_bfs(adjacency, begin, goal)


def with_statements(model: GraphModel, dm: str | int, statements: Sequence[str]) -> GraphModel:
    """The model with one DM's ranking recomputed from new prioritisation statements."""
    d = model.dm_index(dm)
    name = model.decision_makers[d]
    resolver = _Resolver(model.options, np.asarray(model.states))
    ranks = np.array(model.ranks)
    ranks[d] = _dense(resolver.scores(tuple(statements), f"preferences.{name}"))
    texts = dict(model.statements)
    texts[name] = tuple(statements)
    return replace(model, ranks=ranks, statements=texts, payoffs=None, _cache={})


def _negate(text: str) -> str:
    return text[5:-1] if text.startswith("not (") and text.endswith(")") else f"not ({text})"


def _single_edits(texts: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    out: list[tuple[tuple[str, ...], str]] = []
    k_count = len(texts)
    for k in range(k_count):
        if k_count > 1:
            out.append((texts[:k] + texts[k + 1 :], f"drop statement {k + 1} ({texts[k]!r})"))
        negated = (*texts[:k], _negate(texts[k]), *texts[k + 1 :])
        out.append((negated, f"negate statement {k + 1} ({texts[k]!r})"))
        for j in range(k_count):
            if j == k:
                continue
            rest = list(texts[:k] + texts[k + 1 :])
            rest.insert(j, texts[k])
            out.append((tuple(rest), f"move statement {k + 1} ({texts[k]!r}) to position {j + 1}"))
    return out


def inverse(
    model: GraphModel, target: int, dm: str | int, concept: str = "seq", max_edits: int = 2
) -> Edit | None:
    """The smallest edit of one DM's statements that makes ``target`` an equilibrium.

    Edits are: drop a statement, negate one, or move one to another position; single edits are
    tried before pairs (``max_edits`` at most 2). Returns None if no such edit works, and an
    :class:`Edit` with no changes if ``target`` already is an equilibrium.

    Raises
    ------
    ScenarioError
        If the DM's ranking did not come from statements, or the concept is unknown.
    """
    if concept not in CONCEPTS:
        raise ScenarioError(f"unknown concept {concept!r}; choose from {', '.join(CONCEPTS)}")
    name = model.decision_makers[model.dm_index(dm)]
    texts = tuple(model.statements.get(name, ()))
    if not texts:
        raise ScenarioError(
            f"decision maker '{name}' was not ranked by prioritisation statements; inverse "
            "analysis edits statements"
        )

    def works(candidate: tuple[str, ...]) -> bool:
        changed = with_statements(model, name, candidate)
        return target in analyse(changed, (concept,)).equilibria(concept)

    if works(texts):
        return Edit(name, texts, texts, ())
    frontier: list[tuple[tuple[str, ...], tuple[str, ...]]] = [(texts, ())]
    tried = 0
    for _ in range(max(1, min(max_edits, 2))):
        next_frontier: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        for base, changes in frontier:
            for candidate, change in _single_edits(base):
                tried += 1
                if tried > MAX_INVERSE_CANDIDATES:
                    return None
                if works(candidate):
                    return Edit(name, texts, candidate, (*changes, change))
                next_frontier.append((candidate, (*changes, change)))
        frontier = next_frontier
    return None
