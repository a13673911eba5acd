"""Hostile input to the loaders ends in a result or one GameTheoryError, quickly, in bounded memory.

Properties (hypothesis; the example count comes from the profile in ``tests/conftest.py``: 60,
or 2,000 with ``HYPOTHESIS_PROFILE=thorough``; runs are derandomized so CI is reproducible, and
``FUZZ_SEED=<n>`` explores other inputs):

1. **any bytes** written to a ``.toml`` or ``.nfg`` file and passed to :func:`gametheory.load`
   (invalid UTF-8, NUL bytes, short patterns repeated up to 200,000 times), and the same text
   to :func:`gametheory.load_string` / :func:`gametheory.loads_nfg`;
2. **any text**: random Unicode and random runs of each format's own tokens;
3. **mutations of every bundled file** in ``payoffs/``: byte ranges deleted, duplicated, swapped
   or inserted, numbers replaced by huge, tiny or malformed ones (``1e999999``, ``-0``, ``nan``,
   400-digit integers, ``1/0``, ``0x10``, ``1_000``...), identifiers replaced by Unicode
   look-alikes, values nested deeper, truncation, a section repeated up to 5,000 times;
4. **documents built from each format's grammar** with a hostile value here and there (player,
   strategy, chip and stage counts, parameter values and ranges, payoff entries, expressions),
   so that most inputs get past the parser into compiling and solving.

Whenever loading succeeds, ``scenario.game()`` is compiled at the baseline and, for games with
fewer than 30 strategies per player, solved with :func:`gametheory.solve`. Every step must return
or raise :class:`gametheory.GameTheoryError` of at most :data:`MESSAGE_CHARS` characters that
names the file when one was read. Any other exception fails, and so do a load or compile slower
than :data:`SECONDS`, a solve slower than :data:`SOLVE_SECONDS` and growth of the peak resident
memory beyond :data:`MEMORY_BYTES`. A watchdog (``SIGALRM``) turns a hang into a failure, and
the address-space limit is lowered while an example runs, so a huge allocation fails at once
with ``MemoryError`` instead of swapping the machine.

Every failure found is kept below as an explicit regression case (``@example`` or a
parametrized test), with what it did before the fix.
"""

from __future__ import annotations

import contextlib
import faulthandler
import math
import os
import re
import resource
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, seed, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.io import nfg

from .conftest import PAYOFFS

#: Longest a load, a compile or a solve may take.
SECONDS = 5.0
#: Longest a solve may take: the solvers' own contract is "well under a minute" (see
#: docs/limits.md), and every profile of a constant 3-player 8x6x9 game takes about 2 s.
SOLVE_SECONDS = 20.0
#: When the watchdog interrupts an example (load, compile and solve together).
WATCHDOG_SECONDS = 60.0
#: Largest growth of the peak resident set one example may cause.
MEMORY_BYTES = 500 * 2**20
#: Address space allowed on top of what the process already has, while an example runs.
ADDRESS_HEADROOM = 2**30
#: Longest error message accepted (one clear sentence, not an echo of the input).
MESSAGE_CHARS = 1_000
#: Games at most this many strategies per player are also solved.
SOLVE_BELOW = 30

BUNDLED = sorted(p for p in PAYOFFS.iterdir() if p.suffix in {".toml", ".nfg"})

_FUZZ_SEED = os.environ.get("FUZZ_SEED")


def _fuzz_settings(test: Callable[..., Any]) -> Callable[..., Any]:
    """Hypothesis settings shared by the properties (example count from the profile)."""
    configured = settings(
        deadline=None,
        derandomize=_FUZZ_SEED is None,
        database=None,
        # No "explain" phase: its tracer slows the code tenfold, so a failing example replayed
        # under it would only report a misleading hang.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
            HealthCheck.large_base_example,
        ],
    )(test)
    return seed(int(_FUZZ_SEED))(configured) if _FUZZ_SEED is not None else configured


# --------------------------------------------------------------------------- the harness


class Hang(BaseException):
    """Raised by the watchdog; a BaseException so no ``except Exception`` can swallow it."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hang(f"no result after {WATCHDOG_SECONDS:g} s")


def _address_space() -> int:
    """Current virtual size of this process in bytes (0 where /proc is unavailable)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@contextlib.contextmanager
def _bounded() -> Iterator[None]:
    """Watchdog and address-space limit around one example; checks peak memory growth."""
    old_handler = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, WATCHDOG_SECONDS)
    # Last resort if the alarm cannot interrupt (a long C call): dump stacks and exit.
    faulthandler.dump_traceback_later(3 * WATCHDOG_SECONDS, exit=True)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    size = _address_space()
    limited = size > 0 and soft == resource.RLIM_INFINITY
    if limited:
        resource.setrlimit(resource.RLIMIT_AS, (size + ADDRESS_HEADROOM, hard))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        faulthandler.cancel_dump_traceback_later()
        if limited:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    assert grown < MEMORY_BYTES, f"peak memory grew by {grown / 2**20:.0f} MB"


def _step(
    what: str, call: Callable[[], Any], file: str | None = None, seconds: float = SECONDS
) -> Any:
    """Run one step: its result, or None after a GameTheoryError (naming ``file`` if given)."""
    start = time.perf_counter()
    try:
        result = call()
    except Hang as exc:
        # An ordinary failure from here on, so hypothesis shrinks it and prints the input.
        raise AssertionError(f"{what}: {exc}") from None
    except gt.GameTheoryError as exc:
        result = None
        message = str(exc)
        assert message.strip(), f"{what}: empty error message"
        assert len(message) <= MESSAGE_CHARS, f"{what}: {len(message)}-character error: {message}"
        if file is not None:
            assert exc.file == file, f"{what}: error does not name the file: {message}"
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"{what} took {elapsed:.1f} s"
    return result


