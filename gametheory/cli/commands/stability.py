"""``gametheory stability FILE``: graph-model stability of every state (ordinal analysis).

FILE is an ordinal scenario (``[preferences.*]`` tables, see ``docs/ordinal.md``) or a chip
scenario, whose rankings are derived from its payoffs at the baseline or ``--set`` values; for a
chip scenario the output also compares the pure Nash equilibria of the game with the graph
model's equilibria and says which of these hold only through sanctions, and why.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ...analysis.ordinal import (
    CONCEPTS,
    GraphModel,
    analyse,
    coalitions,
    limited_move,
    sanctions,
)
from ...analysis.ordinal.stability import MAX_COALITION_DMS, CoalitionStability, Stability
from ...errors import ScenarioError
from ...io import load
from ...io.ordinal import is_ordinal, read_ordinal
from ...solvers.pure import pure_equilibrium_mask
from ..main import COMMANDS
from ..options import add_design, add_file, add_format, add_seed, add_set, positive_int

__all__ = ["add_parser", "report", "run"]

SUMMARY = COMMANDS["stability"].summary
NAMES = {
    "nash": "Nash (rational)",
    "gmr": "general metarationality (GMR)",
    "smr": "symmetric metarationality (SMR)",
    "seq": "sequential stability (SEQ)",
    "sim": "simultaneous sanctioning (SIM)",
}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``stability`` and its options."""
    parser = sub.add_parser("stability", help=SUMMARY, description=SUMMARY)
    add_file(parser, "ordinal scenario .toml, or a chip scenario .toml (ranked by its payoffs)")
    add_set(parser, "override a chip scenario's parameter before ranking, e.g. --set tariff=0.8")
    parser.add_argument(
        "--horizon",
        type=positive_int(1000),
        default=None,
        metavar="H",
        help="also report limited-move stability L_H (two decision makers only)",
    )
    add_design(parser, required=False)
    add_seed(parser, "with --sample: random seed, a whole number >= 0 (default 0)")
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="with --grid or --sample: write one row per point, concept and equilibrium "
        "(.csv or .parquet)",
    )
    add_format(parser)
    return parser


def load_model(path: str, overrides: dict[str, float]) -> GraphModel:
    """The graph model of an ordinal scenario file, or of a chip scenario at ``overrides``."""
    if str(path).lower().endswith(".toml") and is_ordinal(path):
        if overrides:
            raise ScenarioError(
                "--set changes parameters of chip scenarios; an ordinal scenario has none",
                file=str(path),
            )
        return GraphModel.from_spec(read_ordinal(path))
    return GraphModel.from_scenario(load(path), overrides)


def run(args: argparse.Namespace) -> int:
    """Print the states, the rankings and the stable states per concept."""
    if args.grid or args.sample:
        return _sweep(args)
    if args.out:
        raise ScenarioError("--out goes with --grid or --sample")
    model = load_model(args.file, dict(args.set))
    data = report(model, horizon=args.horizon)
    if args.format == "json":
        print(json.dumps(data, indent=2))
    else:
        print(_text(model, data))
    return 0


def _numbers(states: Any) -> list[int]:
    return [int(s) + 1 for s in states]


def report(model: GraphModel, horizon: int | None = None) -> dict[str, Any]:
    """The JSON document of ``gametheory stability`` (``docs/json-schema.md``).

    ``horizon`` adds limited-move stability ``l{horizon}`` (two DMs only).
    """
    notes: list[str] = []
    try:
        result = analyse(model)
    except ScenarioError as exc:  # SIM too large: the other concepts still run
        result = analyse(model, tuple(c for c in CONCEPTS if c != "sim"))
        notes.append(f"sim left out: {exc.message}")
    if horizon is not None:
        limited = limited_move(model, horizon)
        result = Stability(model, {**result.stable, **limited.stable})
    concepts = tuple(result.stable)
    dms = model.decision_makers
    data: dict[str, Any] = {
        "schema": "gametheory.stability/1",
        "title": model.title,
        "decision_makers": list(dms),
        "options": [
            {"name": o.name, "decision_maker": o.dm, "alternatives": list(o.alternatives)}
            for o in model.options
        ],
        "states": [
            {"state": s + 1, "label": model.labels[s], "settings": model.settings(s)}
            for s in range(model.n_states)
        ],
        "status_quo": None if model.status_quo is None else model.status_quo + 1,
        "rankings": {dm: [_numbers(group) for group in model.ranking(dm)] for dm in dms},
        "stability": {
            concept: {
                "stable": {dm: _numbers(result.stable_states(concept, dm)) for dm in dms},
                "equilibria": _numbers(result.equilibria(concept)),
            }
            for concept in concepts
        },
        "coalitions": None,
        "payoffs": None,
        "comparison": None,
        "notes": notes,
    }
    if len(dms) <= MAX_COALITION_DMS:
        try:
            data["coalitions"] = _coalitions(coalitions(model))
        except ScenarioError as exc:
            notes.append(f"coalitions left out: {exc.message}")
    else:
        notes.append(f"coalitions left out: more than {MAX_COALITION_DMS} decision makers")
    if model.payoffs is not None:
        data["payoffs"] = {dm: [float(v) for v in model.payoffs[d]] for d, dm in enumerate(dms)}
        data["comparison"] = _comparison(model, result)
    return data


