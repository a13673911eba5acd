"""Plots for reports and notebooks (matplotlib).

Every plotting function takes ``ax=None`` (a new figure is made when omitted) and returns the
Axes; the data each one draws is prepared by a separate ``*_data`` function, tested on its own.
:func:`to_svg` turns a figure into an SVG string for a self-contained page.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..model.game import Game
from ..solvers.result import SolveResult

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "best_response_data",
    "heatmap_data",
    "outcome_map_data",
    "parameter_path_data",
    "plot_best_responses",
    "plot_outcome_map",
    "plot_parameter_path",
    "plot_payoff_heatmap",
    "plot_payoff_space",
    "plot_tornado",
    "to_svg",
    "tornado_data",
]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def to_svg(figure: Any) -> str:
    """The figure as an SVG document (no external references), then closed."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    _pyplot().close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def heatmap_data(result: SolveResult, player: int = 0) -> dict[str, Any]:
    """What the payoff heat map shows: one player's payoffs, labels, and pure equilibria cells.

    Mixed equilibria are marked on every cell in their support (``mixed`` cells).
    """
    game = result.game
    if game.n_players != 2:
        raise ValueError("the payoff heat map needs a two-player game")
    pure: set[tuple[int, int]] = set()
    mixed: set[tuple[int, int]] = set()
    for eq in result.equilibria:
        rows = np.nonzero(eq.strategies[0] > 1e-9)[0]
        cols = np.nonzero(eq.strategies[1] > 1e-9)[0]
        cells = {(int(r), int(c)) for r in rows for c in cols}
        (pure if eq.is_pure else mixed).update(cells)
    return {
        "values": game.payoffs[player],
        "other": game.payoffs[1 - player],
        "rows": game.actions[0],
        "cols": game.actions[1],
        "players": game.players,
        "pure": sorted(pure),
        "mixed": sorted(mixed - pure),
    }


def plot_payoff_heatmap(result: SolveResult, ax: Any = None) -> Any:
    """Annotated heat map of the first player's payoffs; equilibria outlined."""
    data = heatmap_data(result)
    plt = _pyplot()
    if ax is None:
        n_rows, n_cols = data["values"].shape
        _, ax = plt.subplots(figsize=(1.6 + 1.7 * n_cols, 0.8 + 0.45 * n_rows))
    values = data["values"]
    ax.imshow(values, cmap="RdYlGn", aspect="auto")
    for (r, c), v in np.ndenumerate(values):
        ax.text(c, r, f"{v:.3g}, {data['other'][r, c]:.3g}", ha="center", va="center", fontsize=8)
    for r, c in data["pure"]:
        ax.add_patch(_box(r, c, "black", 2.5))
    for r, c in data["mixed"]:
        ax.add_patch(_box(r, c, "navy", 1.2, dashed=True))
    ax.set_xticks(range(len(data["cols"])), data["cols"], rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(data["rows"])), data["rows"], fontsize=8)
    p1, p2 = data["players"]
    ax.set_xlabel(p2)
    ax.set_ylabel(p1)
    ax.set_title(f"Payoffs ({p1}, {p2}); colour: {p1}; equilibria outlined", fontsize=9)
    return ax


def _box(r: int, c: int, color: str, width: float, dashed: bool = False) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(
        (c - 0.5, r - 0.5),
        1,
        1,
        fill=False,
        edgecolor=color,
        linewidth=width,
        linestyle="--" if dashed else "-",
    )


def plot_payoff_space(
    game: Game, bargaining: Any = None, result: SolveResult | None = None, ax: Any = None
) -> Any:
    """Payoff profiles, their convex hull, the Pareto frontier, disagreement point and solutions."""
    from ..analysis.negotiation.bargaining import feasible_vertices, pareto_frontier

    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    points = game.payoffs.reshape(2, -1).T
    hull = feasible_vertices(points)
    if len(hull) >= 3:
        ax.fill(hull[:, 0], hull[:, 1], color="0.9", label="feasible set")
    ax.scatter(points[:, 0], points[:, 1], s=12, color="0.4", label="pure outcomes")
    frontier = pareto_frontier(points)
    ax.plot(frontier[:, 0], frontier[:, 1], color="black", lw=1.5, label="Pareto frontier")
    if result is not None:
        eq = np.array([e.payoffs for e in result.equilibria])
        if len(eq):
            ax.scatter(eq[:, 0], eq[:, 1], marker="s", s=40, color="tab:red", label="equilibria")
    if bargaining is not None:
        ax.scatter(*bargaining.disagreement, marker="x", s=60, color="black", label="disagreement")
        markers = {"nash": "o", "kalai_smorodinsky": "^", "egalitarian": "D", "utilitarian": "*"}
        for name, marker in markers.items():
            ax.scatter(
                *getattr(bargaining, name), marker=marker, s=60, label=name.replace("_", "-")
            )
    ax.set_xlabel(game.players[0])
    ax.set_ylabel(game.players[1])
    ax.legend(fontsize=7, loc="best")
    ax.set_title("Payoff space", fontsize=9)
    return ax


