"""Recipes: the shipped files load and make sense; mistakes are one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from writ.train import Recipe, RecipeError, find_recipe, load_recipe

RECIPES = Path(__file__).resolve().parents[2] / "configs" / "recipes"
SHIPPED = sorted(p.stem for p in RECIPES.glob("*.yaml"))


def test_the_three_recipes_are_shipped():
    assert {"qwen3-4b-instruct", "smollm2-135m-cpu"} <= set(SHIPPED) and len(SHIPPED) >= 3


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_recipes_load_with_numbers_as_numbers(name):
    recipe = load_recipe(RECIPES / f"{name}.yaml")
    assert recipe.name == name
    assert isinstance(recipe.learning_rate, float) and isinstance(recipe.lora.learning_rate, float)
    assert recipe.lora.learning_rate > recipe.learning_rate  # LoRA wants the larger rate
    assert recipe.with_overrides(method="lora").lr == recipe.lora.learning_rate
    assert recipe.with_overrides(method="full").lr == recipe.learning_rate
    assert recipe.lora.merge  # the output must be a plain model for hf:PATH and vLLM


def test_published_setting():
    recipe = load_recipe("qwen3-4b-instruct")  # found by name in configs/recipes
    assert recipe.model == "Qwen/Qwen3-4B-Instruct-2507" and recipe.method == "full"
    assert recipe.bf16 and recipe.dtype == "bfloat16" and recipe.gradient_checkpointing
    assert 30_000 <= recipe.max_length <= 33_000
    assert recipe.truncation == "turn"
    effective_batch = recipe.per_device_batch_size * recipe.gradient_accumulation_steps
    assert 8 <= effective_batch <= 32 and 1 <= recipe.epochs <= 5


def test_overrides_are_checked():
    recipe = load_recipe("smollm2-135m-cpu")
    assert recipe.with_overrides(max_steps=5, model="x").max_steps == 5
    with pytest.raises(RecipeError, match="max_steps"):
        recipe.with_overrides(max_steps=0)
    with pytest.raises(RecipeError, match="method"):
        recipe.with_overrides(method="qlora")


def test_unknown_keys_and_bad_values_are_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: x\nlearning_reate: 1e-5\n")
    with pytest.raises(RecipeError, match="unknown key.*learning_reate"):
        load_recipe(bad)
    bad.write_text("model: x\nlora:\n  rank: 8\n")
    with pytest.raises(RecipeError, match="lora: unknown key.*rank"):
        load_recipe(bad)
    bad.write_text("model: x\ntruncation: middle\n")
    with pytest.raises(RecipeError, match="truncation"):
        load_recipe(bad)
    bad.write_text("model: x\nlearning_rate: fast\n")
    with pytest.raises(RecipeError, match="bad.yaml"):
        load_recipe(bad)
    with pytest.raises(RecipeError, match="no such recipe"):
        find_recipe(tmp_path / "missing.yaml")


def test_minimal_recipe_gets_defaults(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("model: some/model\n")
    recipe = load_recipe(path)
    assert isinstance(recipe, Recipe) and recipe.name == "mine" and recipe.method == "full"
    assert recipe.to_json()["path"] == str(path)


def test_schema_errors_name_the_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    for text, expected in (("learning_rate: 1e-5\n", "model: Field required"),
                           ("model: x\nlora:\n  r: 0\n", "lora.r: Input should be greater than or equal to 1"),
                           ("model: x\nper_device_batch_size: true\n", "per_device_batch_size"),
                           ("- model\n", "expected a mapping, got list"),
                           ("model: x\npath: elsewhere.yaml\n", "unknown key(s) path")):
        bad.write_text(text)
        with pytest.raises(RecipeError) as exc:
            load_recipe(bad)
        assert expected in str(exc.value) and str(exc.value).startswith(str(bad)) and "\n" not in str(exc.value)
