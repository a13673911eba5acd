"""Reading and writing games and scenarios: TOML scenario files and Gambit ``.nfg`` files."""

from __future__ import annotations

from pathlib import Path

from ..errors import ScenarioError
from ..model.scenario import Scenario
from ..model.tree import Tree
from .efg import dumps_efg, loads_efg, read_efg, write_efg
from .nfg import dumps_nfg, loads_nfg, read_nfg, write_nfg
from .ordinal import is_ordinal
from .toml_scenario import loads_scenario, read_scenario

__all__ = [
    "dumps_efg",
    "dumps_nfg",
    "load",
    "load_tree",
    "loads_efg",
    "loads_nfg",
    "loads_scenario",
    "read_efg",
    "read_nfg",
    "read_scenario",
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
    raise ScenarioError(
        f"unknown file type '{suffix or '(none)'}'; expected a .toml scenario or a Gambit .nfg",
        file=str(path),
    )


def load_tree(path: str | Path) -> Tree:
    """Load a game tree from a Gambit ``.efg`` file.

    Raises
    ------
    ScenarioError
        For another file type or any problem inside the file.
    """
    path = Path(path)
    if path.suffix.lower() == ".efg":
        return read_efg(path)
    raise ScenarioError(
        f"unknown file type '{path.suffix or '(none)'}' for a game tree; expected a Gambit .efg",
        file=str(path),
    )
