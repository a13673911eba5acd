"""Plots for reports and notebooks (matplotlib).

Every plotting function takes ``ax=None`` and returns the Axes it drew on; the data each one draws
is prepared by a separate ``*_data`` function, tested on its own.

Nothing here selects a matplotlib backend. With ``ax=None`` a plot gets a new figure from pyplot,
so in a notebook it shows through the session's own backend (inline, widget, ...). Reports pass
axes of :func:`report_figure`, a bare :class:`matplotlib.figure.Figure` that touches no pyplot
state, and :func:`to_svg` writes it out.
"""

from __future__ import annotations

import io
import sys
import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .._format import format_number
from ..model.game import Game
from ..solvers.result import SolveResult

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "best_response_data",
    "heatmap_data",
    "outcome_map_data",
    "outcome_probability_data",
    "parameter_path_data",
    "payoff_space_data",
    "plot_best_responses",
    "plot_outcome_map",
    "plot_outcome_probabilities",
    "plot_parameter_path",
    "plot_payoff_heatmap",
    "plot_payoff_space",
    "plot_sobol",
    "report_figure",
    "sobol_data",
    "text_colour",
    "to_svg",
]

#: Colour map of the payoff heat maps: light yellow (low) to dark green (high).
HEATMAP_CMAP = "YlGn"


def report_figure(width: float, height: float, ncols: int = 1) -> tuple[Any, list[Any]]:
    """A figure with ``ncols`` axes in a row, outside pyplot (no backend, no global state)."""
    from matplotlib.figure import Figure as MplFigure

    figure = MplFigure(figsize=(width, height), layout="constrained")
    axes = figure.subplots(1, ncols, squeeze=False)[0]
    return figure, list(axes)


def _new_axes(width: float, height: float, ncols: int = 1) -> list[Any]:
    """Axes of a new pyplot figure: what a plot called with ``ax=None`` draws on."""
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(width, height), layout="constrained")
    return list(figure.subplots(1, ncols, squeeze=False)[0])


