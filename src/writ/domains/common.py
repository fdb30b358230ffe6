"""Tools shared by several domains: `calculate` (safe arithmetic) and `transfer_to_human_agents`.

`calculate` must answer exactly what tau2-bench's does for every input a model may send, including
its error texts, but it must never hand model output to `eval`. It therefore parses the expression
with `ast` and evaluates only number literals, the four operators, power, floor division, unary
signs and parentheses; anything else reproduces the error Python itself would have raised.
"""

from __future__ import annotations

import ast
import operator
from typing import Any

from writ.core import ToolError

__all__ = ["calculate", "transfer_to_human_agents"]

_ALLOWED = set("0123456789+-*/(). ")
_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Pow: operator.pow,
}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_MAX_INT_BITS = 4096  # beyond this no float exists, and computing the int could take forever


def _power(base: Any, exponent: Any) -> Any:
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        if exponent * max(base.bit_length() - 1, 1) > _MAX_INT_BITS:
            raise OverflowError("int too large to convert to float")
    return operator.pow(base, exponent)


def _evaluate(node: ast.AST) -> Any:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow):
            return _power(left, right)
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.Tuple):
        return tuple(_evaluate(e) for e in node.elts)
    if isinstance(node, ast.Call):
        func = _evaluate(node.func)
        raise TypeError(f"'{type(func).__name__}' object is not callable")
    if isinstance(node, ast.Attribute):  # e.g. "1 .5": Python looks up the attribute and fails
        value = _evaluate(node.value)
        raise AttributeError(f"'{type(value).__name__}' object has no attribute '{node.attr}'")
    raise SyntaxError("invalid syntax (<string>, line 1)")


def safe_arithmetic(expression: str) -> float:
    """Evaluate an arithmetic expression of numbers and + - * / // ** ( ) without `eval`."""
    tree = ast.parse(expression, filename="<string>", mode="eval")
    return float(_evaluate(tree))


def calculate(db: Any, expression: str) -> str:
    """Calculate the result of a mathematical expression.

    Args:
        expression: The mathematical expression to calculate, such as '2 + 2'. The expression can contain numbers,
            operators (+, -, *, /), parentheses, and spaces.

    Returns:
        The result of the mathematical expression.
    """
    if not all(ch in _ALLOWED for ch in expression):
        raise ToolError("Invalid characters in expression")
    return str(round(safe_arithmetic(expression), 2))


def transfer_to_human_agents(db: Any, summary: str) -> str:
    """Transfer the user to a human agent, with a summary of the user's issue.

    Only transfer if
     -  the user explicitly asks for a human agent
     -  given the policy and the available tools, you cannot solve the user's issue.

    Args:
        summary: A summary of the user's issue.

    Returns:
        A message indicating the user has been transferred to a human agent.
    """
    return "Transfer successful"
