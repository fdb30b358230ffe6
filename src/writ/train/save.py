"""The output directory: a plain Hugging Face model that `hf:PATH` and vLLM load as they are.

What makes it directly usable, and why each piece is here:

* LoRA adapters are merged into the base (``lora.merge``, the default): vLLM and
  `writ.models.hf_local` load a model directory, not a base plus an adapter. One process merges
  in memory; under FSDP or ZeRO-3 the trainer gathers and saves the adapter and the main process
  merges it from disk;
* the tokenizer is saved with the *training* chat template (`writ.train.template`): if the base
  template could not render tools, the saved one can, so evaluation prompts are the training
  prompts and vLLM's ``hermes`` tool parser reads the ``<tool_call>`` blocks the model learned;
* ``generation_config.json`` stops at the tokenizer's end-of-turn token, which vLLM and
  ``generate`` use as the end of an answer;
* ``writ_train.json`` records the recipe, the data's SHA-256, the steps and every logged loss, so
  a model can always be traced to the run that made it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported for annotations only: trainer imports this module
    from writ.train.data import ExportData
    from writ.train.trainer import TrainResult

__all__ = ["MANIFEST", "merge_saved_adapter", "save_model", "write_manifest"]

MANIFEST = "writ_train.json"


def _stop_at_end_of_turn(model: Any, tokenizer: Any) -> None:
    eos = tokenizer.eos_token_id
    config = getattr(model, "generation_config", None)
    if eos is None or config is None:
        return
    current = config.eos_token_id
    ids = list(current) if isinstance(current, (list, tuple)) else ([] if current is None else [current])
    if eos not in ids:
        config.eos_token_id = ids + [eos] if ids else eos
    if config.pad_token_id is None:
        config.pad_token_id = tokenizer.pad_token_id


def _ready(model: Any, tokenizer: Any) -> None:
    if getattr(model, "config", None) is not None:
        model.config.use_cache = True  # gradient checkpointing turns it off; inference wants it
    _stop_at_end_of_turn(model, tokenizer)


def merge_saved_adapter(out: Path, base_model: str, tokenizer: Any, dtype: str = "auto") -> None:
    """Replace the LoRA adapter saved in `out` by base + adapter merged into a plain model.

    Used when the adapter could not be merged in memory (several processes: FSDP or ZeRO-3 hold
    only shards). The adapter files are removed afterwards: ``transformers`` would otherwise take
    the directory for an adapter and go looking for its base model.
    """
    from peft import PeftModel

    from writ.train.model import load_base

    base, _ = load_base(base_model, dtype=dtype)
    merged = PeftModel.from_pretrained(base, str(out)).merge_and_unload()
    for name in ("adapter_config.json", "adapter_model.safetensors", "adapter_model.bin"):
        (out / name).unlink(missing_ok=True)
    _ready(merged, tokenizer)
    merged.save_pretrained(str(out))


def save_model(trainer: Any, tokenizer: Any, template: str, out: Path, *, lora: bool, merge: bool,
               base_model: str = "", dtype: str = "auto") -> None:
    """Write the trained model (merged when LoRA and `merge`) and its tokenizer to `out`.

    One process merges in memory. Several processes let the trainer gather and save (the adapter,
    for LoRA), then the main process merges from disk (`merge_saved_adapter`).
    """
    out.mkdir(parents=True, exist_ok=True)
    main = trainer.is_world_process_zero()
    if lora and merge and trainer.args.world_size == 1:
        model = trainer.model.merge_and_unload()
        _ready(model, tokenizer)
        model.save_pretrained(str(out))
    else:
        _ready(trainer.model, tokenizer)
        trainer.save_model(str(out))
        if lora and merge and main:
            merge_saved_adapter(out, base_model, tokenizer, dtype)
    if not main:
        return
    tokenizer.chat_template = template
    tokenizer.save_pretrained(str(out))
    (out / "training_args.bin").unlink(missing_ok=True)  # the trainer's pickle; writ_train.json says it all
    checkpoints = out / "checkpoints"
    if checkpoints.is_dir() and not any(checkpoints.iterdir()):
        shutil.rmtree(checkpoints)


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    found = {}
    for name in ("writ", "torch", "transformers", "trl", "peft", "datasets", "accelerate"):
        try:
            found[name] = md.version(name)
        except md.PackageNotFoundError:
            continue
    return found


def write_manifest(result: TrainResult, data: ExportData) -> Path:
    """``OUT/writ_train.json``: recipe, data identity, preparation counts, steps and losses."""
    body = {
        "recipe": result.recipe.to_json(),
        "method": result.recipe.method,
        "base_model": result.recipe.model,
        "merged": result.merged,
        "chat_template": result.template,
        "data": {"path": str(data.path), "sha256": data.digest, "files": data.sha256,
                 "rows": {split: len(rows) for split, rows in data.rows.items()}},
        "preparation": {split: stats.to_json() for split, stats in result.stats.items()},
        "steps": result.steps,
        "train_loss": result.train_loss,
        "eval_loss": result.eval_loss,
        "losses": result.losses,
        "seconds": round(result.seconds, 2),
        "trl_options_dropped": result.dropped_options,
        "versions": _versions(),
    }
    path = result.out / MANIFEST
    path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