def _compile_and_solve(scenario: gt.Scenario, file: str | None) -> None:
    """``scenario.game()`` at the baseline and, for small games, ``solve``: result or error."""
    assert isinstance(scenario, gt.Scenario)
    game = _step("game()", scenario.game, file)
    if game is None:
        return
    assert isinstance(game, gt.Game)
    if max(game.shape) < SOLVE_BELOW:
        result = _step("solve()", lambda: gt.solve(game), seconds=SOLVE_SECONDS)
        if result is not None:
            assert isinstance(result, gt.SolveResult)


def check_file(data: bytes, suffix: str) -> None:
    """Write ``data`` to a file with ``suffix`` and load, compile and solve it."""
    with _bounded(), tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        scenario = _step(f"load({suffix})", lambda: gt.load(path), str(path))
        if scenario is not None:
            _compile_and_solve(scenario, str(path))


def check_toml_text(text: str) -> None:
    """``load_string`` then compile and solve."""
    with _bounded():
        scenario = _step("load_string", lambda: gt.load_string(text, source="<fuzz>"), "<fuzz>")
        if scenario is not None:
            _compile_and_solve(scenario, "<fuzz>")


def check_nfg_text(text: str) -> None:
    """``loads_nfg`` then solve."""
    with _bounded():
        game = _step("loads_nfg", lambda: gt.loads_nfg(text, source="<fuzz>"), "<fuzz>")
        if game is not None:
            assert isinstance(game, gt.Game)
            if max(game.shape) < SOLVE_BELOW:
                _step("solve()", lambda: gt.solve(game), seconds=SOLVE_SECONDS)


def check_bytes_everywhere(data: bytes, suffix: str) -> None:
    """The file loader and, when the bytes are UTF-8, the matching string loader."""
    check_file(data, suffix)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    if suffix == ".toml":
        check_toml_text(text)
    else:
        check_nfg_text(text)


# --------------------------------------------------------------------------- strategies

#: Numbers a hostile file might hold instead of a sane one.
WEIRD_NUMBERS = [
    "1e999999",
    "1e999999999999",
    "-1e400",
    "1e-400",
    "4.9e-324",
    "1.7976931348623157e308",
    "-0",
    "-0.0",
    "+0",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "+inf",
    "NaN",
    "Infinity",
    "9" * 400,
    "-" + "9" * 400,
    "1" + "0" * 4000,
    "0." + "0" * 500 + "1",
    "1/0",
    "0/0",
    "3/2",
    "-1/3",
    "1" + "0" * 400 + "/3",
    "0x10",
    "0o17",
    "0b101",
    "0xFFFFFFFFFFFFFFFFFFFF",
    "1_000",
    "1__0",
    "_1",
    "1.",
    ".5",
    "1e",
    "1e+",
    "--1",
    "1.2.3",
    "18446744073709551616",
    "9223372036854775808",
    "-9223372036854775809",
    "1e308*10",
    "2**1000000",
    "10**10**10",
    "9**9**9",
    "exp(1000)",
    "log(0)",
    "1/(1-1)",
    '"1"',
    "true",
    "[]",
    "{}",
    "[[[[1]]]]",
    "１",
    "٣",
    "1e0" * 50,
]

#: Tokens of the two formats, for text that gets further than random Unicode does.
TOML_TOKENS = [
    "schema_version = 1\n",
    'title = "t"\n',
    "[players.A]\n",
    "[players.B]\n",
    'actions = ["x", "y"]\n',
    "[payoffs]\n",
    "A = [[1, 2], [3, 4]]\n",
    "B = [[1, 2], [3, 4]]\n",
    '"p * 2"',
    "[parameters]\n",
    "p = 1.0\n",
    "p = { value = 1, min = 0, max = 2 }\n",
    "[chips.c]\n",
    'player = "A"\n',
    'options = ["on", "off"]\n',
    "[timing]\n",
    'kind = "sequential"\n',
    'stages = [["c"], ["d"]]\n',
    "[[",
    "]]",
    "[",
    "]",
    "{",
    "}",
    "=",
    ",",
    ".",
    '"',
    "'''",
    '"""',
    "\\",
    "\n",
    " ",
    "\x00",
    "\ufeff",
    "#",
    "1",
    "-1e400",
    "nan",
    "inf",
    "x",
    "ｘ",
]
NFG_TOKENS = [
    "NFG",
    "1",
    "R",
    "D",
    '"g"',
    '"A"',
    '"B"',
    '""',
    '"\\"',
    "{",
    "}",
    ",",
    " ",
    "\n",
    "2",
    "3",
    "0",
    "-1",
    "3/2",
    "1/0",
    "1e999",
    "nan",
    "99999999999999999999",
    "10000000",
    "\x00",
    '"',
]


@st.composite
def repeated_bytes(draw: st.DrawFn) -> bytes:
    """A short pattern repeated up to 200,000 times, between random bytes."""
    pattern = draw(st.binary(min_size=1, max_size=12) | st.sampled_from(_PATTERNS))
    count = draw(st.integers(1, 200_000))
    return draw(st.binary(max_size=40)) + pattern * count + draw(st.binary(max_size=40))


_PATTERNS = [b"[", b"{", b'"', b"a=", b"[[a]]\n", b"\x00", b"\xff", b"1 ", b"\\", b"'''"]


def token_text(tokens: list[str]) -> st.SearchStrategy[str]:
    """Text made of the format's own tokens (and occasional random characters)."""
    piece = st.sampled_from(tokens) | st.text(max_size=3)
    return st.lists(piece, max_size=120).map("".join)