def outcome_map_data(points: pd.DataFrame, x: str, y: str) -> dict[str, Any]:
    """Per-point outcomes over two parameters, as codes with their labels."""
    import pandas as pd

    codes, labels = pd.factorize(points["outcome"])
    return {
        "x": points[x].to_numpy(),
        "y": points[y].to_numpy(),
        "codes": codes,
        "labels": list(labels),
        "xlabel": x,
        "ylabel": y,
    }


def plot_outcome_map(points: pd.DataFrame, x: str, y: str, ax: Any = None) -> Any:
    """Which joint outcome holds where, over two parameters, with the boundaries.

    A full grid is drawn as coloured cells with black lines where the outcome changes; other
    designs (random samples) as one dot per point.
    """
    data = outcome_map_data(points, x, y)
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    cmap = plt.get_cmap("tab10")
    grid = points.pivot_table(index=y, columns=x, values="outcome", aggfunc="first")
    if not grid.isna().any().any() and grid.shape[0] > 1 and grid.shape[1] > 1:
        lookup = {label: k for k, label in enumerate(data["labels"])}
        codes = np.vectorize(lookup.get)(grid.to_numpy())
        xs = grid.columns.to_numpy(dtype=float)
        ys = grid.index.to_numpy(dtype=float)
        ax.pcolormesh(xs, ys, codes, cmap=cmap, vmin=-0.5, vmax=9.5, shading="nearest")
        _draw_boundaries(ax, xs, ys, codes)
    for k, label in enumerate(data["labels"]):
        mask: NDArray[np.bool_] = data["codes"] == k
        short = label if len(label) <= 70 else label[:67] + "..."
        ax.scatter(data["x"][mask], data["y"][mask], s=6, color=cmap(k % 10), label=short)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1)
    ax.set_title("Equilibrium outcome by parameter values", fontsize=9)
    return ax


def _draw_boundaries(
    ax: Any, xs: NDArray[np.float64], ys: NDArray[np.float64], codes: NDArray[np.int64]
) -> None:
    """Black segments between neighbouring grid cells whose outcomes differ."""
    mid_x = (xs[1:] + xs[:-1]) / 2
    mid_y = (ys[1:] + ys[:-1]) / 2
    half_y = np.diff(ys).mean() / 2
    half_x = np.diff(xs).mean() / 2
    for i, j in zip(*np.nonzero(codes[:, 1:] != codes[:, :-1]), strict=True):
        ax.plot([mid_x[j]] * 2, [ys[i] - half_y, ys[i] + half_y], color="black", lw=1.2)
    for i, j in zip(*np.nonzero(codes[1:, :] != codes[:-1, :]), strict=True):
        ax.plot([xs[j] - half_x, xs[j] + half_x], [mid_y[i]] * 2, color="black", lw=1.2)


# ---------------------------------------------------------------------- 2x2 best responses
def best_response_data(game: Game) -> dict[str, Any]:
    """Best-response correspondences of a 2x2 game over (p, q).

    ``p`` is the probability of the row player's first action, ``q`` of the column player's.
    Returns the indifference points ``q_star`` (row player indifferent) and ``p_star`` (column
    player indifferent), ``None`` when a player always prefers one action, plus which action is
    best on each side, and the equilibria as (p, q) points.
    """
    if game.shape != (2, 2):
        raise ValueError("the best-response diagram needs a 2x2 game")
    A, B = game.bimatrix()
    # Row: first action better iff q A00 + (1-q) A01 > q A10 + (1-q) A11.
    row_slope = (A[0, 0] - A[1, 0]) - (A[0, 1] - A[1, 1])
    row_const = A[0, 1] - A[1, 1]
    col_slope = (B[0, 0] - B[0, 1]) - (B[1, 0] - B[1, 1])
    col_const = B[1, 0] - B[1, 1]

    def crossing(slope: float, const: float) -> float | None:
        if slope == 0:
            return None
        point = -const / slope
        return float(point) if 0 <= point <= 1 else None

    from ..solvers import solve

    equilibria = [
        (float(eq.strategies[0][0]), float(eq.strategies[1][0])) for eq in solve(game).equilibria
    ]
    return {
        "q_star": crossing(row_slope, row_const),
        "p_star": crossing(col_slope, col_const),
        "row_prefers_first_at_q1": bool(row_slope + row_const > 0),
        "col_prefers_first_at_p1": bool(col_slope + col_const > 0),
        "row_gain": (float(row_slope), float(row_const)),
        "col_gain": (float(col_slope), float(col_const)),
        "equilibria": equilibria,
        "labels": (game.players, game.actions),
    }


