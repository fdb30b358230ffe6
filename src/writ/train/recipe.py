"""Training recipes: one YAML file says everything a fine-tuning run depends on.

A recipe names the base model, the method (full fine-tuning or LoRA, each with its own learning
rate, because the two want learning rates an order of magnitude apart), how sequences are built
(maximum length, what to do with longer ones) and the optimiser schedule. Keeping all of it in a
file, rather than in flags, makes a published setting reproducible by name; the command line may
only override what differs between a smoke run and the real one (the method, a step cap, the base
model). The resolved recipe is written into the output's ``writ_train.json``.

Unknown keys are refused: a typo such as ``learning_reate`` would otherwise train silently with
the default.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["LoraSettings", "Recipe", "RecipeError", "TRUNCATION_POLICIES", "find_recipe", "load_recipe"]

TRUNCATION_POLICIES = ("turn", "drop")
METHODS = ("full", "lora")
DTYPES = ("auto", "float32", "bfloat16", "float16")
_RECIPES_DIR = Path("configs") / "recipes"


class RecipeError(ValueError):
    """A recipe that cannot be used; the message is one line for the user."""


@dataclass
class LoraSettings:
    """LoRA adapters (peft). ``merge`` folds them into the base so the output is a plain model."""

    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: list[str] | str = field(
        default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    learning_rate: float = 2e-4
    merge: bool = True


@dataclass
class Recipe:
    """A resolved recipe. ``model`` is a hub id, a local directory, a ``.gguf`` file or ``smollm2``."""

    name: str
    model: str
    method: str = "full"
    dtype: str = "auto"  # the dtype weights are loaded (and saved) in
    attn_implementation: str | None = None  # "sdpa", "flash_attention_2", ... (None: transformers decides)
    max_length: int = 4096
    truncation: str = "turn"  # "turn": cut at the last assistant turn that fits; "drop": skip the record
    learning_rate: float = 1e-5  # full fine-tuning; LoRA uses lora.learning_rate
    epochs: float = 3.0
    max_steps: int = -1
    per_device_batch_size: int = 1
    gradient_accumulation_steps: int = 1
    lr_scheduler: str = "cosine"
    warmup: float = 0.0  # a fraction of the steps when < 1, else a number of steps
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    bf16: bool = False
    gradient_checkpointing: bool = False
    seed: int = 0
    logging_steps: int = 1
    eval: bool = True  # compute the validation loss at the end when the export has a validation split
    checkpoints: str = "no"  # "no", "epoch" or "steps" (every save_steps) under OUT/checkpoints
    save_steps: int = 500
    lora: LoraSettings = field(default_factory=LoraSettings)
    notes: str = ""
    path: str = ""  # where the recipe was read from

    @property
    def lr(self) -> float:
        """The learning rate of the chosen method."""
        return self.lora.learning_rate if self.method == "lora" else self.learning_rate

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def with_overrides(self, *, method: str | None = None, max_steps: int | None = None,
                       model: str | None = None) -> "Recipe":
        """A copy with the command line's overrides applied and checked."""
        changes: dict[str, Any] = {}
        if method is not None:
            changes["method"] = method
        if max_steps is not None:
            changes["max_steps"] = max_steps
        if model is not None:
            changes["model"] = model
        out = dataclasses.replace(self, **changes)
        out.validate()
        return out

    def validate(self) -> None:
        if not self.model:
            raise RecipeError(f"recipe {self.name}: no model")
        if self.method not in METHODS:
            raise RecipeError(f"recipe {self.name}: method must be one of {', '.join(METHODS)}, got {self.method!r}")
        if self.truncation not in TRUNCATION_POLICIES:
            raise RecipeError(f"recipe {self.name}: truncation must be one of {', '.join(TRUNCATION_POLICIES)}, "
                              f"got {self.truncation!r}")
        if self.dtype not in DTYPES:
            raise RecipeError(f"recipe {self.name}: dtype must be one of {', '.join(DTYPES)}, got {self.dtype!r}")
        if self.checkpoints not in ("no", "epoch", "steps"):
            raise RecipeError(f"recipe {self.name}: checkpoints must be no, epoch or steps, got {self.checkpoints!r}")
        if self.max_length < 16:
            raise RecipeError(f"recipe {self.name}: max_length must be at least 16, got {self.max_length}")
        for key in ("per_device_batch_size", "gradient_accumulation_steps", "logging_steps", "lora.r"):
            value = self.lora.r if key == "lora.r" else getattr(self, key)
            if value < 1:
                raise RecipeError(f"recipe {self.name}: {key} must be at least 1, got {value}")
        if self.max_steps == 0 or self.max_steps < -1:
            raise RecipeError(f"recipe {self.name}: max_steps must be positive (or -1: epochs), got {self.max_steps}")
        if self.lr <= 0:
            raise RecipeError(f"recipe {self.name}: the {self.method} learning rate must be positive")


def _checked(cls: type, raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise RecipeError(f"{where}: expected a mapping, got {type(raw).__name__}")
    known = {f.name for f in dataclasses.fields(cls)} - {"path"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise RecipeError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return dict(raw)


def _numbers(obj: Any) -> None:
    """Numbers as their declared type: YAML reads ``1e-5`` (no dot) as a string and ``3`` as an int."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.type == "float" and isinstance(value, (int, str)) and not isinstance(value, bool):
            setattr(obj, f.name, float(value))
        elif f.type == "int" and isinstance(value, str):
            setattr(obj, f.name, int(value))


def find_recipe(name_or_path: str | Path) -> Path:
    """A recipe file: a path, or a bare name looked up in ``configs/recipes/`` (here, then in writ's checkout)."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    if path.suffix not in (".yaml", ".yml") and len(path.parts) == 1:
        checkout = Path(__file__).resolve().parents[3]
        for root in (Path.cwd(), checkout):
            candidate = root / _RECIPES_DIR / f"{path.name}.yaml"
            if candidate.is_file():
                return candidate
    raise RecipeError(f"{name_or_path}: no such recipe file (give a path or a name in {_RECIPES_DIR}/)")


def load_recipe(name_or_path: str | Path) -> Recipe:
    """Read and check a recipe file; raises `RecipeError` with one line saying what is wrong."""
    path = find_recipe(name_or_path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RecipeError(f"{path}: cannot read recipe ({str(exc).splitlines()[0]})") from None
    data = _checked(Recipe, raw if raw is not None else {}, str(path))
    lora = LoraSettings(**_checked(LoraSettings, data.pop("lora", None) or {}, f"{path}: lora"))
    data.setdefault("name", path.stem)
    try:
        recipe = Recipe(**data, lora=lora, path=str(path))
        _numbers(recipe)
        _numbers(lora)
    except (TypeError, ValueError) as exc:
        raise RecipeError(f"{path}: {exc}") from None
    recipe.validate()
    return recipe