def _coalitions(result: CoalitionStability) -> dict[str, Any]:
    names = result.names()
    return {
        concept: {
            "stable": {
                name: _numbers(row.nonzero()[0]) for name, row in zip(names, table, strict=True)
            },
            "equilibria": _numbers(result.equilibria(concept)),
        }
        for concept, table in (("cnash", result.cnash), ("cseq", result.cseq))
    }


def _comparison(model: GraphModel, result: Stability) -> dict[str, Any]:
    """Pure Nash equilibria of the game against the graph model's equilibria."""
    nash = _pure_nash_states(model)
    gmcr = {c: set(result.equilibria(c)) for c in result.stable if c in CONCEPTS and c != "nash"}
    only_sanctions = sorted(set().union(*gmcr.values()) - set(nash))
    entries = []
    for s in only_sanctions:
        concept = "seq" if s in gmcr["seq"] else "smr" if s in gmcr["smr"] else "gmr"
        reasons = [
            answer.describe(model)
            for d in range(len(model.decision_makers))
            for answer in sanctions(model, s, d, concept)
        ]
        entries.append(
            {
                "state": s + 1,
                "label": model.labels[s],
                "concepts": [c for c in gmcr if s in gmcr[c]],
                "sanctions_under": concept,
                "sanctions": reasons,
            }
        )
    return {
        "nash_equilibria": _numbers(nash),
        "nash_and_gmcr": {c: _numbers(sorted(set(nash) & eq)) for c, eq in gmcr.items()},
        "gmcr_not_nash": entries,
    }


def _pure_nash_states(model: GraphModel) -> list[int]:
    """States that are pure Nash equilibria of the game, checked by the pure solver's mask."""
    import numpy as np

    from ...model.game import Game

    assert model.payoffs is not None
    codes: list[Any] = []
    shape: list[int] = []
    for dm in model.decision_makers:
        own = [k for k, o in enumerate(model.options) if o.dm == dm]
        sizes = [len(model.options[k].alternatives) for k in own]
        radix = np.concatenate([[1], np.cumprod(sizes[:-1])]).astype(np.int64)
        codes.append(model.states[:, own] @ radix)
        shape.append(int(np.prod(sizes)))
    if int(np.prod(shape)) != model.n_states:
        raise ScenarioError("a comparison with Nash equilibria needs every profile as a state")
    payoffs = np.zeros((len(model.decision_makers), *shape))
    where: tuple[Any, ...] = (slice(None), *codes)
    payoffs[where] = model.payoffs
    actions = tuple(tuple(str(a) for a in range(n)) for n in shape)
    mask = pure_equilibrium_mask(Game(model.decision_makers, actions, payoffs))
    return np.flatnonzero(mask[tuple(codes)]).tolist()


