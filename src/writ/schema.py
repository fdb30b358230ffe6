"""OpenAI function schemas derived from a tool's type hints and Google-style docstring.

Tools are written once, as typed Python functions; the schema a model sees is derived from them so
that the two can never drift apart. The layout follows tau2-bench's (a JSON-schema object titled
``parameters``, property titles in Title Case, descriptions from the ``Args:`` section).
"""

from __future__ import annotations

import inspect
import re
from typing import Any, Callable, get_type_hints

from pydantic import TypeAdapter

__all__ = ["function_schema", "parse_docstring"]

_SECTION = re.compile(r"^\s*(Args|Arguments|Returns|Raises|Yields|Examples?|Notes?)\s*:\s*$")


def parse_docstring(doc: str | None) -> tuple[str, dict[str, str]]:
    """Split a Google-style docstring into (description, {argument: description})."""
    if not doc:
        return "", {}
    lines = inspect.cleandoc(doc).splitlines()
    description: list[str] = []
    args: dict[str, str] = {}
    section = None
    current = None
    for line in lines:
        match = _SECTION.match(line)
        if match:
            section = match.group(1)
            current = None
            continue
        if section is None:
            description.append(line)
        elif section in ("Args", "Arguments"):
            item = re.match(r"^\s{0,8}(\w+)\s*(\([^)]*\))?\s*:\s*(.*)$", line)
            if item and (current is None or len(line) - len(line.lstrip()) <= 4):
                current = item.group(1)
                args[current] = item.group(3).strip()
            elif current and line.strip():
                args[current] = (args[current] + " " + line.strip()).strip()
    paragraphs = "\n".join(description).strip().split("\n\n")
    text = "\n\n".join(" ".join(p.split("\n")).strip() for p in paragraphs if p.strip())
    return text, args


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = dict(defs[ref.split("/")[-1]])
            extra = {k: v for k, v in node.items() if k != "$ref"}
            return _inline_refs({**target, **extra}, defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def function_schema(fn: Callable, name: str | None = None, skip_first: bool = True) -> dict[str, Any]:
    """The OpenAI ``{"type": "function", "function": {...}}`` schema of `fn`.

    `skip_first` drops the leading parameter (the database a tool receives from the environment).
    """
    signature = inspect.signature(fn)
    hints = get_type_hints(fn)
    description, arg_docs = parse_docstring(fn.__doc__)
    properties: dict[str, Any] = {}
    required: list[str] = []
    params = list(signature.parameters.values())[1 if skip_first else 0 :]
    for param in params:
        annotation = hints.get(param.name, Any)
        schema = TypeAdapter(annotation).json_schema()
        schema = _inline_refs(schema, schema.get("$defs", {}))
        prop = {"title": param.name.replace("_", " ").title(), **schema}
        if param.name in arg_docs:
            prop["description"] = arg_docs[param.name]
        if param.default is inspect.Parameter.empty:
            required.append(param.name)
        else:
            prop["default"] = param.default
        properties[param.name] = prop
    return {
        "type": "function",
        "function": {
            "name": name or fn.__name__,
            "description": description,
            "parameters": {"type": "object", "title": "parameters", "properties": properties, "required": required},
        },
    }
