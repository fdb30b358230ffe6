"""End to end on CPU with the real SmolLM2-135M-Instruct: train, save, reload, evaluate one episode.

Kept small for two CI cores: records of 160-340 tokens (`slim`: no tool schemas), max_length 320
(the longest records are cut at a turn boundary, so truncation runs too), 6 steps of batch 1 per
method. LoRA runs through the Python API, full fine-tuning through ``writ train``; the merged LoRA
model then plays the agent of one evaluation episode through ``hf:PATH``, as ``writ eval`` loads it.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from statistics import mean

import pytest

from writ.cli import main

from .conftest import needs

pytestmark = [needs(), pytest.mark.slow]

STEPS = 6
MAX_LENGTH = 320
RECIPE = Path(__file__).resolve().parents[2] / "configs" / "recipes" / "smollm2-135m-cpu.yaml"


def decreased(losses):
    values = [entry["loss"] for entry in losses]
    assert len(values) == STEPS, values
    return mean(values[-3:]) < mean(values[:3]) - 0.1


@pytest.fixture(scope="module")
def lora_model(smol_base, slim_export, tmp_path_factory):
    from writ.train import load_recipe, train

    out = tmp_path_factory.mktemp("lora") / "model"
    recipe = load_recipe(RECIPE).with_overrides(method="lora", max_steps=STEPS, model=str(smol_base))
    recipe.max_length = MAX_LENGTH
    result = train(recipe, slim_export, out, log=lambda line: None)
    return out, result


def test_lora_training_lowers_the_loss_and_saves_a_merged_model(lora_model):
    out, result = lora_model
    assert result.steps == STEPS and decreased(result.losses), result.losses
    assert result.merged and result.eval_loss is not None
    assert result.stats["train"].truncated >= 1 and result.stats["train"].dropped_too_long == 0
    assert (out / "config.json").is_file() and not (out / "adapter_config.json").exists()
    manifest = json.loads((out / "writ_train.json").read_text())
    assert manifest["steps"] == STEPS and manifest["method"] == "lora" and manifest["chat_template"] == "writ-tools"
    assert len(manifest["data"]["sha256"]) == 64 and manifest["losses"] == result.losses
    assert "tools" in (out / "chat_template.jinja").read_text()


def test_full_fine_tuning_through_the_cli(smol_base, slim_export, tmp_path, capsys):
    recipe = tmp_path / "recipe.yaml"
    text = RECIPE.read_text().replace("max_length: 2048", f"max_length: {MAX_LENGTH}")
    recipe.write_text(text.replace("eval: true", "eval: false"))
    out = tmp_path / "full"
    main_args = ["train", "--recipe", str(recipe), "--data", str(slim_export), "--out", str(out),
                 "--max-steps", str(STEPS), "--full", "--model", str(smol_base)]
    try:
        main(main_args)
    except SystemExit as exc:  # typer exits 0 on success
        assert exc.code in (0, None), capsys.readouterr().err
    err = capsys.readouterr().err
    assert f"for {STEPS} steps" in err and f"hf:{out}" in err
    manifest = json.loads((out / "writ_train.json").read_text())
    assert manifest["method"] == "full" and manifest["recipe"]["max_length"] == MAX_LENGTH
    assert decreased(manifest["losses"]), manifest["losses"]


def test_trained_model_plays_one_evaluation_episode(lora_model):
    from tests.sim.conftest import mock_task
    from writ.agents.llm import LLMAgent
    from writ.core import Termination
    from writ.data import load_data
    from writ.models import make_backend
    from writ.sim import Limits, run_episode
    from writ.users.scripted import ScriptedUser

    out, _ = lora_model
    backend = make_backend(f"hf:{out}", max_new_tokens=24)
    data = load_data("mock")
    task = mock_task(0, "write", with_source=False)
    episode = asyncio.run(run_episode(task, data.environment(task), LLMAgent(task, data, backend), ScriptedUser(task),
                                      Limits(max_steps=6)))
    assert episode.termination in {t.value for t in Termination}
    assert episode.termination not in ("crash", "agent_error"), episode.error
    assert backend.template_supports_tools  # the saved template renders the tools itself
    replies = [t for t in episode.turns if t["actor"] == "agent" and t["usage"].get("completion_tokens")]
    assert replies, episode.turns  # the trained model itself answered at least once
