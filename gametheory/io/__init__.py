"""Reading and writing games and scenarios: TOML scenario files and Gambit ``.nfg`` files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import ScenarioError
from ..model.scenario import Scenario
from ..model.tree import Tree
from ..model.tree_scenario import TreeScenario
from .efg import dumps_efg, loads_efg, read_efg, write_efg
from .nfg import dumps_nfg, loads_nfg, read_nfg, write_nfg
from .toml_scenario import loads_scenario, read_scenario
from .toml_tree import is_tree_file, loads_tree_scenario, read_tree_scenario

__all__ = [
    "dumps_efg",
    "dumps_nfg",
    "load",
    "load_tree",
    "load_tree_scenario",
    "loads_efg",
    "loads_nfg",
    "loads_scenario",
    "loads_tree_scenario",
    "read_efg",
    "read_nfg",
    "read_scenario",
    "read_tree_scenario",
    "write_efg",
    "write_nfg",
]


def load(path: str | Path) -> Scenario:
    """Load a scenario from a ``.toml`` scenario file or a Gambit ``.nfg`` file.

    A ``.nfg`` game has no parameters; it is wrapped as a matrix-form scenario so that
    ``load(path).game()`` works the same way for both.

    Raises
    ------
    ScenarioError
        For an unknown file type or any problem inside the file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        try:
            return read_scenario(path)
        except ScenarioError:
            if is_tree_file(path):
                raise ScenarioError(
                    "is a tree scenario (it has a [tree] table), not a matrix or chip scenario; "
                    "read it with gametheory.load_tree(path) (a Tree) or "
                    "gametheory.load_tree_scenario(path) (its .sweep and .uncertainty), or run "
                    "'gametheory solve|sweep|robust|report FILE'",
                    file=str(path),
                ) from None
            from .ordinal import is_ordinal  # pydantic models built only when needed

            if is_ordinal(path):
                raise ScenarioError(
                    "is an ordinal scenario (a graph model with [preferences]), not a game; "
                    "analyse it with 'gametheory stability FILE' or "
                    "gametheory.GraphModel.read(path)",
                    file=str(path),
                ) from None
            raise
    if suffix == ".nfg":
        return Scenario.from_game(read_nfg(path), path=str(path))
    if suffix == ".efg":
        raise ScenarioError(
            "is a game tree (Gambit .efg), not a scenario; read it with gametheory.load_tree(path)",
            file=str(path),
        )
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder; expected a scenario file", str(path))
    raise ScenarioError(
        f"unknown file type '{suffix or '(none)'}'; expected a .toml scenario, a Gambit .nfg "
        "(a game) or .efg (a game tree)",
        file=str(path),
    )


def load_tree(
    path: str | Path, params: Mapping[str, float] | None = None, **overrides: float
) -> Tree:
    """Load a game tree from a Gambit ``.efg`` file or a tree scenario ``.toml`` file.

    A tree scenario is compiled at its baseline parameter values, or with ``params`` and
    ``overrides`` applied (``load_tree("talks.toml", p_hawk=0.8)``); use
    :func:`load_tree_scenario` to keep its parameters.

    Raises
    ------
    ScenarioError
        For another file type, a ``.toml`` that is not a tree, parameters given for an
        ``.efg``, or any problem inside the file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".efg":
        if params or overrides:
            raise ScenarioError("a Gambit .efg tree has no parameters to set", file=str(path))
        return read_efg(path)
    if suffix == ".toml":
        return load_tree_scenario(path).tree(params, **overrides)
    raise ScenarioError(
        f"unknown file type '{path.suffix or '(none)'}' for a game tree; expected a Gambit .efg "
        "or a tree scenario .toml",
        file=str(path),
    )


def load_tree_scenario(path: str | Path) -> TreeScenario:
    """Load a tree scenario (a ``.toml`` file with a ``[tree]`` table), parameters and all.

    Raises
    ------
    ScenarioError
        If the file is not a tree scenario (saying what to use instead) or has a problem.
    """
    path = Path(path)
    if path.suffix.lower() == ".toml" and not is_tree_file(path):
        try:
            read_scenario(path)
        except ScenarioError:
            pass
        else:
            raise ScenarioError(
                "is a matrix or chip scenario, not a tree (no [tree] table); read it with "
                "gametheory.load(path)",
                file=str(path),
            )
    if path.suffix.lower() != ".toml":
        raise ScenarioError(
            f"unknown file type '{path.suffix or '(none)'}' for a tree scenario; expected .toml",
            file=str(path),
        )
    return read_tree_scenario(path)
