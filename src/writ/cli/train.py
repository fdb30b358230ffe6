"""`writ train`: supervised fine-tuning of a model on a ``trl`` export (needs the ``train`` extra).

Everything that defines the run lives in the recipe file; the flags only override what differs
between a smoke run and the real one. Without the extra the command fails with one line naming
``pip install 'writ[train]'``, before anything heavy is imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from writ.cli._checks import check_output_dir
from writ.cli._common import UserError


def train(
    recipe: Annotated[str, typer.Option("--recipe", "-r", help="A recipe YAML file, or a name in configs/recipes/.")],
    data: Annotated[Path, typer.Option("--data",
                                       help="A `writ export --format trl` directory (train.jsonl, validation.jsonl).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory for the trained model (new or empty).")],
    max_steps: Annotated[int | None, typer.Option("--max-steps",
                                                  help="Stop after N optimizer steps (overrides the epochs).")] = None,
    lora: Annotated[bool | None, typer.Option("--lora/--full",
                                              help="LoRA or full fine-tuning (default: the recipe's method).")] = None,
    model: Annotated[str | None, typer.Option(
        "--model", help="Another base model than the recipe's (hub id, directory, .gguf, smollm2).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty output directory.")] = False,
) -> None:
    """Fine-tune a model on exported trajectories (TRL SFT, loss on assistant turns only)."""
    from writ.train.model import TRAIN_EXTRA, train_available

    missing = train_available()
    if missing:
        raise UserError(f"{TRAIN_EXTRA} (missing: {', '.join(missing)})")
    check_output_dir("--out", out)
    from writ.train import DataError, RecipeError, TrainSetupError, load_recipe
    from writ.train import train as run_training

    try:
        chosen = load_recipe(recipe).with_overrides(
            method=None if lora is None else ("lora" if lora else "full"), max_steps=max_steps, model=model)
        result = run_training(chosen, data, out, overwrite=force, log=lambda line: typer.echo(line, err=True))
    except (RecipeError, DataError, TrainSetupError) as exc:
        raise UserError(str(exc)) from None
    for line in result.lines():
        typer.echo(line, err=True)