# --------------------------------------------------------------------------- mutations

_NUMBER = re.compile(rb"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
_IDENTIFIER = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_CONFUSABLE = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і"}


def _full_width(word: str, style: int) -> str:
    """A look-alike of an ASCII identifier: full-width letters, Cyrillic, or a ligature."""
    if style == 0:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)
    if style == 1:
        return "".join(_CONFUSABLE.get(c, c) for c in word)
    if style == 2:
        return word.replace("fi", "ﬁ").replace("f", "ﬀ")  # ligatures NFKC turns back into ASCII
    return word[:1] + "\u0301" + word[1:]  # a combining accent


@st.composite
def mutation(draw: st.DrawFn, size: int) -> tuple[Any, ...]:
    """One edit of a file of ``size`` bytes (positions are drawn, applied modulo the length)."""
    position = st.integers(0, max(size, 1))
    kind = draw(
        st.sampled_from(
            [
                "delete",
                "duplicate",
                "swap",
                "insert",
                "number",
                "lookalike",
                "deepen",
                "truncate",
                "repeat",
            ]
        )
    )
    if kind == "insert":
        return (kind, draw(position), draw(st.binary(min_size=1, max_size=20)))
    if kind == "number":
        return (kind, draw(st.integers(0, 10_000)), draw(st.sampled_from(WEIRD_NUMBERS)))
    if kind == "lookalike":
        return (kind, draw(st.integers(0, 10_000)), draw(st.integers(0, 3)))
    if kind == "deepen":
        return (kind, draw(st.integers(0, 10_000)), draw(st.integers(1, 2_000)))
    if kind == "truncate":
        return (kind, draw(position))
    if kind == "repeat":
        return (kind, draw(st.integers(0, 10_000)), draw(st.integers(2, 5_000)))
    return (kind, draw(position), draw(position), draw(st.integers(1, 200)))


def apply_mutation(data: bytes, edit: tuple[Any, ...]) -> bytes:
    """Apply one :func:`mutation` to ``data``."""
    kind, *args = edit
    size = max(len(data), 1)
    if kind == "delete":
        start, _, length = args
        start %= size
        return data[:start] + data[start + length :]
    if kind == "duplicate":
        start, _, length = args
        start %= size
        return data[: start + length] + data[start : start + length] + data[start + length :]
    if kind == "swap":
        first, second, length = args
        first, second = sorted((first % size, second % size))
        length = min(length, second - first)
        if length <= 0:
            return data
        a, b = data[first : first + length], data[second : second + length]
        return data[:first] + b + data[first + length : second] + a + data[second + length :]
    if kind == "insert":
        at, chunk = args
        at %= size
        return data[:at] + chunk + data[at:]
    if kind == "truncate":
        return data[: args[0] % size]
    if kind == "number":
        which, word = args
        matches = list(_NUMBER.finditer(data))
        if not matches:
            return data
        m = matches[which % len(matches)]
        return data[: m.start()] + word.encode() + data[m.end() :]
    if kind == "lookalike":
        which, style = args
        matches = list(_IDENTIFIER.finditer(data))
        if not matches:
            return data
        m = matches[which % len(matches)]
        word = _full_width(m.group().decode(), style).encode()
        return data[: m.start()] + word + data[m.end() :]
    if kind == "deepen":
        which, depth = args
        matches = list(re.finditer(rb"[\[{]", data))
        if not matches:
            return data
        m = matches[which % len(matches)]
        opening = m.group()
        closing = b"]" if opening == b"[" else b"}"
        end = _matching(data, m.start())
        if end is None:
            return data[: m.start()] + opening * depth + data[m.start() :]
        return (
            data[: m.start()]
            + opening * depth
            + data[m.start() : end + 1]
            + closing * depth
            + data[end + 1 :]
        )
    if kind == "repeat":
        which, times = args
        sections = _sections(data)
        start, end = sections[which % len(sections)]
        return data[:end] + data[start:end] * (times - 1) + data[end:]
    raise AssertionError(kind)


def _matching(data: bytes, start: int) -> int | None:
    """Index of the bracket closing the one at ``start`` (ignoring quoting), or None."""
    opening = data[start : start + 1]
    closing = b"]" if opening == b"[" else b"}"
    depth = 0
    for i in range(start, len(data)):
        char = data[i : i + 1]
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return i
    return None


def _sections(data: bytes) -> list[tuple[int, int]]:
    """TOML table sections (a header to the next) or, lacking headers, lines: byte ranges."""
    starts = [m.start() for m in re.finditer(rb"(?m)^\s*\[", data)]
    if not starts:
        starts = [0, *(m.end() for m in re.finditer(rb"\n", data))]
    ends = [*starts[1:], len(data)]
    return [(s, e) for s, e in zip(starts, ends, strict=True)] or [(0, len(data))]


ORIGINALS = {path.name: path.read_bytes() for path in BUNDLED}


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """A bundled file with one to four mutations applied, and its suffix."""
    name = draw(st.sampled_from(sorted(ORIGINALS)))
    data = ORIGINALS[name]
    for _ in range(draw(st.integers(1, 4))):
        data = apply_mutation(data, draw(mutation(len(data))))
    return Path(name).suffix, data


# --------------------------------------------------------------------------- structured documents

