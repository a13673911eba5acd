"""What-if sweeps: solve a scenario over a grid or a sample of parameter values.

>>> import gametheory as gt
>>> sc = gt.load("payoffs/chicken.toml")
>>> sw = gt.sweep(sc, grid={"crash": [2, 4]})
>>> first = sw.table[sw.table["crash"] == 2.0]
>>> for outcome, swerve in zip(first["outcome"], first["Col:Swerve"]):
...     print(f"{outcome}  (Col swerves with {swerve:.3f})")
Row: Swerve / Col: Straight  (Col swerves with 0.000)
Row: Straight / Col: Swerve  (Col swerves with 1.000)
Row: mix(Swerve, Straight) / Col: mix(Swerve, Straight)  (Col swerves with 0.500)

See :mod:`gametheory.sweeps.table` for the columns, :mod:`gametheory.sweeps.run` for chunks,
executors and resuming, and :mod:`gametheory.sweeps.design` for designs.
"""

from __future__ import annotations

from ..model._hooks import provide
from .design import Design, grid_design, sample_design
from .results import Sweep, sweep
from .run import DEFAULT_CHUNK
from .table import columns, solve_chunk

provide("sweep", sweep)

__all__ = [
    "DEFAULT_CHUNK",
    "Design",
    "Sweep",
    "columns",
    "grid_design",
    "sample_design",
    "solve_chunk",
    "sweep",
]
