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

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import ExpressionError, GameError, GameTheoryError, ScenarioError, SolverError

if TYPE_CHECKING:
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
        prediction_change,
        rubinstein,
        spe,
        sustain,
        variable_threat,
    )
    from .analysis.ordinal import GraphModel
    from .analysis.ordinal import analyse as stability
    from .analysis.uncertainty import sensitivity, thresholds, tree_uncertainty, uncertainty
    from .io import (
        dumps_efg,
        dumps_nfg,
        load,
        load_tree,
        load_tree_scenario,
        loads_efg,
        loads_nfg,
        read_efg,
        read_nfg,
        write_efg,
        write_nfg,
    )
    from .io import loads_scenario as load_string
    from .model import (
        DEFAULT_TOL,
        Chip,
        Expression,
        Game,
        Parameter,
        Profile,
        Scenario,
        parse,
    )
    from .model.distributions import Distribution
    from .model.tree import Chance, Decision, Terminal, Tree
    from .model.tree_scenario import TreeScenario
    from .solvers import (
        DominanceResult,
        SolveResult,
        is_degenerate,
        iterated_dominance,
        methods,
        solve,
    )
    from .solvers.bayesian import bayesian_nash, pbe_signalling, signalling_tree
    from .solvers.tree import TreeSolveResult, nash_tree
    from .solvers.tree import spe as spe_tree
    from .sweeps import (
        Sweep,
        sweep,
    )