#: TOML values for payoff entries and parameters: sane, huge, tiny, malformed and wrong-typed.
TOML_VALUES = [
    "1",
    "-2.5",
    "-0",
    "0.0",
    "nan",
    "-inf",
    "inf",
    "1e999",
    "1e-400",
    "9" * 400,
    "-" + "9" * 320,
    "0x10",
    "0o17",
    "1_000",
    "true",
    "1979-05-27",
    "07:32:00",
    "[]",
    "[1, [2]]",
    "{}",
    "{ value = 1 }",
    '"p"',
    '"p * 2 - q"',
    '"1/0"',
    '"log(0)"',
    '"exp(1000)"',
    '"2**1000000"',
    '"10**10**10"',
    '"p if p > 1 else -p"',
    '"where(p, 1, 2)"',
    '"min()"',
    '"undefined_name"',
    '"ｐ"',
    '"p.q"',
    '"__import__"',
    '"[1]"',
    '"lambda: 1"',
    '"#"',
    '""',
    '" "',
    '"\\u0000"',
    '"' + "9" * 400 + '"',
    '"' + "(" * 120 + "1" + ")" * 120 + '"',
    '"' + "-" * 3000 + '1"',
    '"' + "p+" * 3000 + 'p"',
    "'''p\n* 2'''",
]
#: Identifiers, the first few sane, the rest hostile (look-alikes, keywords, non-identifiers).
NAMES = ["p", "q", "A", "B", "x_1", "ｐ", "рр", "ﬁ", "class", "1a", "a b", "", "é", "p" * 200]
#: Sane payoff entries (the hostile ones are TOML_VALUES).
SANE_VALUES = ["1", "-2.5", "0", "3", '"p"', '"2 * p - q"', '"max(p, q)"', '"p if p > 1 else -1"']


def mostly(draw: st.DrawFn, sane: list[str], hostile: list[str]) -> str:
    """One of ``sane`` nine times in ten, else one of ``hostile``: documents get deep enough."""
    return draw(st.sampled_from(sane if draw(st.integers(0, 9)) else hostile))


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def nested_values(draw: st.DrawFn, shape: tuple[int, ...]) -> str:
    """A TOML nested list of ``shape`` (now and then the wrong length) of mostly sane values."""
    if not shape:
        return mostly(draw, SANE_VALUES, TOML_VALUES)
    length = shape[0] if draw(st.integers(0, 19)) else draw(st.integers(0, 4))
    items = [draw(nested_values(shape[1:])) for _ in range(length)]
    return "[" + ", ".join(items) + "]"


@st.composite
def scenario_documents(draw: st.DrawFn) -> str:
    """A scenario TOML text following the schema, with a hostile value here and there."""
    lines = ["schema_version = " + mostly(draw, ["1"], ["2", '"1"', "1.0", "0"])]
    lines.append("title = " + mostly(draw, ['"t"'], ["1", '""', '"' + "t" * 5000 + '"']))
    players = draw(st.lists(st.sampled_from(NAMES[:5]), min_size=1, max_size=4, unique=True))
    if not draw(st.integers(0, 9)):
        players[0] = draw(st.sampled_from(NAMES))
    parameters = ["p", "q"] if draw(st.integers(0, 9)) else [draw(st.sampled_from(NAMES))]
    lines.append("[parameters]")
    for name in parameters:
        value = mostly(draw, ["1", "2.5", "0"], TOML_VALUES)
        if draw(st.booleans()):
            low = mostly(draw, ["-10", "0"], TOML_VALUES)
            high = mostly(draw, ["10", "3"], TOML_VALUES)
            value = f"{{ value = {value}, min = {low}, max = {high} }}"
        lines.append(f"{_quoted(name)} = {value}")
    if draw(st.booleans()):
        shape = tuple(draw(st.integers(1, 4)) if draw(st.integers(0, 19)) else 0 for _ in players)
        for i, player in enumerate(players):
            actions = ", ".join(_quoted(f"a{j}") for j in range(shape[i]))
            lines += [f"[players.{_quoted(player)}]", f"actions = [{actions}]"]
        lines.append("[payoffs]")
        for player in draw(st.permutations(players)):
            lines.append(f"{_quoted(player)} = {draw(nested_values(shape))}")
        return "\n".join(lines) + "\n"
    for player in players:
        lines.append(f"[players.{_quoted(player)}]")
    chips: list[str] = []
    odd = draw(st.integers(0, 100))  # the one chip (if any) with odd options
    for player in players:
        for _ in range(draw(st.integers(1, 3) | st.integers(1, 14))):
            chip = f"c{len(chips)}"
            options = draw(st.sampled_from(['["a", "b"]', '["a", "b", "c"]']))
            if len(chips) == odd:
                options = draw(st.sampled_from(['["a"]', '["a", "a"]', "[]", '["a", "ｂ"]']))
            chips.append(chip)
            lines += [f"[chips.{chip}]", f"player = {_quoted(player)}", f"options = {options}"]
    lines.append("[payoffs]")
    for player in players:
        terms = draw(st.lists(st.sampled_from(chips), min_size=1, max_size=60))
        pairs = zip(terms, reversed(terms), strict=True)
        expression = " + ".join(f"{c}.a * {d}.b" for c, d in pairs)
        expression += " * " + mostly(draw, ["p", "q", "1"], [v.strip('"') for v in TOML_VALUES])
        lines.append(f"{_quoted(player)} = {_quoted(expression)}")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(chips)))
        stages = ", ".join(
            "[" + ", ".join(_quoted(c) for c in stage) + "]" for stage in (chips[:cut], chips[cut:])
        )
        lines += ["[timing]", 'kind = "sequential"', f"stages = [{stages}]"]
    return "\n".join(lines) + "\n"


#: Words for .nfg payoffs and outcome numbers: sane first, then hostile.
NFG_WORDS = ["0", "1", "-3", "2.5", "3/2", "1e3", "+4", "1/0", "1e999", "9" * 400, "nan", "x", "-"]