def _best_reply(gain: tuple[float, float], x: NDArray[np.float64]) -> NDArray[np.float64]:
    """1 where the first action is strictly better at x, 0 where worse, NaN where indifferent."""
    value = gain[0] * x + gain[1]
    return np.where(value > 1e-12, 1.0, np.where(value < -1e-12, 0.0, np.nan))


def plot_best_responses(game: Game, ax: Any = None) -> Any:
    """Best-response diagram of a 2x2 game with its equilibria (mixed ones included)."""
    data = best_response_data(game)
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    grid = np.linspace(0, 1, 401)
    row = _best_reply(data["row_gain"], grid)  # best p for each q
    col = _best_reply(data["col_gain"], grid)  # best q for each p
    (p1, p2), (acts1, acts2) = data["labels"]
    ax.plot(row, grid, color="tab:blue", lw=2, label=f"{p1}'s best response")
    if data["q_star"] is not None:
        ax.plot([0, 1], [data["q_star"]] * 2, color="tab:blue", lw=2)
    ax.plot(grid, col, color="tab:orange", lw=2, ls="--", label=f"{p2}'s best response")
    if data["p_star"] is not None:
        ax.plot([data["p_star"]] * 2, [0, 1], color="tab:orange", lw=2, ls="--")
    for p, q in data["equilibria"]:
        ax.scatter([p], [q], s=60, color="black", zorder=5)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel(f"P({p1} plays {acts1[0]})")
    ax.set_ylabel(f"P({p2} plays {acts2[0]})")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.15))
    ax.set_title("Best responses; dots: equilibria", fontsize=9)
    return ax


# ---------------------------------------------------------------------- along one parameter
def parameter_path_data(table: pd.DataFrame, parameter: str, columns: list[str]) -> pd.DataFrame:
    """For each value of one parameter, the mean of ``columns`` over the point's equilibria.

    ``table`` is a sweep table (one row per point and equilibrium) over that parameter.
    """
    return table.groupby(parameter, sort=True)[columns].mean().reset_index()


def plot_parameter_path(
    table: pd.DataFrame, parameter: str, columns: list[str], ax: Any = None
) -> Any:
    """How equilibrium probabilities or payoffs change along one parameter (from a sweep)."""
    data = parameter_path_data(table, parameter, columns)
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for column in columns:
        ax.plot(data[parameter], data[column], label=column)
    ax.set_xlabel(parameter)
    ax.legend(fontsize=7)
    ax.set_title(f"Equilibrium values along {parameter} (mean over equilibria)", fontsize=9)
    return ax


# ---------------------------------------------------------------------- sensitivity (tornado)
def tornado_data(
    scenario: Any, player: str, params: dict[str, float] | None = None, fraction: float = 0.1
) -> pd.DataFrame:
    """Change in a player's equilibrium payoff as each parameter moves down and up.

    Each parameter moves by ``fraction`` of its declared range (others stay at their values);
    the payoff is that of the first listed equilibrium.

    Returns a DataFrame with ``parameter``, ``low``, ``high`` (payoff changes), sorted by the
    size of the swing, largest first.
    """
    import pandas as pd

    from ..solvers import solve

    base_values = scenario.resolve(params or {})
    p = scenario.players.index(player)

    def payoff(values: dict[str, float]) -> float:
        return float(solve(scenario.game(values)).equilibria[0].payoffs[p])

    base = payoff(base_values)
    rows = []
    for name, prm in scenario.parameters.items():
        if prm.min is None or prm.max is None or prm.max == prm.min:
            continue
        step = fraction * (prm.max - prm.min)
        low = dict(base_values, **{name: max(prm.min, base_values[name] - step)})
        high = dict(base_values, **{name: min(prm.max, base_values[name] + step)})
        rows.append({"parameter": name, "low": payoff(low) - base, "high": payoff(high) - base})
    frame = pd.DataFrame(rows, columns=["parameter", "low", "high"])
    swing = (frame["high"] - frame["low"]).abs()
    return (
        frame.assign(swing=swing)
        .sort_values("swing", ascending=False)
        .drop(columns="swing")
        .reset_index(drop=True)
    )


def plot_tornado(data: pd.DataFrame, ax: Any = None, top: int = 10) -> Any:
    """Tornado chart of :func:`tornado_data`: the parameters that move the payoff most."""
    plt = _pyplot()
    shown = data.head(top).iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.4 * len(shown) + 1))
    y = np.arange(len(shown))
    ax.barh(y, shown["low"], color="tab:red", label="parameter down")
    ax.barh(y, shown["high"], color="tab:green", label="parameter up")
    ax.set_yticks(y, shown["parameter"], fontsize=8)
    ax.axvline(0, color="black", lw=0.8)
    ax.legend(fontsize=7)
    ax.set_xlabel("change in equilibrium payoff")
    ax.set_title("Sensitivity", fontsize=9)
    return ax