#: Where each name of the public API lives. The API is imported on first use (PEP 562), so
#: ``import gametheory`` and every command line call stay fast; the first attribute used
#: imports all of it at once, the sweeps included (which lets ``Scenario.sweep`` work).
_EXPORTS: dict[str, tuple[str, str]] = {
    "alternating_offers": (".analysis.negotiation", "alternating_offers"),
    "bargain": (".analysis.negotiation", "bargain"),
    "calibrate": (".analysis.negotiation", "calibrate"),
    "commitment": (".analysis.negotiation", "commitment"),
    "compare_linkage": (".analysis.negotiation", "compare_linkage"),
    "credibility": (".analysis.negotiation", "credibility"),
    "discount_factor": (".analysis.negotiation", "discount_factor"),
    "link": (".analysis.negotiation", "link"),
    "sensitivity": (".analysis.uncertainty", "sensitivity"),
    "thresholds": (".analysis.uncertainty", "thresholds"),
    "uncertainty": (".analysis.uncertainty", "uncertainty"),
    "tree_uncertainty": (".analysis.uncertainty", "tree_uncertainty"),
    "GraphModel": (".analysis.ordinal", "GraphModel"),
    "stability": (".analysis.ordinal", "analyse"),
    "Distribution": (".model.distributions", "Distribution"),
    "minmax_payoffs": (".analysis.negotiation", "minmax_payoffs"),
    "nash_vs_spe": (".analysis.negotiation", "nash_vs_spe"),
    "parameter_change": (".analysis.negotiation", "parameter_change"),
    "payoff_change": (".analysis.negotiation", "payoff_change"),
    "prediction_change": (".analysis.negotiation", "prediction_change"),
    "rubinstein": (".analysis.negotiation", "rubinstein"),
    "spe": (".analysis.negotiation", "spe"),
    "sustain": (".analysis.negotiation", "sustain"),
    "variable_threat": (".analysis.negotiation", "variable_threat"),
    "dumps_nfg": (".io", "dumps_nfg"),
    "load": (".io", "load"),
    "loads_nfg": (".io", "loads_nfg"),
    "read_nfg": (".io", "read_nfg"),
    "write_nfg": (".io", "write_nfg"),
    "DEFAULT_TOL": (".model", "DEFAULT_TOL"),
    "Chip": (".model", "Chip"),
    "Expression": (".model", "Expression"),
    "Game": (".model", "Game"),
    "Parameter": (".model", "Parameter"),
    "Profile": (".model", "Profile"),
    "Scenario": (".model", "Scenario"),
    "parse": (".model", "parse"),
    "DominanceResult": (".solvers", "DominanceResult"),
    "SolveResult": (".solvers", "SolveResult"),
    "is_degenerate": (".solvers", "is_degenerate"),
    "iterated_dominance": (".solvers", "iterated_dominance"),
    "methods": (".solvers", "methods"),
    "solve": (".solvers", "solve"),
    "correlated_equilibrium": (".solvers.correlated", "correlated_equilibrium"),
    "logit_branch": (".solvers.qre", "logit_branch"),
    "logit_qre": (".solvers.qre", "logit_qre"),
    "fit_lambda": (".solvers.qre", "fit_lambda"),
    "fictitious_play": (".solvers.learning", "fictitious_play"),
    "stochastic_fictitious_play": (".solvers.learning", "stochastic_fictitious_play"),
    "replicator_dynamics": (".solvers.learning", "replicator_dynamics"),
    "asymmetric_replicator_dynamics": (".solvers.learning", "asymmetric_replicator_dynamics"),
    "Sweep": (".sweeps", "Sweep"),
    "sweep": (".sweeps", "sweep"),
    "tree_sweep": (".sweeps.tree", "tree_sweep"),
    "load_string": (".io", "loads_scenario"),
    "Tree": (".model.tree", "Tree"),
    "Decision": (".model.tree", "Decision"),
    "Chance": (".model.tree", "Chance"),
    "Terminal": (".model.tree", "Terminal"),
    "load_tree": (".io", "load_tree"),
    "load_tree_scenario": (".io", "load_tree_scenario"),
    "TreeScenario": (".model.tree_scenario", "TreeScenario"),
    "read_efg": (".io", "read_efg"),
    "loads_efg": (".io", "loads_efg"),
    "dumps_efg": (".io", "dumps_efg"),
    "write_efg": (".io", "write_efg"),
    "spe_tree": (".solvers.tree", "spe"),
    "nash_tree": (".solvers.tree", "nash_tree"),
    "TreeSolveResult": (".solvers.tree", "TreeSolveResult"),
    "bayesian_nash": (".solvers.bayesian", "bayesian_nash"),
    "pbe_signalling": (".solvers.bayesian", "pbe_signalling"),
    "signalling_tree": (".solvers.bayesian", "signalling_tree"),
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'gametheory' has no attribute {name!r}")
    _import_api()
    return globals()[name]


def __dir__() -> list[str]:
    return sorted(__all__)


def _import_api() -> None:
    """Import every public name into this namespace (once)."""
    for public, (module, attribute) in _EXPORTS.items():
        globals()[public] = getattr(importlib.import_module(module, __name__), attribute)


def explore(scenario: Scenario, plot: str = "payoffs", method: str = "auto") -> object:
    """Sliders for a scenario's parameters in Jupyter; see :mod:`gametheory.report.explore`."""
    from .report.explore import explore as _explore

    return _explore(scenario, plot, method)


__all__ = [
    "DEFAULT_TOL",
    "Chance",
    "Chip",
    "Decision",
    "Distribution",
    "DominanceResult",
    "Expression",
    "ExpressionError",
    "Game",
    "GameError",
    "GameTheoryError",
    "GraphModel",
    "Parameter",
    "Profile",
    "Scenario",
    "ScenarioError",
    "SolveResult",
    "SolverError",
    "Sweep",
    "Terminal",
    "Tree",
    "TreeScenario",
    "TreeSolveResult",
    "__version__",
    "alternating_offers",
    "asymmetric_replicator_dynamics",
    "bargain",
    "bayesian_nash",
    "calibrate",
    "commitment",
    "compare_linkage",
    "correlated_equilibrium",
    "credibility",
    "discount_factor",
    "dumps_efg",
    "dumps_nfg",
    "explore",
    "fictitious_play",
    "fit_lambda",
    "is_degenerate",
    "iterated_dominance",
    "link",
    "load",
    "load_string",
    "load_tree",
    "load_tree_scenario",
    "loads_efg",
    "loads_nfg",
    "logit_branch",
    "logit_qre",
    "methods",
    "minmax_payoffs",
    "nash_tree",
    "nash_vs_spe",
    "parameter_change",
    "parse",
    "payoff_change",
    "pbe_signalling",
    "prediction_change",
    "read_efg",
    "read_nfg",
    "replicator_dynamics",
    "rubinstein",
    "sensitivity",
    "signalling_tree",
    "solve",
    "spe",
    "spe_tree",
    "stability",
    "stochastic_fictitious_play",
    "sustain",
    "sweep",
    "thresholds",
    "tree_sweep",
    "tree_uncertainty",
    "uncertainty",
    "variable_threat",
    "write_efg",
    "write_nfg",
]
