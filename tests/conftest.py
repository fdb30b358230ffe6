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
