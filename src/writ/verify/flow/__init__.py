"""The information-flow verifier (see `writ.verify.flow.walker`) with each domain's rules."""

from __future__ import annotations

import importlib

from writ.verify.base import Check, Context, register
from writ.verify.flow.walker import Flow, FlowRules, numbers_in, run_flow

__all__ = ["Flow", "FlowRules", "information_flow", "numbers_in", "rules_for"]

_RULES: dict[str, FlowRules] = {}


def _base(domain: str) -> str:
    """A domain's rules module: a retrieval variant (``banking_knowledge-grep_only``) shares its domain's."""
    return domain.split("-", 1)[0]


def rules_for(domain: str) -> FlowRules:
    """The domain's rules; a domain without its own module gets the strict defaults (no choices)."""
    if domain not in _RULES:
        try:
            module = importlib.import_module(f"writ.verify.flow.{_base(domain)}")
        except ModuleNotFoundError as exc:
            if exc.name != f"writ.verify.flow.{_base(domain)}":
                raise
            _RULES[domain] = FlowRules()
        else:
            _RULES[domain] = module.RULES
    return _RULES[domain]


@register("information_flow")
def information_flow(ctx: Context) -> Check:
    return run_flow(ctx, rules_for(ctx.data.domain.name))