@st.composite
def nfg_documents(draw: st.DrawFn) -> str:
    """A Gambit .nfg text with a hostile player count, strategy count or payoff here and there."""
    n_players = draw(st.integers(1, 3)) if draw(st.integers(0, 9)) else draw(st.integers(0, 70))
    head = 'NFG 1 R "g" { ' + " ".join(f'"p{i}"' for i in range(n_players)) + " }"
    sizes = []
    parts = []
    names = draw(st.integers(0, 9)) == 0
    for _ in range(n_players):
        if not names:
            count = (
                draw(st.integers(1, 4)) if draw(st.integers(0, 9)) else draw(st.integers(0, 10**8))
            )
            sizes.append(count)
            parts.append(str(count))
        else:
            listed = draw(st.lists(st.sampled_from(['"a"', '"b"', '""', '"c"']), max_size=4))
            sizes.append(len(listed))
            parts.append("{ " + " ".join(listed) + " }")
    body = "{ " + " ".join(parts) + " }"
    if draw(st.booleans()):
        body += ' "a comment"'
    profiles = math.prod(sizes) if all(0 < n <= 100 for n in sizes) else 4

    def word() -> str:
        return mostly(draw, NFG_WORDS[:7], NFG_WORDS)

    if draw(st.booleans()):
        count = min(profiles * n_players, 2_000)
        count += 0 if draw(st.integers(0, 9)) else draw(st.integers(-2, 2))
        payoffs = " ".join(word() for _ in range(max(count, 0)))
    else:
        outcomes = draw(st.integers(0, 5))
        table = " ".join(
            '{ "o" ' + ", ".join(word() for _ in range(n_players)) + " }" for _ in range(outcomes)
        )
        count = min(profiles, 2_000)
        count += 0 if draw(st.integers(0, 9)) else draw(st.integers(-2, 2))
        top = outcomes if draw(st.integers(0, 9)) else outcomes + 1
        numbers = " ".join(str(draw(st.integers(0, top))) for _ in range(max(count, 0)))
        payoffs = "{ " + table + " } " + numbers
    return f"{head}\n{body}\n{payoffs}\n"


# --------------------------------------------------------------------------- properties

#: The first failure the fuzzer found: a 400-digit integer in a payoff matrix raised
#: OverflowError (from ``float()``) instead of a ScenarioError naming the entry.
HUGE_INTEGER_PAYOFF = (
    ".toml",
    ORIGINALS["battle_of_the_sexes.toml"].replace(b"[[2, 0]", b"[[" + b"9" * 400 + b", 0]"),
)


@_fuzz_settings
@given(data=st.binary(max_size=2_000) | repeated_bytes(), suffix=st.sampled_from([".toml", ".nfg"]))
@example(data=b"x = " + b"9" * 5000, suffix=".toml")
@example(data=b'NFG 1 R "" { "A" } { 10000000 }', suffix=".nfg")
def test_any_bytes_in_a_file(data: bytes, suffix: str) -> None:
    check_bytes_everywhere(data, suffix)


@_fuzz_settings
@given(text=st.text(max_size=500) | token_text(TOML_TOKENS))
def test_any_text_as_a_scenario(text: str) -> None:
    check_toml_text(text)


@_fuzz_settings
@given(text=st.text(max_size=500) | token_text(NFG_TOKENS))
def test_any_text_as_nfg(text: str) -> None:
    check_nfg_text(text)


@_fuzz_settings
@given(mutated=mutated_file())
@example(mutated=HUGE_INTEGER_PAYOFF)
def test_mutated_bundled_files(mutated: tuple[str, bytes]) -> None:
    suffix, data = mutated
    check_bytes_everywhere(data, suffix)


@_fuzz_settings
@given(text=scenario_documents())
def test_scenario_documents_with_hostile_values(text: str) -> None:
    check_toml_text(text)


@_fuzz_settings
@given(text=nfg_documents())
def test_nfg_documents_with_hostile_sizes(text: str) -> None:
    check_nfg_text(text)


# --------------------------------------------------------------------------- regressions

SCENARIO = """schema_version = 1
title = "t"
[parameters]
p = {value}
[players.R]
actions = ["a", "b"]
[players.C]
actions = ["c", "d"]
[payoffs]
R = [[{entry}, 0], [0, 1]]
C = [[1, 0], [0, 1]]
"""


def _chips(us: int, terms: int) -> str:
    chips = "".join(f'[chips.u{i}]\nplayer = "US"\noptions = ["a", "b"]\n' for i in range(us))
    chips += "".join(f'[chips.c{i}]\nplayer = "CN"\noptions = ["a", "b"]\n' for i in range(2))
    expression = " + ".join(f"u{i % us}.a * c{i % 2}.b" for i in range(terms))
    return (
        f'schema_version = 1\ntitle = "t"\n[players.US]\n[players.CN]\n{chips}[payoffs]\n'
        f'US = "{expression}"\nCN = "{expression}"\n'
    )


def _players(n: int) -> str:
    return 'NFG 1 R "" { ' + " ".join(f'"p{i}"' for i in range(n)) + " }"