def to_svg(figure: Any) -> str:
    """The figure as an SVG document (no external references); a pyplot figure is closed."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", dpi=150)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(figure)  # a no-op for figures pyplot does not manage
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def text_colour(rgba: Any) -> str:
    """``"white"`` or ``"black"``: whichever contrasts more with a background colour.

    Relative luminance and contrast ratio as defined by WCAG 2.1.

    >>> text_colour((0.0, 0.2, 0.1, 1.0)), text_colour((1.0, 1.0, 0.8, 1.0))
    ('white', 'black')
    """

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else float(((c + 0.055) / 1.055) ** 2.4)

    r, g, b = (linear(float(c)) for c in tuple(rgba)[:3])
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    on_white = 1.05 / (luminance + 0.05)
    on_black = (luminance + 0.05) / 0.05
    return "white" if on_white > on_black else "black"


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
        "player": game.players[player],
        "rows": game.actions[0],
        "cols": game.actions[1],
        "players": game.players,
        "pure": sorted(pure),
        "mixed": sorted(mixed - pure),
    }


def heatmap_size(n_rows: int, n_cols: int, panels: int = 2) -> tuple[float, float]:
    """Figure size (inches) for payoff heat maps of ``n_rows`` x ``n_cols`` cells."""
    cell = 0.8 if n_cols <= 6 else 0.55
    return (2.2 + panels * (cell * n_cols + 1.1), 1.4 + (0.42 if n_rows <= 10 else 0.3) * n_rows)


def plot_payoff_heatmap(result: SolveResult, ax: Any = None, player: int | None = None) -> Any:
    """Heat maps of both players' payoffs, one panel each with its colour bar; equilibria outlined.

    Each cell shows the panel's player's payoff; its text is white or black, whichever reads
    better on the cell's colour. Pure equilibria are outlined solid, the cells in the support
    of a mixed equilibrium dashed.

    Parameters
    ----------
    result
        A solved two-player game.
    ax
        ``None`` (a new figure: one panel per player, or only ``player``'s), one Axes (the panel
        of ``player``, by default the first player) or a sequence of two Axes (both panels).
    player
        Index of the player whose payoffs one panel shows.

    Returns
    -------
    One Axes when one panel is drawn, else a list of two.
    """
    data = heatmap_data(result)
    n_rows, n_cols = data["values"].shape
    if ax is None:
        players = [0, 1] if player is None else [player]
        axes = _new_axes(*heatmap_size(n_rows, n_cols, len(players)), len(players))
    elif isinstance(ax, (list, tuple, np.ndarray)):
        axes = list(ax)
        if len(axes) != 2:
            raise ValueError("pass one Axes, or two (one panel per player)")
        players = [0, 1]
    else:
        axes = [ax]
        players = [player or 0]
    for k, (panel, p) in enumerate(zip(axes, players, strict=True)):
        _heatmap_panel(panel, result, p, row_labels=k == 0)
    return axes[0] if len(axes) == 1 else axes


def _heatmap_panel(ax: Any, result: SolveResult, player: int, row_labels: bool) -> None:
    import matplotlib
    from matplotlib.colors import Normalize

    data = heatmap_data(result, player)
    values = np.asarray(data["values"], dtype=float)
    n_rows, n_cols = values.shape
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-12:
        low, high = low - 1, high + 1
    norm = Normalize(low, high)
    cmap = matplotlib.colormaps[HEATMAP_CMAP]
    image = ax.imshow(values, cmap=cmap, norm=norm, aspect="auto")
    size = 9 if n_cols <= 6 else 7
    for (r, c), v in np.ndenumerate(values):
        ax.text(
            c,
            r,
            format_number(float(v), 3),
            ha="center",
            va="center",
            fontsize=size,
            color=text_colour(cmap(norm(v))),
        )
    for r, c in data["pure"]:
        ax.add_patch(_box(r, c, "white", 4.5))
        ax.add_patch(_box(r, c, "black", 2.2))
    for r, c in data["mixed"]:
        ax.add_patch(_box(r, c, "white", 3.5))
        ax.add_patch(_box(r, c, "black", 1.4, dashed=True))
    p1, p2 = data["players"]
    ax.set_xticks(range(n_cols), data["cols"], rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(n_rows), data["rows"] if row_labels else [""] * n_rows, fontsize=8)
    if not row_labels:
        ax.tick_params(axis="y", length=0)
    ax.set_xlabel(f"{p2}'s choice", fontsize=9)
    if row_labels:
        ax.set_ylabel(f"{p1}'s choice", fontsize=9)
    ax.set_title(f"{data['player']}'s payoff", fontsize=10)
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.85, pad=0.02)
    bar.set_label(f"{data['player']}'s payoff", fontsize=8)
    bar.ax.tick_params(labelsize=7)


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


# ---------------------------------------------------------------------- payoff space
#: Marker, colour, size and whether it is filled, for each kind of point in the payoff space;
#: larger hollow markers are drawn first so that smaller ones stay visible inside them.
_POINT_STYLES: dict[str, tuple[str, str, float, bool]] = {
    "equilibrium": ("s", "tab:red", 150.0, False),
    "disagreement point": ("X", "black", 70.0, True),
    "Nash": ("o", "tab:blue", 120.0, False),
    "Kalai-Smorodinsky": ("^", "tab:purple", 110.0, False),
    "egalitarian": ("D", "tab:green", 45.0, True),
    "utilitarian": ("*", "tab:orange", 160.0, True),
}
_SOLUTIONS = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai-Smorodinsky",
    "egalitarian": "egalitarian",
    "utilitarian": "utilitarian",
}


def payoff_space_data(
    game: Game, bargaining: Any = None, result: SolveResult | None = None
) -> dict[str, Any]:
    """What the payoff-space plot shows, with coinciding points merged.

    Returns ``points`` (pure outcomes), ``hull`` (feasible set), ``frontier`` (Pareto) and
    ``markers``: one entry per distinct point among the equilibria, the disagreement point
    and the bargaining solutions, each with its ``point``, the ``names`` that coincide there
    (within 1e-6 of the payoff range) and a ``label`` such as ``"Nash = Kalai-Smorodinsky"``.
    """
    from ..analysis.negotiation.bargaining import feasible_vertices, pareto_frontier

    if game.n_players != 2:
        raise ValueError("the payoff space needs a two-player game")
    points = game.payoffs.reshape(2, -1).T
    scale = float(np.ptp(points)) or 1.0
    named: list[tuple[str, NDArray[np.float64]]] = []
    if result is not None:
        for eq in result.equilibria:
            named.append(("equilibrium", np.asarray(eq.payoffs, dtype=float)))
    if bargaining is not None:
        named.append(("disagreement point", np.asarray(bargaining.disagreement, dtype=float)))
        for attribute, name in _SOLUTIONS.items():
            named.append((name, np.asarray(getattr(bargaining, attribute), dtype=float)))
    markers: list[dict[str, Any]] = []
    for name, point in named:
        for marker in markers:
            if np.abs(marker["point"] - point).max() <= 1e-6 * scale:
                if name not in marker["names"]:
                    marker["names"].append(name)
                break
        else:
            markers.append({"point": point, "names": [name]})
    for marker in markers:
        marker["label"] = " = ".join(marker["names"])
    return {
        "points": points,
        "hull": feasible_vertices(points),
        "frontier": pareto_frontier(points),
        "markers": markers,
        "players": game.players,
    }


def plot_payoff_space(
    game: Game, bargaining: Any = None, result: SolveResult | None = None, ax: Any = None
) -> Any:
    """Payoff profiles, their convex hull, the Pareto frontier, equilibria and solutions.

    Solutions that coincide share one marker whose legend entry names them all
    (``Nash = Kalai-Smorodinsky``); distinct ones keep their own shape and size, and when some
    lie close together an inset beside the plot shows them magnified. The legend sits outside
    the axes.
    """
    data = payoff_space_data(game, bargaining, result)
    if ax is None:
        ax = _new_axes(7.5, 4.5)[0]
    _draw_payoff_space(ax, data, legend=True)
    ax.set_xlabel(f"{game.players[0]}'s payoff")
    ax.set_ylabel(f"{game.players[1]}'s payoff")
    ax.set_title("Payoff space", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    close = _close_markers(data, ax)
    if close is not None:
        inset = ax.inset_axes((1.1, 0.0, 0.5, 0.42))
        _draw_payoff_space(inset, data, legend=False)
        (x0, x1), (y0, y1) = close
        inset.set_xlim(x0, x1)
        inset.set_ylim(y0, y1)
        inset.tick_params(labelsize=7)
        inset.set_title("magnified", fontsize=8)
        ax.indicate_inset_zoom(inset, edgecolor="0.3")
    return ax


def _draw_payoff_space(ax: Any, data: dict[str, Any], legend: bool) -> None:
    hull, points, frontier = data["hull"], data["points"], data["frontier"]
    if len(hull) >= 3:
        ax.fill(hull[:, 0], hull[:, 1], color="0.9", label="feasible set" if legend else None)
    ax.scatter(
        points[:, 0], points[:, 1], s=12, color="0.45", label="pure outcomes" if legend else None
    )
    ax.plot(
        frontier[:, 0],
        frontier[:, 1],
        color="black",
        lw=1.5,
        label="Pareto frontier" if legend else None,
    )
    ordered = sorted(data["markers"], key=lambda m: -_POINT_STYLES[m["names"][0]][2])
    labelled: set[str] = set()
    for z, marker in enumerate(ordered):
        label = marker["label"] if legend and marker["label"] not in labelled else None
        labelled.add(marker["label"])
        shape, colour, size, filled = _POINT_STYLES[marker["names"][0]]
        ax.scatter(
            [marker["point"][0]],
            [marker["point"][1]],
            marker=shape,
            s=size,
            facecolors=colour if filled else "none",
            edgecolors="white" if filled and shape != "X" else colour,
            linewidths=1.0 if filled else 2.0,
            zorder=3 + z,
            label=label,
        )


def _close_markers(
    data: dict[str, Any], ax: Any
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Limits of an inset around distinct markers too close to tell apart (else None)."""
    markers = np.array([m["point"] for m in data["markers"]])
    if len(markers) < 2:
        return None
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    scaled = (markers - [x0, y0]) / [x1 - x0, y1 - y0]
    distance = np.linalg.norm(scaled[:, None] - scaled[None], axis=2)
    np.fill_diagonal(distance, np.inf)
    close = np.nonzero((distance < 0.04).any(axis=1))[0]
    if not len(close):
        return None
    group = markers[close]
    low, high = group.min(axis=0), group.max(axis=0)
    pad = np.maximum((high - low) * 0.6, [(x1 - x0) * 0.01, (y1 - y0) * 0.01])
    return (float(low[0] - pad[0]), float(high[0] + pad[0])), (
        float(low[1] - pad[1]),
        float(high[1] + pad[1]),
    )


