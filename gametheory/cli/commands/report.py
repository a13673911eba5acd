"""``gametheory report FILE --out PATH``: a self-contained HTML or Markdown report."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...errors import ScenarioError
from ...io import load
from ...io.ordinal import is_ordinal
from ..main import COMMANDS
from ..options import add_file, add_method, add_set, add_target

__all__ = ["REPORT_SUFFIXES", "add_parser", "report_path", "run"]

SUMMARY = COMMANDS["report"].summary

REPORT_SUFFIXES = (".html", ".htm", ".md")


def report_path(text: str) -> str:
    """An argparse type: a report file name ending in .html, .htm or .md."""
    if Path(text).suffix.lower() not in REPORT_SUFFIXES:
        raise argparse.ArgumentTypeError(
            f"the report file must end in .html or .md (or .htm), got {text!r}"
        )
    return text


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``report`` and its options."""
    parser = sub.add_parser("report", help=SUMMARY, description=SUMMARY)
    add_file(parser, "scenario .toml or Gambit .nfg file")
    add_set(parser)
    parser.add_argument(
        "--sweep",
        metavar="RESULTS",
        help="a sweep's results (.parquet or .csv) for the maps section",
    )
    add_method(parser)
    parser.add_argument(
        "--out",
        required=True,
        type=report_path,
        metavar="FILE",
        help="report file, .html or .md (Markdown, with the figures in a folder beside it)",
    )
    add_target(parser, "target outcome for the 'what would it take' section (repeat per player)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Build the report and write it."""
    try:
        from ...report import build_report, write_report
    except ImportError:
        raise ScenarioError(
            "reports need matplotlib and Jinja2: pip install 'gametheory[report]'"
        ) from None
    from ...report.render import check_destination
    from ._tree import is_tree_path

    check_destination(args.out)
    if is_tree_path(args.file):
        return _tree_report(args)
    if Path(args.file).suffix.lower() == ".toml" and is_ordinal(args.file):
        return _ordinal_report(args)
    scenario = load(args.file)
    target = dict(args.target) if args.target else None
    report = build_report(
        scenario, dict(args.set), sweep=args.sweep, method=args.method, target=target
    )
    path = write_report(report, args.out)
    print(f"report written to {path} ({len(report.sections)} sections)")
    return 0


def _ordinal_report(args: argparse.Namespace) -> int:
    """The report on an ordinal scenario file (a graph model)."""
    from ...analysis.ordinal import GraphModel
    from ...report import write_report
    from ...report.ordinal import build_ordinal_report

    if args.set or args.sweep or args.target:
        raise ScenarioError(
            "an ordinal scenario has no parameters or payoffs: --set, --sweep and --target do "
            "not apply",
            file=args.file,
        )
    report = build_ordinal_report(GraphModel.read(args.file), args.file)
    path = write_report(report, args.out)
    print(f"report written to {path} ({len(report.sections)} sections)")
    return 0


def _tree_report(args: argparse.Namespace) -> int:
    """The report on a game tree (.efg or a tree scenario at its --set values)."""
    from ...report import write_report
    from ...report.tree import build_tree_report
    from ._tree import load_tree_file

    if args.sweep or args.target:
        raise ScenarioError(
            "--sweep and --target apply to matrix and chip scenarios, not to game trees",
            file=args.file,
        )
    tree, scenario, values = load_tree_file(args.file, args.set)
    title = scenario.title if scenario is not None else None
    report = build_tree_report(tree, title, path=args.file, scenario=scenario, values=values)
    path = write_report(report, args.out)
    print(f"report written to {path} ({len(report.sections)} sections)")
    return 0