#: (name, suffix, text, expected message, expected key) for each bug found; every case is also
#: run through the whole harness (time, memory, error naming the file).
REGRESSIONS = [
    # A TOML integer beyond float64 in a payoff matrix: OverflowError from float().
    (
        "huge integer payoff",
        ".toml",
        SCENARIO.format(value=1, entry="9" * 400),
        "400 digits is outside the range of a 64-bit float",
        "payoffs.R[0][0]",
    ),
    # The same inside an expression string: OverflowError while converting the parsed constant.
    (
        "huge integer in an expression",
        ".toml",
        SCENARIO.format(value=1, entry='"p + ' + "9" * 400 + '"'),
        "outside the range of a 64-bit float",
        "payoffs.R[0][0]",
    ),
    # An integer of more than 4,300 digits: tomllib's int() raised ValueError.
    (
        "integer beyond the digit limit",
        ".toml",
        SCENARIO.format(value=1, entry="9" * 5000),
        "more than 4,300 digits",
        None,
    ),
    # pydantic echoed the whole 400-digit input in the message.
    (
        "long value not echoed",
        ".toml",
        SCENARIO.format(value="9" * 400, entry=1),
        r"valid number \(got 9{77}\.\.\.\)",
        "parameters.p.value",
    ),
    # The whole 9,000-character expression was echoed (twice) in the message.
    (
        "long expression not echoed",
        ".toml",
        SCENARIO.format(value=1, entry='"' + "x" * 9000 + '"'),
        r"unknown name 'x{77}\.\.\.'",
        "payoffs.R",
    ),
    # 14 KB of chips and a 450-term expression: game() ran for 53 s and took 680 MB.
    ("expression work over many chips", ".toml", _chips(20, 450), "array operations", "payoffs.US"),
    # 30 bytes declaring 10,000,000 strategies: 10 million names made (4.9 s, 1.1 GB).
    ("strategy count", ".nfg", 'NFG 1 R "" { "A" } { 10000000 }', "limit for one player", None),
    # 23 players of 2 strategies: a 1.5 GB payoff array allocated for a 200-byte file, and in
    # the outcome version 4.6 GB and 29 s for a 16 MB file.
    (
        "many players",
        ".nfg",
        _players(23) + " { " + "2 " * 23 + "} 1",
        "10,000,000 payoffs in all",
        None,
    ),
    (
        "many players, outcome version",
        ".nfg",
        _players(23) + " { " + "2 " * 23 + '} { { "" ' + "1 " * 23 + "} } 1",
        "10,000,000 payoffs in all",
        None,
    ),
    # Millions of numbers after a 2x2 game: the whole file was split into strings first.
    (
        "numbers past the payoffs",
        ".nfg",
        _players(2) + " { 2 2 } " + "1 " * 3_000_000,
        "expected the end of the file after all payoffs",
        None,
    ),
    # 63 players of one strategy: solve() raised IndexError (numpy takes at most 63 index
    # arrays); 64 players: loads_nfg raised ValueError (an array of 65 axes).
    (
        "63 players",
        ".nfg",
        _players(63) + " { " + "1 " * 63 + "} " + "0 " * 63,
        "the game has 63 players; the limit is 32",
        None,
    ),
    (
        "64 players",
        ".nfg",
        _players(64) + " { " + "1 " * 64 + "} " + "0 " * 64,
        "the game has 64 players; the limit is 32",
        None,
    ),
    # pydantic's message named an internal class ("instance of _ParameterSpec").
    (
        "parameter of the wrong type",
        ".toml",
        SCENARIO.format(value='"x"', entry=1),
        r"expected a number or a table such as \{ value = 0.5, min = 0 \}, got 'x'$",
        "parameters.p",
    ),
]


def _sequential(first: int, second: int, *, one_player: bool = False) -> str:
    """``first`` binary chips of US in stage 1, then ``second`` of CN (or of US) in stage 2."""
    later = "US" if one_player else "CN"
    chips = [(f"u{i}", "US") for i in range(first)] + [(f"c{i}", later) for i in range(second)]
    tables = "".join(f'[chips.{c}]\nplayer = "{p}"\noptions = ["a", "b"]\n' for c, p in chips)
    stage1 = ", ".join(f'"{c}"' for c, _ in chips[:first])
    stage2 = ", ".join(f'"{c}"' for c, _ in chips[first:])
    players = "[players.US]\n" + ("" if one_player else "[players.CN]\n")
    payoffs = 'US = "u0.a * c0.b"\n' + ("" if one_player else 'CN = "u0.b * c0.a"\n')
    return (
        f'schema_version = 1\ntitle = "t"\n{players}{tables}[payoffs]\n{payoffs}'
        f'[timing]\nkind = "sequential"\nstages = [[{stage1}], [{stage2}]]\n'
    )


#: Scenarios that load but whose game() went wrong: (name, text, expected message, key).
GAME_REGRESSIONS = [
    # 2^16384 plans: formatting the count for the error raised ValueError (more than 4,300
    # digits), after listing 16,384 histories.
    (
        "plan count with thousands of digits",
        _sequential(14, 1, one_player=True),
        r"about 10\^4,936 conditional plans",
    ),
    # 32 x 32,768 plans, each within the per-player limit: the normal form's million profiles
    # were played out one by one (minutes; the fuzzer's scenario ran for over 15 minutes).
    ("normal form of a million profiles", _sequential(4, 1), "1,048,576 pure profiles"),
    # Found by the fuzzer (FUZZ_SEED=31, thorough): one player, 9 x 3^9 = 177,147 plans, each
    # within the per-player limit; labelling and playing them out took 6-11 s.
    (
        "one player's 177,147 plans",
        'schema_version = 1\ntitle = "t"\n[players.p]\n'
        + "".join(f'[chips.c{i}]\nplayer = "p"\noptions = ["a", "b", "c"]\n' for i in range(3))
        + '[payoffs]\np = "c0.a * c0.b"\n'
        + '[timing]\nkind = "sequential"\nstages = [["c0", "c1"], ["c2"]]\n',
        "177,147 pure profiles",
    ),
]


