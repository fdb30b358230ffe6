"""Secrets out of everything writ prints, stores and reports.

A key leaks in ways nobody plans: a proxy echoes the ``Authorization`` header in its 401 body, which
becomes the error text of an episode, which is stored in the run store, shown in the report and
printed in the run summary; a ``--base-url http://user:secret@host`` is recorded verbatim in the
run's metadata. So the text crossing those boundaries goes through `redact`, which replaces

* the values of secret environment variables (``OPENAI_API_KEY`` and any ``*_API_KEY``,
  ``*_TOKEN``, ``*_SECRET``, ``*_PASSWORD`` of 8 characters or more), wherever they appear;
* ``Authorization: ...`` headers (Bearer, Basic or bare), ``Bearer ...`` tokens and
  ``api_key=...``-style parameters;
* keys of the well-known shapes (``sk-...``, ``hf_...``, ``ghp_...``, ``AKIA...``);
* the user and password of a URL (``http://user:pass@host`` -> ``http://***@host``)

with ``***``. Redaction is idempotent, and cheap on text that holds none of these.
"""

from __future__ import annotations

import os
import re
from typing import Any

__all__ = ["MASK", "redact", "redact_json", "redact_url", "secret_values"]

MASK = "***"
_SECRET_ENV = re.compile(r"(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD)$", re.IGNORECASE)
_MIN_SECRET = 8
_PATTERNS = [
    # Authorization: Bearer xyz / Authorization: xyz / "authorization": "xyz"
    (re.compile(r"""(?i)(["']?(?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(bearer|basic|token)\s+)?[^\s"',}]+"""),
     lambda m: f"{m.group(1)}{m.group(2) + ' ' if m.group(2) else ''}{MASK}"),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}"), lambda m: f"{m.group(1)} {MASK}"),
    (re.compile(r"""(?i)(["']?(?:api[_-]?key|access[_-]?token|auth[_-]?token|secret|password|x-api-key)"""
                r"""["']?\s*[:=]\s*["']?)[^\s"'&,}]+"""), lambda m: f"{m.group(1)}{MASK}"),
    (re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_-]{16,}"), lambda m: MASK),
    (re.compile(r"\b(?:hf|ghp|gho|ghs|github_pat|xox[abp])_[A-Za-z0-9_]{16,}"), lambda m: MASK),
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), lambda m: MASK),
    # scheme://user:pass@host and scheme://token@host
    (re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^\s/@:]+(?::[^\s/@]*)?@"), lambda m: f"{m.group(1)}{MASK}@"),
]
_QUICK = re.compile(
    r"(?i)authoriz|bearer|api[_-]?key|token|secret|password|sk-|rk-|pk-|hf_|gh[pos]_|github_pat|xox|AKIA|@")


def secret_values() -> list[str]:
    """The values of secret-looking environment variables, longest first (read at each call)."""
    values = {v for k, v in os.environ.items() if _SECRET_ENV.search(k) and len(v) >= _MIN_SECRET and v != "EMPTY"}
    return sorted(values, key=len, reverse=True)


def redact(text: str, secrets: list[str] | None = None) -> str:
    """`text` with every secret replaced by ``***`` (see the module docstring)."""
    if not text:
        return text
    for value in secret_values() if secrets is None else secrets:
        if value in text:
            text = text.replace(value, MASK)
    if not _QUICK.search(text):
        return text
    for pattern, replace in _PATTERNS:
        text = pattern.sub(replace, text)
    return text


def redact_url(url: str) -> str:
    """A URL without its user and password (``http://u:p@h/v1`` -> ``http://***@h/v1``)."""
    return redact(url)


def redact_json(value: Any, secrets: list[str] | None = None) -> Any:
    """Every string inside a JSON-like value redacted (dicts and lists are copied, not changed)."""
    secrets = secret_values() if secrets is None else secrets
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {k: redact_json(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_json(v, secrets) for v in value]
    return value
