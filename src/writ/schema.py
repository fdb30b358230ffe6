"""OpenAI function schemas: derived from a tool's type hints and docstring, checked, and used to check.

Tools are written once, as typed Python functions; the schema a model sees is derived from them so
that the two can never drift apart. The layout follows tau2-bench's (a JSON-schema object titled
``parameters``, property titles in Title Case, descriptions from the ``Args:`` section).

This module is also the one schema checker: `schema_problem` says whether a schema is one a model
API accepts (the conformance check), `argument_problem` whether a model's arguments fit it (the
protocol verifier), with JSON Schema's types, so ``true`` is never an integer and ``1.5`` never a
string.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from typing import Any, get_type_hints

from pydantic import TypeAdapter

__all__ = ["JSON_TYPES", "argument_problem", "function_schema", "parse_docstring", "schema_problem"]

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


# -- checking ----------------------------------------------------------------------------------------
JSON_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")


def _is_type(value: Any, kind: str) -> bool:
    if kind == "integer":  # JSON Schema: a whole number; a bool is not one even though Python says so
        return not isinstance(value, bool) and (
            isinstance(value, int) or (isinstance(value, float) and value.is_integer()))
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    python = {"string": str, "boolean": bool, "array": list, "object": dict}.get(kind)
    if python is not None:
        return isinstance(value, python)
    return value is None if kind == "null" else True  # an unknown type name constrains nothing


def _value_problem(value: Any, schema: dict[str, Any], where: str) -> str | None:
    """Why `value` does not fit `schema` (a JSON-schema node), or None."""
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        problems = [_value_problem(value, alt, where) for alt in alternatives]
        if all(problems):
            kinds = list(dict.fromkeys(k for alt in alternatives for k in _types(alt)))
            return f"{where} should be {'/'.join(kinds)}" if kinds else problems[0]
        return None
    kinds = _types(schema)
    if kinds and not any(_is_type(value, k) for k in kinds):
        return f"{where} should be {'/'.join(kinds)}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{where} should be one of {', '.join(json.dumps(v) for v in schema['enum'])}"
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            problem = _value_problem(item, schema["items"], f"{where}[{i}]")
            if problem:
                return problem
    if isinstance(value, dict) and ("properties" in schema or "required" in schema):
        return _object_problem(value, schema, where)
    return None


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    return [kind] if isinstance(kind, str) else list(kind or [])


def _object_problem(value: dict[str, Any], schema: dict[str, Any], where: str) -> str | None:
    """Required keys present, no unknown keys where they are not allowed, every value fits.

    At the top level (`where` empty) the keys are a tool's arguments, and a tool takes nothing
    else; inside, an object is open unless its schema says ``additionalProperties: false``.
    """
    props = schema.get("properties") or {}
    inside = f" in {where}" if where else ""
    noun = "field" if where else "argument"
    closed = not where or schema.get("additionalProperties") is False
    if closed:
        unknown = next((key for key in value if key not in props), None)
        if unknown is not None:
            return f"unknown {noun} {unknown!r}{inside}"
    for key in schema.get("required") or []:
        if key not in value:
            return f"missing {noun} {key!r}{inside}"
    for key, item in value.items():
        if key not in props:
            continue
        problem = _value_problem(item, props[key], f"{where}.{key}" if where else f"argument {key!r}")
        if problem:
            return problem
    return None


def argument_problem(schema: dict[str, Any], arguments: dict[str, Any]) -> str | None:
    """Why a call's `arguments` do not fit a tool's OpenAI `schema` (unknown or missing argument,
    wrong JSON type, value outside an enum, the same inside arrays and objects), or None."""
    if not isinstance(arguments, dict):
        return "arguments must be a JSON object"
    params = schema.get("function", schema).get("parameters") or {}
    return _object_problem(arguments, params, "")


def schema_problem(schema: dict[str, Any]) -> str | None:
    """Why `schema` is not a valid OpenAI function schema (what a model API refuses), or None."""
    fn = schema.get("function", {})
    params = fn.get("parameters", {})
    if schema.get("type") != "function" or not fn.get("name"):
        return "not an OpenAI function schema"
    if not fn.get("description"):
        return f"{fn['name']}: empty description"
    if params.get("type") != "object" or not isinstance(params.get("properties"), dict):
        return f"{fn['name']}: parameters must be an object schema"
    for req in params.get("required", []):
        if req not in params["properties"]:
            return f"{fn['name']}: required {req!r} is not a property"
    for name, prop in params["properties"].items():
        kinds = _types(prop) + [k for alt in prop.get("anyOf", []) for k in _types(alt)]
        if not any(k in JSON_TYPES for k in kinds):
            return f"{fn['name']}.{name}: no JSON type"
    try:
        json.dumps(schema)
    except (TypeError, ValueError) as exc:
        return f"{fn['name']}: not JSON-serializable ({exc})"
    return None