@pytest.mark.parametrize(
    ("text", "match"), [case[1:] for case in GAME_REGRESSIONS], ids=[c[0] for c in GAME_REGRESSIONS]
)
def test_game_regressions_end_in_one_clear_error(text: str, match: str) -> None:
    check_toml_text(text)
    scenario = gt.load_string(text, source="regression")
    with pytest.raises(gt.GameTheoryError, match=match) as caught:
        scenario.game()
    assert caught.value.file == "regression"
    assert caught.value.key == "timing.stages"
    assert "spe()" in str(caught.value)


@pytest.mark.parametrize("form", ["1+{}", "-{}", "not {}", "c.x*{}", "1 if p else {}", "p<{}"])
def test_deeply_nested_chip_expressions_end_in_a_result_or_an_error(form: str) -> None:
    # The work estimate of chip-form payoffs (added for the 53-second case above) first walked
    # the tree recursively, two frames per level: 500 levels raised RecursionError.
    for depth in (100, 400, 500, 700, 990):
        expression = form.replace("{}", "") * depth + "1"
        text = (
            'schema_version = 1\ntitle = "t"\n[parameters]\np = 1\n[players.A]\n[players.B]\n'
            '[chips.c]\nplayer = "A"\noptions = ["x", "y"]\n'
            '[chips.d]\nplayer = "B"\noptions = ["x", "y"]\n'
            f'[payoffs]\nA = "{expression}"\nB = "d.x"\n'
        )
        check_toml_text(text)
        check_toml_text(text + '[timing]\nkind = "sequential"\nstages = [["c"], ["d"]]\n')


def _one_player_chips(options: list[str], count: int, extra: str = "") -> str:
    """One player holding ``count`` chips with these options (chips c0, c1, ...)."""
    listed = ", ".join(f'"{o}"' for o in options)
    chips = "".join(f'[chips.c{i}]\nplayer = "A"\noptions = [{listed}]\n' for i in range(count))
    return f'schema_version = 1\ntitle = "t"\n[players.A]\n{chips}{extra}[payoffs]\nA = "1"\n'


def test_a_player_with_most_chip_strategies_compiles_in_seconds() -> None:
    # 3^11 x 4 strategies: the 0/1 indicator of every chip option was built by a Python loop
    # over every strategy (5 s for 1.4 million strategies), and all were built though the
    # payoffs used three; now one vectorised step for each indicator used.
    extra = '[chips.d]\nplayer = "A"\noptions = ["x", "y"]\n'
    extra += '[chips.e]\nplayer = "A"\noptions = ["u", "v"]\n'
    text = _one_player_chips(["a", "b", "c"], 11, extra).replace(
        'A = "1"', 'A = "c0.a + 2 * c10.c - d.y"'
    )
    check_toml_text(text)
    game = gt.load_string(text).game()
    assert game.shape == (3**11 * 4,)
    labels = game.actions[0]
    payoffs = game.payoffs[0]
    for s in (0, 1, 2, 3, 5, 3**11 * 4 - 1, 123_457):
        options = labels[s].split("+")
        expected = (options[0] == "a") + 2 * (options[10] == "c") - (options[11] == "y")
        assert payoffs[s] == expected, labels[s]


#: Scenarios refused when loaded, each once a crash, a hang or gigabytes:
#: (name, text, expected message, key).
CHIP_REGRESSIONS = [
    # 15,000 players: formatting the game's size raised ValueError (more than 4,300 digits), and
    # the message listed every player's strategy count (22,000 characters for 5,000 players).
    (
        "fifteen thousand players",
        "".join(
            f'[players.p{i}]\n[chips.c{i}]\nplayer = "p{i}"\noptions = ["a", "b"]\n'
            for i in range(15_000)
        ).join(['schema_version = 1\ntitle = "t"\n', "[payoffs]\n"]),
        "15,000 players; the limit is 32",
        "players",
    ),
    # One player with 15,000 chips: 2^15,000 strategies, the same ValueError.
    ("fifteen thousand chips", _one_player_chips(["a", "b"], 15_000), r"about 10\^4,515", "chips"),
    # 2^21 strategies for one player: 2 million labels and indicators (gigabytes with long
    # option names) before anything was solved.
    ("two million strategies", _one_player_chips(["a", "b"], 21), "limit is 1,048,576", "chips"),
    # 2^20 strategies with 30-character option names: 650 million label characters.
    (
        "long labels",
        _one_player_chips(["a" * 30, "b" * 30], 20),
        "would take 649,068,544 characters",
        "chips",
    ),
]


@pytest.mark.parametrize(
    ("text", "match", "key"),
    [c[1:] for c in CHIP_REGRESSIONS],
    ids=[c[0] for c in CHIP_REGRESSIONS],
)
def test_chip_regressions_end_in_one_clear_error(text: str, match: str, key: str) -> None:
    check_toml_text(text)
    with pytest.raises(gt.ScenarioError, match=match) as caught:
        gt.load_string(text, source="regression")
    assert caught.value.key == key
    assert len(str(caught.value)) <= MESSAGE_CHARS


@pytest.mark.parametrize(
    ("suffix", "text", "match", "key"),
    [case[1:] for case in REGRESSIONS],
    ids=[case[0] for case in REGRESSIONS],
)
def test_regressions_end_in_one_clear_error(
    suffix: str, text: str, match: str, key: str | None
) -> None:
    check_bytes_everywhere(text.encode(), suffix)
    load = gt.load_string if suffix == ".toml" else gt.loads_nfg
    with pytest.raises(gt.GameTheoryError, match=match) as caught:
        load(text, source="regression")
    assert caught.value.file == "regression"
    assert caught.value.key == key
    assert len(str(caught.value)) <= MESSAGE_CHARS


