"""Shared fixtures: paths to the repo's demo catalog and to ../shared (skipped where absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEMO_JSON = ROOT / "graphs" / "demo.json"
DEMO_CSV = ROOT / "graphs" / "demo.csv"


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the checkout; tests that read it skip where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside this checkout")
    return SHARED


@pytest.fixture
def worked_example_path(shared_dir: Path) -> Path:
    path = shared_dir / "design" / "worked-example.json"
    if not path.is_file():
        pytest.skip("worked-example.json is not in ../shared/design")
    return path


@pytest.fixture
def curricula_dir(shared_dir: Path) -> Path:
    path = shared_dir / "data" / "curricula"
    if not path.is_dir():
        pytest.skip("../shared/data/curricula is absent")
    return path