def _text(model: GraphModel, data: dict[str, Any]) -> str:
    dms = model.decision_makers
    lines = [
        f"{model.title or 'Graph model'}: {len(dms)} decision makers, {len(model.options)} "
        f"options, {model.n_states} feasible states",
        "",
        "States:",
    ]
    for entry in data["states"]:
        settings = "  ".join(f"{k}={v}" for k, v in entry["settings"].items())
        marker = "  (status quo)" if entry["state"] == data["status_quo"] else ""
        lines.append(f"  {entry['state']:>4}  {settings}{marker}")
    lines += ["", "Rankings (most preferred first; ties in brackets):"]
    for dm in dms:
        groups = [
            str(g[0]) if len(g) == 1 else "[" + " ".join(map(str, g)) + "]"
            for g in data["rankings"][dm]
        ]
        lines.append(f"  {dm}: " + " > ".join(groups))
    lines += ["", "Stable states by concept:"]
    for concept in data["stability"]:
        block = data["stability"][concept]
        lines.append(f"  {NAMES.get(concept, f'limited-move stability (L{concept[1:]})')}")
        for dm in dms:
            lines.append(f"    {dm}: {_list(block['stable'][dm])}")
        lines.append(f"    equilibria: {_list(block['equilibria'])}")
    if data["coalitions"] is not None:
        lines += ["", "Coalitions (every group of decision makers):"]
        lines.append(
            f"  coalition Nash equilibria: {_list(data['coalitions']['cnash']['equilibria'])}"
        )
        lines.append(
            f"  coalition SEQ equilibria: {_list(data['coalitions']['cseq']['equilibria'])}"
        )
    for note in data["notes"]:
        lines.append(f"Note: {note}")
    comparison = data["comparison"]
    if comparison is not None:
        lines += ["", "Cardinal and ordinal (rankings derived from the payoffs):"]
        lines.append(f"  pure Nash equilibria of the game: {_list(comparison['nash_equilibria'])}")
        for concept, states in comparison["nash_and_gmcr"].items():
            lines.append(f"    of which {concept.upper()} equilibria: {_list(states)}")
        if not comparison["gmcr_not_nash"]:
            lines.append("  every graph-model equilibrium is a Nash equilibrium of the game")
        for entry in comparison["gmcr_not_nash"]:
            lines.append(
                f"  state {entry['state']} is a {', '.join(c.upper() for c in entry['concepts'])} "
                "equilibrium but not Nash: stable only through sanctions"
            )
            for reason in entry["sanctions"][:3]:
                lines.append(f"    - {reason}")
            if len(entry["sanctions"]) > 3:
                lines.append(f"    ... and {len(entry['sanctions']) - 3} more (--format json)")
    return "\n".join(lines)


def _list(states: list[int]) -> str:
    return " ".join(map(str, states)) if states else "none"


def _sweep(args: argparse.Namespace) -> int:
    """Graph-model equilibria at every point of a grid or sample of a chip scenario."""
    from ...analysis.ordinal.sweep import stability_summary, stability_sweep

    if str(args.file).lower().endswith(".toml") and is_ordinal(args.file):
        raise ScenarioError(
            "--grid and --sample vary a chip scenario's parameters; an ordinal scenario has none",
            file=str(args.file),
        )
    if args.out and not str(args.out).lower().endswith((".csv", ".parquet")):
        raise ScenarioError(f"--out must end in .csv or .parquet, got '{args.out}'")
    scenario = load(args.file)
    table = stability_sweep(
        scenario,
        grid=dict(args.grid) if args.grid else None,
        sample=args.sample,
        seed=args.seed,
        fixed=dict(args.set),
        concepts=("nash", "seq"),
    )
    if args.out:
        if str(args.out).lower().endswith(".csv"):
            table.to_csv(args.out, index=False)
        else:
            table.to_parquet(args.out, index=False)
    summary = stability_summary(table)
    points = int(table["point"].nunique())
    if args.format == "json":
        print(
            json.dumps(
                {
                    "schema": "gametheory.stability-sweep/1",
                    "points": points,
                    "shares": [
                        {
                            "concept": row.concept,
                            "state": row.state or None,
                            "points": int(row.points),
                            "share": float(row.share),
                        }
                        for row in summary.itertuples()
                    ],
                },
                indent=2,
            )
        )
        return 0
    print(f"{scenario.title}: graph-model equilibria at {points:,} parameter points")
    for concept in ("nash", "seq"):
        print(f"\n{NAMES[concept]}: share of points where each state is an equilibrium")
        for row in summary[summary.concept == concept].itertuples():
            print(f"  {row.share:6.1%}  {row.state or '(no equilibrium)'}")
    if args.out:
        print(f"\ntable written to {args.out}")
    return 0
