"""`train`: a writ export and a recipe in, a fine-tuned model directory out (TRL's SFTTrainer).

The division of labour with TRL is deliberate. writ builds the tokenized examples itself
(`writ.train.labels`: assistant-only labels from any chat template, per-turn weights, turn-boundary
truncation) and hands SFTTrainer a dataset of ``input_ids`` + ``labels`` with
``skip_prepare_dataset``, plus a plain padding collator: TRL then contributes what it is good at
(the training loop, LoRA wrapping through peft, gradient checkpointing, bf16, multi-GPU through
accelerate) and none of its dataset preparation, whose defaults (truncating mid-turn, labels from
``{% generation %}`` markers) change between releases. Packing stays off: packed multi-turn
conversations would attend across trajectories.

Options are passed to `SFTConfig` only when the installed TRL knows them, so the same code runs on
the TRL releases the ``train`` extra allows; an option a recipe relies on that TRL lacks is an error.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writ.train.data import Prepared, load_export, prepare
from writ.train.labels import IGNORE, Example, PrepStats
from writ.train.model import TRAIN_EXTRA, TrainSetupError, load_base, train_available
from writ.train.recipe import Recipe
from writ.train.save import save_model, write_manifest
from writ.train.template import training_template

__all__ = ["PadCollator", "TrainResult", "sft_config", "train"]

# SFTConfig options that only tune or describe; dropped (and noted) when the installed TRL lacks them.
_OPTIONAL = {"max_length", "packing", "dataset_kwargs", "report_to", "disable_tqdm", "save_only_model",
             "gradient_checkpointing_kwargs", "activation_checkpointing_kwargs", "average_tokens_across_devices",
             "shuffle_dataset", "warmup_ratio"}


@dataclass
class TrainResult:
    """What a training run did; the same figures are written to ``OUT/writ_train.json``."""

    out: Path
    recipe: Recipe
    steps: int
    losses: list[dict[str, float]]
    train_loss: float | None
    eval_loss: float | None
    stats: dict[str, PrepStats]
    seconds: float
    template: str
    merged: bool
    data_sha256: str
    dropped_options: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        first = self.losses[0]["loss"] if self.losses else None
        last = self.losses[-1]["loss"] if self.losses else None
        out = [f"trained {self.recipe.name} ({self.recipe.method}) for {self.steps} steps in {self.seconds:.0f}s"]
        if first is not None:
            out.append(f"loss {first:.4f} -> {last:.4f}" + (f"; validation loss {self.eval_loss:.4f}"
                                                             if self.eval_loss is not None else ""))
        for split, stats in self.stats.items():
            out += [f"{split}: {line}" for line in stats.lines()]
        if self.recipe.method == "lora" and not self.merged:
            out.append(f"saved the LoRA adapter to {self.out} (not merged: load it with peft; hf:PATH and vLLM "
                       "need lora.merge: true)")
        else:
            out.append(f"saved the model to {self.out}: writ eval --agent hf:{self.out}")
        return out


class PadCollator:
    """Right-pads ``input_ids`` (pad id) and ``labels`` (-100) and builds the attention mask."""

    def __init__(self, pad_token_id: int):
        self.pad_token_id = pad_token_id

    def __call__(self, features: list[dict[str, Any]]) -> dict[str, Any]:
        import torch

        width = max(len(f["input_ids"]) for f in features)
        ids = torch.full((len(features), width), self.pad_token_id, dtype=torch.long)
        labels = torch.full((len(features), width), IGNORE, dtype=torch.long)
        mask = torch.zeros((len(features), width), dtype=torch.long)
        for row, f in enumerate(features):
            n = len(f["input_ids"])
            ids[row, :n] = torch.as_tensor(f["input_ids"], dtype=torch.long)
            labels[row, :n] = torch.as_tensor(f["labels"], dtype=torch.long)
            mask[row, :n] = 1
        return {"input_ids": ids, "labels": labels, "attention_mask": mask}


def _dataset(examples: list[Example]) -> Any:
    import datasets

    return datasets.Dataset.from_dict({"input_ids": [e.input_ids for e in examples],
                                       "labels": [e.labels for e in examples]})


def sft_config(recipe: Recipe, output_dir: Path) -> tuple[Any, list[str]]:
    """The `SFTConfig` for a recipe, and the optional options this TRL does not know (dropped)."""
    from trl import SFTConfig

    known = {f.name for f in dataclasses.fields(SFTConfig)}
    options: dict[str, Any] = {
        "output_dir": str(output_dir),
        "learning_rate": recipe.lr,
        "num_train_epochs": recipe.epochs,
        "max_steps": recipe.max_steps,
        "per_device_train_batch_size": recipe.per_device_batch_size,
        "per_device_eval_batch_size": recipe.per_device_batch_size,
        "gradient_accumulation_steps": recipe.gradient_accumulation_steps,
        "lr_scheduler_type": recipe.lr_scheduler,
        "weight_decay": recipe.weight_decay,
        "max_grad_norm": recipe.max_grad_norm,
        "bf16": recipe.bf16,
        "seed": recipe.seed,
        "logging_steps": recipe.logging_steps,
        "save_strategy": recipe.checkpoints,
        "save_steps": recipe.save_steps,
        "eval_strategy": "no",  # the validation loss is computed once, at the end (see train)
        "remove_unused_columns": False,
        "max_length": recipe.max_length,
        "packing": False,
        "dataset_kwargs": {"skip_prepare_dataset": True},
        "report_to": "none",
        "save_only_model": True,
        "disable_tqdm": False,
    }
    if recipe.gradient_checkpointing:  # transformers 5 renamed it; the old name still works there, with a warning
        name = "activation_checkpointing" if "activation_checkpointing" in known else "gradient_checkpointing"
        options[name] = True
        options[f"{name}_kwargs"] = {"use_reentrant": False}
    if 0 < recipe.warmup < 1 and "warmup_ratio" in known:
        options["warmup_ratio"] = recipe.warmup
    else:
        options["warmup_steps"] = recipe.warmup if recipe.warmup < 1 else int(recipe.warmup)
    dropped = sorted(k for k in options if k not in known)
    missing = [k for k in dropped if k not in _OPTIONAL]
    if missing:
        raise TrainSetupError(f"the installed trl has no SFTConfig option {', '.join(missing)}; upgrade: "
                              "pip install -U 'writ[train]'")
    return SFTConfig(**{k: v for k, v in options.items() if k in known}), dropped


def _lora_config(recipe: Recipe) -> Any:
    from peft import LoraConfig

    lora = recipe.lora
    return LoraConfig(r=lora.r, lora_alpha=lora.alpha, lora_dropout=lora.dropout, target_modules=lora.target_modules,
                      bias="none", task_type="CAUSAL_LM")


def _recorder(losses: list[dict[str, float]]) -> Any:
    from transformers import TrainerCallback

    class LossRecorder(TrainerCallback):
        """Keeps every logged training loss (the trainer's own history is not saved with the model)."""

        def on_log(self, args, state, control, logs=None, **kwargs):  # noqa: ANN001 - transformers' signature
            if logs and "loss" in logs:
                losses.append({"step": state.global_step, "loss": float(logs["loss"]),
                               "learning_rate": float(logs.get("learning_rate") or 0.0)})

    return LossRecorder()


def _check_out(out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise TrainSetupError(f"{out}: exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise TrainSetupError(f"{out}: not empty; pass --force to write over it")


def train(recipe: Recipe, data_dir: str | Path, out: str | Path, *, overwrite: bool = False,
          log: Callable[[str], None] = print) -> TrainResult:
    """Fine-tune `recipe`'s model on the ``trl`` export in `data_dir`; save a plain HF model to `out`.

    Raises `TrainSetupError` (missing extra, unusable model or output directory), `DataError`
    (unusable export) or `RecipeError`; anything else is a bug.
    """
    missing = train_available()
    if missing:
        raise TrainSetupError(f"{TRAIN_EXTRA} (missing: {', '.join(missing)})")
    started = time.perf_counter()
    out = Path(out)
    _check_out(out, overwrite)
    data = load_export(data_dir)  # fail on bad data before spending a minute loading weights
    log(f"loading {recipe.model} ...")
    model, tokenizer = load_base(recipe.model, dtype=recipe.dtype, attn_implementation=recipe.attn_implementation)
    template, template_kind = training_template(tokenizer)
    prepared: Prepared = prepare(data, tokenizer, template, recipe.max_length, recipe.truncation)
    for split, stats in prepared.stats.items():
        for line in stats.lines():
            log(f"{split}: {line}")

    from trl import SFTTrainer

    has_eval = recipe.eval and bool(prepared.validation)
    args, dropped = sft_config(recipe, out / "checkpoints")
    losses: list[dict[str, float]] = []
    trainer = SFTTrainer(
        model=model, args=args, train_dataset=_dataset(prepared.train),
        eval_dataset=_dataset(prepared.validation) if has_eval else None, processing_class=tokenizer,
        data_collator=PadCollator(tokenizer.pad_token_id),
        peft_config=_lora_config(recipe) if recipe.method == "lora" else None, callbacks=[_recorder(losses)])
    output = trainer.train()
    eval_loss = None
    if has_eval:
        eval_loss = float(trainer.evaluate().get("eval_loss", float("nan")))
    train_loss = getattr(output, "training_loss", None)
    result = TrainResult(
        out=out, recipe=recipe, steps=int(trainer.state.global_step), losses=losses,
        train_loss=float(train_loss) if train_loss is not None else None, eval_loss=eval_loss, stats=prepared.stats,
        seconds=0.0, template=template_kind, merged=recipe.method == "lora" and recipe.lora.merge,
        data_sha256=data.digest, dropped_options=dropped)
    save_model(trainer, tokenizer, template, out, lora=recipe.method == "lora", merge=recipe.lora.merge,
               base_model=recipe.model, dtype=recipe.dtype)
    result.seconds = time.perf_counter() - started
    if trainer.is_world_process_zero():
        write_manifest(result, data)
    return result