# ---------------------------------------------------------------------- outcome maps
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


def plot_outcome_map(
    points: pd.DataFrame,
    x: str,
    y: str,
    ax: Any = None,
    baseline: tuple[float, float] | None = None,
) -> Any:
    """Which joint outcome holds where, over two parameters, with the boundaries.

    A full grid is drawn as coloured cells with black lines where the outcome changes; other
    designs (random samples) as one dot per point. ``baseline`` (an ``(x, y)`` point) is marked
    with a star. The legend sits below the axes.
    """
    import matplotlib
    from matplotlib.patches import Patch

    data = outcome_map_data(points, x, y)
    if ax is None:
        ax = _new_axes(6.5, 5.5)[0]
    cmap = matplotlib.colormaps["tab10"]
    grid = points.pivot_table(index=y, columns=x, values="outcome", aggfunc="first")
    handles: list[Any] = []
    if not grid.isna().any().any() and grid.shape[0] > 1 and grid.shape[1] > 1:
        lookup = {label: k for k, label in enumerate(data["labels"])}
        codes = np.vectorize(lookup.get)(grid.to_numpy())
        xs = grid.columns.to_numpy(dtype=float)
        ys = grid.index.to_numpy(dtype=float)
        # One raster image for the cells: no seams between them in SVG viewers.
        ax.pcolormesh(
            xs,
            ys,
            codes % 10,
            cmap=cmap,
            vmin=-0.5,
            vmax=9.5,
            shading="nearest",
            rasterized=True,
        )
        _draw_boundaries(ax, xs, ys, codes)
        for k, label in enumerate(data["labels"]):
            handles.append(Patch(facecolor=cmap(k % 10), edgecolor="0.3", label=_wrap(label)))
    else:
        for k, label in enumerate(data["labels"]):
            mask: NDArray[np.bool_] = data["codes"] == k
            handles.append(
                ax.scatter(
                    data["x"][mask], data["y"][mask], s=10, color=cmap(k % 10), label=_wrap(label)
                )
            )
    if baseline is not None:
        handles.append(
            ax.scatter(
                [baseline[0]],
                [baseline[1]],
                marker="*",
                s=260,
                color="white",
                edgecolors="black",
                linewidths=1.3,
                zorder=6,
                label=f"baseline ({x} = {format_number(baseline[0])}, "
                f"{y} = {format_number(baseline[1])})",
            )
        )
    ax.set_xlabel(x, fontsize=10)
    ax.set_ylabel(y, fontsize=10)
    ax.legend(
        handles=handles,
        fontsize=10,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=1,
        frameon=False,
    )
    ax.set_title("Equilibrium outcome by parameter values; black lines: boundaries", fontsize=10)
    return ax