def test_a_strategy_name_list_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # A name list stops at MAX_STRATEGIES entries instead of reading millions of names.
    monkeypatch.setattr(nfg, "MAX_STRATEGIES", 1_000)
    text = _players(1) + " { { " + '"" ' * 2_000 + "} } " + "1 " * 2_000
    with pytest.raises(gt.ScenarioError, match="at most 1,000 entries"):
        gt.loads_nfg(text)


@pytest.mark.parametrize("chunk", [1, 2, 5, 64])
def test_the_chunked_fast_path_reads_every_number_once(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    # Chunk boundaries fall inside numbers and inside runs of separators: no number may be cut,
    # lost or read twice, and the result must equal the token-by-token reading.
    monkeypatch.setattr(nfg, "_CHUNK", chunk)
    values = [str(v) for v in range(-20, 16)] + ["1.5e3", "-0.25", "+7", ".5"]
    body = "".join(
        f"{v}{sep}" for v, sep in zip(values, [" ", ",\n", "  ,  ", "\t"] * 10, strict=False)
    )
    header = _players(2) + " { 5 4 } "
    fast = gt.loads_nfg(header + body)
    slow = gt.loads_nfg(header + body.replace("+7", "14/2"))  # a rational forces the token path
    assert fast.payoffs.tolist() == slow.payoffs.tolist()
    assert sorted(fast.payoffs.reshape(-1).tolist()) == sorted(float(v) for v in values)
    with pytest.raises(gt.ScenarioError, match="payoff 40 of 40"):
        gt.loads_nfg(header + body.rsplit(".5", 1)[0])
    with pytest.raises(gt.ScenarioError, match="end of the file"):
        gt.loads_nfg(header + body + " 1")


def test_the_outcome_numbers_are_read_in_one_step_in_gambit_order() -> None:
    header = _players(2) + ' { 3 2 } { { "x" 1 2 } { "y" 3/2 -1 } } '
    game = gt.loads_nfg(header + "0 1 2, 2\n1 +0")
    # Profile (r, c) is number r + 3 c (the first player's strategy changes fastest).
    assert game.payoffs[0].tolist() == [[0.0, 1.5], [1.0, 1.0], [1.5, 0.0]]
    assert game.payoffs[1].tolist() == [[0.0, -1.0], [2.0, 2.0], [-1.0, 0.0]]
    with pytest.raises(gt.ScenarioError, match=r"profile 6 of 6 \(a whole number from 0 to 2\)"):
        gt.loads_nfg(header + "0 1 2 2 1 3")
    with pytest.raises(gt.ScenarioError, match=r"profile 3 of 6 .*found '2.0'"):
        gt.loads_nfg(header + "0 1 2.0 2 1 0")
    with pytest.raises(gt.ScenarioError, match="end of the file after all payoffs"):
        gt.loads_nfg(header + "0 1 2 2 1 0 0")


def test_identical_expression_entries_are_parsed_and_evaluated_once() -> None:
    # A 300x300 matrix of the same expression string: each entry used to be parsed and
    # evaluated on its own (a 5 MB file took 22 s).
    n = 300
    row = "[" + ", ".join(['"2 * p"'] * n) + "]"
    text = (
        SCENARIO.format(value=1.5, entry=1)
        .replace(
            'actions = ["a", "b"]', "actions = [" + ", ".join(f'"a{i}"' for i in range(n)) + "]", 1
        )
        .replace(
            'actions = ["c", "d"]', "actions = [" + ", ".join(f'"c{i}"' for i in range(n)) + "]", 1
        )
    )
    text = (
        text.split("[payoffs]")[0]
        + f"[payoffs]\nR = [{', '.join([row] * n)}]\nC = [{', '.join([row] * n)}]\n"
    )
    start = time.perf_counter()
    scenario = gt.load_string(text)
    entries = scenario.payoffs["R"].reshape(-1)
    assert len({id(e) for e in entries}) == 1
    assert (scenario.game(p=2.0).payoffs == 4.0).all()
    assert time.perf_counter() - start < SECONDS


# --------------------------------------------------------------------------- the harness works


def test_the_bundled_files_load_compile_and_solve_unmutated() -> None:
    for path in BUNDLED:
        check_file(path.read_bytes(), path.suffix)


def test_every_mutation_kind_changes_a_bundled_file() -> None:
    original = ORIGINALS["prisoners_dilemma.toml"]
    edits = [
        ("delete", 10, 0, 5),
        ("duplicate", 10, 0, 5),
        ("swap", 10, 100, 5),
        ("insert", 10, b"\x00"),
        ("number", 0, "1e999999"),
        ("lookalike", 3, 0),
        ("deepen", 0, 3),
        ("truncate", 50),
        ("repeat", 1, 3),
    ]
    for edit in edits:
        assert apply_mutation(original, edit) != original, edit


def test_the_watchdog_turns_a_hang_into_a_failure() -> None:
    def hang() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        with contextlib.suppress(Exception):  # as a library might: the watchdog gets through
            time.sleep(5)

    with pytest.raises(AssertionError, match="hang: no result after"), _bounded():
        _step("hang", hang)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs RLIMIT_AS and /proc")
def test_a_huge_allocation_fails_fast_instead_of_swapping() -> None:
    with pytest.raises(MemoryError), _bounded():
        bytearray(ADDRESS_HEADROOM + 2**30)


def test_a_stray_exception_or_a_long_message_is_reported() -> None:
    def boom() -> None:
        raise KeyError("x")

    def ramble() -> None:
        raise gt.ScenarioError("x" * (MESSAGE_CHARS + 1))

    with pytest.raises(KeyError):
        _step("boom", boom)
    with pytest.raises(AssertionError, match="character error"):
        _step("ramble", ramble)
