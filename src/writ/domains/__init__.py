"""The domain registry: a plain dict from name to the module that defines ``DOMAIN``.

Adding a domain is adding a folder with a ``DOMAIN`` object and one line here; nothing else in
writ changes. Modules are imported on first use so that `writ domains` stays fast.

A domain module may also offer variants, named ``<domain>-<variant>`` (e.g.
``banking_knowledge-grep_only``, one retrieval configuration of tau2's banking domain): its
``variant(name)`` returns the variant's `Domain`, and its ``VARIANTS`` lists the names.
"""

from __future__ import annotations

import importlib

from writ.core import Domain

__all__ = ["DOMAIN_MODULES", "domain_names", "domain_variants", "get_domain", "UnknownDomain"]

DOMAIN_MODULES: dict[str, str] = {
    "airline": "writ.domains.airline",
    "retail": "writ.domains.retail",
    "telecom": "writ.domains.telecom",
    "mock": "writ.domains.mock",
    "banking_knowledge": "writ.domains.banking_knowledge",
}


class UnknownDomain(KeyError):
    def __str__(self) -> str:
        choices = self.args[1] if len(self.args) > 1 else list(DOMAIN_MODULES)
        return f"unknown domain {self.args[0]!r} (choose from {', '.join(choices)})"


def domain_names() -> list[str]:
    return list(DOMAIN_MODULES)


def domain_variants(name: str) -> list[str]:
    """The variant names (``<name>-<variant>``) a domain offers besides its default."""
    module = importlib.import_module(DOMAIN_MODULES[name])
    return [f"{name}-{v}" for v in getattr(module, "VARIANTS", [])]


def get_domain(name: str) -> Domain:
    if name in DOMAIN_MODULES:
        return importlib.import_module(DOMAIN_MODULES[name]).DOMAIN
    family, sep, variant = name.partition("-")
    if sep and family in DOMAIN_MODULES:
        module = importlib.import_module(DOMAIN_MODULES[family])
        if variant in getattr(module, "VARIANTS", []):
            return module.variant(variant)
        raise UnknownDomain(name, [f"{family}-{v}" for v in getattr(module, "VARIANTS", [])])
    raise UnknownDomain(name)
