"""Supervised fine-tuning on a writ export (``writ train``; needs the ``train`` extra).

`train` is the whole recipe: `load_recipe` reads a YAML recipe (``configs/recipes/``),
`load_export` the ``trl`` export, `load_base` the base model (hub id, directory, ``.gguf`` or
``smollm2``), `training_template` picks a chat template that renders tools (wrapping the base
one when it cannot), `prepare` builds assistant-only labels by incremental rendering
(`writ.train.labels`), TRL's SFTTrainer trains (full or LoRA), and `save_model` writes a plain
Hugging Face model that ``writ eval --agent hf:PATH`` and vLLM load directly, with
``writ_train.json`` beside it.

Only the standard library and PyYAML are imported here; torch, transformers, TRL and peft are
imported when a run starts, so ``import writ.train`` works without the extra.
"""

from writ.train.data import DataError, ExportData, Prepared, load_export, make_render, prepare
from writ.train.labels import IGNORE, Example, PrepStats, assistant_spans, build_example, prepare_rows
from writ.train.model import TRAIN_EXTRA, TrainSetupError, load_base, resolve_model, train_available
from writ.train.recipe import TRUNCATION_POLICIES, LoraSettings, Recipe, RecipeError, find_recipe, load_recipe
from writ.train.save import MANIFEST, merge_saved_adapter, save_model, write_manifest
from writ.train.template import WRIT_TOOLS_MARK, supports_tools, tool_template, training_template
from writ.train.trainer import PadCollator, TrainResult, sft_config, train

__all__ = [
    "DataError", "Example", "ExportData", "IGNORE", "LoraSettings", "MANIFEST", "PadCollator", "PrepStats", "Prepared",
    "Recipe", "RecipeError", "TRAIN_EXTRA", "TRUNCATION_POLICIES", "TrainResult", "TrainSetupError", "WRIT_TOOLS_MARK",
    "assistant_spans", "build_example", "find_recipe", "load_base", "load_export", "load_recipe", "make_render",
    "merge_saved_adapter", "prepare", "prepare_rows", "resolve_model", "save_model", "sft_config", "supports_tools",
    "tool_template", "train", "train_available", "training_template", "write_manifest",
]
