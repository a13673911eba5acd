"""Interactive exploration in Jupyter: sliders for a scenario's parameters.

``gt.explore(scenario)`` shows one slider per parameter (within its declared range), the payoff
table, the equilibria and one plot; moving a slider re-solves and redraws. The widget state is
plain Python, so it can be driven (and tested) without a browser: set ``explorer.sliders[name]
.value`` and read ``explorer.result``.
"""

from __future__ import annotations

from typing import Any

from ..model._display import game_html
from ..model.scenario import Scenario
from ..solvers._display import result_html

__all__ = ["Explorer", "explore"]

PLOTS = ("payoffs", "best_responses", "payoff_space", "none")


class Explorer:
    """Sliders, tables and a plot for one scenario (see the module docstring)."""

    def __init__(self, scenario: Scenario, plot: str = "payoffs", method: str = "auto") -> None:
        try:
            import ipywidgets as widgets
        except ImportError:
            from ..errors import ScenarioError

            raise ScenarioError(
                "explore() needs ipywidgets: pip install 'gametheory[report]'"
            ) from None
        if plot not in PLOTS:
            from ..errors import ScenarioError

            raise ScenarioError(f"plot must be one of {', '.join(PLOTS)}, got '{plot}'")
        self.scenario = scenario
        self.method = method
        self.plot = plot
        self.sliders: dict[str, Any] = {}
        for name, prm in scenario.parameters.items():
            span = max(1.0, abs(prm.value))
            low = prm.min if prm.min is not None else prm.value - span
            high = prm.max if prm.max is not None else prm.value + span
            slider = widgets.FloatSlider(
                value=prm.value,
                min=low,
                max=high,
                step=(high - low) / 100 or 0.01,
                description=name,
                continuous_update=False,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="32rem"),
            )
            slider.observe(self._changed, names="value")
            self.sliders[name] = slider
        self.tables = widgets.HTML()
        self.figure = widgets.Output()
        self.widget = widgets.VBox([*self.sliders.values(), self.tables, self.figure])
        self.result: Any = None
        self.update()

    def values(self) -> dict[str, float]:
        """The parameter values the sliders show."""
        return {name: float(slider.value) for name, slider in self.sliders.items()}

    def _changed(self, change: dict[str, Any]) -> None:
        del change
        self.update()

    def update(self) -> None:
        """Re-solve at the sliders' values and redraw the tables and the plot."""
        from ..solvers import solve

        game = self.scenario.game(self.values())
        self.result = solve(game, self.method).with_parameters(self.values())
        self.tables.value = game_html(game) + result_html(self.result)
        self.figure.clear_output(wait=True)
        if self.plot == "none" or game.n_players != 2:
            return
        from . import figures

        if self.plot == "payoffs":
            figure, axes = figures.report_figure(*figures.heatmap_size(*game.shape), ncols=2)
            figures.plot_payoff_heatmap(self.result, ax=axes)
        elif self.plot == "best_responses" and game.shape == (2, 2):
            figure, axes = figures.report_figure(4.5, 4.5)
            figures.plot_best_responses(game, ax=axes[0])
        else:
            figure, axes = figures.report_figure(8.5, 4.5)
            figures.plot_payoff_space(game, result=self.result, ax=axes[0])
        # Drawn outside pyplot and shown as SVG: works whatever the session's backend.
        from IPython.display import SVG, display

        with self.figure:
            display(SVG(figures.to_svg(figure)))  # type: ignore[no-untyped-call]

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def explore(scenario: Scenario, plot: str = "payoffs", method: str = "auto") -> Explorer:
    """Sliders for ``scenario``'s parameters that re-solve and redraw as they move.

    Parameters
    ----------
    scenario
        The scenario (simultaneous or sequential).
    plot
        ``"payoffs"`` (heat map), ``"best_responses"`` (2x2 games), ``"payoff_space"`` or
        ``"none"``.
    method
        Solver.
    """
    return Explorer(scenario, plot, method)