def _wrap(label: str, width: int = 70) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


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
    if ax is None:
        ax = _new_axes(4.5, 4.5)[0]
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
    if ax is None:
        ax = _new_axes(6, 3.5)[0]
    for column in columns:
        ax.plot(data[parameter], data[column], label=column)
    ax.set_xlabel(parameter)
    ax.legend(fontsize=7)
    ax.set_title(f"Equilibrium values along {parameter} (mean over equilibria)", fontsize=9)
    return ax


# ---------------------------------------------------------------------- how sure (issue 11)
def sobol_data(
    result: Any, output: str = "baseline holds", top: int = 10, min_total: float = 0.005
) -> pd.DataFrame:
    """Sobol' indices of one output of :func:`gametheory.sensitivity`, most important first.

    Returns a DataFrame with ``parameter``, ``first``, ``first_conf``, ``total`` and
    ``total_conf`` (the half-widths of the bootstrap intervals), at most ``top`` rows with a
    total index of at least ``min_total``, sorted by the total index (ties in declaration
    order).
    """
    import pandas as pd

    indices = result.output(output)
    if indices.total is None:
        raise ValueError("sobol_data needs a Sobol' analysis (method='sobol')")
    rows = [
        {
            "parameter": name,
            "first": indices.first[k],
            "first_conf": indices.first_conf[k],
            "total": indices.total[k],
            "total_conf": indices.total_conf[k],
        }
        for k, name in enumerate(indices.names)
    ]
    frame = pd.DataFrame(rows, columns=["parameter", "first", "first_conf", "total", "total_conf"])
    frame = frame[frame["total"] >= min_total]
    return (
        frame.sort_values("total", ascending=False, kind="stable").head(top).reset_index(drop=True)
    )


