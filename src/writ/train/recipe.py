"""Training recipes: one YAML file says everything a fine-tuning run depends on.

A recipe names the base model, the method (full fine-tuning or LoRA, each with its own learning
rate, because the two want learning rates an order of magnitude apart), how sequences are built
(maximum length, what to do with longer ones) and the optimiser schedule. Keeping all of it in a
file, rather than in flags, makes a published setting reproducible by name; the command line may
only override what differs between a smoke run and the real one (the method, a step cap, the base
model). The resolved recipe is written into the output's ``writ_train.json``.

The schema is a pydantic model, like the rest of writ's inputs: unknown keys are refused (a typo
such as ``learning_reate`` would otherwise train silently with the default), values are coerced to
their declared types (YAML reads ``1e-5`` without a dot as a string) and every rule is checked on
load and again after command-line overrides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError, model_validator

__all__ = ["LoraSettings", "Recipe", "RecipeError", "TRUNCATION_POLICIES", "find_recipe", "load_recipe"]

TRUNCATION_POLICIES = ("turn", "drop")
_RECIPES_DIR = Path("configs") / "recipes"


class RecipeError(ValueError):
    """A recipe that cannot be used; the message is one line for the user."""


def _not_a_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("Input should be a number, not a boolean")
    return value


Int = Annotated[int, Strict()]  # YAML gives real ints; "true" or "3" is a mistake
Float = Annotated[float, BeforeValidator(_not_a_bool)]  # "1e-5" (a YAML string) and 3 become floats


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class LoraSettings(_Strict):
    """LoRA adapters (peft). ``merge`` folds them into the base so the output is a plain model."""

    r: Int = Field(16, ge=1)
    alpha: Int = 32
    dropout: Float = 0.05
    target_modules: list[str] | str = Field(
        default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    learning_rate: Float = 2e-4
    merge: bool = True


class Recipe(_Strict):
    """A resolved recipe. ``model`` is a hub id, a local directory, a ``.gguf`` file or ``smollm2``."""

    name: str
    model: str = Field(min_length=1)
    method: Literal["full", "lora"] = "full"
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"  # the dtype weights are loaded (and saved) in
    attn_implementation: str | None = None  # "sdpa", "flash_attention_2", ... (None: transformers decides)
    max_length: Int = Field(4096, ge=16)
    truncation: Literal["turn", "drop"] = "turn"  # "turn": cut at the last assistant turn that fits; "drop": skip
    learning_rate: Float = 1e-5  # full fine-tuning; LoRA uses lora.learning_rate
    epochs: Float = 3.0
    max_steps: Int = -1
    per_device_batch_size: Int = Field(1, ge=1)
    gradient_accumulation_steps: Int = Field(1, ge=1)
    lr_scheduler: str = "cosine"
    warmup: Float = 0.0  # a fraction of the steps when < 1, else a number of steps
    weight_decay: Float = 0.0
    max_grad_norm: Float = 1.0
    bf16: bool = False
    gradient_checkpointing: bool = False
    seed: Int = 0
    logging_steps: Int = Field(1, ge=1)
    eval: bool = True  # compute the validation loss at the end when the export has a validation split
    checkpoints: Literal["no", "epoch", "steps"] = "no"  # "steps": every save_steps, under OUT/checkpoints
    save_steps: Int = 500
    lora: LoraSettings = Field(default_factory=LoraSettings)
    notes: str = ""
    path: str = ""  # where the recipe was read from

    @model_validator(mode="after")
    def _consistent(self) -> Recipe:
        if self.max_steps == 0 or self.max_steps < -1:
            raise ValueError(f"max_steps must be positive (or -1: epochs), got {self.max_steps}")
        if self.lr <= 0:
            raise ValueError(f"the {self.method} learning rate must be positive")
        return self

    @property
    def lr(self) -> float:
        """The learning rate of the chosen method."""
        return self.lora.learning_rate if self.method == "lora" else self.learning_rate

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def with_overrides(self, *, method: str | None = None, max_steps: int | None = None,
                       model: str | None = None) -> Recipe:
        """A copy with the command line's overrides applied and checked."""
        changes = {k: v for k, v in (("method", method), ("max_steps", max_steps), ("model", model)) if v is not None}
        return _validated({**self.model_dump(), **changes}, f"recipe {self.name}")


def _problem(exc: ValidationError) -> str:
    """A pydantic error as one line: unknown keys together, else the first problem and its place."""
    errors = exc.errors()
    unknown = [e for e in errors if e["type"] == "extra_forbidden"]
    if unknown:
        inside = {tuple(e["loc"][:-1]) for e in unknown}
        where = ".".join(str(p) for p in sorted(inside)[0])
        model = LoraSettings if where == "lora" else Recipe
        known = sorted(set(model.model_fields) - {"path"})
        keys = ", ".join(str(e["loc"][-1]) for e in unknown if tuple(e["loc"][:-1]) == sorted(inside)[0])
        return f"{where + ': ' if where else ''}unknown key(s) {keys} (known: {', '.join(known)})"
    first = errors[0]
    where = ".".join(str(p) for p in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    got = f", got {first['input']!r}" if where and not isinstance(first.get("input"), (dict, list)) else ""
    return f"{where + ': ' if where else ''}{message}{got}"


def _validated(raw: dict[str, Any], where: str) -> Recipe:
    try:
        return Recipe.model_validate(raw)
    except ValidationError as exc:
        raise RecipeError(f"{where}: {_problem(exc)}") from None


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
    except UnicodeDecodeError:
        raise RecipeError(f"{path}: not a recipe (not UTF-8 text)") from None
    except (OSError, yaml.YAMLError) as exc:
        raise RecipeError(f"{path}: cannot read recipe ({str(exc).splitlines()[0]})") from None
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise RecipeError(f"{path}: expected a mapping, got {type(raw).__name__}")
    if "path" in raw:
        raise RecipeError(f"{path}: unknown key(s) path (it is where the recipe was read from)")
    return _validated({"name": path.stem, **raw, "path": str(path)}, str(path))
