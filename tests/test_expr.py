"""The payoff expression language: what it accepts, what it refuses, how it evaluates."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory import ExpressionError, parse


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("1 + 2 * 3", {}, 7.0),
        ("2 ** 3 - -1", {}, 9.0),
        ("x / 4", {"x": 2.0}, 0.5),
        ("min(x, 3, 5) + max(x, 3)", {"x": 1.0}, 4.0),
        ("abs(-x) + exp(0) + log(1)", {"x": 2.0}, 3.0),
        ("where(x > 1, 10, 20)", {"x": 2.0}, 10.0),
        ("10 if x <= 1 else 20", {"x": 2.0}, 20.0),
        ("(x > 1) + (x == 2) + (x != 2)", {"x": 2.0}, 2.0),
        ("0 < x < 3", {"x": 2.0}, 1.0),
        ("(x > 1) and not (x > 5) or 0", {"x": 2.0}, 1.0),
        ("8 * magnets.license - 2", {"magnets.license": 1.0}, 6.0),
        ("  a\n + b\n", {"a": 1.0, "b": 2.0}, 3.0),
        ("-crash", {"crash": 10.0}, -10.0),
    ],
)
def test_evaluates(text, env, expected) -> None:
    assert float(parse(text).evaluate(env)) == pytest.approx(expected)


def test_numbers_are_expressions_too() -> None:
    assert float(parse(3).evaluate({})) == 3.0
    assert float(parse(-0.5).evaluate({})) == -0.5


def test_vectorised_over_parameter_arrays() -> None:
    e = parse("tariff * exposure - where(tariff > 0.5, 1, 0)")
    tariff = np.linspace(0, 1, 5)
    out = e.evaluate({"tariff": tariff, "exposure": 2.0})
    assert out.tolist() == pytest.approx((2 * tariff - (tariff > 0.5)).tolist())


def test_names_are_collected_and_checked() -> None:
    e = parse("a * chip.opt + b")
    assert e.names == {"a", "b", "chip.opt"}
    e.check_names({"a", "b", "chip.opt"})
    with pytest.raises(ExpressionError, match=r"unknown name 'b'.*did you mean 'bb'"):
        e.check_names({"a", "bb", "chip.opt"})


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('echo hi')",
        "x.__class__",
        "a.b.c",
        "x[0]",
        "lambda: 1",
        "'text'",
        "open('f')",
        "min(x, key=1)",
        "[1, 2]",
        "x // 2",
        "x % 2",
        "True",
        "x if",
        "",
        "a # comment",
        "f(x)",
        "(x := 1)",
    ],
)
def test_refuses_anything_outside_the_language(text) -> None:
    with pytest.raises(ExpressionError):
        parse(text)


def test_non_finite_results_name_the_reason() -> None:
    with pytest.raises(ExpressionError, match="division by zero"):
        parse("1 / (x - 1)").evaluate({"x": 1.0})
    with pytest.raises(ExpressionError, match="log of a non-positive"):
        parse("log(x)").evaluate({"x": 0.0})
    with pytest.raises(ExpressionError, match="not a finite number"):
        parse("10 ** 400").evaluate({})


def test_division_by_zero_in_an_unselected_branch_is_fine() -> None:
    assert float(parse("where(x == 0, 0, 1 / x)").evaluate({"x": 0.0})) == 0.0


def test_deeply_nested_input_gets_a_clear_error() -> None:
    with pytest.raises(ExpressionError):
        parse("(" * 5000 + "1" + ")" * 5000)
    with pytest.raises(ExpressionError, match="longer than"):
        parse("1+" * 6000 + "1")