def plot_sobol(data: pd.DataFrame, ax: Any = None, title: str = "") -> Any:
    """Horizontal bars of :func:`sobol_data`: total index (with its interval) and first order.

    Indices below zero (estimation noise around 0) are drawn at 0; the intervals show the noise.
    """
    shown = data.iloc[::-1]
    if ax is None:
        ax = _new_axes(6.5, 0.35 * max(len(shown), 1) + 1.3)[0]
    y = np.arange(len(shown))
    total = shown["total"].clip(lower=0).to_numpy()
    first = shown["first"].clip(lower=0).to_numpy()
    ax.barh(
        y + 0.2,
        total,
        height=0.4,
        xerr=shown["total_conf"].to_numpy(),
        color="tab:blue",
        ecolor="0.35",
        capsize=2,
        label="total (with interactions)",
    )
    ax.barh(
        y - 0.2,
        first,
        height=0.4,
        xerr=shown["first_conf"].to_numpy(),
        color="tab:orange",
        ecolor="0.35",
        capsize=2,
        label="first order (alone)",
    )
    ax.set_yticks(y, shown["parameter"], fontsize=8)
    ax.set_xlim(0, max(1.0, float((total + shown["total_conf"].to_numpy()).max(initial=0))))
    ax.set_xlabel("Sobol' index: share of the variance", fontsize=9)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title or "Which judgement calls the prediction hangs on", fontsize=10)
    return ax


def outcome_probability_data(result: Any, top: int = 6) -> pd.DataFrame:
    """Outcome probabilities of :func:`gametheory.uncertainty`, the ``top`` most likely.

    Returns a DataFrame with ``outcome``, ``probability``, ``low``, ``high`` (Wilson 95 %),
    ``baseline`` (the prediction) and ``kind``; the baseline outcome is always shown, and the
    rest, if any, are summed into one ``other outcomes`` row (without an interval).
    """
    import pandas as pd

    rows = [
        {
            "outcome": o.outcome,
            "probability": o.probability,
            "low": o.low,
            "high": o.high,
            "baseline": o.outcome == result.baseline_outcome,
            "kind": o.kind,
        }
        for o in result.outcomes
    ]
    frame = pd.DataFrame(
        rows, columns=["outcome", "probability", "low", "high", "baseline", "kind"]
    )
    keep = frame.index < top
    keep |= frame["baseline"].to_numpy(dtype=bool)
    shown = frame[keep]
    rest = frame[~keep]
    if len(rest):
        other = {
            "outcome": f"{len(rest)} other outcomes",
            "probability": float(rest["probability"].sum()),
            "low": np.nan,
            "high": np.nan,
            "baseline": False,
            "kind": "",
        }
        shown = pd.concat([shown, pd.DataFrame([other])], ignore_index=True)
    return shown.reset_index(drop=True)


def plot_outcome_probabilities(data: pd.DataFrame, ax: Any = None, width: int = 46) -> Any:
    """Horizontal bars of :func:`outcome_probability_data`, the prediction highlighted."""
    shown = data.iloc[::-1]
    if ax is None:
        ax = _new_axes(7, 0.45 * max(len(shown), 1) + 1.2)[0]
    y = np.arange(len(shown))
    p = shown["probability"].to_numpy(dtype=float)
    low = shown["low"].to_numpy(dtype=float)
    high = shown["high"].to_numpy(dtype=float)
    err = np.vstack([np.nan_to_num(p - low), np.nan_to_num(high - p)])
    colours = ["tab:green" if b else "0.6" for b in shown["baseline"]]
    ax.barh(y, p, color=colours, xerr=err, ecolor="0.25", capsize=2)
    labels = [
        textwrap.fill(str(o).replace(" / ", " / "), width) + ("\n(the prediction)" if b else "")
        for o, b in zip(shown["outcome"], shown["baseline"], strict=True)
    ]
    ax.set_yticks(y, labels, fontsize=7.5)
    for k, value in enumerate(p):
        ax.text(value + 0.01, k, format_number(float(value), 3), va="center", fontsize=8)
    ax.set_xlim(0, min(1.0, float(np.nanmax(np.append(high, p))) + 0.12))
    ax.set_xlabel("probability under the declared beliefs (95 % interval)", fontsize=9)
    ax.set_title("How likely each outcome is", fontsize=10)
    return ax
