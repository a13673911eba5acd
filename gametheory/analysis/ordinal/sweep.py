"""Stability over parameter points: which states are graph-model equilibria where.

A chip scenario's rankings come from its payoffs, so they change with the parameters; this module
analyses the graph model at every point of a grid or random sample (the designs of
:mod:`gametheory.sweeps.design`) and returns a tidy table, one row per point, concept and
equilibrium, like a sweep's table has one row per point and equilibrium.

Cost: building and analysing the model takes about a millisecond per point for London's 32
states (five concepts, two decision makers), so 10,000 points take seconds. The work limit
(points x states) is checked before anything is computed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import ScenarioError
from ...model.scenario import Scenario
from ...sweeps.design import Design, grid_design, sample_design
from .explain import choices
from .model import GraphModel
from .stability import CONCEPTS, analyse

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MAX_STABILITY_WORK", "stability_summary", "stability_sweep"]

#: Most (points x states) a stability sweep analyses: about a minute at London's speed.
MAX_STABILITY_WORK = 2_000_000


def stability_sweep(
    scenario: Scenario,
    *,
    grid: Mapping[str, Sequence[float]] | None = None,
    sample: int | None = None,
    seed: int = 0,
    fixed: Mapping[str, float] | None = None,
    concepts: Sequence[str] = ("nash", "seq"),
) -> pd.DataFrame:
    """Graph-model equilibria of a simultaneous scenario at every point of a grid or sample.

    Parameters
    ----------
    scenario
        A chip- or matrix-form scenario with simultaneous moves; each side's ranking of the
        pure outcomes is its payoff order at each point (see
        :meth:`GraphModel.from_scenario`).
    grid, sample, seed
        The points: a full grid ``{name: values}`` or ``sample`` uniform random points over
        the declared ranges (``seed`` recorded), as in :func:`gametheory.sweep`.
    fixed
        Values for parameters that do not vary.
    concepts
        Stability concepts to report (any of ``nash``, ``gmr``, ``smr``, ``seq``, ``sim``).

    Returns
    -------
    pandas.DataFrame
        One row per point, concept and equilibrium state: ``point``, the parameters,
        ``concept``, ``state`` (each side's choices) and ``nash`` (whether the state is also
        a pure Nash equilibrium). A point with no equilibrium under a concept has one row
        with ``state`` empty.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.analysis.ordinal.sweep import stability_sweep
    >>> table = stability_sweep(gt.load("payoffs/chicken.toml"), grid={"crash": [2, 50]})
    >>> sorted(set(table.loc[table.concept == "nash", "state"]))
    ['Row: Straight / Col: Swerve', 'Row: Swerve / Col: Straight']
    """
    import pandas as pd

    if scenario.timing != "simultaneous":
        raise ScenarioError(
            "stability sweeps need simultaneous moves (the graph model's states are the pure "
            "outcomes)",
            file=scenario.path,
        )
    unknown = [c for c in concepts if c not in CONCEPTS]
    if unknown or not concepts:
        raise ScenarioError(f"concepts must be some of {', '.join(CONCEPTS)}; got {list(concepts)}")
    design = _design(scenario, grid, sample, seed, fixed)
    states = int(np.prod(scenario.game().shape))
    if design.size * states > MAX_STABILITY_WORK:
        raise ScenarioError(
            f"a stability sweep of {design.size:,} points x {states:,} states is over the limit "
            f"of {MAX_STABILITY_WORK:,}; use fewer points"
        )
    points = design.points(0, design.size)
    rows: list[dict[str, Any]] = []
    for i in range(design.size):
        values = {name: float(column[i]) for name, column in points.items()}
        model = GraphModel.from_scenario(scenario, values)
        result = analyse(model, tuple(dict.fromkeys(("nash", *concepts))))
        nash = set(result.equilibria("nash"))
        for concept in concepts:
            found = result.equilibria(concept)
            for s in found or (None,):
                rows.append(
                    {
                        "point": i,
                        **{name: values[name] for name in design.names},
                        "concept": concept,
                        "state": "" if s is None else choices(model, s),
                        "nash": s is not None and s in nash,
                    }
                )
    return pd.DataFrame(rows)


def stability_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Share of the points at which each state is an equilibrium, per concept.

    ``state`` empty means "no equilibrium under this concept".
    """
    points = table["point"].nunique()
    counts = table.groupby(["concept", "state"], sort=False)["point"].nunique()
    out = counts.rename("points").reset_index()
    out["share"] = out["points"] / points
    return out.sort_values(["concept", "share"], ascending=[True, False], ignore_index=True)


def _design(
    scenario: Scenario,
    grid: Mapping[str, Sequence[float]] | None,
    sample: int | None,
    seed: int,
    fixed: Mapping[str, float] | None,
) -> Design:
    if (grid is None) == (sample is None):
        raise ScenarioError("give either grid={name: values} or sample=N points")
    if grid is not None:
        return grid_design(scenario, grid, fixed)
    if isinstance(sample, bool) or not isinstance(sample, int) or sample < 1:
        raise ScenarioError(f"sample must be a whole number of points >= 1, got {sample!r}")
    return sample_design(scenario, sample, seed=seed, fixed=fixed)
