"""gametheory: model negotiations as games.

Scenario files (TOML) compile to labelled, immutable games; :func:`solve` computes equilibria
through one registry of solvers and re-checks every answer with an independent regret check.

>>> import gametheory as gt
>>> sc = gt.load_string('''
... schema_version = 1
... title = "Prisoner's dilemma"
... [players.Row]
... actions = ["C", "D"]
... [players.Col]
... actions = ["C", "D"]
... [payoffs]
... Row = [[3, 0], [5, 1]]
... Col = [[3, 5], [0, 1]]
... ''')
>>> res = gt.solve(sc.game())
>>> res[0].describe()
'Row: D / Col: D'
"""

from __future__ import annotations

from . import sweeps  # noqa: F401  (registers Scenario.sweep)
from ._version import __version__
from .analysis.negotiation import (
    alternating_offers,
    bargain,
    calibrate,
    commitment,
    compare_linkage,
    credibility,
    discount_factor,
    link,
    minmax_payoffs,
    nash_vs_spe,
    parameter_change,
    payoff_change,
    rubinstein,
    spe,
    sustain,
    variable_threat,
)
from .errors import (
    ExpressionError,
    GameError,
    GameTheoryError,
    ScenarioError,
    SolverError,
)
from .io import dumps_nfg, load, loads_nfg, read_nfg, write_nfg
from .io import loads_scenario as load_string
from .model import DEFAULT_TOL, Chip, Expression, Game, Parameter, Profile, Scenario, parse
from .solvers import (
    DominanceResult,
    SolveResult,
    is_degenerate,
    iterated_dominance,
    methods,
    solve,
)
from .sweeps import Sweep, sweep


def explore(scenario: Scenario, plot: str = "payoffs", method: str = "auto") -> object:
    """Sliders for a scenario's parameters in Jupyter; see :mod:`gametheory.report.explore`."""
    from .report.explore import explore as _explore

    return _explore(scenario, plot, method)


__all__ = [
    "DEFAULT_TOL",
    "Chip",
    "DominanceResult",
    "Expression",
    "ExpressionError",
    "Game",
    "GameError",
    "GameTheoryError",
    "Parameter",
    "Profile",
    "Scenario",
    "ScenarioError",
    "SolveResult",
    "SolverError",
    "Sweep",
    "__version__",
    "alternating_offers",
    "bargain",
    "calibrate",
    "commitment",
    "compare_linkage",
    "credibility",
    "discount_factor",
    "dumps_nfg",
    "explore",
    "is_degenerate",
    "iterated_dominance",
    "link",
    "load",
    "load_string",
    "loads_nfg",
    "methods",
    "minmax_payoffs",
    "nash_vs_spe",
    "parameter_change",
    "parse",
    "payoff_change",
    "read_nfg",
    "rubinstein",
    "solve",
    "spe",
    "sustain",
    "sweep",
    "variable_threat",
    "write_nfg",
]
