"""The domain registry: a plain dict from name to the module that defines ``DOMAIN``.

Adding a domain is adding a folder with a ``DOMAIN`` object and one line here; nothing else in
writ changes. Modules are imported on first use so that `writ domains` stays fast.
"""

from __future__ import annotations

import importlib

from writ.core import Domain

__all__ = ["DOMAIN_MODULES", "domain_names", "get_domain", "UnknownDomain"]

DOMAIN_MODULES: dict[str, str] = {
    "airline": "writ.domains.airline",
    "retail": "writ.domains.retail",
    "telecom": "writ.domains.telecom",
    "mock": "writ.domains.mock",
}


class UnknownDomain(KeyError):
    def __str__(self) -> str:
        return f"unknown domain {self.args[0]!r} (choose from {', '.join(DOMAIN_MODULES)})"


def domain_names() -> list[str]:
    return list(DOMAIN_MODULES)


def get_domain(name: str) -> Domain:
    if name not in DOMAIN_MODULES:
        raise UnknownDomain(name)
    return importlib.import_module(DOMAIN_MODULES[name]).DOMAIN
