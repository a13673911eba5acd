"""Negotiation analyses on top of the model, the solvers and the sweeps.

Timing and credibility, commitment, bargaining, repeated play, issue linkage, and what it would
take for an outcome to become an equilibrium.

Each module takes games or scenarios and returns frozen results; none is imported by the model,
the solvers or the sweeps.
"""

from __future__ import annotations

from .bargaining import alternating_offers, bargain, discount_factor, rubinstein, variable_threat
from .commitment import commitment
from .linkage import compare_linkage, link
from .repeated import minmax_payoffs, sustain
from .sequential import credibility, nash_vs_spe, spe
from .whatif import calibrate, parameter_change, payoff_change, prediction_change

__all__ = [
    "alternating_offers",
    "bargain",
    "calibrate",
    "commitment",
    "compare_linkage",
    "credibility",
    "discount_factor",
    "link",
    "minmax_payoffs",
    "nash_vs_spe",
    "parameter_change",
    "payoff_change",
    "prediction_change",
    "rubinstein",
    "spe",
    "sustain",
    "variable_threat",
]
